"""A synthetic stand-in for the public credit-card fraud table (SYNTHETIC data).

Same schema as the public file (Time, V1..V28, Amount, Class), same size
(284,807 rows, 492 frauds). Legitimate rows are independent normals with the
public data's per-component spreads; each fraud gets a latent severity that
shifts the components the public data separates best (V14, V17, V12, V10, V11,
V4, V3, and more weakly others) towards their fraud means, so that, as in the
public data, some frauds are obvious and some look ordinary, and the strong
components are correlated among frauds. A few legitimate rows look suspicious,
so simple threshold rules trade precision for recall as they do on the real data.

The numbers are made up; nothing here is a real transaction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_ROWS = 284_807
N_POSITIVE = 492
SEED = 20130901
VERSION = 1

# Spread of each PCA component among legitimate rows (decreasing, as PCA output is).
_SPREAD = np.array([1.93, 1.64, 1.46, 1.40, 1.36, 1.31, 1.19, 1.16, 1.09, 1.04, 0.99, 0.95, 0.99,
                    0.90, 0.91, 0.84, 0.75, 0.82, 0.81, 0.76, 0.72, 0.72, 0.61, 0.60, 0.52, 0.48,
                    0.39, 0.32])
# Mean of each component among frauds (zero where the public data barely moves).
_FRAUD_MEAN = np.zeros(28)
for _name, _mean in {"V1": -4.8, "V2": 3.6, "V3": -7.0, "V4": 4.5, "V5": -3.2, "V6": -1.4,
                     "V7": -5.6, "V9": -2.6, "V10": -5.7, "V11": 3.8, "V12": -6.3, "V14": -7.0,
                     "V16": -4.1, "V17": -6.7, "V18": -2.2, "V19": 0.7, "V21": 0.7}.items():
    _FRAUD_MEAN[int(_name[1:]) - 1] = _mean
# Extra spread among frauds (beyond what the severity gives).
_FRAUD_SPREAD = np.where(_FRAUD_MEAN != 0, 1.6, 1.0) * _SPREAD


def generate(n_rows: int = N_ROWS, n_positive: int = N_POSITIVE, seed: int = SEED) -> pd.DataFrame:
    """The synthetic table as a DataFrame, sorted by Time like the public file."""
    if not 0 < n_positive < n_rows:
        raise ValueError("need 0 < n_positive < n_rows")
    rng = np.random.Generator(np.random.PCG64(seed))
    n_neg = n_rows - n_positive

    v = rng.standard_normal((n_rows, 28)) * _SPREAD
    is_fraud = np.zeros(n_rows, dtype=bool)
    is_fraud[rng.choice(n_rows, size=n_positive, replace=False)] = True

    # Frauds: a quarter are subtle, the rest clearly shifted; severity is shared across components.
    subtle = rng.random(n_positive) < 0.25
    severity = np.where(subtle, rng.uniform(0.0, 0.35, n_positive), rng.lognormal(0.0, 0.45, n_positive))
    fraud_noise = rng.standard_normal((n_positive, 28)) * _FRAUD_SPREAD
    v[is_fraud] = severity[:, None] * _FRAUD_MEAN + fraud_noise

    # A few legitimate rows look like mild fraud (the false positives a threshold rule meets).
    legit = np.flatnonzero(~is_fraud)
    odd = legit[rng.random(n_neg) < 0.0008]
    v[odd] = rng.uniform(0.35, 0.9, (len(odd), 1)) * _FRAUD_MEAN + rng.standard_normal((len(odd), 28)) * _SPREAD

    # Time: seconds over two days with a night-time dip for legitimate traffic; frauds come any time.
    hours = np.concatenate([rng.uniform(0, 48, n_rows)])
    day_weight = 0.25 + 0.75 * (np.sin((hours % 24 - 6) / 24 * 2 * np.pi) > -0.3)
    keep = rng.random(n_rows) < day_weight
    hours = np.where(keep | is_fraud, hours, rng.uniform(8, 22, n_rows) + 24 * (hours >= 24))
    time = np.floor(hours * 3600).clip(0, 172_792)

    amount = np.where(is_fraud,
                      np.where(rng.random(n_rows) < 0.45, rng.uniform(0, 2, n_rows),
                               rng.lognormal(4.6, 1.4, n_rows)),
                      rng.lognormal(3.1, 1.5, n_rows))
    amount = np.round(np.clip(amount, 0, 25_691.16), 2)

    frame = pd.DataFrame(np.round(v, 6), columns=[f"V{i}" for i in range(1, 29)])
    frame.insert(0, "Time", time)
    frame["Amount"] = amount
    frame["Class"] = is_fraud.astype(np.int64)
    order = np.argsort(time, kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def parquet_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / f"creditcard-synthetic-v{VERSION}.parquet"


def ensure_parquet(cache_dir: Path) -> Path:
    """Write the synthetic table to Parquet in ``cache_dir`` on first use; return its path."""
    path = parquet_path(cache_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        generate().to_parquet(tmp, index=False)
        tmp.replace(path)
    return path
