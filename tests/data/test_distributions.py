"""The Data page's small histograms on columns holding NaN and infinities: drawn over the finite
values (the bins worked out in numpy), never a failing query."""

import math

import numpy as np
import pandas as pd

import studio
from studio.data.preview import BINS, distributions
from studio.data.profile import profile


def bins_of(values: np.ndarray) -> list[int]:
    finite = values[np.isfinite(values)]
    lo, hi = finite.min(), finite.max()
    width = (hi - lo) / BINS or 1.0
    index = np.clip(np.floor((finite - lo) / width).astype(int), 0, BINS - 1)
    return [int(c) for c in np.bincount(index, minlength=BINS)]


def test_nan_and_infinities_are_left_out_of_the_histogram():
    rng = np.random.default_rng(4)
    x = rng.normal(size=500)
    x[::17], x[5::31], x[7::43] = np.nan, np.inf, -np.inf
    plain = rng.uniform(3, 9, size=500)
    only_odd = np.where(np.arange(500) % 2 == 0, np.nan, np.inf)
    frame = pd.DataFrame({"x": x, "plain": plain, "only_odd": only_odd, "y": np.arange(500) % 3 == 0})
    dataset = studio.Dataset.from_dataframe(frame)
    got = distributions(dataset, {p.name: p for p in profile(dataset)})
    assert got["x"] == bins_of(x)
    assert sum(got["x"]) == int(np.isfinite(x).sum())
    assert got["plain"] == bins_of(plain)
    assert "only_odd" not in got or got["only_odd"] == []
    assert not any(math.isnan(v) for counts in got.values() for v in counts)
