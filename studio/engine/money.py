"""Amount-weighted figures of a rule set: what a fraud team decides on besides precision and recall.

One aggregate query per split: rows grouped by side, true label and the rule that decides them
(first hit), with their count and the sum of the amount column. From it, for train, test and all
rows: alerts (rows given the positive label), the amount caught (positives alerted) and its share of
all positives' amount (amount-weighted recall), the amount of false alerts, amount-weighted
precision, and the net benefit::

    net benefit = caught_share × amount caught − review_cost × alerts − false_alert_share × false-alert amount

A NULL (or NaN) amount counts as 0; negative or infinite amounts are refused with a message.
Amounts are summed exactly, as decimals with 10 places (DuckDB's DECIMAL(38, 10), then Python's
``Decimal``): the figures do not depend on the order DuckDB's threads add rows up, so two runs give
the same digits. Amount-weighted precision and recall are scikit-learn's
``precision_recall_fscore_support`` with ``sample_weight=amount`` (which adds floats in row order,
so the two agree to within float rounding).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np

from ..data.schema import NUMERIC
from ..data.split import Split
from ..errors import DataError
from ..rules.model import RuleSet
from ..rules.validate import check_ruleset
from .compile import fired_index_sql
from .evaluate import Extras, first_hits, match_counts
from .large import PAIRED_RULES
from .sums import EXACT, amount_sql, grouped_rows
from .metrics import SIDES


@dataclass(frozen=True)
class MoneySettings:
    """Chosen once per workspace: the amount column, a review cost per alert, the share of a caught
    positive's amount that is saved (1: all of it) and the share of a false alert's amount counted
    as lost (0: none)."""
    column: str
    review_cost: float = 0.0
    caught_share: float = 1.0
    false_alert_share: float = 0.0

    def __post_init__(self):
        for name in ("review_cost", "caught_share", "false_alert_share"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
                raise DataError(f"{name.replace('_', ' ')} must be a finite number ≥ 0, not {value!r}")
        for name in ("caught_share", "false_alert_share"):
            if getattr(self, name) > 1:
                raise DataError(f"{name.replace('_', ' ')} is a share between 0 and 1, not {getattr(self, name)!r}")


@dataclass(frozen=True)
class RuleMoney:
    """One rule where it decides (after the rules above it)."""
    index: int
    name: str
    alerts: int             # rows it gives the positive label (0 for a rule with another label)
    caught: float           # their amount among positives
    false_alerts: float     # their amount among the other rows


@dataclass(frozen=True)
class MoneyReport:
    """One side's amount-weighted figures."""
    column: str
    rows: int
    alerts: int
    alerts_per_1000: float
    positive_amount: float
    caught: float
    false_alerts: float
    precision: float | None   # caught / (caught + false alerts); None with no alerted amount
    recall: float | None      # caught / positive amount; None when the positives' amount is 0
    review_cost: float
    net_benefit: float
    rules: tuple[RuleMoney, ...]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["rules"] = [asdict(r) for r in self.rules]
        return out




def check_amount_column(split: Split, column: str) -> None:
    """A clear message for an amount column that is missing, not numeric, negative or infinite."""
    if ("amount column", column) in split.cache:  # checked once per split
        return
    schema = split.dataset.schema
    if column not in schema:
        raise DataError(f"amount column {column!r} is not in the data{schema.suggest(column)}")
    if schema.kind(column) != NUMERIC:
        raise DataError(f"amount column {column!r} is not numeric ({schema.type_of(column)})")
    x = amount_sql(column)
    with split.dataset.lock:  # one query at a time per connection
        negative, infinite = split.dataset.con.execute(
            f"SELECT count_if({x} < 0), count_if(isinf({x})) FROM {split.table}").fetchone()
    if negative:
        raise DataError(f"amount column {column!r} has {negative:,} negative values: amounts must be ≥ 0 "
                        "(refunds and reversals are not amounts at risk)")
    if infinite:
        raise DataError(f"amount column {column!r} has {infinite:,} infinite values")
    split.cache[("amount column", column)] = True


