"""Exact sums of an amount column in DuckDB, shared by the counting query, the amount-weighted
figures and the backtest: NULL and NaN count as 0, and amounts are summed as decimals with 10 places
(exact in any order, so the figures do not depend on how DuckDB's threads add rows up)."""

from __future__ import annotations

from ..data.quoting import column_sql

EXACT = "DECIMAL(38, 10)"


def amount_sql(column: str) -> str:
    """The amount of a row as DOUBLE, NULL and NaN as 0."""
    x = f"CAST({column_sql(column)} AS DOUBLE)"
    return f"coalesce(CASE WHEN isnan({x}) THEN NULL ELSE {x} END, 0)"
