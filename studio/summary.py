"""Column profiles for the data page and the rule form: types, missing values, ranges, top values."""

from __future__ import annotations

from dataclasses import dataclass

from .compile import column
from .datasets import TABLE, Dataset
from .schema import BOOLEAN, NUMERIC, STRING, TEMPORAL


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    type: str
    kind: str
    missing: int
    distinct: int
    min: object
    max: object
    mean: float | None
    top: tuple[tuple[object, int], ...]  # most frequent values (non-numeric columns)


def profile(dataset: Dataset, top_n: int = 20) -> list[ColumnProfile]:
    """One profile per column, from DuckDB's SUMMARIZE plus exact missing counts and top values."""
    schema = dataset.schema
    with dataset.lock:
        cur = dataset.con.execute(f"SUMMARIZE {TABLE}")
        names = [d[0] for d in cur.description]
        summary = {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
        counts = dataset.con.execute(
            "SELECT " + ", ".join(f"count(*) - count({column(c).sql('duckdb')})" for c in schema.names)
            + f" FROM {TABLE}").fetchone()
    out = []
    for (name, ctype), missing in zip(schema.columns, counts):
        s = summary.get(name)
        kind = schema.kind(name)
        mean = None
        if kind == NUMERIC and s is not None and s["avg"] is not None:
            mean = float(s["avg"])
        lo, hi = (s["min"], s["max"]) if s is not None else (None, None)
        if kind == NUMERIC and lo is not None:
            lo, hi = _number(lo), _number(hi)
        top = top_values(dataset, name, top_n) if kind in (STRING, BOOLEAN) else ()
        out.append(ColumnProfile(name, ctype, kind, int(missing), int(s["approx_unique"] or 0) if s is not None else 0,
                                 lo, hi, mean, top))
    return out


def top_values(dataset: Dataset, name: str, limit: int = 20) -> tuple[tuple[object, int], ...]:
    col = column(name).sql("duckdb")
    with dataset.lock:
        rows = dataset.con.execute(
            f"SELECT {col}, count(*) AS n FROM {TABLE} WHERE {col} IS NOT NULL "
            f"GROUP BY 1 ORDER BY n DESC, 1 LIMIT {int(limit)}").fetchall()
    return tuple((v, int(n)) for v, n in rows)


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    return int(value) if value.is_integer() and "." not in str(text) and "e" not in str(text).lower() else value


KIND_OPERATORS = {
    NUMERIC: ("<", "<=", ">", ">=", "==", "!=", "between", "is null", "is not null"),
    STRING: ("==", "!=", "in", "not in", "is null", "is not null"),
    BOOLEAN: ("==", "!=", "is null", "is not null"),
    TEMPORAL: ("<", "<=", ">", ">=", "between", "is null", "is not null"),
}


def operators_for(kind: str) -> tuple[str, ...]:
    """The operators that make sense for a column kind."""
    return KIND_OPERATORS.get(kind, ("is null", "is not null"))
