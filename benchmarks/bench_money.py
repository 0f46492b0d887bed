"""What a fraud team's figures cost on top of the plain refresh: the full metrics refresh alone, and
with the amount-weighted figures (``Amount``, review cost 5) and the backtest by period (``Time``, 8
buckets, all rows) added (the metrics' one counting query also sums the amounts and counts the
periods, as the studio does when both are shown), on the synthetic credit-card data (284,807 rows) and on 10 million
generated rows of the same shape; the same ten rules as ``bench_engine``. Before each timed
refresh the split's counts are forgotten, as after a rule change, so every run re-reads the data;
what a split learns once (a time column's range, that an amount column holds no negative values)
stays, as it does in the studio.

    .venv/bin/python -m benchmarks.bench_money [--rows 10000000] [--repeats 21]
"""

from __future__ import annotations

import argparse
import statistics
import time

import studio
from studio.engine.backtest import backtest, period_extras
from studio.engine.money import MoneySettings, money

from benchmarks.bench_engine import large_input, ruleset


SPLIT_FACTS = ("period", "amount column")  # what a split knows once (a time column's range, an amount column
# checked): a refresh after a rule change reuses them, and so does this benchmark


def forget_counts(split) -> None:
    """As after a rule change: every count is computed again; the split's own facts stay."""
    for key in [k for k in split.cache if not (isinstance(k, tuple) and k and k[0] in SPLIT_FACTS)]:
        del split.cache[key]


def medians(split, rules, repeats: int) -> tuple[float, float]:
    settings = MoneySettings("Amount", review_cost=5.0)

    def plain():
        forget_counts(split)
        studio.evaluate(split, rules)

    def with_money():  # as the studio refreshes: the metrics' query also sums amounts and counts periods
        forget_counts(split)
        extras = period_extras(split, "Time", "8", "Amount")[0]
        studio.evaluate(split, rules, extras=extras)
        money(split, rules, settings, extras)
        backtest(split, rules, "Time", "8", amount="Amount")

    plain(), with_money()  # warm-up
    a, b = [], []
    for _ in range(repeats):  # interleaved, so that both meet the same machine
        for fn, out in ((plain, a), (with_money, b)):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return statistics.median(a), statistics.median(b)


def report(label: str, split, repeats: int) -> None:
    plain, full = medians(split, ruleset(), repeats)
    print(f"{label}: full refresh {plain * 1000:,.1f} ms; with amounts and backtest by period "
          f"{full * 1000:,.1f} ms (x{full / plain:.2f}), medians of {repeats}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    data = studio.load("creditcard-synthetic")
    report(f"{data.label}, {data.n_rows:,} rows, 10 rules", data.split("Class", positive=1), args.repeats)
    big = studio.Dataset.from_parquet(large_input(args.rows), name=f"{args.rows:,} rows", synthetic=True)
    report(f"generated credit-card-shaped data, {big.n_rows:,} rows, 10 rules", big.split("Class", positive=1),
           max(5, args.repeats // 3))


if __name__ == "__main__":
    main()
