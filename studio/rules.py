"""The rule model: ordered CaseWhen rules, first hit wins, and its JSON file format.

A :class:`RuleSet` is an ordered tuple of :class:`Rule`; each rule is an AND of
:class:`Condition` and a label (``then``). A row gets the label of the first
enabled rule whose conditions all hold; when none holds it gets ``default``.
A condition on a missing (NULL) value is false, whatever the operator, except
``is null`` (as in PMML, where such a predicate is UNKNOWN and does not fire).

``in polygon`` holds when the point (x, y) of two numeric columns lies inside a
closed polygon (the edge from the last vertex back to the first is implied) or on
its boundary: a point on an edge or a vertex is inside, as ``between`` includes its
bounds. A missing x or y (NULL, NaN) makes it false. Self-crossing polygons follow
the even-odd rule. The test is this IEEE double arithmetic, the same in SQL and numpy,
so every rendering agrees bit for bit. For each edge (xi, yi) -> (xj, yj), with
``xj - xi`` and ``yj - yi`` computed once as doubles:

    cross   = (xj - xi) * (py - yi) - (px - xi) * (yj - yi)
    on_edge = cross == 0 and min(xi, xj) <= px <= max(xi, xj) and min(yi, yj) <= py <= max(yi, yj)
    crosses = yi <= py < yj and cross > 0     when yi < yj
              yj <= py < yi and cross < 0     when yi > yj  (a horizontal edge never crosses)

and the point is inside when it lies in the polygon's bounding box and either some
``on_edge`` holds or the number of edges it ``crosses`` is odd. Coordinates are
finite numbers within +-1e150, so that none of these products overflows.

Objects are immutable: editing returns a new rule set, which makes undo, caching
and comparison trivial.
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from .errors import RuleSetError

FORMAT = "rule-studio/1"

COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
SET_OPERATORS = ("in", "not in")
NULL_OPERATORS = ("is null", "is not null")
POLYGON = "in polygon"
OPERATORS = COMPARISONS + ("between",) + SET_OPERATORS + NULL_OPERATORS + (POLYGON,)

Scalar = bool | int | float | str

# Largest polygon coordinate: within it, no product of the point-in-polygon test overflows.
MAX_COORDINATE = 1e150


def _is_scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (bool, int, str))


def _is_coordinate(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value) and abs(value) <= MAX_COORDINATE
    except OverflowError:  # an integer too large for a float
        return False


@dataclass(frozen=True)
class Polygon:
    """The value of an ``in polygon`` condition: the y column and the vertices ``((x, y), ...)``
    of a closed polygon (the last vertex joins the first)."""

    y: str
    vertices: tuple[tuple[float, float], ...]

    def __post_init__(self):
        if isinstance(self.vertices, (list, tuple)):
            object.__setattr__(self, "vertices", tuple(tuple(v) if isinstance(v, (list, tuple)) else v
                                                       for v in self.vertices))

    @classmethod
    def from_value(cls, value: Any) -> Any:
        """A Polygon from its JSON form ``{"y": ..., "vertices": [[x, y], ...]}``; anything
        else is returned as it is (for :meth:`Condition.problems` to report)."""
        if (isinstance(value, dict) and set(value) == {"y", "vertices"}
                and isinstance(value["vertices"], (list, tuple))):
            return cls(y=value["y"], vertices=value["vertices"])
        return value

    def problems(self, column: str) -> list[str]:
        if not isinstance(self.y, str) or not self.y:
            return ["'in polygon' needs the name of its y column ('y')"]
        if self.y == column:
            return [f"'in polygon' needs two different columns, got {column!r} for both x and y"]
        if not isinstance(self.vertices, tuple):
            return [f"'in polygon' needs a list of [x, y] vertices, got {self.vertices!r}"]
        if len(self.vertices) < 3:
            return [f"'in polygon' needs at least 3 vertices, got {len(self.vertices)}"]
        for k, vertex in enumerate(self.vertices, start=1):
            if not (isinstance(vertex, tuple) and len(vertex) == 2 and all(_is_coordinate(v) for v in vertex)):
                shown = list(vertex) if isinstance(vertex, tuple) else vertex
                return [f"'in polygon' vertex {k} must be an [x, y] pair of finite numbers within "
                        f"±{MAX_COORDINATE:g}, got {shown!r}"]
        return []

    def to_dict(self) -> dict:
        return {"y": self.y, "vertices": [list(v) if isinstance(v, tuple) else v for v in self.vertices]}


@dataclass(frozen=True)
class Condition:
    """``column op value``; ``value`` is a scalar, a ``(low, high)`` pair for
    ``between`` (inclusive), a tuple for ``in``/``not in``, None for the null tests,
    and a :class:`Polygon` for ``in polygon`` (``column`` is then the x column)."""

    column: str
    op: str
    value: Any = None

    def __post_init__(self):
        if self.op == POLYGON:
            object.__setattr__(self, "value", Polygon.from_value(self.value))
        elif isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns this condition reads: ``(x, y)`` for a polygon, else ``(column,)``."""
        if self.op == POLYGON and isinstance(self.value, Polygon) and isinstance(self.value.y, str):
            return (self.column, self.value.y)
        return (self.column,)

    def problems(self) -> list[str]:
        """Structural problems (without looking at any data)."""
        where = f"condition on {self.column!r}"
        if not isinstance(self.column, str) or not self.column:
            return ["a condition has no column"]
        if self.op not in OPERATORS:
            hint = difflib.get_close_matches(str(self.op), OPERATORS, n=1)
            tip = f" (did you mean {hint[0]!r}?)" if hint else ""
            return [f"{where}: unknown operator {self.op!r}{tip}; use one of {', '.join(OPERATORS)}"]
        if self.op in NULL_OPERATORS:
            if self.value is not None:
                return [f"{where}: {self.op!r} takes no value"]
            return []
        if self.op == POLYGON:
            if not isinstance(self.value, Polygon):
                return [f'{where}: \'in polygon\' needs {{"y": <column>, "vertices": [[x, y], ...]}}, '
                        f"got {self.value!r}"]
            return [f"{where}: {p}" for p in self.value.problems(self.column)]
        if self.op == "between":
            if not (isinstance(self.value, tuple) and len(self.value) == 2
                    and all(_is_scalar(v) and not isinstance(v, bool) for v in self.value)):
                return [f"{where}: 'between' needs a [low, high] pair of numbers or strings"]
            if isinstance(self.value[0], str) != isinstance(self.value[1], str):
                return [f"{where}: 'between' bounds must be of one type"]
            if self.value[0] > self.value[1]:
                return [f"{where}: 'between' low {self.value[0]!r} is above high {self.value[1]!r}"]
            return []
        if self.op in SET_OPERATORS:
            if not isinstance(self.value, tuple) or not self.value:
                return [f"{where}: {self.op!r} needs a non-empty list of values"]
            if not all(_is_scalar(v) for v in self.value):
                return [f"{where}: {self.op!r} values must be numbers, strings or booleans (no null)"]
            return []
        if not _is_scalar(self.value):
            return [f"{where}: {self.op!r} needs one number, string or boolean, got {self.value!r}"]
        return []

    def values(self) -> tuple:
        """The literal values this condition compares with."""
        if self.value is None or self.op == POLYGON:
            return ()
        return self.value if isinstance(self.value, tuple) else (self.value,)

    def describe(self) -> str:
        if self.op == POLYGON:
            return f"({self.column}, {self.value.y}) in polygon of {len(self.value.vertices)} vertices"
        if self.op in NULL_OPERATORS:
            return f"{self.column} {self.op}"
        if self.op == "between":
            return f"{self.column} between {self.value[0]!r} and {self.value[1]!r}"
        if self.op in SET_OPERATORS:
            return f"{self.column} {self.op} ({', '.join(repr(v) for v in self.value)})"
        return f"{self.column} {self.op} {self.value!r}"

    def to_dict(self) -> dict:
        out = {"column": self.column, "op": self.op}
        if isinstance(self.value, Polygon):
            out["value"] = self.value.to_dict()
        elif self.value is not None:
            out["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return out


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
        if not _is_scalar(self.default):
            out.append(f"the default label must be a number, string or boolean, got {self.default!r}")
        for i, rule in enumerate(self.rules, start=1):
            label = f"rule {i}" + (f" ({rule.name!r})" if rule.name else "")
            if not rule.when:
                out.append(f"{label} is empty: it needs at least one condition")
            if not _is_scalar(rule.then):
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
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise RuleSetError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> "RuleSet":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RuleSetError(f"rule file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise RuleSetError(f"cannot read rule file {path}: {err}") from None
        return cls.from_json(text)


_RULE_KEYS = {"name", "when", "then", "enabled"}
_CONDITION_KEYS = {"column", "op", "value"}


def _rule_from_dict(raw: Any, i: int) -> tuple[Rule | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"rule {i} must be a JSON object"]
    label = f"rule {i}" + (f" ({raw.get('name')!r})" if raw.get("name") else "")
    problems = [f"{label}: unknown key {k!r}" for k in raw if k not in _RULE_KEYS]
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
        problems.extend(f"{label}: unknown key {k!r} in a condition" for k in cond if k not in _CONDITION_KEYS)
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
