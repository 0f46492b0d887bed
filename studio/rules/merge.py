"""A change to a rule set applied on top of another version of it: how two tabs editing one
workspace keep each other's work, and how undo takes back one tab's own change only.

:func:`rebase` reads the change from ``base`` to ``new`` as rules removed, added and replaced
(rules are compared as values), finds where ``base``'s rules now stand in ``latest``, and makes the
same change there. A rule another version removed stays removed unless this change replaced it; a
rule this change adds lands after the rule it followed (or at the end).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from difflib import SequenceMatcher

from .model import RuleSet


def rebase(base: RuleSet, new: RuleSet, latest: RuleSet) -> RuleSet:
    """The change from ``base`` to ``new``, applied to ``latest``."""
    if latest == base and latest.meta == base.meta:
        return new
    if new == base and new.meta == base.meta:
        return latest
    old, now = list(base.rules), list(latest.rules)
    at = {}  # where each of base's rules stands in latest
    for tag, a1, a2, b1, _ in SequenceMatcher(None, old, now, autojunk=False).get_opcodes():
        if tag == "equal":
            at.update({a1 + d: b1 + d for d in range(a2 - a1)})

    def gap(i: int) -> int:
        """Where a rule inserted before base's rule ``i`` goes in latest."""
        for k in range(i - 1, -1, -1):
            if k in at:
                return at[k] + 1
        for k in range(i, len(old)):
            if k in at:
                return at[k]
        return len(now)

    removed, inserted = set(), defaultdict(list)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, list(new.rules), autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            removed |= {at[k] for k in range(i1, i2) if k in at}
        if tag in ("insert", "replace"):
            inserted[gap(i1)].extend(new.rules[j1:j2])
    rules = []
    for position in range(len(now) + 1):
        rules.extend(inserted.get(position, ()))
        if position < len(now) and position not in removed:
            rules.append(now[position])
    changes = {name: getattr(new, name) for name in ("default", "target", "positive")
               if getattr(new, name) != getattr(base, name) or type(getattr(new, name)) is not type(getattr(base, name))}
    meta = new.meta if new.meta != base.meta else latest.meta
    return replace(latest, rules=tuple(rules), meta=meta, **changes)
