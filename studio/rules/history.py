"""Undo and redo of one editor's own changes, over immutable rule sets.

Each change is kept as a pair (before, after). Undo applies "after back to before" to whatever the
rules are now (:func:`studio.rules.merge.rebase`), so undoing in one tab takes back that tab's change
only, even when another tab changed the rules since.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import RuleSet

Change = tuple[RuleSet, RuleSet]  # (before, after)


@dataclass
class History:
    """The current rules as this editor last saw them, and its own changes, newest last."""

    current: RuleSet
    limit: int = 200
    _undo: list[Change] = field(default_factory=list)
    _redo: list[Change] = field(default_factory=list)

    def push(self, before: RuleSet, after: RuleSet) -> None:
        """Record a change (dropping what was undone) and make ``after`` current."""
        self._undo.append((before, after))
        del self._undo[:-self.limit]
        self._redo.clear()
        self.current = after

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def take_undo(self) -> Change | None:
        """The newest change to undo (moved to the redo list), or None."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self._redo.append(change)
        return change

    def take_redo(self) -> Change | None:
        """The newest undone change to redo (moved back to the undo list), or None."""
        if not self._redo:
            return None
        change = self._redo.pop()
        self._undo.append(change)
        return change

    def to_dict(self) -> dict:
        """The history as JSON-ready data (rule sets as their files' dicts)."""
        return {"undo": [[b.to_dict(), a.to_dict()] for b, a in self._undo],
                "redo": [[b.to_dict(), a.to_dict()] for b, a in self._redo]}

    def restore(self, data) -> None:
        """The undo and redo lists of :meth:`to_dict` (read back leniently: a change that does not hold
        up is left out; at most ``limit`` of each)."""
        for name, target in (("undo", self._undo), ("redo", self._redo)):
            pairs = data.get(name) if isinstance(data, dict) else None
            target.clear()
            for pair in pairs[-self.limit:] if isinstance(pairs, list) else []:
                try:
                    before, after = pair
                    target.append((RuleSet.from_dict(before), RuleSet.from_dict(after)))
                except (ValueError, TypeError):  # RuleSetError is a ValueError
                    continue
