"""Time to train the Suggest page's ML baseline (fit on train, score every test row), median of a
few runs, on tables of census size with text columns:

- the UCI bank marketing table shipped in ``data/bank-marketing`` (45,211 rows, 16 features, 9 text);
- a generated table shaped like the UCI adult census table (50,000 rows, 6 numeric and 9 text
  columns with 2 to 42 values each, as adult's), whose label depends on a few of them.

    .venv/bin/python -m benchmarks.bench_baseline [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

import studio
from studio.mining.baseline import MODELS, fit_baseline

TEXT_VALUES = (2, 5, 6, 7, 9, 15, 16, 21, 42)  # adult's sex, race, relationship, ..., native_country


def adult_shaped(rows: int = 50_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({f"num{i}": rng.normal(size=rows).round(2) for i in range(6)})
    for i, k in enumerate(TEXT_VALUES):
        frame[f"text{i}"] = rng.choice([f"value {j}" for j in range(k)], rows, p=np.arange(k, 0, -1) / (k * (k + 1) / 2))
    score = frame["num0"] + (frame["text4"] == "value 3") + 0.5 * (frame["text8"] == "value 0") + rng.normal(size=rows)
    frame["income"] = np.where(score > 1.2, ">50K", "<=50K")
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    tables = {"bank marketing (45,211 x 16, real)": studio.load("bank-marketing").split("y", positive="yes"),
              "adult-shaped (50,000 x 15, generated)": studio.Dataset.from_dataframe(
                  adult_shaped(), name="adult-shaped").split("income", positive=">50K")}
    for name, split in tables.items():
        for model in MODELS:
            total, fit = [], []
            for _ in range(args.repeats):
                start = time.perf_counter()
                base = fit_baseline(split, model)
                total.append(time.perf_counter() - start)
                fit.append(base.fit_seconds)
            print(f"ML baseline, {name}, {model}: {statistics.median(total):.2f} s to train and score "
                  f"(fit {statistics.median(fit):.2f} s) on {base.train_rows:,} train rows, median of {args.repeats}; "
                  f"target <= 10 s; test average precision {base.average_precision():.4f}")


if __name__ == "__main__":
    main()
