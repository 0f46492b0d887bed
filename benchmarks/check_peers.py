"""Sanity check of the peer adapters. Run in the bench venv:

    bash benchmarks/setup-bench-env.sh
    .venv-bench/bin/python -m benchmarks.check_peers [--rows 10000] [--seed 0]

Builds a random DataFrame (V1..V28 ~ N(0,1), Class in {0,1}), runs each peer
once on a 10-rule first-hit rule list and prints timings plus agreement with a
vectorised first-hit reference (np.select).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import pandas as pd

from benchmarks import peers

try:
    import psutil
except ImportError:  # pragma: no cover
    psutil = None

# 10 one-condition rules, first hit wins, default 0. Rules 2 and 5 predict the
# default label (0): that is where human-learn's CaseWhenRuler departs from
# first-hit semantics.
RULES = [
    ("V1", ">", 2.0, 1),
    ("V2", "<", -1.5, 0),
    ("V3", ">", 1.8, 1),
    ("V4", "<=", -2.0, 1),
    ("V5", ">=", 1.5, 0),
    ("V6", ">", 2.2, 1),
    ("V7", "<", -2.2, 1),
    ("V8", ">", 2.5, 1),
    ("V9", "<", -2.5, 1),
    ("V10", ">=", 2.0, 1),
]
DEFAULT = 0

# Every metric ruleminer 1.0.3 actually implements, except "conviction", which
# raises ZeroDivisionError for any rule with confidence exactly 1.
RULEMINER_METRICS = [
    "abs support", "abs exceptions", "confidence", "not applicable", "support",
    "added value", "casual confidence", "lift", "rule power factor",
]


def make_frame(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.standard_normal((rows, 28)), columns=[f"V{i}" for i in range(1, 29)])
    logit = 1.5 * df["V1"] - 1.0 * df["V3"] + 0.5 * df["V14"] - 3.0
    df["Class"] = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return df


def _masks(df: pd.DataFrame):
    for c, op, v, _ in RULES:
        x = df[c].to_numpy()
        yield {"<": x < v, "<=": x <= v, ">": x > v, ">=": x >= v}[op]


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def rss_mb() -> str:
    if psutil is None:
        return "n/a"
    return f"{psutil.Process().memory_info().rss / 2**20:.0f} MiB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    print("versions:", ", ".join(f"{k} {v}" for k, v in peers.versions().items()))
    df = make_frame(args.rows, args.seed)
    print(f"data: {len(df)} rows x {df.shape[1]} cols, Class rate {df['Class'].mean():.3f}; "
          f"{len(RULES)} rules, default {DEFAULT}; RSS {rss_mb()}")

    # import cost kept out of the per-peer timings
    _, t_imp_hl = timed(peers.load_case_when_ruler)
    _, t_imp_sp = timed(__import__, "sklearn2pmml.ruleset")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyparsing deprecation noise
        _, t_imp_rm = timed(__import__, "ruleminer")
    print(f"import: CaseWhenRuler (by file) {t_imp_hl * 1e3:.0f} ms, "
          f"sklearn2pmml.ruleset {t_imp_sp * 1e3:.0f} ms, ruleminer {t_imp_rm * 1e3:.0f} ms")

    ref, t_ref = timed(peers.first_hit_reference, RULES, DEFAULT, df)
    print(f"\n[reference np.select first-hit]  {t_ref * 1e3:9.1f} ms")

    ok = True

    # human-learn
    demo = peers.hulearn_first_hit_demo()
    print(f"\n[human-learn CaseWhenRuler] first-hit demo: rules {demo['rules']} default 0, "
          f"x={demo['x']}: first-hit -> {demo['first_hit']}, CaseWhenRuler -> {demo['hulearn']}")
    pred_hl, t_build = timed(peers.hulearn_predictor, RULES, DEFAULT)
    y_hl, t_hl = timed(pred_hl, df)
    diff_hl = int((y_hl != ref).sum())
    print(f"  build {t_build * 1e3:.1f} ms, predict {t_hl * 1e3:9.1f} ms; "
          f"rows differing from first-hit: {diff_hl} "
          f"(expected > 0: label==default rules do not stop later rules)")
    loaded_pkg = "hulearn.experimental" in sys.modules
    print(f"  hulearn.experimental imported: {loaded_pkg}")
    ok &= not loaded_pkg and demo["first_hit"] == [0] and demo["hulearn"] == [1]

    # sklearn2pmml
    pred_sp, t_build = timed(peers.sklearn2pmml_predictor, RULES, DEFAULT, df)
    y_sp, t_sp = timed(pred_sp, df)
    diff_sp = int((y_sp != ref).sum())
    print(f"\n[sklearn2pmml RuleSetClassifier] predicates e.g. "
          f"{pred_sp.classifier.rules[0][0]!r}")
    print(f"  build+fit {t_build * 1e3:.1f} ms, predict {t_sp * 1e3:9.1f} ms "
          f"({t_sp / len(df) * 1e6:.1f} us/row, {t_sp / t_ref:,.0f}x reference); "
          f"rows differing from first-hit: {diff_sp}")
    n_tried = np.select([m for m in _masks(df)], np.arange(1, len(RULES) + 1), len(RULES))
    print(f"  predicates eval'd: {int(n_tried.sum())} ({n_tried.mean():.2f}/row) -> "
          f"{t_sp / n_tried.sum() * 1e6:.2f} us per predicate eval")
    ok &= diff_sp == 0

    # ruleminer
    templates = [peers.ruleminer_template(c, op, v, "Class", lab) for c, op, v, lab in RULES]
    print(f"\n[ruleminer RuleMiner] template e.g. {templates[0]!r}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyparsing deprecation noise
        cols_before = list(df.columns)
        scored, t_rm = timed(peers.ruleminer_score, df, templates,
                             {"metrics": RULEMINER_METRICS, "filter": {}})
    print(f"  {len(templates)} templates scored in {t_rm * 1e3:9.1f} ms; RSS {rss_mb()}")
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.float_format", "{:.4f}".format):
        print(scored.drop(columns=["rule_id", "rule_group", "encodings"]).to_string(index=False))
    # cross-check confidence of rule 1 by hand
    c, op, v, lab = RULES[0]
    x = df[c] > v
    conf = (x & (df["Class"] == lab)).sum() / x.sum()
    print(f"  hand-computed confidence of rule 1: {conf:.4f}")
    ok &= abs(float(scored["confidence"].iloc[0]) - conf) < 1e-12
    ok &= list(df.columns) == cols_before and len(scored) == len(templates)

    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
