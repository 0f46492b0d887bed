"""Compile rules to SQL expressions through one quoting path: sqlglot's expression builder.

Column names become quoted identifiers and values become literals built by
sqlglot, never pasted text, so ``a"; DROP TABLE t; --`` is just a column name.
The same expression tree renders to DuckDB (what the studio evaluates with) and
to any dialect sqlglot writes.

NULL semantics: a condition on a NULL value is NULL, and ``CASE WHEN`` treats
NULL as not true, so the rule does not fire (PMML's firstHit does the same).

``in polygon`` compiles to the arithmetic documented in :mod:`studio.rules`, in
DOUBLE throughout: both columns are cast to DOUBLE, and every constant is
``CAST('<shortest decimal>' AS DOUBLE)``, which every engine reads with a correctly
rounded text-to-double conversion (a bare ``0.1`` is a DECIMAL in DuckDB and Spark).
"""

from __future__ import annotations

from functools import lru_cache

from sqlglot import exp

from .labels import canonical
from .rules import POLYGON, Condition, Rule, RuleSet
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


def _type_of(name: str, schema: Schema | None) -> str | None:
    return schema.type_of(name) if schema is not None and name in schema else None


_DOUBLE = exp.DataType.build("DOUBLE")


def double(value: float) -> exp.Expression:
    """A double-precision constant that every engine reads as exactly ``float(value)``."""
    return exp.Cast(this=exp.Literal.string(repr(float(value))), to=_DOUBLE.copy())


def coordinate(name: str, ctype: str | None) -> exp.Expression:
    """A column as a polygon coordinate: DOUBLE, NaN counted as missing (NULL). Only columns
    known not to be floating need no NaN guard."""
    col = exp.Cast(this=column(name), to=_DOUBLE.copy())
    if ctype is not None and ctype.upper() not in _FLOATS:
        return col
    return exp.Nullif(this=col, expression=exp.Cast(this=exp.Literal.string("NaN"), to=_DOUBLE.copy()))


def polygon_sql(cond: Condition, schema: Schema | None = None) -> exp.Expression:
    """Whether (x, y) lies inside the polygon or on its boundary: the bounding box, then any edge
    holding the point, or an odd number of edges crossing the ray from the point towards +x.
    NULL when x or y is missing, so the rule does not fire."""
    poly = cond.value
    px = coordinate(cond.column, _type_of(cond.column, schema))
    py = coordinate(poly.y, _type_of(poly.y, schema))
    points = [(float(a), float(b)) for a, b in poly.vertices]

    def within(value: exp.Expression, a: float, b: float) -> exp.Expression:
        return exp.Between(this=value.copy(), low=double(min(a, b)), high=double(max(a, b)))

    xs, ys = [a for a, _ in points], [b for _, b in points]
    box = exp.and_(within(px, min(xs), max(xs)), within(py, min(ys), max(ys)), copy=False)
    on_edges, crossings = [], []
    for (xi, yi), (xj, yj) in zip(points, points[1:] + points[:1]):
        dx, dy = xj - xi, yj - yi
        cross = exp.Sub(
            this=exp.Mul(this=double(dx), expression=exp.Paren(this=exp.Sub(this=py.copy(), expression=double(yi)))),
            expression=exp.Mul(this=exp.Paren(this=exp.Sub(this=px.copy(), expression=double(xi))),
                               expression=double(dy)))
        on_edges.append(exp.and_(exp.EQ(this=cross, expression=double(0.0)), within(px, xi, xj), within(py, yi, yj),
                                 copy=False))
        if yi != yj:
            low, high = min(yi, yj), max(yi, yj)
            side = exp.GT if yi < yj else exp.LT
            crossings.append(exp.and_(exp.GTE(this=py.copy(), expression=double(low)),
                                      exp.LT(this=py.copy(), expression=double(high)),
                                      side(this=cross.copy(), expression=double(0.0)), copy=False))
    tests = on_edges
    if crossings:
        count = None
        for crossing in crossings:
            term = exp.Case(ifs=[exp.If(this=crossing, true=exp.Literal.number(1))], default=exp.Literal.number(0))
            count = term if count is None else exp.Add(this=count, expression=term)
        odd = exp.Mod(this=exp.Paren(this=count), expression=exp.Literal.number(2))
        tests = tests + [exp.EQ(this=odd, expression=exp.Literal.number(1))]
    return exp.and_(box, exp.Paren(this=exp.or_(*[exp.Paren(this=t) for t in tests], copy=False)), copy=False)


def condition_sql(cond: Condition, schema: Schema | None = None) -> exp.Expression:
    """The boolean expression of one condition."""
    if cond.op == POLYGON:
        return polygon_sql(cond, schema)
    ctype = _type_of(cond.column, schema)
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


def fired_index_sql(rules: RuleSet, schema: Schema | None = None) -> exp.Expression:
    """The index (in ``rules.rules``) of the first enabled rule that fires, -1 when the default applies."""
    case = exp.Case()
    for i, rule in rules.enabled_rules:
        case = case.when(rule_sql(rule, schema), exp.Literal.number(i))
    if not case.args.get("ifs"):
        return exp.Literal.number(-1)
    return case.else_(exp.Literal.number(-1))


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
