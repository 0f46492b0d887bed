"""Amounts of candidate rules, for the money objectives and the Suggest table: per candidate, the
amount of the positives it would catch (``{side}_caught``) and of the other rows it would alert on
(``{side}_false_amount``), among the rows the current rules leave undecided, summed exactly as
:mod:`studio.engine.money` sums them (DECIMAL(38, 10); NULL and NaN count as 0).

Single comparisons of a number column are summed for every bound at once: the undecided rows,
one per (column, value), are matched to the first bound at or above their value (an ASOF join) and
the amounts summed per bound and class; each comparison's sum follows from the cumulative sums, as
its count does from a histogram (:func:`studio.engine.thresholds.count`). Other candidates are
summed with one ``sum(CASE ...)`` each in one grouped pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from ..data.split import Split
from ..engine.compile import rule_sql
from ..engine.money import MoneySettings, check_amount_column, money
from ..engine.sums import EXACT, amount_sql, grouped_rows
from ..engine.thresholds import bounds_of, count, single_comparison, value_sql
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet
from .counting import undecided_sql


@dataclass(frozen=True)
class ListAmounts:
    """What the rules already do on train, in amounts, under the workspace's money settings."""
    settings: MoneySettings
    positive_amount: float   # all train positives' amount
    caught: float            # amount of the train positives the rules alert on
    false_amount: float      # amount of the other train rows they alert on
    alerts: int

    @property
    def net_benefit(self) -> float:
        return net_benefit(self.settings, self.caught, self.alerts, self.false_amount)


def net_benefit(settings: MoneySettings, caught, alerts, false_amount):
    """caught share × caught − review cost × alerts − false-alert share × false-alert amount
    (element-wise over arrays)."""
    return (settings.caught_share * np.asarray(caught, dtype=float) - settings.review_cost
            * np.asarray(alerts, dtype=float) - settings.false_alert_share * np.asarray(false_amount, dtype=float))


def list_amounts(split: Split, rules: RuleSet | None, settings: MoneySettings) -> ListAmounts:
    """The train amounts of ``rules`` (none: nothing alerted yet)."""
    check_amount_column(split, settings.column)
    if rules is None or not rules.enabled_rules:
        pos = split.labels.index(split.positive)
        sql = (f"SELECT sum(CAST({amount_sql(settings.column)} AS {EXACT})) FROM {split.table} "
               f"WHERE __rs_test = 0 AND __rs_y = {pos}")
        with split.dataset.lock:
            total = grouped_rows(split.dataset.con, sql, "the positives' amount")[0][0]
        return ListAmounts(settings, float(Decimal(total or 0)), 0.0, 0.0, 0)
    train = money(split, rules, settings)["train"]
    return ListAmounts(settings, train.positive_amount, train.caught, train.false_alerts, train.alerts)


def _when(frame: pd.DataFrame) -> list[tuple[Condition, ...]]:
    if "when" in frame:
        return list(frame["when"])
    return [(Condition(str(c), str(o), float(t)),) for c, o, t in zip(frame["column"], frame["op"], frame["threshold"])]


def candidate_amounts(split: Split, rules: RuleSet | None, candidates: list[tuple[Condition, ...]], column: str,
                      side: str = "train") -> pd.DataFrame:
    """``{side}_caught`` and ``{side}_false_amount`` of each candidate (floats of exact sums) on the
    rows of ``side`` that ``rules`` leave undecided."""
    check_amount_column(split, column)
    schema = split.dataset.schema
    caught = np.zeros(len(candidates), dtype=object)
    false = np.zeros(len(candidates), dtype=object)
    single = [i for i, c in enumerate(candidates) if single_comparison(c, schema)]
    chosen = set(single)
    other = [i for i in range(len(candidates)) if i not in chosen]
    if single:
        sums = _bound_sums(split, rules, [candidates[i][0] for i in single], column, side)
        for i in single:
            c = candidates[i][0]
            caught[i] = count(c, *sums[(c.column, True)])
            false[i] = count(c, *sums[(c.column, False)])
    if other:
        tests = [rule_sql(Rule(when=candidates[i], then=0), schema).sql("duckdb") for i in other]
        per_class = _tested_sums(split, rules, tests, column, side)
        for k, i in enumerate(other):
            caught[i], false[i] = per_class[True][k], per_class[False][k]
    return pd.DataFrame({f"{side}_caught": [float(v) for v in caught],
                         f"{side}_false_amount": [float(v) for v in false]})


