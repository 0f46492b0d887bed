"""Undo and redo over immutable rule sets."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import RuleSet


@dataclass
class History:
    """A linear history: ``push`` drops anything that was undone."""

    current: RuleSet
    limit: int = 200
    _undo: list[RuleSet] = field(default_factory=list)
    _redo: list[RuleSet] = field(default_factory=list)

    def push(self, rules: RuleSet) -> bool:
        """Make ``rules`` current; False (and nothing recorded) when nothing changed."""
        if rules == self.current:
            return False
        self._undo.append(self.current)
        del self._undo[:-self.limit]
        self._redo.clear()
        self.current = rules
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> RuleSet:
        if self._undo:
            self._redo.append(self.current)
            self.current = self._undo.pop()
        return self.current

    def redo(self) -> RuleSet:
        if self._redo:
            self._undo.append(self.current)
            self.current = self._redo.pop()
        return self.current
