"""What the exploration views draw, computed in DuckDB on the train split only.

The held-out (test) rows are the judge of a rule: no exploration view shows them.
Views get an imbalance-aware sample (every positive, N negatives, seeded) that never
exceeds :data:`MAX_POINTS` rows; histograms and threshold curves are aggregates over
the whole train side.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .compile import column, coordinate, fired_index_sql, rule_names
from .rules import RuleSet
from .schema import BOOLEAN, NUMERIC, STRING
from .split import Split

MAX_POINTS = 50_000
DEFAULT_NEGATIVES = 5_000
ROW = "__rs_row"
OUTCOMES = ("TP", "FP", "FN", "TN")


def _q(name: str) -> str:
    return column(name).sql("duckdb")


def _value_sql(name: str, kind: str) -> str:
    """The column as drawn: numbers as DOUBLE with NaN as NULL (as a polygon condition reads them),
    other kinds as they are."""
    if kind == NUMERIC:
        return coordinate(name, None).sql("duckdb")
    return _q(name)


def drawable_columns(split: Split) -> list[str]:
    """Features a chart can draw: numbers, text and booleans."""
    schema = split.dataset.schema
    return [c for c in split.features if schema.kind(c) in (NUMERIC, STRING, BOOLEAN)]


# ------------------------------------------------------------------ sample
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
    select = ", ".join([ROW, "__rs_label"] + [f"{_value_sql(c, schema.kind(c))} AS {_q(c)}" for c in cols])
    order = "md5(? || __rs_row::VARCHAR), __rs_row"
    sql = f"""
        (SELECT {select} FROM {split.table} WHERE __rs_test = 0 AND __rs_y = {pos_index}
         ORDER BY {order} LIMIT {take_pos})
        UNION ALL
        (SELECT {select} FROM {split.table} WHERE __rs_test = 0 AND __rs_y <> {pos_index}
         ORDER BY {order} LIMIT {take_neg})
        ORDER BY __rs_row"""
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql, [f"{seed}:", f"{seed}:"]).df()
    return Sample(frame, int((frame["__rs_label"] == split.positive).sum()),
                  int((frame["__rs_label"] != split.positive).sum()), train_pos, train_neg, seed)


# ------------------------------------------------------------------ separation
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
    cols = ", ".join(f"{_q(n)} AS {a}" for a, n in aliases.items())
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
    rows = con.execute(f"SELECT {_q(name)}::VARCHAR, sum((__rs_label = ?)::INTEGER), "
                       f"count(*) - sum((__rs_label = ?)::INTEGER) FROM __rs_sample "
                       f"WHERE {_q(name)} IS NOT NULL GROUP BY 1", [positive, positive]).fetchall()
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


# ------------------------------------------------------------------ rule outcomes
def outcomes(split: Split, rules: RuleSet, rows: pd.Series | np.ndarray) -> pd.DataFrame:
    """For the given train rows: the rule that fired (its name, or "default") and the outcome
    against the positive class, TP / FP / FN / TN."""
    from .evaluate import class_label

    names = rule_names(rules)
    fired_sql = fired_index_sql(rules, split.dataset.schema).sql("duckdb")
    sql = (f"SELECT {ROW}, __rs_label, {fired_sql} AS fired FROM {split.table} "
           f"WHERE {ROW} IN (SELECT unnest(?::BIGINT[])) ORDER BY {ROW}")
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql, [np.asarray(rows, dtype=np.int64).tolist()]).df()
    labels = np.array([class_label(r.then, split) for r in rules.rules] + [class_label(rules.default, split)],
                      dtype=object)
    fired = frame["fired"].to_numpy()
    predicted_pos = labels[fired] == split.positive
    actual_pos = (frame["__rs_label"] == split.positive).to_numpy()
    outcome = np.where(predicted_pos, np.where(actual_pos, "TP", "FP"), np.where(actual_pos, "FN", "TN"))
    rule = np.array(names + ["default"], dtype=object)[fired]
    return pd.DataFrame({ROW: frame[ROW].to_numpy(), "outcome": outcome, "rule": rule})


# ------------------------------------------------------------------ one column
@dataclass(frozen=True)
class Histogram:
    """Counts per bin (numbers) or per value (text) and class group, train rows only."""

    column: str
    kind: str
    bins: pd.DataFrame  # columns: bin (label or lower edge), low, high, group ("positive"/"other"), rows


def class_histogram(split: Split, name: str, bins: int = 40, top: int = 30) -> Histogram:
    """Class-conditional histogram of one column over the train split: positives against the rest."""
    schema = split.dataset.schema
    kind = schema.kind(name)
    pos = split.labels.index(split.positive)
    group = f"CASE WHEN __rs_y = {pos} THEN 'positive' ELSE 'other' END"
    con = split.dataset.con
    with split.dataset.lock:
        if kind == NUMERIC:
            value = _value_sql(name, kind)
            lo, hi = con.execute(f"SELECT min({value}), max({value}) FROM {split.table} "
                                 f"WHERE __rs_test = 0").fetchone()
            if lo is None:
                return Histogram(name, kind, pd.DataFrame(columns=["bin", "low", "high", "group", "rows"]))
            width = (hi - lo) / bins if hi > lo else 1.0
            frame = con.execute(
                f"SELECT least(CAST(floor(({value} - ?) / ?) AS INTEGER), {bins - 1}) AS b, {group} AS grp, "
                f"count(*) AS n FROM {split.table} WHERE __rs_test = 0 AND {value} IS NOT NULL "
                f"GROUP BY ALL ORDER BY b", [lo, width]).df()
            frame = pd.DataFrame({"bin": frame["b"], "low": lo + frame["b"] * width,
                                  "high": lo + (frame["b"] + 1) * width, "group": frame["grp"],
                                  "rows": frame["n"]})
        else:
            frame = con.execute(
                f"WITH t AS (SELECT {_q(name)}::VARCHAR AS v, {group} AS grp FROM {split.table} "
                f"WHERE __rs_test = 0 AND {_q(name)} IS NOT NULL), "
                f"k AS (SELECT v FROM t GROUP BY v ORDER BY count(*) DESC, v LIMIT {int(top)}) "
                f"SELECT v, grp, count(*) AS n FROM t WHERE v IN (SELECT v FROM k) GROUP BY ALL ORDER BY v"
            ).df()
            frame = pd.DataFrame({"bin": frame["v"], "low": None, "high": None, "group": frame["grp"],
                                  "rows": frame["n"]})
    return Histogram(name, kind, frame)


@dataclass(frozen=True)
class ThresholdCurve:
    """Train precision and recall of ``column <direction> threshold`` at thresholds taken from the
    column's own values (``points`` rows: threshold, fired, tp, precision, recall)."""

    column: str
    direction: str
    points: pd.DataFrame
    positives: int


