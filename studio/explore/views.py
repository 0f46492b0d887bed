"""What the exploration views compute in DuckDB over the train split: each drawn row's outcome
under the rules, a column's class-conditional histogram, and train precision and recall of a
one-column threshold rule at every threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.quoting import column_sql
from ..data.schema import NUMERIC
from ..data.split import Split
from ..data.tables import ROW
from ..engine.compile import fired_index_sql
from ..rules.model import RuleSet
from .sample import value_sql

OUTCOMES = ("TP", "FP", "FN", "TN")


def outcomes(split: Split, rules: RuleSet, rows: pd.Series | np.ndarray) -> pd.DataFrame:
    """For the given train rows: the rule that fired (its name, or "default") and the outcome
    against the positive class, TP / FP / FN / TN."""
    names = rules.names()
    fired_sql = fired_index_sql(rules, split.dataset.schema).sql("duckdb")
    sql = (f"SELECT {ROW}, __rs_label, {fired_sql} AS fired FROM {split.table} "
           f"WHERE {ROW} IN (SELECT unnest(?::BIGINT[])) ORDER BY {ROW}")
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql, [np.asarray(rows, dtype=np.int64).tolist()]).df()
    labels = np.array([split.class_label(r.then) for r in rules.rules] + [split.class_label(rules.default)],
                      dtype=object)
    fired = frame["fired"].to_numpy()
    predicted_pos = labels[fired] == split.positive
    actual_pos = (frame["__rs_label"] == split.positive).to_numpy()
    outcome = np.where(predicted_pos, np.where(actual_pos, "TP", "FP"), np.where(actual_pos, "FN", "TN"))
    rule = np.array(names + ["default"], dtype=object)[fired]
    return pd.DataFrame({ROW: frame[ROW].to_numpy(), "outcome": outcome, "rule": rule})


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
            value = value_sql(name, kind)
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
                f"WITH t AS (SELECT {column_sql(name)}::VARCHAR AS v, {group} AS grp FROM {split.table} "
                f"WHERE __rs_test = 0 AND {column_sql(name)} IS NOT NULL), "
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
    value = value_sql(name, NUMERIC)
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
