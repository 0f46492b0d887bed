"""A rule set checked against a table's columns: unknown columns (with the closest name), operators
that do not apply to a column's kind, values of the wrong type; and the column kinds rules imply."""

from __future__ import annotations

import datetime as dt

from ..data.schema import BOOLEAN, EMPTY, NUMERIC, OTHER, STRING, TEMPORAL, Schema
from ..errors import RuleSetError
from . import operators
from .condition import Condition, shown
from .model import RuleSet
from .operators import NONE, POLYGON

_EXPECTED = {NUMERIC: "a number", STRING: "a string", BOOLEAN: "true or false",
             TEMPORAL: "an ISO date/time string", OTHER: "nothing (this column type cannot be compared)"}


def _value_fits(kind: str, value) -> bool:
    if kind == EMPTY:
        return True
    if kind == NUMERIC:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == STRING:
        return isinstance(value, str)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    if kind == TEMPORAL:
        if not isinstance(value, str):
            return False
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            try:
                dt.time.fromisoformat(value)
            except ValueError:
                return False
        return True
    return False


_INTEGER_BITS = {"TINYINT": 8, "SMALLINT": 16, "INTEGER": 32, "BIGINT": 64, "HUGEINT": 128,
                 "UTINYINT": -8, "USMALLINT": -16, "UINTEGER": -32, "UBIGINT": -64, "UHUGEINT": -128}
_FLOAT_MAX = {"FLOAT": 3.4028234663852886e38, "REAL": 3.4028234663852886e38, "DOUBLE": 1.7976931348623157e308}


def numeric_range(duckdb_type: str) -> tuple[float, float] | None:
    """The smallest and largest value a numeric column type holds (None when unknown)."""
    t = str(duckdb_type).upper()
    if t in _INTEGER_BITS:
        bits = _INTEGER_BITS[t]
        return (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if bits > 0 else (0, 2 ** -bits - 1)
    if t in _FLOAT_MAX:
        return -_FLOAT_MAX[t], _FLOAT_MAX[t]
    if t.startswith("DECIMAL(") and t.endswith(")"):
        try:
            precision, scale = (int(x) for x in t[8:-1].split(","))
        except ValueError:
            return None
        top = 10 ** (precision - scale) - 10 ** -scale if scale else 10 ** precision - 1
        return -top, top
    return None


def _out_of_range(duckdb_type: str, value) -> str | None:
    bounds = numeric_range(duckdb_type)
    if bounds is None or not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    low, high = bounds
    if low <= value <= high:
        return None
    return f"value {value!r} is outside the range of {duckdb_type} ({low:g} … {high:g})"


def _or_list(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def condition_problems(cond: Condition, schema: Schema) -> list[str]:
    """Problems of one condition against the table's columns (unknown column, an operator that does
    not apply to the column's kind, a value of the wrong type)."""
    unknown = [c for c in cond.columns if c not in schema]
    if unknown:
        return [f"unknown column {c!r}{schema.suggest(c)}" for c in unknown]
    op = operators.get(cond.op)
    if op.shape == POLYGON:
        return [f"column {c!r} is {schema.type_of(c)}: {op.name!r} needs numeric columns"
                for c in cond.columns if schema.kind(c) not in (op.kinds | {EMPTY})]
    if op.shape == NONE:
        return []
    kind = schema.kind(cond.column)
    if kind in operators.COMPARABLE and kind not in op.kinds:
        return [f"column {cond.column!r} is {kind}: use {_or_list(operators.applying_to(kind))}"]
    bad = [v for v in cond.values() if not _value_fits(kind, v)]
    if bad:
        return [f"column {cond.column!r} is {schema.type_of(cond.column)}: value {shown(bad[0])} "
                f"is the wrong type, expected {_EXPECTED[kind]}"]
    if kind == NUMERIC:
        outside = [m for v in cond.values() if (m := _out_of_range(schema.type_of(cond.column), v))]
        if outside:
            return [f"column {cond.column!r}: {outside[0]}"]
    return []


def ruleset_problems(rules: RuleSet, schema: Schema) -> list[str]:
    """Every problem of a rule set against a table, structural ones included."""
    problems = rules.problems()
    if problems:
        return problems
    for i, rule in enumerate(rules.rules, start=1):
        label = f"rule {i}" + (f" ({shown(rule.name, 60)})" if rule.name else "")
        for cond in rule.when:
            problems.extend(f"{label}: {p}" for p in condition_problems(cond, schema))
    return problems


def check_ruleset(rules: RuleSet, schema: Schema) -> RuleSet:
    """Raise :class:`RuleSetError` with every problem of ``rules`` against ``schema``."""
    problems = ruleset_problems(rules, schema)
    if problems:
        raise RuleSetError(problems)
    return rules


def rule_column_kinds(rules: RuleSet, schema: Schema | None = None) -> dict[str, str]:
    """The kind of every column the enabled rules use: from the data's schema when given, else
    from the values the rules compare with (EMPTY where only null tests say nothing)."""
    kinds: dict[str, str] = {}
    for _, rule in rules.enabled_rules:
        for cond in rule.when:
            if cond.shape == POLYGON:  # two numeric columns
                for name in cond.columns:
                    if schema is not None and name in schema:
                        kinds[name] = schema.kind(name)
                    elif kinds.get(name, EMPTY) == EMPTY:
                        kinds[name] = NUMERIC
                continue
            if schema is not None and cond.column in schema:
                kinds[cond.column] = schema.kind(cond.column)
                continue
            values = cond.values()
            if not values:
                kinds.setdefault(cond.column, EMPTY)
                continue
            kind = (BOOLEAN if all(isinstance(v, bool) for v in values) else
                    NUMERIC if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) else
                    STRING)
            if kinds.get(cond.column, EMPTY) == EMPTY:
                kinds[cond.column] = kind
    return kinds
