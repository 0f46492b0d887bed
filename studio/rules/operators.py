"""The operator registry: every condition operator, defined once.

An :class:`Operator` holds everything the studio knows about one operator:

- its ``name`` and ``aliases`` (a rule file may use an alias; it is read as the name);
- the ``shape`` of its value: none, one scalar, a ``[low, high]`` pair, a list, a polygon;
- the column ``kinds`` it applies to, and the kinds the rule form ``offers`` it for;
- its ``sql``: a sqlglot builder from the column's operand and the value's literals;
- its ``numpy`` test on the present (non-missing) values, whose source the Python exports copy;
- ``cdf``: for a comparison with one bound, its count from the counts at or below the bound
  and strictly below it (how mining counts thresholds from histograms);
- its ``pmml`` form (a SimplePredicate operator, a pair of them, a set predicate) or the reason
  PMML refuses it, and whether it ``orders`` values (PMML orders numbers only);
- ``nan_may_hold``: whether it could hold on NaN (SQL engines sort NaN above every number), so
  the compiler guards the column;
- ``sentence``: how it reads in plain words.

Compilation, pyeval (and through it the estimator and the Python exports), PMML, schema checks,
the rule form, the proposal editor and mining's counting all read this registry: a new operator
is one :func:`register` call.

A missing value never satisfies an operator, except the null tests, which look at missingness
itself (their numpy test receives the missing mask).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlglot import exp

from ..data.schema import BOOLEAN, EMPTY, NUMERIC, STRING, TEMPORAL
from . import polygon

NONE, SCALAR, PAIR, LIST, POLYGON = "none", "scalar", "pair", "list", "polygon"
SHAPES = (NONE, SCALAR, PAIR, LIST, POLYGON)
COMPARABLE = frozenset({NUMERIC, STRING, BOOLEAN, TEMPORAL})  # kinds a value can be compared with

SqlBuilder = Callable[[tuple, Any, Callable[[Any], exp.Expression]], exp.Expression]


@dataclass(frozen=True)
class Operator:
    name: str
    shape: str
    kinds: frozenset[str]
    sql: SqlBuilder
    numpy: Callable | None
    sentence: str
    offers: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    cdf: Callable[[int, int, int], int] | None = None
    pmml: str | tuple[str, str] | None = None
    pmml_refusal: str = ""
    orders: bool = False
    nan_may_hold: bool = False
    doc: str = field(default="", compare=False)

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise ValueError(f"operator {self.name!r}: unknown value shape {self.shape!r}")

    def describe(self, column: str, value) -> str:
        """The condition in the studio's compact notation (``V14 < -8``)."""
        if self.shape == NONE:
            return f"{column} {self.name}"
        if self.shape == PAIR:
            return f"{column} {self.name} {value[0]!r} and {value[1]!r}"
        if self.shape == LIST:
            return f"{column} {self.name} ({', '.join(repr(v) for v in value)})"
        if self.shape == POLYGON:
            return f"({column}, {value.y}) {self.name} of {len(value.vertices)} vertices"
        return f"{column} {self.name} {value!r}"

    def read(self, column: str, value) -> str:
        """The condition in plain words (``V14 is below -8``)."""
        if self.shape == PAIR:
            return self.sentence.format(column=column, low=_plain(value[0]), high=_plain(value[1]))
        if self.shape == LIST:
            return self.sentence.format(column=column, values=", ".join(_plain(v) for v in value))
        if self.shape == POLYGON:
            return self.sentence.format(column=column, y=value.y, n=len(value.vertices))
        return self.sentence.format(column=column, value=_plain(value))