def with_amounts(frame: pd.DataFrame, split: Split, rules: RuleSet | None, column: str,
                 side: str = "train") -> pd.DataFrame:
    """``frame`` of candidates (``when``, or ``column``/``op``/``threshold``) with their amounts."""
    sums = candidate_amounts(split, rules, _when(frame), column, side)
    out = frame.reset_index(drop=True).copy()
    for name in sums:
        out[name] = sums[name].to_numpy()
    return out


def _where(split: Split, rules: RuleSet | None, side: str) -> str:
    return undecided_sql(rules, split) + ("" if side == "both" else f" AND __rs_test = {int(side == 'test')}")


def _tested_sums(split: Split, rules, tests: list[str], column: str, side: str) -> dict[bool, list[Decimal]]:
    pos = split.labels.index(split.positive)
    sums = ", ".join(f"sum(CASE WHEN {t} THEN __rs_a ELSE 0 END)" for t in tests)
    sql = (f"SELECT __rs_y = {pos} AS p, {sums} FROM (SELECT *, CAST({amount_sql(column)} AS {EXACT}) AS __rs_a "
           f"FROM {split.table} WHERE {_where(split, rules, side)}) GROUP BY ALL")
    with split.dataset.lock:
        rows = grouped_rows(split.dataset.con, sql, "the candidates' amounts")
    out = {True: [Decimal(0)] * len(tests), False: [Decimal(0)] * len(tests)}
    for r in rows:
        out[bool(r[0])] = [Decimal(v or 0) for v in r[1:]]
    return out


def _bound_sums(split: Split, rules, conds: list[Condition], column: str, side: str) -> dict:
    """Per (column, is positive): (bounds, amount at or below each bound, amount of rows with a value)."""
    bounds = bounds_of(conds)
    names = list(bounds)
    keys = [k for k, n in enumerate(names) for _ in bounds[n]]
    edges = [b for n in names for b in bounds[n]]
    pos = split.labels.index(split.positive)
    values = ", ".join(f"{value_sql(n)} AS v{k}" for k, n in enumerate(names))
    sql = (f"WITH base AS MATERIALIZED (SELECT __rs_y = {pos} AS p, CAST({amount_sql(column)} AS {EXACT}) AS a, "
           f"{values} FROM {split.table} WHERE {_where(split, rules, side)}), "
           f"u AS (SELECT CAST(substr(k, 2) AS INTEGER) AS k, v, a, p FROM (UNPIVOT base ON "
           f"{', '.join(f'v{k}' for k in range(len(names)))} INTO NAME k VALUE v)), "
           "e AS (SELECT unnest($1::INTEGER[]) AS k, unnest($2::DOUBLE[]) AS edge) "
           "SELECT u.k, u.p, e.edge, sum(u.a) FROM u ASOF LEFT JOIN e ON u.k = e.k AND u.v <= e.edge GROUP BY ALL")
    with split.dataset.lock:
        rows = grouped_rows(split.dataset.con, sql, "the candidates' amounts", [keys, edges])
    bins: dict[tuple[int, bool], dict] = {}
    for k, p, edge, amount in rows:
        bins.setdefault((int(k), bool(p)), {})[edge] = Decimal(amount or 0)
    out = {}
    for k, n in enumerate(names):
        e = np.array(bounds[n])
        for p in (True, False):
            got = bins.get((k, p), {})
            per_edge = np.array([got.get(float(b), Decimal(0)) for b in e] + [None], dtype=object)[:-1]
            out[(n, p)] = (e, np.cumsum(per_edge) if len(e) else per_edge, sum(got.values(), Decimal(0)))
    return out
