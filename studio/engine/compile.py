"""Rules compiled to SQL expressions with sqlglot: one condition per operator's builder in the
registry (:mod:`studio.rules.operators`), columns and values through the one quoting path
(:mod:`studio.data.quoting`). The same expression tree renders to DuckDB (what the studio
evaluates with) and to any dialect sqlglot writes.

NULL semantics: a condition on a NULL value is NULL, and ``CASE WHEN`` treats NULL as not true,
so the rule does not fire (PMML's firstHit does the same). A floating NaN counts as missing.

``in polygon`` compiles to the arithmetic documented in :mod:`studio.rules.polygon`, in DOUBLE
throughout: both columns are cast to DOUBLE, every constant is ``CAST('<shortest decimal>' AS
DOUBLE)``, which every engine reads with a correctly rounded text-to-double conversion.
"""

from __future__ import annotations

from functools import lru_cache

from sqlglot import exp

from ..data.labels import canonical
from ..data.quoting import as_double, column, literal
from ..data.schema import Schema
from ..rules import operators
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet

_FLOATS = ("FLOAT", "REAL", "FLOAT4", "DOUBLE", "FLOAT8")
_NAN = exp.Cast(this=exp.Literal.string("NaN"), to=exp.DataType.build("DOUBLE"))


def operand(name: str, ctype: str | None, nan_may_hold: bool = True) -> exp.Expression:
    """The column as a condition sees it: a floating NaN counts as missing (NULL), and single
    precision is compared in double precision, as pandas and PMML do. NaN needs a guard only
    where the operator could hold on it (NaN sorts above every number)."""
    col = column(name)
    if ctype is None or ctype.upper() not in _FLOATS:
        return col
    if ctype.upper() != "DOUBLE" and ctype.upper() != "FLOAT8":
        col = exp.cast(col, "DOUBLE")
    if not nan_may_hold:
        return col
    return exp.Nullif(this=col, expression=_NAN.copy())


def coordinate(name: str, ctype: str | None) -> exp.Expression:
    """A column as a polygon coordinate (or a drawn number): DOUBLE, NaN counted as missing (NULL).
    Only columns known not to be floating need no NaN guard."""
    col = as_double(column(name))
    if ctype is not None and ctype.upper() not in _FLOATS:
        return col
    return exp.Nullif(this=col, expression=_NAN.copy())


def _type_of(name: str, schema: Schema | None) -> str | None:
    return schema.type_of(name) if schema is not None and name in schema else None


def condition_sql(cond: Condition, schema: Schema | None = None, ready: dict | None = None) -> exp.Expression:
    """The boolean expression of one condition, built by its operator. ``ready`` maps a column to the
    name of a column holding its operand already (a floating column with NaN as NULL, computed once
    for many conditions: less for DuckDB to plan)."""
    op = operators.get(cond.op)
    if op.shape == operators.POLYGON:
        operands = tuple(coordinate(c, _type_of(c, schema)) for c in cond.columns)
    elif ready and cond.column in ready:
        operands = (column(ready[cond.column]),)
    else:
        operands = (operand(cond.column, _type_of(cond.column, schema), op.nan_may_hold),)
    ctype = _type_of(cond.column, schema)
    return op.sql(operands, cond.value, lambda v: literal(v, ctype))


def rule_sql(rule: Rule, schema: Schema | None = None, ready: dict | None = None) -> exp.Expression:
    """The AND of a rule's conditions."""
    parts = [condition_sql(c, schema, ready) for c in rule.when]
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
    names = rules.names()
    case = exp.Case()
    for i, rule in rules.enabled_rules:
        case = case.when(rule_sql(rule, schema), exp.Literal.string(names[i]))
    if not case.args.get("ifs"):
        return exp.cast(exp.Null(), "VARCHAR")
    return case.else_(exp.Null())


