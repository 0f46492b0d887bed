"""The workspace's money settings (amount column, review cost, shares) and the amount-weighted
figures of rule sets under them, memoised per split and rule set."""

from __future__ import annotations

from dataclasses import asdict

from ..data.split import Split
from ..engine.money import MoneyReport, MoneySettings, check_amount_column, money
from ..errors import StudioError
from ..rules.model import RuleSet

_MEMO_LIMIT = 64


class Amounts:
    def __init__(self):
        self.settings: MoneySettings | None = None
        self._memo: dict = {}

    def choose(self, split: Split, settings: MoneySettings | None) -> None:
        """Use ``settings`` from now on (None: no amounts); a column that cannot serve raises."""
        if settings is not None:
            check_amount_column(split, settings.column)
        self.settings = settings
        self._memo.clear()

    def follow(self, split: Split) -> str | None:
        """After a new dataset or split: keep the settings if their column still serves, else drop them
        and say why."""
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

    def restore(self, saved, split: Split) -> str | None:
        """Settings as the workspace saved them (a bad entry is dropped, with the reason)."""
        if not isinstance(saved, dict):
            return None
        try:
            self.choose(split, MoneySettings(**saved))
            return None
        except (StudioError, TypeError) as err:
            self.settings = None
            return f"The saved amount settings were not used ({err})"

    def state(self) -> dict:
        return {"money": asdict(self.settings)} if self.settings is not None else {}

    def report(self, split: Split, rules: RuleSet) -> dict[str, MoneyReport] | None:
        """The figures of ``rules`` on train, test and all rows, or None without settings."""
        if self.settings is None:
            return None
        key = (split.id, rules, self.settings)
        if key not in self._memo:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = money(split, rules, self.settings)
        return self._memo[key]