def threshold_curve(split: Split, name: str, direction: str = ">", max_points: int = 256) -> ThresholdCurve:
    """Exact counts at every distinct train value (one GROUP BY and a running sum in DuckDB),
    thinned to at most ``max_points`` thresholds: where the rows above the threshold, or the positives
    among them, cross another step of 1/(max_points/2) of their total. The tails, where rare positives
    sit, keep their detail."""
    if direction not in (">", "<"):
        raise ValueError("direction must be '>' or '<'")
    value = _value_sql(name, NUMERIC)
    pos = split.labels.index(split.positive)
    # x > t holds for the values above t: a running sum from the top that excludes t itself.
    order = "DESC" if direction == ">" else "ASC"
    sql = f"""
        WITH g AS (SELECT {value} AS v, count(*) AS n, count_if(__rs_y = {pos}) AS p
                   FROM {split.table} WHERE __rs_test = 0 AND {value} IS NOT NULL GROUP BY 1),
        c AS (SELECT v, coalesce(sum(n) OVER w, 0) AS fired, coalesce(sum(p) OVER w, 0) AS tp,
                     row_number() OVER (ORDER BY v {order}) AS i, count(*) OVER () AS m
              FROM g WINDOW w AS (ORDER BY v {order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
        k AS (SELECT *, fired * ? // ? AS row_step, tp * ? // ? AS pos_step FROM c)
        SELECT v AS threshold, fired, tp FROM k
        QUALIFY i = 1 OR i = m OR row_step <> lag(row_step) OVER (ORDER BY i)
                OR pos_step <> lag(pos_step) OVER (ORDER BY i)
        ORDER BY v"""
    positives = split.counts["train"][split.positive]
    rows = sum(split.counts["train"].values())
    half = max(1, (max_points - 2) // 2)
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql, [half, rows, half, max(positives, 1)]).df()
    fired = frame["fired"].to_numpy(dtype=np.int64)
    tp = frame["tp"].to_numpy(dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["precision"] = np.where(fired > 0, tp / np.maximum(fired, 1), np.nan)
    frame["recall"] = tp / positives if positives else 0.0
    return ThresholdCurve(name, direction, frame, positives)

