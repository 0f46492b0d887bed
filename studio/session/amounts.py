"""The workspace's money settings (amount column, review cost, shares) and the amount-weighted
figures of rule sets under them, memoised per split and rule set."""

from __future__ import annotations

import math
from dataclasses import asdict

from ..data.split import Split
from ..engine.backtest import period_extras
from ..engine.evaluate import Extras
from ..engine.money import MoneyReport, MoneySettings, check_amount_column, money
from ..errors import DataError, StudioError
from ..rules.model import RuleSet

_MEMO_LIMIT = 64


class Amounts:
    def __init__(self):
        self.settings: MoneySettings | None = None
        self.budget: float | None = None  # alerts per 1,000 rows the review team can handle
        self.period: tuple[str, str] | None = None  # the backtest shown: (time column, unit)
        self._memo: dict = {}

    def extras(self, split: Split) -> Extras:
        """What the metrics' counting query also computes, so that the amounts and the backtest shown
        need no query of their own."""
        amount = self.settings.column if self.settings else None
        if self.period is not None:
            try:
                return period_extras(split, *self.period, amount)[0]
            except StudioError:
                self.period = None
        return Extras(amount=amount)

    def choose(self, split: Split, settings: MoneySettings | None, budget=None) -> None:
        """Use ``settings`` from now on (None: no amounts) and ``budget`` (None or 0: none); a column
        that cannot serve, or a budget that is not a positive number, raises."""
        if budget is not None and (isinstance(budget, bool) or not isinstance(budget, (int, float))
                                   or not math.isfinite(budget) or budget < 0):
            raise DataError(f"the alert budget must be a number of alerts per 1,000 rows ≥ 0, not {budget!r}")
        if settings is not None:
            check_amount_column(split, settings.column)
        self.settings, self.budget = settings, float(budget) if budget else None
        self._memo.clear()

    def follow(self, split: Split) -> str | None:
        """After a new dataset or split: keep the settings if their column still serves, else drop them
        and say why."""
        self.period = None  # the backtest's column may not be in the new data
        if self.settings is None:
            return None
        try:
            check_amount_column(split, self.settings.column)
            return None
        except StudioError as err:
            self.settings = None
            return f"Amounts are off: {err}"
        finally:
            self._memo.clear()

    def restore(self, saved, split: Split, budget=None) -> str | None:
        """Settings as the workspace saved them (a bad entry is dropped, with the reason)."""
        try:
            self.choose(split, MoneySettings(**saved) if isinstance(saved, dict) else None, budget)
            return None
        except (StudioError, TypeError) as err:
            self.settings = self.budget = None
            return f"The saved amount settings were not used ({err})"

    def state(self) -> dict:
        return ({"money": asdict(self.settings)} if self.settings is not None else {}) | \
            ({"alert_budget": self.budget} if self.budget else {})

    def report(self, split: Split, rules: RuleSet) -> dict[str, MoneyReport] | None:
        """The figures of ``rules`` on train, test and all rows, or None without settings."""
        if self.settings is None:
            return None
        key = (split.id, rules, self.settings)
        if key not in self._memo:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = money(split, rules, self.settings, self.extras(split))
        return self._memo[key]
