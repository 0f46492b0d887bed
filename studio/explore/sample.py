"""The rows the exploration views draw: train rows only (the held-out rows judge every rule), an
imbalance-aware sample (every positive, N negatives, seeded) that never exceeds
:data:`MAX_POINTS` rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..data.quoting import column_sql
from ..data.schema import BOOLEAN, NUMERIC, STRING
from ..data.split import Split
from ..data.tables import ROW
from ..engine.compile import coordinate

MAX_POINTS = 50_000
DEFAULT_NEGATIVES = 5_000


def value_sql(name: str, kind: str) -> str:
    """The column as drawn: numbers as DOUBLE with NaN as NULL (as a polygon condition reads them),
    other kinds as they are."""
    if kind == NUMERIC:
        return coordinate(name, None).sql("duckdb")
    return column_sql(name)


def drawable_columns(split: Split) -> list[str]:
    """Features a chart can draw: numbers, text and booleans."""
    schema = split.dataset.schema
    return [c for c in split.features if schema.kind(c) in (NUMERIC, STRING, BOOLEAN)]


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


@dataclass(frozen=True)
class Sample:
    """Train rows drawn for the views: ``frame`` has ``__rs_row``, ``__rs_label`` and the features."""

    frame: pd.DataFrame
    positives: int            # positives drawn
    negatives: int            # negatives drawn
    train_positives: int      # positives in the train split
    train_negatives: int
    seed: int

    @cached_property
    def ranges(self) -> dict[str, tuple[float, float]]:
        """(min, max) of every drawn numeric column that has values."""
        return {name: (float(self.frame[name].min()), float(self.frame[name].max()))
                for name in self._drawn() if _is_number(self.frame[name]) and self.frame[name].notna().any()}

    @cached_property
    def categories(self) -> dict[str, list]:
        """The distinct values of every drawn text or boolean column."""
        return {name: sorted(self.frame[name].dropna().unique().tolist(), key=str)
                for name in self._drawn() if not _is_number(self.frame[name])}

    def _drawn(self) -> list[str]:
        return [c for c in self.frame.columns if c not in (ROW, "__rs_label")]

    def describe(self) -> str:
        pos = ("all" if self.positives == self.train_positives else f"{self.positives:,} of") \
            + f" {self.train_positives:,} positives"
        return (f"{len(self.frame):,} train rows drawn: {pos} and {self.negatives:,} of "
                f"{self.train_negatives:,} negatives (seed {self.seed}). Test rows are never shown.")


def train_sample(split: Split, negatives: int = DEFAULT_NEGATIVES, seed: int = 0,
                 max_points: int = MAX_POINTS) -> Sample:
    """Every positive train row plus ``negatives`` others chosen by a seeded hash, at most
    ``max_points`` rows in all. Should the positives alone not fit, they are subsampled the same
    way and the negatives keep ``min(negatives, max_points // 2)`` places."""
    negatives = max(0, min(int(negatives), max_points))
    pos_index = split.labels.index(split.positive)
    train_pos = split.counts["train"][split.positive]
    train_neg = sum(split.counts["train"].values()) - train_pos
    reserved = min(negatives, train_neg, max_points // 2)  # positives never crowd out every negative
    take_pos = min(train_pos, max_points - reserved)
    take_neg = min(negatives, train_neg, max_points - take_pos)
    schema = split.dataset.schema
    cols = drawable_columns(split)
    select = ", ".join([ROW, "__rs_label"] + [f"{value_sql(c, schema.kind(c))} AS {column_sql(c)}" for c in cols])
    order = "md5(? || __rs_row::VARCHAR), __rs_row"
    sql = f"""
        WITH chosen AS (
            (SELECT {ROW} FROM {split.table} WHERE __rs_test = 0 AND __rs_y = {pos_index}
             ORDER BY {order} LIMIT {take_pos})
            UNION ALL
            (SELECT {ROW} FROM {split.table} WHERE __rs_test = 0 AND __rs_y <> {pos_index}
             ORDER BY {order} LIMIT {take_neg}))
        SELECT {select} FROM {split.table} WHERE {ROW} IN (SELECT {ROW} FROM chosen)
        ORDER BY __rs_row"""  # the rows are chosen first, then only they are read (not every column of every row)
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql, [f"{seed}:", f"{seed}:"]).df()
    return Sample(frame, int((frame["__rs_label"] == split.positive).sum()),
                  int((frame["__rs_label"] != split.positive).sum()), train_pos, train_neg, seed)
