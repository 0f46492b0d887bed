"""The one quoting path: identifiers and literals built by sqlglot's expression builder.

Column names become quoted identifiers and values become literals, never pasted text, so
``a"; DROP TABLE t; --`` is just a column name and ``'); DROP`` just a string. Everything the
studio writes into SQL (DuckDB queries, exported SQL in every dialect, file paths in
``read_csv``) goes through these functions.
"""

from __future__ import annotations

from sqlglot import exp

from .schema import TEMPORAL, kind_of

_DOUBLE = exp.DataType.build("DOUBLE")


def column(name: str) -> exp.Column:
    """A quoted column reference."""
    return exp.Column(this=exp.Identifier(this=name, quoted=True))


def column_sql(name: str) -> str:
    """A quoted column reference as DuckDB text."""
    return column(name).sql("duckdb")


def string(text: str) -> exp.Literal:
    """A string literal."""
    return exp.Literal.string(str(text))


def string_sql(text: str) -> str:
    """A string literal as DuckDB text (a file path, say)."""
    return string(text).sql("duckdb")


def literal(value, duckdb_type: str | None = None) -> exp.Expression:
    """A SQL literal for a JSON scalar; temporal columns get a typed cast."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(str(value))
    if isinstance(value, float):
        return exp.Literal.number(repr(value))
    if duckdb_type is not None and kind_of(duckdb_type) == TEMPORAL:
        return exp.cast(exp.Literal.string(value), duckdb_type, dialect="duckdb")
    return exp.Literal.string(str(value))


def double(value: float) -> exp.Expression:
    """A double-precision constant that every engine reads as exactly ``float(value)``:
    ``CAST('<shortest decimal>' AS DOUBLE)`` (a bare ``0.1`` is a DECIMAL in DuckDB and Spark)."""
    return exp.Cast(this=exp.Literal.string(repr(float(value))), to=_DOUBLE.copy())


def as_double(expression: exp.Expression) -> exp.Expression:
    """``CAST(expression AS DOUBLE)``."""
    return exp.Cast(this=expression, to=_DOUBLE.copy())