def _plain(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


# ---- numpy tests: standalone functions (the Python exports copy their source) -----------------
def _less(x, value):
    return x < value


def _less_equal(x, value):
    return x <= value


def _greater(x, value):
    return x > value


def _greater_equal(x, value):
    return x >= value


def _equal(x, value):
    return x == value


def _not_equal(x, value):
    return x != value


def _between(x, value):
    return (x >= value[0]) & (x <= value[1])


def _is_in(x, value):
    import pandas as pd
    return pd.Series(x, dtype=object if x.dtype == object else None).isin(list(value)).to_numpy()


def _is_not_in(x, value):
    import pandas as pd
    return ~pd.Series(x, dtype=object if x.dtype == object else None).isin(list(value)).to_numpy()


def _is_missing(missing, value):
    return missing


def _is_present(missing, value):
    return ~missing


# ---- SQL builders ------------------------------------------------------------------------------
def _compare(node: type[exp.Expression]) -> SqlBuilder:
    return lambda operands, value, lit: node(this=operands[0], expression=lit(value))


def _between_sql(operands, value, lit):
    return exp.Between(this=operands[0], low=lit(value[0]), high=lit(value[1]))


def _in_sql(operands, value, lit):
    return exp.In(this=operands[0], expressions=[lit(v) for v in value])


def _not_in_sql(operands, value, lit):
    return exp.Not(this=exp.Paren(this=_in_sql(operands, value, lit)))


def _null_sql(operands, value, lit):
    return exp.Is(this=operands[0], expression=exp.Null())


def _not_null_sql(operands, value, lit):
    return exp.Not(this=_null_sql(operands, value, lit))


def _polygon_sql(operands, value, lit):
    return polygon.polygon_sql(operands[0], operands[1], value)


ORDERED = frozenset({NUMERIC, STRING, TEMPORAL})
ANY = frozenset({NUMERIC, STRING, BOOLEAN, TEMPORAL})
_NUMBERS_AND_TIMES = frozenset({NUMERIC, TEMPORAL})

_REGISTRY: dict[str, Operator] = {}
_ALIASES: dict[str, str] = {}


def register(op: Operator) -> Operator:
    """Add an operator (or replace one of the same name); returns it."""
    for alias in (op.name, *op.aliases):
        owner = _ALIASES.get(alias)
        if owner is not None and owner != op.name:
            raise ValueError(f"{alias!r} already names the operator {owner!r}")
    unregister(op.name)
    _REGISTRY[op.name] = op
    for alias in (op.name, *op.aliases):
        _ALIASES[alias] = op.name
    return op


def unregister(name: str) -> None:
    """Remove an operator and its aliases (nothing happens for an unknown name)."""
    op = _REGISTRY.pop(name, None)
    if op is not None:
        for alias in (op.name, *op.aliases):
            _ALIASES.pop(alias, None)


def canonical(name: Any) -> Any:
    """The operator's name for a name or an alias; anything else as it is."""
    return _ALIASES.get(name, name) if isinstance(name, str) else name


def get(name: str) -> Operator:
    """The operator called ``name`` (or by one of its aliases); KeyError when there is none."""
    return _REGISTRY[_ALIASES[name]]


def known(name: Any) -> bool:
    return isinstance(name, str) and name in _ALIASES


def names() -> tuple[str, ...]:
    """Every operator's name, in registration order."""
    return tuple(_REGISTRY)


def all_operators() -> tuple[Operator, ...]:
    return tuple(_REGISTRY.values())


def closest(name: Any) -> str | None:
    """The operator name closest to a misspelt one, or None."""
    hit = difflib.get_close_matches(str(name), names(), n=1)
    return hit[0] if hit else None


def offered_for(kind: str) -> tuple[str, ...]:
    """The operators the rule form offers for a column kind, in registration order."""
    return tuple(op.name for op in _REGISTRY.values() if kind in op.offers)


def applying_to(kind: str, shapes: tuple[str, ...] = (SCALAR, PAIR, LIST)) -> tuple[str, ...]:
    """The operators that apply to a column kind and take a value of one of ``shapes``."""
    return tuple(op.name for op in _REGISTRY.values() if kind in op.kinds and op.shape in shapes)


class OperatorNames:
    """A live, read-only sequence of the registered operators' names."""

    def __iter__(self):
        return iter(names())

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __contains__(self, name) -> bool:
        return name in _REGISTRY

    def __getitem__(self, i):
        return names()[i]

    def __repr__(self) -> str:
        return repr(names())


OPERATORS = OperatorNames()

for _op in (
    Operator("<", SCALAR, ORDERED, _compare(exp.LT), _less, "{column} is below {value}", _NUMBERS_AND_TIMES,
             ("lt",), cdf=lambda at, under, total: under, pmml="lessThan", orders=True),
    Operator("<=", SCALAR, ORDERED, _compare(exp.LTE), _less_equal, "{column} is at most {value}",
             _NUMBERS_AND_TIMES, ("le", "=<"), cdf=lambda at, under, total: at, pmml="lessOrEqual", orders=True),
    Operator(">", SCALAR, ORDERED, _compare(exp.GT), _greater, "{column} is above {value}", _NUMBERS_AND_TIMES,
             ("gt",), cdf=lambda at, under, total: total - at, pmml="greaterThan", orders=True, nan_may_hold=True),
    Operator(">=", SCALAR, ORDERED, _compare(exp.GTE), _greater_equal, "{column} is at least {value}",
             _NUMBERS_AND_TIMES, ("ge", "=>"), cdf=lambda at, under, total: total - under, pmml="greaterOrEqual",
             orders=True, nan_may_hold=True),
    Operator("==", SCALAR, ANY, _compare(exp.EQ), _equal, "{column} is {value}",
             frozenset({NUMERIC, STRING, BOOLEAN}), ("=", "eq"), cdf=lambda at, under, total: at - under,
             pmml="equal"),
    Operator("!=", SCALAR, ANY, _compare(exp.NEQ), _not_equal, "{column} is not {value}",
             frozenset({NUMERIC, STRING, BOOLEAN}), ("<>", "ne"), cdf=lambda at, under, total: total - (at - under),
             pmml="notEqual", nan_may_hold=True),
    Operator("between", PAIR, ORDERED, _between_sql, _between, "{column} is between {low} and {high} (both included)",
             _NUMBERS_AND_TIMES, pmml=("greaterOrEqual", "lessOrEqual"), orders=True),
    Operator("in", LIST, ANY, _in_sql, _is_in, "{column} is one of {values}", frozenset({STRING}), ("isin",),
             pmml="isIn"),
    Operator("not in", LIST, ANY, _not_in_sql, _is_not_in, "{column} is none of {values}", frozenset({STRING}),
             ("not_in", "notin"), pmml="isNotIn", nan_may_hold=True),
    Operator("is null", NONE, ANY | {EMPTY}, _null_sql, _is_missing, "{column} is missing",
             ANY, ("is_null", "isnull", "is missing"), pmml="isMissing", nan_may_hold=True),
    Operator("is not null", NONE, ANY | {EMPTY}, _not_null_sql, _is_present, "{column} is present",
             ANY, ("is_not_null", "notnull", "is not missing"), pmml="isNotMissing", nan_may_hold=True),
    Operator("in polygon", POLYGON, frozenset({NUMERIC}), _polygon_sql, polygon.polygon_mask,
             "({column}, {y}) lies inside a polygon of {n} vertices", frozenset(), ("in_polygon",),
             pmml_refusal="a PMML predicate compares one field with constants, and a polygon would need derived "
                          "fields"),
):
    register(_op)
