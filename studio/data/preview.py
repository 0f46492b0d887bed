"""Looking at the rows of a dataset: the first rows, a seeded random sample and each column's
distribution, a page at a time from DuckDB (never the whole table into pandas)."""

from __future__ import annotations

import math

from .dataset import Dataset
from .quoting import column_sql
from .schema import NUMERIC
from ..errors import DataError
from .tables import TABLE

MAX_PAGE = 1_000
BINS = 20


def _page_args(limit: int, offset: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise DataError(f"a page holds 1 to {MAX_PAGE:,} rows, not {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise DataError(f"a page starts at row 0 or later, not {offset!r}")


def _own(dataset: Dataset) -> str:
    """The dataset's own columns (``data`` also holds the split's)."""
    return ", ".join(column_sql(c) for c in dataset.columns)


def first_rows(dataset: Dataset, limit: int = 20, offset: int = 0):
    """Rows ``offset`` to ``offset + limit`` in file order, as a small DataFrame."""
    _page_args(limit, offset)
    with dataset.lock:
        return dataset.con.execute(f"SELECT {_own(dataset)} FROM {TABLE} ORDER BY rowid LIMIT {limit} OFFSET {offset}").df()


def sample_rows(dataset: Dataset, seed: int = 0, limit: int = 20, offset: int = 0):
    """A page of the rows in a seeded random order (the same seed, the same order), each with its row
    number in the file (``row``, from 1)."""
    _page_args(limit, offset)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2 ** 31:
        raise DataError(f"the seed is a whole number from 0 to {2 ** 31 - 1}, not {seed!r}")
    with dataset.lock:
        frame = dataset.con.execute(
            f"SELECT rowid + 1 AS __row, {_own(dataset)} FROM {TABLE} ORDER BY hash(rowid, {seed}), rowid "
            f"LIMIT {limit} OFFSET {offset}").df()
    name = "row"
    while name in frame.columns:
        name = "_" + name
    return frame.rename(columns={"__row": name})


def _finite_bounds(dataset: Dataset, names: list[str]) -> dict[str, tuple[float, float]]:
    """The least and greatest finite value of each column (NaN and infinities left out)."""
    parts = []
    for name in names:
        x = f"CAST({column_sql(name)} AS DOUBLE)"
        parts.append(f"min({x}) FILTER (WHERE isfinite({x})), max({x}) FILTER (WHERE isfinite({x}))")
    with dataset.lock:
        row = dataset.con.execute(f"SELECT {', '.join(parts)} FROM {TABLE}").fetchone()
    return {n: (row[2 * i], row[2 * i + 1]) for i, n in enumerate(names) if row[2 * i] is not None}


def distributions(dataset: Dataset, profiles: dict, bins: int = BINS) -> dict[str, list[int]]:
    """Per column, a small distribution to draw: rows per equal-width bin between the column's least
    and greatest finite value for numbers (NaN and infinities are not drawn), rows of the most frequent
    values otherwise (from the profiles). One query (two when a column holds NaN or infinities)."""
    numbers = {name: p for name, p in profiles.items() if p.kind == NUMERIC and p.min is not None and p.max is not None}
    bounds = {name: (float(p.min), float(p.max)) for name, p in numbers.items()}
    odd = [name for name, (lo, hi) in bounds.items() if not (math.isfinite(lo) and math.isfinite(hi))]
    if odd:
        finite = _finite_bounds(dataset, odd)
        bounds = {name: finite.get(name) if name in odd else b for name, b in bounds.items()}
    parts, names = [], []
    for name, b in bounds.items():
        if b is None:  # no finite value at all
            continue
        lo, hi = b
        width = (hi - lo) / bins or 1.0
        x = f"CAST({column_sql(name)} AS DOUBLE)"
        parts.append(f"histogram(CASE WHEN isfinite({x}) THEN least(greatest(CAST(floor(({x} - CAST({lo!r} AS DOUBLE)) "
                     f"/ CAST({width!r} AS DOUBLE)) AS INTEGER), 0), {bins - 1}) END)")
        names.append(name)
    out = {name: [int(c) for _, c in p.top[:10]] for name, p in profiles.items() if p.top}
    if parts:
        with dataset.lock:
            values = dataset.con.execute(f"SELECT {', '.join(parts)} FROM {TABLE}").fetchone()
        for name, hist in zip(names, values):
            counts = dict(hist or {})
            out[name] = [int(counts.get(b, 0)) for b in range(bins)]
    return out