def fired_index_sql(rules: RuleSet, schema: Schema | None = None) -> exp.Expression:
    """The index (in ``rules.rules``) of the first enabled rule that fires, -1 when the default applies."""
    case = exp.Case()
    for i, rule in rules.enabled_rules:
        case = case.when(rule_sql(rule, schema), exp.Literal.number(i))
    if not case.args.get("ifs"):
        return exp.Literal.number(-1)
    return case.else_(exp.Literal.number(-1))


_INFINITY = exp.Cast(this=exp.Literal.string("Infinity"), to=exp.DataType.build("DOUBLE"))


def _is_nan_guard(node: exp.Expression) -> bool:
    return isinstance(node, exp.Nullif) and node.expression == _NAN


def lighter_nan_guards(node: exp.Expression) -> exp.Expression:
    """``NULLIF(x, NaN) > v`` (or ``>=``, ``!=``) as ``x > v AND x <= +Infinity``, which DuckDB
    computes about a quarter faster. Only where the condition's truth alone matters — at the top of
    a rule or under AND / OR: NaN sorts above +Infinity, so both are true on the same rows (on NaN one
    is FALSE where the other is NULL, the same under AND / OR and in ``CASE WHEN``)."""
    if isinstance(node, (exp.GT, exp.GTE, exp.NEQ)) and _is_nan_guard(node.this):
        x = node.this.this
        return exp.Paren(this=exp.and_(type(node)(this=x.copy(), expression=node.expression.copy()),
                                       exp.LTE(this=x.copy(), expression=_INFINITY.copy())))
    if isinstance(node, (exp.And, exp.Or, exp.Paren)):
        for key in ("this", "expression"):
            if isinstance(node.args.get(key), exp.Expression):
                node.set(key, lighter_nan_guards(node.args[key]))
    return node


@lru_cache(maxsize=8192)
def rule_duckdb(when: tuple[Condition, ...], schema: Schema | None = None, ready: tuple = ()) -> str:
    """DuckDB text of a rule's condition (memoised: refreshes recompile nothing); ``ready`` as in
    :func:`condition_sql`, as (column, operand column) pairs. Its NaN guards are the lighter kind
    (:func:`lighter_nan_guards`)."""
    return lighter_nan_guards(rule_sql(Rule(when=when, then=0), schema, dict(ready))).sql("duckdb")


def float_operands(schema: Schema, columns) -> dict[str, str]:
    """For the floating columns among ``columns``: the name of a column to hold each as a condition
    reads it (NaN as NULL), ``__rs_g<k>``; :func:`float_operand_sql` computes them."""
    names = [c for c in dict.fromkeys(columns) if c in schema and schema.type_of(c).upper() in _FLOATS]
    return {c: f"__rs_g{k}" for k, c in enumerate(names)}


def float_operand_sql(schema: Schema, ready: dict[str, str]) -> str:
    """``NULLIF(column, NaN) AS __rs_g<k>, ...`` for :func:`float_operands`."""
    return ", ".join(f"{operand(c, schema.type_of(c)).sql('duckdb')} AS {alias}" for c, alias in ready.items())


def mask_words(rules: list[Rule], bits: int, schema: Schema | None = None, skip: set[int] = frozenset(),
               kind: str = "BIGINT") -> list[str]:
    """DuckDB expressions of which rules match a row: word w has bit k set when rule
    ``bits*w + k`` holds. Every rule is included, enabled or not, so toggling a
    rule needs no new query; the rules in ``skip`` (which DuckDB cannot evaluate) match nothing.
    ``kind``: the words' type (INTEGER when they fit: a narrower key groups faster)."""
    words = []
    for start in range(0, len(rules), bits):
        terms = [f"CASE WHEN {rule_duckdb(r.when, schema)} THEN {1 << k} ELSE 0 END"
                 if start + k not in skip else "0" for k, r in enumerate(rules[start:start + bits])]
        words.append(f"CAST({' + '.join(terms)} AS {kind})")
    return words or [f"CAST(0 AS {kind})"]


def _label(lits: list, value) -> exp.Expression:
    for key, lit in lits:
        if type(key) is type(value) and key == value:
            return lit.copy()
    raise KeyError(value)
