"""The rule model: ordered CaseWhen rules, first hit wins, and its JSON file format.

A :class:`RuleSet` is an ordered tuple of :class:`Rule`; each rule is an AND of
:class:`Condition` and a label (``then``). A row gets the label of the first
enabled rule whose conditions all hold; when none holds it gets ``default``.
A condition on a missing (NULL) value is false, whatever the operator, except
``is null`` (as in PMML, where such a predicate is UNKNOWN and does not fire).

``in polygon`` and its geometry live in :mod:`.polygon`; what every operator means, in
SQL, numpy and PMML, lives in :mod:`.operators`.

Objects are immutable: editing returns a new rule set, which makes undo, caching
and comparison trivial.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from ..errors import RuleSetError
from .condition import Condition, Scalar, is_scalar, shown
from .limits import MAX_CONDITIONS, MAX_DEPTH, MAX_FILE_BYTES, MAX_RULES, MAX_TEXT
from .rulefile import json_depth, read_rule_file

FORMAT = "rule-studio/1"


@dataclass(frozen=True)
class Rule:
    """An AND of conditions and the label it assigns when they all hold."""

    when: tuple[Condition, ...]
    then: Scalar
    name: str = ""
    enabled: bool = True
    # 1, 1.0 and True are equal in Python but are different labels here.
    then_type: str = field(init=False, repr=False, default="")

    def __post_init__(self):
        object.__setattr__(self, "when", tuple(self.when))
        object.__setattr__(self, "then_type", type(self.then).__name__)

    def describe(self) -> str:
        return " and ".join(c.describe() for c in self.when) + f" -> {self.then!r}"

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"name": self.name,
                               "when": [c.to_dict() for c in self.when],
                               "then": self.then}
        if not self.enabled:
            out["enabled"] = False
        return out


@dataclass(frozen=True)
class RuleSet:
    """Ordered rules (first hit wins) and the default label for rows no rule decides."""

    rules: tuple[Rule, ...] = ()
    default: Scalar = 0
    target: str | None = None
    positive: Scalar | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    default_type: str = field(init=False, repr=False, default="")

    def __post_init__(self):
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "default_type", type(self.default).__name__)

    # ---- queries -------------------------------------------------------
    @property
    def enabled_rules(self) -> list[tuple[int, Rule]]:
        return [(i, r) for i, r in enumerate(self.rules) if r.enabled]

    def columns(self) -> list[str]:
        """Every column the rules refer to, in first-use order."""
        seen: dict[str, None] = {}
        for rule in self.rules:
            for cond in rule.when:
                for name in cond.columns:
                    seen.setdefault(name, None)
        return list(seen)

    def names(self) -> list[str]:
        """The name shown for each rule: its own, or ``rule N`` (1-based)."""
        return [r.name or f"rule {i}" for i, r in enumerate(self.rules, start=1)]

    def labels(self) -> list[Scalar]:
        """Every label the rule set can output (default last), without repeats."""
        out: list[Scalar] = []
        for value in [r.then for r in self.rules] + [self.default]:
            if not any(type(v) is type(value) and v == value for v in out):
                out.append(value)
        return out

    def problems(self) -> list[str]:
        """Structural problems (without looking at any data)."""
        out = []
        if len(self.rules) > MAX_RULES:
            return [f"a rule set holds at most {MAX_RULES:,} rules, this one {len(self.rules):,}"]
        if not is_scalar(self.default):
            out.append(f"the default label must be a number, string or boolean, got {shown(self.default)}")
        for i, rule in enumerate(self.rules, start=1):
            name = rule.name if isinstance(rule.name, str) else ""
            label = f"rule {i}" + (f" ({shown(name, 60)})" if name else "")
            if len(name) > MAX_TEXT:
                out.append(f"{label}: its name is longer than {MAX_TEXT:,} characters")
            if not rule.when:
                out.append(f"{label} is empty: it needs at least one condition")
            if len(rule.when) > MAX_CONDITIONS:
                out.append(f"{label} has {len(rule.when):,} conditions; a rule holds at most {MAX_CONDITIONS}")
                continue
            if not is_scalar(rule.then):
                out.append(f"{label}: its label ('then') must be a number, string or boolean")
            out.extend(f"{label}: {p}" for c in rule.when for p in c.problems())
        return out

    def check(self) -> "RuleSet":
        """Raise :class:`RuleSetError` listing every structural problem."""
        problems = self.problems()
        if problems:
            raise RuleSetError(problems)
        return self

    # ---- edits (each returns a new rule set) ----------------------------
    def add(self, rule: Rule, index: int | None = None) -> "RuleSet":
        rules = list(self.rules)
        rules.insert(len(rules) if index is None else index, rule)
        return replace(self, rules=tuple(rules))

    def replace_rule(self, index: int, rule: Rule) -> "RuleSet":
        rules = list(self.rules)
        rules[index] = rule
        return replace(self, rules=tuple(rules))

    def remove(self, index: int) -> "RuleSet":
        return replace(self, rules=self.rules[:index] + self.rules[index + 1:])

    def move(self, index: int, offset: int) -> "RuleSet":
        to = max(0, min(len(self.rules) - 1, index + offset))
        rules = list(self.rules)
        rules.insert(to, rules.pop(index))
        return replace(self, rules=tuple(rules))

    def toggle(self, index: int, enabled: bool | None = None) -> "RuleSet":
        rule = self.rules[index]
        return self.replace_rule(index, replace(rule, enabled=not rule.enabled if enabled is None else enabled))

    def with_default(self, default: Scalar) -> "RuleSet":
        return replace(self, default=default)

    # ---- file format -----------------------------------------------------
    def to_dict(self) -> dict:
        out: dict[str, Any] = {"format": FORMAT}
        if self.target is not None:
            out["target"] = self.target
        if self.positive is not None:
            out["positive"] = self.positive
        out["default"] = self.default
        out["rules"] = [r.to_dict() for r in self.rules]
        out.update({k: v for k, v in self.meta.items() if k not in out})
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: Any) -> "RuleSet":
        """Build and structurally check a rule set from parsed JSON."""
        if not isinstance(data, dict):
            raise RuleSetError("a rule file must hold a JSON object with a 'rules' list")
        problems = []
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            problems.append(f"unsupported format {fmt!r}; this version reads {FORMAT!r}")
        known = {"format", "target", "positive", "default", "rules"}
        if "default" not in data:
            problems.append("the rule set has no 'default' label")
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list):
            problems.append("'rules' must be a list")
            raw_rules = []
        rules = []
        for i, raw in enumerate(raw_rules, start=1):
            rule, rule_problems = _rule_from_dict(raw, i)
            problems.extend(rule_problems)
            if rule is not None:
                rules.append(rule)
        if problems:
            raise RuleSetError(problems)
        ruleset = cls(rules=tuple(rules), default=data["default"], target=data.get("target"),
                      positive=data.get("positive"),
                      meta={k: v for k, v in data.items() if k not in known})
        return ruleset.check()

    @classmethod
    def from_json(cls, text: str) -> "RuleSet":
        if len(text) > MAX_FILE_BYTES:
            raise RuleSetError(f"a rule file holds at most {MAX_FILE_BYTES / 1e6:g} MB")
        depth = json_depth(text)
        if depth > MAX_DEPTH:
            raise RuleSetError(f"the JSON is nested {depth:,} levels deep; a rule file needs at most {MAX_DEPTH}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise RuleSetError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
        except RecursionError:
            raise RuleSetError(f"the JSON is nested more than {MAX_DEPTH} levels deep") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> "RuleSet":
        return cls.from_json(read_rule_file(path))


_RULE_KEYS = {"name", "when", "then", "enabled"}
_CONDITION_KEYS = {"column", "op", "value"}


def _rule_from_dict(raw: Any, i: int) -> tuple[Rule | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"rule {i} must be a JSON object"]
    name = raw.get("name")
    label = f"rule {i}" + (f" ({shown(name, 60)})" if name and isinstance(name, str) else "")
    problems = [f"{label}: unknown key {shown(k, 40)}" for k in raw if k not in _RULE_KEYS]
    if "then" not in raw:
        problems.append(f"{label} has no label ('then')")
    when = raw.get("when")
    if not isinstance(when, list):
        problems.append(f"{label}: 'when' must be a list of conditions")
        when = []
    conditions = []
    for cond in when:
        if not isinstance(cond, dict) or "column" not in cond or "op" not in cond:
            problems.append(f"{label}: each condition needs 'column' and 'op'")
            continue
        problems.extend(f"{label}: unknown key {shown(k, 40)} in a condition" for k in cond if k not in _CONDITION_KEYS)
        conditions.append(Condition(cond["column"], cond["op"], cond.get("value")))
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{label}: 'enabled' must be true or false")
    name = raw.get("name", "")
    if not isinstance(name, str):
        problems.append(f"{label}: 'name' must be a string")
    if problems:
        return None, problems
    return Rule(when=tuple(conditions), then=raw["then"], name=name, enabled=enabled), []


def rule(*conditions: Condition | tuple, then: Scalar, name: str = "", enabled: bool = True) -> Rule:
    """Shorthand: ``rule(("V11", ">", 4), then=1, name="large V11")``."""
    conds = tuple(c if isinstance(c, Condition) else Condition(*c) for c in conditions)
    return Rule(when=conds, then=then, name=name, enabled=enabled)


def ruleset(rules: Iterable[Rule], default: Scalar, **kwargs) -> RuleSet:
    """Shorthand for a checked :class:`RuleSet`."""
    return RuleSet(rules=tuple(rules), default=default, **kwargs).check()
