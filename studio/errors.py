"""User-facing errors: each carries a message meant to be shown as it is."""

from __future__ import annotations


class StudioError(ValueError):
    """A problem with the user's input (file, column, rule), not a bug."""


class RuleSetError(StudioError):
    """One or more problems found while reading or validating a rule set."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class DataError(StudioError):
    """A dataset that cannot be loaded or used as asked."""
