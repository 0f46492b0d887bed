"""Threshold scan speed: every one-threshold rule of every numeric column, counted on the train split.

    .venv/bin/python -m benchmarks.bench_mining [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time


import studio
from studio import mining


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    data = studio.load("creditcard-synthetic")
    split = data.split("Class", positive=1, test_size=0.5, seed=0)
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        scan = mining.scan_thresholds(split, bins=256)
        ranked = mining.score(scan, "f1")
        times.append(time.perf_counter() - t0)
    cols = ranked["column"].nunique()
    median = statistics.median(times)
    print(f"studio   threshold scan, {split.counts['train']['0'] + split.counts['train']['1']:,} train rows, "
          f"{cols} numeric columns x up to 255 thresholds x 2 directions = {len(ranked):,} candidates scored: "
          f"median {median * 1000:,.0f} ms (min {min(times) * 1000:,.0f}, n={args.repeats}) "
          f"= {len(ranked) / median:,.0f} candidates/s")


if __name__ == "__main__":
    main()
