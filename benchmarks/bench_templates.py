"""Candidate rules scored per second: studio's templates against ruleminer, on the same data and the
same candidates, with ruleminer's metrics; and what each does at confidence 1.

Runs in the benchmark environment (ruleminer is installed only there):

    .venv-bench/bin/python -m benchmarks.bench_templates [--repeats N] [--ruleminer-candidates N]

Data: the train split of the bundled synthetic credit-card table (142,403 rows, 31 columns). The
candidates are ``column <= t`` and ``column > t`` for the 30 numeric columns, with t among each
column's train quantiles. ruleminer gets every k-th of them as explicit rules
``if ({"V14"} <= t) then ({"Class"} == 1)``; studio scores exactly those as templates
``{"V14"} <= t``, and then all of them. The metric values of both are compared.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np


import studio
from studio import mining
from studio.mining.rulemetrics import rule_metrics
from studio.mining.templates import template_metrics

RULEMINER_METRICS = ["abs support", "abs exceptions", "confidence", "support", "added value", "casual confidence",
                     "lift", "rule power factor"]  # ruleminer 1.0.3 computes these (and conviction, below)


def timed(fn, repeats: int):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--ruleminer-candidates", type=int, default=120)
    args = parser.parse_args()
    from benchmarks import peers
    import ruleminer

    data = studio.load("creditcard-synthetic")
    split = data.split("Class", positive=1, test_size=0.5, seed=0)
    train = data.con.execute(f"SELECT * EXCLUDE (__rs_row, __rs_label, __rs_y, __rs_test) FROM {split.table} "
                             "WHERE __rs_test = 0 ORDER BY __rs_row").df()
    scan = mining.scan_thresholds(split, bins=256)
    everything = [f'{{"{c}"}} {op} {t!r}' for c, op, t in scan.candidates[["column", "op", "threshold"]]
                  .itertuples(index=False)]
    step = max(1, len(everything) // args.ruleminer_candidates)
    same = everything[::step][:args.ruleminer_candidates]
    as_ruleminer = [f"if ({t}) then ({{\"Class\"}} == 1)" for t in same]
    print(f"data: {len(train):,} train rows x {train.shape[1]} columns (creditcard-synthetic, seed 0); "
          f"candidates: {len(everything):,} thresholds, ruleminer scores every {step}-th ({len(same)})")

    params = {"filter": {}, "metrics": RULEMINER_METRICS}
    theirs, rm_median, rm_min = timed(lambda: peers.ruleminer_score(train, as_ruleminer, params),
                                      max(1, args.repeats // 2))
    print(f"ruleminer {peers.versions()['ruleminer']}  {len(same)} candidates, {len(RULEMINER_METRICS)} metrics: "
          f"median {rm_median:.2f} s (min {rm_min:.2f}) = {len(same) / rm_median:,.1f} candidates/s")

    ours, st_median, st_min = timed(lambda: template_metrics(split, same), args.repeats)
    print(f"studio   same {len(same)} candidates as templates, 10 metrics and the test side: "
          f"median {st_median * 1000:,.0f} ms (min {st_min * 1000:,.0f}) = {len(same) / st_median:,.0f} candidates/s "
          f"-> {rm_median / st_median:,.0f}x ruleminer")
    _, all_median, all_min = timed(lambda: template_metrics(split, everything, max_candidates=len(everything)),
                                   max(1, args.repeats // 2))
    print(f"studio   all {len(everything):,} candidates as templates: median {all_median:.2f} s (min {all_min:.2f}) = "
          f"{len(everything) / all_median:,.0f} candidates/s -> {(len(everything) / all_median) / (len(same) / rm_median):,.0f}x "
          f"ruleminer's rate")

    def histogram_scan():
        s = mining.scan_thresholds(split, bins=256)
        return rule_metrics(s.undecided, s.candidates["train_fired"], s.positives, s.candidates["train_tp"])
    _, h_median, h_min = timed(histogram_scan, args.repeats)
    print(f"studio   all {len(everything):,} candidates from per-class histograms (the Candidates scan), 10 metrics: "
          f"median {h_median * 1000:,.0f} ms (min {h_min * 1000:,.0f}) = {len(everything) / h_median:,.0f} candidates/s "
          f"-> {(len(everything) / h_median) / (len(same) / rm_median):,.0f}x ruleminer's rate")

    # the same numbers, to the last digit, where ruleminer defines them (ruleminer keeps the order
    # of its templates: a pairing error could only add differences, never hide one)
    compared = differ = 0
    for (_, row), text in zip(theirs.iterrows(), same):
        o = ours[ours["template"] == text].iloc[0]
        for name in RULEMINER_METRICS:
            a, b = float(row[name]), float(o[name])
            compared += 1
            if not ((math.isnan(a) and math.isnan(b)) or a == b):
                differ += 1
    print(f"metric values compared with ruleminer: {compared:,}, different: {differ}")

    # confidence 1: conviction is infinite; ruleminer raises
    sure = next(t for t, c in zip(ours["template"], ours["confidence"]) if c == 1) if (ours["confidence"] == 1).any() \
        else '{"V14"} <= ' + repr(float(train["V14"].min()))
    sure_ruleminer = f"if ({sure}) then ({{\"Class\"}} == 1)"
    try:
        ruleminer.RuleMiner(templates=[{"expression": sure_ruleminer}], data=train,
                            params={"filter": {}, "metrics": ["confidence", "conviction"]})
        theirs_sure = "no error"
    except ZeroDivisionError as err:
        theirs_sure = f"ZeroDivisionError: {err}"
    row = template_metrics(split, [sure]).iloc[0]
    print(f"confidence 1 ({sure}): studio confidence {row['confidence']}, conviction {row['conviction']}; "
          f"ruleminer with conviction: {theirs_sure}")
    assert differ == 0 and (np.isinf(row["conviction"]) or row["confidence"] != 1)


if __name__ == "__main__":
    main()
