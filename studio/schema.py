"""Column kinds from DuckDB types, and checking a rule set against a table's columns."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from .errors import RuleSetError
from .rules import NULL_OPERATORS, POLYGON, Condition, RuleSet

NUMERIC, STRING, BOOLEAN, TEMPORAL, OTHER = "numeric", "string", "boolean", "temporal", "other"
EMPTY = "empty"  # a column with no values at all (DuckDB type NULL): any comparison is false

_NUMERIC_PREFIXES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                     "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")
_TEMPORAL_PREFIXES = ("DATE", "TIMESTAMP", "TIME")


def kind_of(duckdb_type: str) -> str:
    """Map a DuckDB type name to one of numeric, string, boolean, temporal, other."""
    t = str(duckdb_type).upper().strip('"')
    if t.startswith(_NUMERIC_PREFIXES):
        return NUMERIC
    if t == "BOOLEAN":
        return BOOLEAN
    if t == "NULL":
        return EMPTY
    if t.startswith(("VARCHAR", "ENUM")) or t == "UUID":
        return STRING
    if t.startswith(_TEMPORAL_PREFIXES):
        return TEMPORAL
    return OTHER


@dataclass(frozen=True)
class Schema:
    """Ordered column names and their DuckDB types."""

    columns: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, con, relation_sql: str) -> "Schema":
        """Describe a relation (a table name or a quoted query) without reading its rows."""
        rows = con.execute(f"DESCRIBE {relation_sql}").fetchall()
        return cls(tuple((r[0], r[1]) for r in rows))

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def type_of(self, column: str) -> str:
        return dict(self.columns)[column]

    def kind(self, column: str) -> str:
        return kind_of(self.type_of(column))

    def __contains__(self, column: str) -> bool:
        return column in dict(self.columns)

    def suggest(self, column: str) -> str:
        """' (did you mean ...?)' for an unknown column name, or ''."""
        names = self.names
        lower = {n.lower(): n for n in names}
        if str(column).lower() in lower:
            return f" (did you mean {lower[str(column).lower()]!r}?)"
        close = difflib.get_close_matches(str(column), names, n=1, cutoff=0.6)
        return f" (did you mean {close[0]!r}?)" if close else ""


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


_EXPECTED = {NUMERIC: "a number", STRING: "a string", BOOLEAN: "true or false",
             TEMPORAL: "an ISO date/time string", OTHER: "nothing (this column type cannot be compared)"}


def condition_problems(cond: Condition, schema: Schema) -> list[str]:
    """Problems of one condition against the table's columns (unknown column, wrong value type)."""
    unknown = [c for c in cond.columns if c not in schema]
    if unknown:
        return [f"unknown column {c!r}{schema.suggest(c)}" for c in unknown]
    if cond.op == POLYGON:
        return [f"column {c!r} is {schema.type_of(c)}: 'in polygon' needs numeric columns"
                for c in cond.columns if schema.kind(c) not in (NUMERIC, EMPTY)]
    if cond.op in NULL_OPERATORS:
        return []
    kind = schema.kind(cond.column)
    if kind == BOOLEAN and cond.op not in ("==", "!=", "in", "not in"):
        return [f"column {cond.column!r} is boolean: use ==, !=, in or not in"]
    bad = [v for v in cond.values() if not _value_fits(kind, v)]
    if bad:
        return [f"column {cond.column!r} is {schema.type_of(cond.column)}: value {bad[0]!r} "
                f"is the wrong type, expected {_EXPECTED[kind]}"]
    return []


def ruleset_problems(rules: RuleSet, schema: Schema) -> list[str]:
    """Every problem of a rule set against a table, structural ones included."""
    problems = rules.problems()
    if problems:
        return problems
    for i, rule in enumerate(rules.rules, start=1):
        label = f"rule {i}" + (f" ({rule.name!r})" if rule.name else "")
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
            if cond.op == POLYGON:  # two numeric columns
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
