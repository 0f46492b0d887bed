"""Which columns separate the classes: each column alone as a score, its ROC AUC on the drawn
train rows (for text, with values ordered by their positive rate); the best are drawn first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.quoting import column_sql
from ..data.schema import NUMERIC
from ..data.split import Split
from .sample import Sample, drawable_columns


@dataclass(frozen=True)
class Separation:
    """How well one column alone separates positives from the rest on ``sample``:
    ``auc`` (ROC AUC of the column as a score; for text, with values ordered by their
    positive rate) and ``score`` = |2 AUC - 1| (0: no separation, 1: perfect)."""

    column: str
    kind: str
    auc: float | None
    score: float


def separation(split: Split, sample: Sample) -> list[Separation]:
    """Every drawable column, best separating first. Computed by DuckDB over the sample's rows,
    where the negatives are a uniform draw, so each AUC is an unbiased estimate of the train one."""
    schema = split.dataset.schema
    con = split.dataset.con
    frame = sample.frame
    numeric = [c for c in drawable_columns(split) if schema.kind(c) == NUMERIC]
    other = [c for c in drawable_columns(split) if schema.kind(c) != NUMERIC]
    out: dict[str, float | None] = {}
    with split.dataset.lock:
        if hasattr(con, "complete"):  # DuckDB 2: a result read with fetchone() is still open; register needs none
            con.complete()
        con.register("__rs_sample", frame)
        try:
            if numeric:
                out.update(_numeric_auc(con, numeric, split.positive))
            for name in other:
                out[name] = _categorical_auc(con, name, split.positive)
        finally:
            con.unregister("__rs_sample")
    result = [Separation(c, schema.kind(c), out.get(c), abs(2 * out[c] - 1) if out.get(c) is not None else 0.0)
              for c in drawable_columns(split)]
    return sorted(result, key=lambda s: -s.score)


def _numeric_auc(con, names: list[str], positive: str) -> dict[str, float | None]:
    aliases = {f"c{i}": n for i, n in enumerate(names)}
    cols = ", ".join(f"{column_sql(n)} AS {a}" for a, n in aliases.items())
    sql = f"""
        WITH t AS (SELECT {cols}, (__rs_label = ?)::INTEGER AS p FROM __rs_sample),
        u AS (UNPIVOT t ON {', '.join(aliases)} INTO NAME col VALUE v),
        g AS (SELECT col, v, sum(p) AS pos, count(*) - sum(p) AS neg FROM u GROUP BY ALL),
        w AS (SELECT col, pos, neg, coalesce(sum(neg) OVER (PARTITION BY col ORDER BY v
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM g)
        SELECT col, sum(pos * (below + 0.5 * neg)), sum(pos), sum(neg) FROM w GROUP BY col"""
    out: dict[str, float | None] = {n: None for n in names}
    for alias, wins, pos, neg in con.execute(sql, [positive]).fetchall():
        out[aliases[alias]] = float(wins) / (float(pos) * float(neg)) if pos and neg else None
    return out


def _categorical_auc(con, name: str, positive: str) -> float | None:
    rows = con.execute(f"SELECT {column_sql(name)}::VARCHAR, sum((__rs_label = ?)::INTEGER), "
                       f"count(*) - sum((__rs_label = ?)::INTEGER) FROM __rs_sample "
                       f"WHERE {column_sql(name)} IS NOT NULL GROUP BY 1", [positive, positive]).fetchall()
    pos = np.array([r[1] for r in rows], dtype=float)
    neg = np.array([r[2] for r in rows], dtype=float)
    if pos.sum() == 0 or neg.sum() == 0:
        return None
    rate = pos / (pos + neg)  # order values by their positive rate: the best a value ordering can do
    auc = 0.0
    for r in np.unique(rate):
        at = rate == r
        auc += pos[at].sum() * (neg[rate < r].sum() + 0.5 * neg[at].sum())
    return float(auc / (pos.sum() * neg.sum()))


def default_columns(separations: list[Separation], k: int = 8) -> list[str]:
    """The ``k`` columns that separate the classes best (wide tables stay readable)."""
    return [s.column for s in separations[:k]]
