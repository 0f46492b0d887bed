"""The same evaluation on Apache Spark (local mode) and in DuckDB, on generated credit-card-shaped
Parquet with a key column: time from the file to the report, the ratio, and the two reports equal.

    .venv/bin/python -m benchmarks.bench_spark                 # 10 million rows
    .venv/bin/python -m benchmarks.bench_spark --rows 1000000

DuckDB: load the file, split by the key, evaluate ten rules (what the studio does on open).
Spark: the counting query on the file, split by the same key (``evaluate_spark``), in a local
session with every core of this machine; the session's start is not counted. Medians of --repeats.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import duckdb

import studio
from studio.engine.spark import evaluate_spark

from benchmarks.bench_engine import large_input, ruleset

KEY = "tx_id"


def keyed_input(rows: int):
    """The generated file with a unique key, not in row order (an odd multiplier modulo 2^40)."""
    source = large_input(rows)
    path = source.with_name(source.stem + "-keyed.parquet")
    if not path.exists():
        con = duckdb.connect()
        con.execute(f"COPY (SELECT (file_row_number * 2654435761) % 1099511627776 AS {KEY}, * EXCLUDE (file_row_number) "
                    f"FROM read_parquet('{source}', file_row_number = true)) TO '{path.with_suffix('.tmp')}' "
                    "(FORMAT parquet)")
        con.close()
        path.with_suffix(".tmp").replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = keyed_input(args.rows)
    rules = ruleset()

    def on_duckdb():
        data = studio.Dataset.from_parquet(path, name="keyed", synthetic=True)
        report = studio.evaluate(data.split("Class", positive=1, key=KEY), rules)
        data.close()
        return report

    from pyspark.sql import SparkSession
    cores = os.cpu_count() or 1
    spark = (SparkSession.builder.master(f"local[{cores}]").appName("bench-spark")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "8g")
             .config("spark.sql.shuffle.partitions", str(2 * cores)).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")

    def on_spark():
        return evaluate_spark(spark, spark.read.parquet(str(path)), rules, key=KEY, target="Class", positive=1)

    times = {}
    reports = {}
    for name, run in (("DuckDB", on_duckdb), ("Spark local", on_spark)):
        runs = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            reports[name] = run()
            runs.append(time.perf_counter() - t0)
        times[name] = statistics.median(runs)
    same = all(reports["DuckDB"].to_dict()[side] == reports["Spark local"].to_dict()[side]
               for side in ("train", "test", "all"))
    rows = sum(reports["DuckDB"].split.counts["train"].values()) + sum(reports["DuckDB"].split.counts["test"].values())
    print(f"{rows:,} rows, 10 rules, split by {KEY}, file to report, medians of {args.repeats} ({cores} cores):")
    print(f"  DuckDB (load, split, evaluate): {times['DuckDB']:.1f} s")
    print(f"  Spark local mode (evaluate_spark): {times['Spark local']:.1f} s  "
          f"(x{times['Spark local'] / times['DuckDB']:.1f} DuckDB's time)")
    print(f"  the two reports are {'equal' if same else 'DIFFERENT'}")
    spark.stop()


if __name__ == "__main__":
    main()
