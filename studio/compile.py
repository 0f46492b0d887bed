"""Compile rules to SQL expressions through one quoting path: sqlglot's expression builder.

Column names become quoted identifiers and values become literals built by
sqlglot, never pasted text, so ``a"; DROP TABLE t; --`` is just a column name.
The same expression tree renders to DuckDB (what the studio evaluates with) and
to any dialect sqlglot writes.

NULL semantics: a condition on a NULL value is NULL, and ``CASE WHEN`` treats
NULL as not true, so the rule does not fire (PMML's firstHit does the same).
"""

from __future__ import annotations

from functools import lru_cache

from sqlglot import exp

from .labels import canonical
from .rules import Condition, Rule, RuleSet
from .schema import TEMPORAL, Schema, kind_of

_COMPARISON_NODES = {"<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE, "==": exp.EQ, "!=": exp.NEQ}

def column(name: str) -> exp.Column:
    """A quoted column reference."""
    return exp.Column(this=exp.Identifier(this=name, quoted=True))


def literal(value, duckdb_type: str | None = None) -> exp.Expression:
    """A SQL literal for a JSON scalar; temporal columns get a typed cast."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(str(value))
    if isinstance(value, float):
        return exp.Literal.number(repr(value))
    if duckdb_type is not None and kind_of(duckdb_type) == TEMPORAL:
        return exp.cast(exp.Literal.string(value), duckdb_type, dialect="duckdb")
    return exp.Literal.string(str(value))


_FLOATS = ("FLOAT", "REAL", "FLOAT4", "DOUBLE", "FLOAT8")


# SQL engines order NaN above every number, so only these operators could be true on NaN.
_NAN_SENSITIVE = (">", ">=", "!=", "not in", "is null", "is not null")


def operand(name: str, ctype: str | None, op: str = "is null") -> exp.Expression:
    """The column as a condition sees it: a floating NaN counts as missing (NULL), and single
    precision is compared in double precision, as pandas and PMML do. NaN needs a guard only
    where an operator could hold on it (NaN sorts above every number)."""
    col = column(name)
    if ctype is None or ctype.upper() not in _FLOATS:
        return col
    if ctype.upper() != "DOUBLE" and ctype.upper() != "FLOAT8":
        col = exp.cast(col, "DOUBLE")
    if op not in _NAN_SENSITIVE:
        return col
    return exp.Nullif(this=col, expression=exp.cast(exp.Literal.string("NaN"), "DOUBLE"))


def condition_sql(cond: Condition, schema: Schema | None = None) -> exp.Expression:
    """The boolean expression of one condition."""
    ctype = schema.type_of(cond.column) if schema is not None and cond.column in schema else None
    col = operand(cond.column, ctype, cond.op)
    op = cond.op
    if op in _COMPARISON_NODES:
        return _COMPARISON_NODES[op](this=col, expression=literal(cond.value, ctype))
    if op == "between":
        low, high = cond.value
        return exp.Between(this=col, low=literal(low, ctype), high=literal(high, ctype))
    if op in ("in", "not in"):
        test = exp.In(this=col, expressions=[literal(v, ctype) for v in cond.value])
        return test if op == "in" else exp.Not(this=exp.Paren(this=test))
    if op == "is null":
        return exp.Is(this=col, expression=exp.Null())
    if op == "is not null":
        return exp.Not(this=exp.Is(this=col, expression=exp.Null()))
    raise ValueError(f"unknown operator {op!r}")


def rule_sql(rule: Rule, schema: Schema | None = None) -> exp.Expression:
    """The AND of a rule's conditions."""
    parts = [condition_sql(c, schema) for c in rule.when]
    return parts[0] if len(parts) == 1 else exp.and_(*[exp.Paren(this=p) for p in parts])


def label_literals(rules: RuleSet) -> list[tuple[object, exp.Expression]]:
    """(label value, SQL literal) pairs, typed alike for every output: numbers,
    booleans, or (when the labels mix types) canonical strings."""
    labels = rules.labels()
    if all(isinstance(v, bool) for v in labels):
        return [(v, exp.Boolean(this=v)) for v in labels]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in labels):
        return [(v, literal(v)) for v in labels]
    return [(v, exp.Literal.string(canonical(v))) for v in labels]


def rule_names(rules: RuleSet) -> list[str]:
    """The name shown for each rule: its own, or ``rule N`` (1-based)."""
    return [r.name or f"rule {i}" for i, r in enumerate(rules.rules, start=1)]


def prediction_sql(rules: RuleSet, schema: Schema | None = None) -> exp.Expression:
    """``CASE WHEN rule1 THEN label1 ... ELSE default END`` over the enabled rules."""
    lits = label_literals(rules)
    case = exp.Case()
    for _, rule in rules.enabled_rules:
        case = case.when(rule_sql(rule, schema), _label(lits, rule.then))
    if not case.args.get("ifs"):
        return _label(lits, rules.default)
    return case.else_(_label(lits, rules.default))


def fired_rule_sql(rules: RuleSet, schema: Schema | None = None) -> exp.Expression:
    """The name of the first enabled rule that fires, NULL when the default applies."""
    names = rule_names(rules)
    case = exp.Case()
    for i, rule in rules.enabled_rules:
        case = case.when(rule_sql(rule, schema), exp.Literal.string(names[i]))
    if not case.args.get("ifs"):
        return exp.cast(exp.Null(), "VARCHAR")
    return case.else_(exp.Null())


@lru_cache(maxsize=4096)
def rule_duckdb(when: tuple[Condition, ...], schema: Schema | None = None) -> str:
    """DuckDB text of a rule's condition (memoised: refreshes recompile nothing)."""
    return rule_sql(Rule(when=when, then=0), schema).sql("duckdb")


def mask_words(rules: list[Rule], bits: int, schema: Schema | None = None) -> list[str]:
    """DuckDB expressions of which rules match a row: word w has bit k set when rule
    ``bits*w + k`` holds. Every rule is included, enabled or not, so toggling a
    rule needs no new query."""
    words = []
    for start in range(0, len(rules), bits):
        terms = [f"CASE WHEN {rule_duckdb(r.when, schema)} THEN {1 << k} ELSE 0 END"
                 for k, r in enumerate(rules[start:start + bits])]
        words.append(f"CAST({' + '.join(terms)} AS BIGINT)")
    return words or ["CAST(0 AS BIGINT)"]


def _label(lits: list, value) -> exp.Expression:
    for key, lit in lits:
        if type(key) is type(value) and key == value:
            return lit.copy()
    raise KeyError(value)
