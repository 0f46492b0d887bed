"""Evaluation time as the rule count grows: single-condition rules (random thresholds on random
columns, so nearly every row matches its own combination of rules) on the 284,807-row synthetic
credit-card table. Each size is timed cold (a new rule set: the rules are compiled, the query runs)
and warm (the same rule set again after its numbers were dropped from the cache).

    .venv/bin/python -m benchmarks.bench_rule_count [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import studio
from studio.rules import rule


def rules_of(split, n: int, seed: int, tail: bool = False) -> studio.RuleSet:
    """``n`` rules ``column > t`` / ``column < t``: t drawn around the middle of the data (each rule
    holds for about half the rows), or with ``tail`` far out (each holds for a few rows)."""
    rng = np.random.default_rng(seed)
    columns = split.features
    made = []
    for k in range(n):
        spread = rng.uniform(3.0, 5.0) if tail else rng.normal() * 2
        made.append(rule((columns[k % len(columns)], ">" if k % 2 else "<",
                          float(np.round(spread if k % 2 else -spread, 3))), then=1))
    return studio.ruleset(made, default=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    print(f"data: {split.dataset.label}, {split.dataset.n_rows:,} rows; single-condition rules, random thresholds")
    for tail in (False, True):
        kind = "thresholds in the tails, each rule holds for a few rows" if tail else \
            "thresholds near the middle, each rule holds for about half the rows"
        print(kind + ":")
        report(split, args.repeats, tail)


def report(split, repeats: int, tail: bool) -> None:
    medians = {}
    for n in (250, 500, 1000, 2000):
        cold, warm = [], []
        for k in range(repeats):
            rules = rules_of(split, n, seed=1000 * n + k, tail=tail)
            start = time.perf_counter()
            studio.evaluate(split, rules)
            cold.append(time.perf_counter() - start)
            split.cache.clear()
            start = time.perf_counter()
            studio.evaluate(split, rules)
            warm.append(time.perf_counter() - start)
        medians[n] = statistics.median(cold)
        print(f"studio   evaluate {n:>5,} rules, {split.dataset.n_rows:,} rows: median {medians[n]:.2f} s cold "
              f"(min {min(cold):.2f}), {statistics.median(warm):.2f} s with the rules compiled (n={repeats})")
    sizes = sorted(medians)
    for a, b in zip(sizes, sizes[1:]):
        print(f"         {a:>5,} -> {b:>5,} rules ({b / a:.0f}x): time x{medians[b] / medians[a]:.2f}")
    print(f"target: 2,000 rules <= 2 s: {'met' if medians[2000] <= 2.0 else 'NOT met'} ({medians[2000]:.2f} s)")


if __name__ == "__main__":
    main()
