"""Rule engine speed: a full metrics refresh in DuckDB, side by side with the peers.

Run in the benchmark environment (peers are never project dependencies):

    bash benchmarks/setup-bench-env.sh
    .venv-bench/bin/python -m benchmarks.bench_engine            # 284,807 rows, then 10 million rows
    .venv-bench/bin/python -m benchmarks.bench_engine --quick    # fewer repeats, smaller large table

A "full refresh" is what the studio does after an edit to the rule conditions:
one DuckDB aggregate over the stored split, then the confusion matrices,
per-class scores and averages for train, test and all rows, the per-rule
first-hit table with every rule's marginal effect, and the overlaps. The query
cache is cleared before each timed refresh, so every run re-reads the data.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

import duckdb
import numpy as np

import studio
from studio.rules import rule

# Ten single-condition rules in the tutorial's style (all label 1, default 0), so that
# every peer can express them and all must give identical predictions.
TEN_RULES = [("V11", ">", 4.0), ("V17", "<", -3.0), ("V14", "<", -8.0), ("V12", "<", -7.0),
             ("V10", "<", -6.0), ("V4", ">", 6.0), ("V3", "<", -9.0), ("V16", "<", -6.0),
             ("V7", "<", -8.0), ("Amount", ">", 20_000.0)]


def ruleset():
    return studio.ruleset([rule((c, op, v), then=1, name=f"{c} {op} {v:g}") for c, op, v in TEN_RULES],
                          default=0, target="Class", positive=1)


def timed(fn, repeats: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_refresh(split, rules):
    def run():
        split.cache.clear()
        return studio.evaluate(split, rules)
    return run


def small(repeats: int) -> dict:
    from benchmarks import peers
    from sklearn.metrics import classification_report

    data = studio.load("creditcard-synthetic")
    split = data.split("Class", positive=1, test_size=0.5, seed=0)
    rules = ruleset()
    frame = data.fetch(f"SELECT * FROM {split.table} ORDER BY __rs_row")
    n = len(frame)
    print(f"dataset: {data.label}, {n:,} rows, {len(rules.rules)} rules; {split.describe()}")

    studio.evaluate(split, rules)  # warm-up
    refresh, _, ev = timed(full_refresh(split, rules), repeats)
    toggle, _, _ = timed(lambda: studio.evaluate(split, rules.toggle(3)), repeats)
    print(f"studio   full metrics refresh (train+test+all, per-rule, marginal, overlaps): "
          f"median {ms(refresh)} (n={repeats})")
    print(f"studio   refresh after enable/disable/reorder/relabel (no new query): median {ms(toggle)}")

    # The studio's own prediction, to check that every peer agrees with it.
    pred_sql = studio.engine.compile.prediction_sql(rules, data.schema).sql("duckdb")
    ours = data.con.execute(f"SELECT {pred_sql} FROM {split.table} ORDER BY __rs_row").fetchnumpy()
    ours = np.asarray(list(ours.values())[0])

    peer_rules = [(c, op, v, 1) for c, op, v in TEN_RULES]
    hl = peers.hulearn_predictor(peer_rules, 0)
    hl_predict, _, hl_pred = timed(lambda: hl(frame), max(3, repeats // 6))
    assert np.array_equal(np.asarray(hl_pred, dtype=np.int64), ours), "human-learn disagrees"

    # What a human-learn user runs to see the same numbers: predictions of the set and of the
    # set without each rule, and classification reports on train and test for each.
    def hulearn_equivalent():
        test = frame["__rs_test"].to_numpy() == 1
        y = frame["Class"].to_numpy()
        for without in [None, *range(len(peer_rules))]:
            subset = [r for i, r in enumerate(peer_rules) if i != without]
            p = np.asarray(peers.hulearn_predictor(subset, 0)(frame), dtype=np.int64)
            for side in (test, ~test):
                classification_report(y[side], p[side], output_dict=True, zero_division=0)
    hl_full, _, _ = timed(hulearn_equivalent, 1)

    s2p = peers.sklearn2pmml_predictor(peer_rules, 0, fit_df=frame.head(10))
    s2p_predict, _, s2p_pred = timed(lambda: s2p(frame), 1)
    assert np.array_equal(np.asarray(s2p_pred, dtype=np.int64), ours), "sklearn2pmml disagrees"

    print(f"human-learn CaseWhenRuler.predict, same rules and rows: median {ms(hl_predict)}  "
          f"-> studio full refresh is {hl_predict / refresh:,.1f}x faster")
    print(f"human-learn same numbers as one studio refresh (11 predicts + reports): {ms(hl_full)}  "
          f"-> {hl_full / refresh:,.0f}x")
    print(f"sklearn2pmml RuleSetClassifier.predict, same rules and rows: {ms(s2p_predict)} (n=1)  "
          f"-> studio full refresh is {s2p_predict / refresh:,.0f}x faster")
    print(f"predictions identical across studio, human-learn, sklearn2pmml: yes ({n:,} rows)")
    print(f"test precision/recall of the ten rules: {ev.test.metrics.positive.precision:.4f} / "
          f"{ev.test.metrics.positive.recall:.4f}")
    print(f"versions: {json.dumps(peers.versions())}")
    return {"refresh_ms": refresh * 1000, "hulearn_predict_ms": hl_predict * 1000,
            "sklearn2pmml_predict_ms": s2p_predict * 1000}


def large_input(rows: int) -> Path:
    """A Parquet file of ``rows`` distinct synthetic rows (same generator, fraud rate kept), made once."""
    path = studio.data.bundled.cache_dir() / f"creditcard-synthetic-{rows}-rows.parquet"
    if not path.exists():
        positives = round(studio.data.synthetic.N_POSITIVE / studio.data.synthetic.N_ROWS * rows)
        frame = studio.data.synthetic.generate(n_rows=rows, n_positive=positives, seed=rows)
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        con.register("frame", frame)  # written by DuckDB: row groups of 122,880 rows, as most writers do
        con.execute(f"COPY frame TO '{path.with_suffix('.tmp')}' (FORMAT parquet)")
        con.close()
        path.with_suffix(".tmp").replace(path)
    return path


def large(rows: int, repeats: int) -> None:
    """Runs in its own process so that its peak memory is its own."""
    source = large_input(rows)
    t0 = time.perf_counter()
    data = studio.Dataset.from_parquet(source, name=f"creditcard-synthetic {rows:,} rows", synthetic=True)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    split = data.split("Class", positive=1, test_size=0.5, seed=0)
    make_split = time.perf_counter() - t0
    rules = ruleset()
    studio.evaluate(split, rules)
    refresh, _, _ = timed(full_refresh(split, rules), repeats)
    mem = data.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
    print(f"large: {data.n_rows:,} rows loaded in {load:.1f} s, split stored in {make_split:.1f} s")
    print(f"studio   full metrics refresh, {data.n_rows:,} rows, 10 rules: median {ms(refresh)} (n={repeats})")
    print(f"peak memory of this process: {peak_rss_mib():,.0f} MiB (DuckDB holds {mem / 2**20:,.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--large-only", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    repeats = 9 if args.quick else 31
    if args.large_only:
        large(args.large_only, 5 if args.quick else 11)
        return
    small(repeats)
    rows = 2_000_000 if args.quick else args.rows
    subprocess.run([sys.executable, "-m", "benchmarks.bench_engine", "--large-only", str(rows)] + (["--quick"] if args.quick else []),
                   check=True)


if __name__ == "__main__":
    main()
