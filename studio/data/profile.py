"""Column profiles for the Data page and the rule form: types, missing values, ranges, top values."""

from __future__ import annotations

from dataclasses import dataclass

from .dataset import Dataset
from .quoting import column
from .schema import BOOLEAN, NUMERIC, STRING, TEMPORAL
from .tables import TABLE


EXACT_DISTINCT_ROWS = 1_000_000


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
    """One profile per column: missing count, distinct count (exact up to ``EXACT_DISTINCT_ROWS`` rows,
    DuckDB's estimate above), min, max, mean (numeric), most frequent values (text and boolean). One
    aggregate query for all columns."""
    schema = dataset.schema
    exact = dataset.n_rows <= EXACT_DISTINCT_ROWS
    parts = []
    for name, _ in schema.columns:
        col = column(name).sql("duckdb")
        kind = schema.kind(name)
        ordered = kind in (NUMERIC, TEMPORAL, STRING)
        parts += [f"count(*) - count({col})",
                  f"count(DISTINCT {col})" if exact else f"approx_count_distinct({col})",
                  f"min({col})" if ordered else "NULL", f"max({col})" if ordered else "NULL",
                  f"avg({col})" if kind == NUMERIC else "NULL"]
    with dataset.lock:
        values = dataset.con.execute(f"SELECT {', '.join(parts)} FROM {TABLE}").fetchone()
    out = []
    for i, (name, ctype) in enumerate(schema.columns):
        missing, distinct, lo, hi, mean = values[5 * i:5 * i + 5]
        kind = schema.kind(name)
        top = top_values(dataset, name, top_n) if kind in (STRING, BOOLEAN) else ()
        out.append(ColumnProfile(name, ctype, kind, int(missing), int(distinct or 0), lo, hi,
                                 None if mean is None else float(mean), top))
    return out


def top_values(dataset: Dataset, name: str, limit: int = 20) -> tuple[tuple[object, int], ...]:
    col = column(name).sql("duckdb")
    with dataset.lock:
        rows = dataset.con.execute(
            f"SELECT {col}, count(*) AS n FROM {TABLE} WHERE {col} IS NOT NULL "
            f"GROUP BY 1 ORDER BY n DESC, 1 LIMIT {int(limit)}").fetchall()
    return tuple((v, int(n)) for v, n in rows)
