"""Counting single comparisons of a number column (``V14 < -8``) from DuckDB's histograms instead of
testing each: one histogram per column over every bound t and the double just below it gives, for
every comparison on that column at once, how many values are at or below t and below t; each
operator's count follows from those (its ``cdf`` in the registry). Exact: the column and the bound
are compared as doubles only where the column's type holds every value exactly as a double."""

from __future__ import annotations

import math

import numpy as np

from ..data.schema import NUMERIC, Schema
from ..rules import operators
from ..rules.condition import Condition
from .compile import coordinate

# Types whose every value is exactly a double (BIGINT is not: it holds integers above 2**53).
EXACT_IN_DOUBLE = ("FLOAT", "REAL", "FLOAT4", "DOUBLE", "FLOAT8", "TINYINT", "SMALLINT", "INTEGER", "UTINYINT",
                   "USMALLINT", "UINTEGER", "INT1", "INT2", "INT4", "INT", "SHORT")


def single_comparison(when: tuple[Condition, ...], schema: Schema) -> bool:
    """One comparison (an operator with a ``cdf``) of a number column whose values and bound a double
    holds exactly."""
    if len(when) != 1:
        return False
    c = when[0]
    return (operators.known(c.op) and operators.get(c.op).cdf is not None and c.column in schema
            and schema.kind(c.column) == NUMERIC and schema.type_of(c.column).upper() in EXACT_IN_DOUBLE
            and isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
            and math.isfinite(c.value) and abs(c.value) < 2 ** 53)


def value_sql(name: str) -> str:
    """A number column as counted: DOUBLE, NaN as missing."""
    return coordinate(name, None).sql("duckdb")


def bounds_of(conds: list[Condition]) -> dict[str, list[float]]:
    """Per column, the sorted histogram bounds its comparisons need: each t and the double below it."""
    bounds: dict[str, set[float]] = {}
    for c in conds:
        t = float(c.value)
        bounds.setdefault(c.column, set()).update((t, math.nextafter(t, -math.inf)))
    return {name: sorted(values) for name, values in bounds.items()}


def histogram_sql(bounds: dict[str, list[float]]) -> list[str]:
    """One ``histogram(column, bounds)`` aggregate per column."""
    return [f"histogram({value_sql(n)}, [{', '.join(repr(b) for b in b_)}]::DOUBLE[])" for n, b_ in bounds.items()]


def cumulative(hist, edges) -> tuple[np.ndarray, int]:
    """(rows at or below each edge, all rows), from DuckDB's histogram over those edges: bin e holds
    the values above the previous edge and up to e; values above the last edge fall in one more bin."""
    counts = {float(k): int(v) for k, v in (hist or {}).items()}
    per_edge = np.array([counts.get(float(e), 0) for e in edges], dtype=np.int64)
    return np.cumsum(per_edge), sum(counts.values())


def count(cond: Condition, edges, below: np.ndarray, total):
    """The rows ``cond`` holds for, from the cumulative histogram of its column; or, from cumulative
    sums of a quantity over the same bins, that quantity's sum over those rows (the ``cdf`` is linear)."""
    t = float(cond.value)
    at = below[np.searchsorted(edges, t)]                               # v <= t
    under = below[np.searchsorted(edges, math.nextafter(t, -math.inf))]  # v < t
    return operators.get(cond.op).cdf(at, under, total)
