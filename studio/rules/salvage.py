"""Reading a saved rule set leniently: the rules that hold up are kept, the others are set aside with
their reasons (never silently dropped), so one bad rule cannot make a workspace unusable."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from ..errors import RuleSetError
from .condition import shown
from .model import FORMAT, Rule, RuleSet, _rule_from_dict

SET_ASIDE = "set_aside"  # the rule set's key (kept in its JSON) for the rules that were set aside


@dataclass(frozen=True)
class Salvaged:
    rules: RuleSet | None                     # None when not even the rule set's frame could be read
    set_aside: list[dict] = field(default_factory=list)  # {"rule": <its JSON>, "why": <reason>}
    problems: list[str] = field(default_factory=list)    # one line each, for the user


def _cut(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def salvage(data, check: Callable[[Rule], list[str]] | None = None) -> Salvaged:
    """The usable part of a parsed rule file (``RuleSet.from_dict`` refuses the whole file instead);
    ``check`` gives a rule's further problems (against a table's columns, say)."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or "default" not in data:
        return Salvaged(None, problems=["the saved rules are not a rule set"])
    try:
        frame = RuleSet.from_dict({**data, "rules": []})
    except RuleSetError as err:
        return Salvaged(None, problems=[f"the saved rules cannot be read: {err}"])
    kept, aside, problems = [], list(frame.meta.get(SET_ASIDE, []) or []), []
    for i, raw in enumerate(data["rules"], start=1):
        name = raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else ""
        rule, why = _rule_from_dict(raw, i)
        prefix = f"rule {i}" + (f" ({shown(name, 60)})" if name else "")
        if rule is not None:
            why = RuleSet(rules=(rule,), default=frame.default).problems()
            prefix = "rule 1" + (f" ({shown(name, 60)})" if name else "")
            if not why and check is not None:
                why, prefix = check(rule), ""
        if why:
            label = f"rule {i}" + (f" ({shown(name, 60)})" if name else "")
            reason = "; ".join(w.removeprefix(prefix).removeprefix(":").strip() for w in why)
            aside.append({"rule": raw, "why": reason})
            problems.append(f"{label} was set aside: {_cut(reason)}")
        else:
            kept.append(rule)
    if len(kept) > 2_000:
        problems.append(f"only the first 2,000 of {len(kept):,} rules were kept")
        aside += [{"rule": r.to_dict(), "why": "beyond the first 2,000 rules"} for r in kept[2_000:]]
        kept = kept[:2_000]
    meta = {k: v for k, v in frame.meta.items() if k != SET_ASIDE}
    if aside:
        meta[SET_ASIDE] = aside
    return Salvaged(replace(frame, rules=tuple(kept), meta=meta), aside, problems)


def set_aside(rules: RuleSet, indexes: dict[int, str]) -> tuple[RuleSet, list[str]]:
    """``rules`` without the rules at ``indexes`` (index -> reason), which go to the set-aside list."""
    names = rules.names()
    aside = list(rules.meta.get(SET_ASIDE, []) or [])
    aside += [{"rule": rules.rules[i].to_dict(), "why": why} for i, why in sorted(indexes.items())]
    kept = tuple(r for i, r in enumerate(rules.rules) if i not in indexes)
    meta = {**rules.meta, SET_ASIDE: aside}
    return (replace(rules, rules=kept, meta=meta),
            [f"rule {i + 1} ({shown(names[i], 60)}) was set aside: {_cut(why)}" for i, why in sorted(indexes.items())])


__all__ = ["FORMAT", "SET_ASIDE", "Salvaged", "salvage", "set_aside"]
