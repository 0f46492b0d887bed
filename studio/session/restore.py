"""Bringing a workspace's rules and their undo history back for a dataset and target: the saved
rules checked again (what does not hold up is set aside, never dropped silently), and the last
``History.limit`` changes, so Undo works after a reload or a server restart."""

from __future__ import annotations

from ..data.split import Split
from ..rules.history import History
from ..rules.model import RuleSet
from ..rules.validate import condition_problems


def empty_rules(split: Split) -> RuleSet:
    """No rules: every row gets the majority class."""
    counts = split.counts
    majority = max(split.labels, key=lambda l: counts["train"][l] + counts["test"][l])
    return RuleSet(default=split.native(majority), target=split.target, positive=split.native(split.positive))


def restored_rules(session) -> RuleSet:
    """The saved rules of the session's dataset and target, checked again: rules that do not hold up
    (or do not fit this table's columns) are set aside with a notice, an unreadable file is kept beside
    a fresh start. Sets the session's revision."""
    schema, workspace, key = session.dataset.schema, session.workspace, session.rules_key
    saved = workspace.read_rules(key, check=lambda r: [p for c in r.when for p in condition_problems(c, schema)])
    session.revision = saved.revision
    session.notices.extend(saved.salvaged.problems)
    rules = saved.rules
    if rules is None:
        aside = workspace.set_aside_file(key) if saved.salvaged.problems else None
        if aside is not None:
            session.notices.append(f"The unreadable rules file was kept as {aside.name}; the rules start empty.")
            session.revision = 0
        return empty_rules(session.split)
    if saved.salvaged.problems:  # save what was set aside with the rules, so nothing is lost
        rules, session.revision = workspace.update_rules(key, lambda latest, revision: rules)
    return rules


def restored_history(session) -> History:
    """The rules as restored, with the undo and redo lists the workspace kept for them."""
    history = History(restored_rules(session))
    saved = session.workspace.load_history(session.rules_key)
    if saved is not None:
        history.restore(saved)
    return history