def money(split: Split, rules: RuleSet, settings: MoneySettings,
          extras: Extras | None = None) -> dict[str, MoneyReport]:
    """Amount-weighted figures of ``rules`` on train, test and all rows. Up to
    :data:`~studio.engine.large.PAIRED_RULES` rules they come from the metrics' own counting query
    (``extras``: the one the evaluation used, so that no other query runs); beyond, from a query of
    their own."""
    check_ruleset(rules, split.dataset.schema)
    if not hasattr(split.dataset, "con") and (tuple(r.when for r in rules.rules) + (Extras(amount=settings.column),)
                                              not in split.cache):  # rows elsewhere (Spark): only what was counted
        raise DataError("on Spark, the amounts are those of the rules and the amount column the evaluation counted")
    check_amount_column(split, settings.column)
    if len(rules.rules) <= PAIRED_RULES or not hasattr(split.dataset, "con"):  # rows elsewhere (Spark): counted
        if extras is None or extras.amount != settings.column:
            extras = Extras(amount=settings.column)
        counts = match_counts(split, rules, extras)
        first, _ = first_hits(counts.matched, [i for i, r in enumerate(rules.rules) if r.enabled])
        return _reports(split, rules, settings, counts.test.astype(bool),
                        np.asarray(counts.label) == split.labels.index(split.positive), first, counts.rows,
                        counts.amount)
    with split.dataset.lock:
        hit = fired_index_sql(rules, split.dataset.schema).sql("duckdb")
        sql = (f"SELECT __rs_test AS test, __rs_y AS y, {hit} AS hit, count(*) AS n, "
               f"sum(CAST({amount_sql(settings.column)} AS {EXACT})) AS amount "
               f"FROM {split.table} GROUP BY ALL")
        got = grouped_rows(split.dataset.con, sql, "the amounts")
    test = np.array([bool(g[0]) for g in got], dtype=bool)
    true_pos = np.array([split.labels[int(g[1])] == split.positive for g in got], dtype=bool)
    hits = np.array([int(g[2]) for g in got], dtype=np.int64)
    rows = np.array([int(g[3]) for g in got], dtype=np.int64)
    amount = np.array([Decimal(g[4] or 0) for g in got] + [None], dtype=object)[:-1]  # exact decimals
    return _reports(split, rules, settings, test, true_pos, hits, rows, amount)


def _reports(split: Split, rules: RuleSet, settings: MoneySettings, test, true_pos, hits, rows,
             amount) -> dict[str, MoneyReport]:
    """Per side, from groups of rows: on the test side or not, positive or not, the rule that decides
    them (-1: the default), their count and their exact amount."""
    gives_positive = np.array([split.class_label(r.then) == split.positive for r in rules.rules]
                              + [split.class_label(rules.default) == split.positive], dtype=bool)
    alerted = gives_positive[hits]  # hits == -1: the default's label
    names = rules.names()
    out = {}
    for side in SIDES:
        sel = np.ones(len(rows), dtype=bool) if side == "all" else test == (side == "test")
        out[side] = _report(settings, rows[sel], amount[sel], true_pos[sel], alerted[sel], hits[sel],
                            gives_positive, names)
    return out


def _sum(values: np.ndarray) -> Decimal:
    return sum(values, Decimal(0))


def _ratio(a: Decimal, b: Decimal) -> float | None:
    return float(a / b) if b > 0 else None


def _report(settings: MoneySettings, rows, amount, true_pos, alerted, hits, gives_positive, names) -> MoneyReport:
    n = int(rows.sum())
    alerts = int(rows[alerted].sum())
    caught = _sum(amount[alerted & true_pos])
    false_alerts = _sum(amount[alerted & ~true_pos])
    positive_amount = _sum(amount[true_pos])
    per_rule = []
    for i, name in enumerate(names):
        mine = hits == i
        per_rule.append(RuleMoney(
            index=i, name=name, alerts=int(rows[mine].sum()) if gives_positive[i] else 0,
            caught=float(_sum(amount[mine & true_pos])) if gives_positive[i] else 0.0,
            false_alerts=float(_sum(amount[mine & ~true_pos])) if gives_positive[i] else 0.0))
    net = (Decimal(repr(settings.caught_share)) * caught - Decimal(repr(settings.review_cost)) * alerts
           - Decimal(repr(settings.false_alert_share)) * false_alerts)
    return MoneyReport(
        column=settings.column, rows=n, alerts=alerts, alerts_per_1000=1000 * alerts / n if n else 0.0,
        positive_amount=float(positive_amount), caught=float(caught), false_alerts=float(false_alerts),
        precision=_ratio(caught, caught + false_alerts), recall=_ratio(caught, positive_amount),
        review_cost=settings.review_cost, net_benefit=float(net), rules=tuple(per_rule))


def render_money(reports: dict[str, MoneyReport], settings: MoneySettings, sides=("train", "test")) -> str:
    """The amount section of ``evaluate``'s text report."""
    out = [f"amounts from column {settings.column!r}: net benefit = {settings.caught_share:g} × caught − "
           f"{settings.review_cost:g} × alerts − {settings.false_alert_share:g} × false-alert amount"]
    for side in sides:
        m = reports[side]
        share = "n/a" if m.recall is None else f"{m.recall:.4f}"
        prec = "n/a" if m.precision is None else f"{m.precision:.4f}"
        out.append(f"{side}: caught {m.caught:,.2f} of {m.positive_amount:,.2f} (amount recall {share}); "
                   f"false alerts {m.false_alerts:,.2f} (amount precision {prec}); {m.alerts:,} alerts "
                   f"({m.alerts_per_1000:.2f} per 1,000 rows); net benefit {m.net_benefit:,.2f}")
    return "\n".join(out)
