"""Exact sums of an amount column in DuckDB, shared by the counting query, the amount-weighted
figures and the backtest: NULL and NaN count as 0, and amounts are summed as decimals with 10 places
(exact in any order, so the figures do not depend on how DuckDB's threads add rows up)."""

from __future__ import annotations

import duckdb

from ..data.connection import duckdb_message
from ..data.quoting import column_sql
from ..errors import DataError

EXACT = "DECIMAL(38, 10)"


def amount_sql(column: str) -> str:
    """The amount of a row as DOUBLE, NULL and NaN as 0."""
    x = f"CAST({column_sql(column)} AS DOUBLE)"
    return f"coalesce(CASE WHEN isnan({x}) THEN NULL ELSE {x} END, 0)"


def grouped_rows(con, sql: str, what: str, params: list | None = None) -> list[tuple]:
    """The rows of an aggregate over the split (the caller holds the connection's lock); DuckDB's
    trouble said in one line, naming ``what`` could not be computed."""
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.InterruptException:
        raise
    except duckdb.Error as err:
        raise DataError(f"{what} cannot be computed: {duckdb_message(err)}") from None
