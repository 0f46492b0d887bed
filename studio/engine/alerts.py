"""How many alerts a rule set raises: on a side of the split, per 1,000 rows and, when the split is
out of time on a date/time column, per day of that side; and whether that is within a budget."""

from __future__ import annotations

from dataclasses import dataclass

from ..data.quoting import column_sql
from ..data.schema import TEMPORAL
from ..data.split import Split
from .results import Evaluation


@dataclass(frozen=True)
class AlertRate:
    alerts: int
    rows: int
    per_1000: float
    per_day: float | None   # with an out-of-time split on a date/time column
    budget: float | None    # alerts per 1,000 rows the team can review, if set

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.per_1000 > self.budget


def _days(split: Split, side: str) -> float | None:
    """The days a side of an out-of-time split on a date/time column spans (memoised per split)."""
    if split.time is None or split.dataset.schema.kind(split.time.column) != TEMPORAL:
        return None
    key = ("days", side)
    if key not in split.cache:
        t = column_sql(split.time.column)
        with split.dataset.lock:
            (seconds,) = split.dataset.con.execute(
                f"SELECT epoch(max({t})::TIMESTAMP) - epoch(min({t})::TIMESTAMP) FROM {split.table} "
                f"WHERE __rs_test = {int(side == 'test')}").fetchone()
        split.cache[key] = max(1.0, (seconds or 0) / 86_400)
    return split.cache[key]


def alert_rate(ev: Evaluation, side: str = "test", budget: float | None = None) -> AlertRate:
    """The alerts (rows given the positive label) of an evaluation on ``side``."""
    m = ev.sides[side].metrics
    k = m.labels.index(ev.split.positive)
    alerts = int(sum(row[k] for row in m.confusion))
    days = _days(ev.split, side) if side != "all" else None
    return AlertRate(alerts, m.n, 1000 * alerts / m.n if m.n else 0.0, alerts / days if days else None,
                     budget if budget else None)
