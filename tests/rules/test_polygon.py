"""``in polygon``: the studio's SQL against an exact reference (Fraction arithmetic, another
algorithm) on points placed on vertices, on edges and next to them; SQL, numpy and every export
agreeing bit for bit on arbitrary doubles; the file format, validation messages and refusals."""

import importlib.util
import json
import math

import numpy as np
import pandas as pd
import pytest
import sqlglot
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlglot import exp

import studio
from studio.engine.compile import condition_sql, mask_words
from studio.runtime.estimator import RuleSetClassifier
from studio.export import DIALECTS, ExportError, export
from studio.runtime.pyeval import polygon_mask
from studio.rules import Condition, Polygon, RuleSet, rule
from studio.data.schema import Schema
from studio.rules.validate import check_ruleset, condition_problems, rule_column_kinds
from studio.runtime.scoring import scoring_select
from studio.runtime.serve import BadRequest, Scorer

from tests.support.reference import in_polygon, winding_number

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
X, Y = "x (€)", 'y"; --'  # odd names: quoting goes through the same path as every condition
SQUARE = ((0, 0), (4, 0), (4, 3), (0, 3))


def lasso(vertices, x=X, y=Y) -> Condition:
    return Condition(x, "in polygon", Polygon(y=y, vertices=tuple(tuple(v) for v in vertices)))


def load_module(code: str, name: str):
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(code, f"<{name}>", "exec"), module.__dict__)
    return module


def point_frame(points) -> tuple[pd.DataFrame, list[bool], list[bool]]:
    """Points as a frame (missing coordinates as NaN) and which coordinates are NaN rather than NULL."""
    def value(v):
        return math.nan if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    def is_nan(v):
        return isinstance(v, float) and math.isnan(v)

    frame = pd.DataFrame({X: [value(p[0]) for p in points], Y: [value(p[1]) for p in points]},
                         dtype="float64")
    return frame, [is_nan(p[0]) for p in points], [is_nan(p[1]) for p in points]


def studio_dataset(points) -> studio.Dataset:
    """The points in DuckDB: None is NULL, float('nan') a real NaN (pandas NaN would load as NULL)."""
    frame, nan_x, nan_y = point_frame(points)
    data = studio.Dataset.from_dataframe(frame.assign(nan_x=nan_x, nan_y=nan_y, row_number=range(len(frame))))
    for col, flag in ((X, "nan_x"), (Y, "nan_y")):
        quoted = exp.column(col, quoted=True).sql("duckdb")
        data.con.execute(f"UPDATE data SET {quoted} = CAST('NaN' AS DOUBLE) WHERE {flag}")
    return data


def studio_inside(points, cond: Condition) -> list[bool]:
    """The studio's answer: the scoring SELECT (CASE WHEN) and the evaluation's rule masks, in DuckDB."""
    data = studio_dataset(points)
    rules = studio.ruleset([rule(cond, then=1, name="lasso")], default=0)
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    rows = data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall()
    assert all((p == 1) == (r == "lasso") for p, r in rows)
    word = mask_words(list(rules.rules), 62, data.schema)[0]
    masks = data.con.execute(f"SELECT {word} FROM data ORDER BY rowid").fetchall()
    assert [m[0] == 1 for m in masks] == [p == 1 for p, _ in rows]
    return [p == 1 for p, _ in rows]


def exported_inside(points, cond: Condition) -> list[bool]:
    frame, _, _ = point_frame(points)
    rules = studio.ruleset([rule(cond, then=1, name="lasso")], default=0)
    module = load_module(export(rules, "python"), "exported_polygon")
    return [v == 1 for v in module.predict(frame).tolist()]


# ---------------------------------------------------------------- the reference itself
def test_reference_on_known_shapes():
    square = [(0, 0), (4, 0), (4, 3), (0, 3)]
    assert [in_polygon(x, y, square) for x, y in [(2, 1), (0, 0), (4, 3), (2, 0), (4, 1.5), (0, 2),
                                                  (5, 1), (-0.5, 0), (2, 3.25), (None, 1), (1, math.nan)]] == [
        True, True, True, True, True, True, False, False, False, False, False]
    star = [(0, 10), (6, -8), (-9.5, 3), (9.5, 3), (-6, -8)]  # a pentagram: its centre is wound twice
    assert winding_number((0, 0), star) in (2, -2) and not in_polygon(0, 0, star)
    assert in_polygon(0, 7, star) and not in_polygon(0, -7.9, star)
    bowtie = [(0, 0), (2, 2), (2, 0), (0, 2)]
    assert in_polygon(1, 1, bowtie) and in_polygon(0.5, 1, bowtie) and not in_polygon(1, 1.5, bowtie)
    assert in_polygon(2, 1, bowtie) and not in_polygon(1, 0.5, bowtie)


# ---------------------------------------------------------------- exact: dyadic polygons and points
grid = st.one_of(st.integers(-4, 4), st.integers(-12, 12)).map(lambda k: k / 2)


@st.composite
def exact_polygons(draw):
    """Integer and half-integer vertices in any order, then degeneracies: a repeated vertex, an edge's
    midpoint inserted (a collinear run), an earlier vertex visited again (the outline touches itself)."""
    vertices = draw(st.lists(st.tuples(grid, grid), min_size=3, max_size=8))
    for change in draw(st.lists(st.sampled_from(["repeat", "midpoint", "revisit"]), max_size=3)):
        k = draw(st.integers(0, len(vertices) - 1))
        a, b = vertices[k], vertices[(k + 1) % len(vertices)]
        if change == "repeat":
            vertices.insert(k, a)
        elif change == "midpoint":
            vertices.insert(k + 1, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
        else:
            vertices.insert(k, vertices[draw(st.integers(0, len(vertices) - 1))])
    return vertices


@st.composite
def probes(draw, vertices):
    """Points on vertices, on edges (quarters of the way), a 1/64 step off an edge, halfway between two
    edge points (often inside), on a quarter grid, and with a missing coordinate (NULL or NaN). All dyadic
    with few bits: doubles compute them exactly."""
    edges = list(zip(vertices, vertices[1:] + vertices[:1]))

    def on_edge(d):
        (ax, ay), (bx, by) = d(st.sampled_from(edges))
        t = d(st.integers(0, 4)) / 4
        return ax + t * (bx - ax), ay + t * (by - ay)

    kind = draw(st.sampled_from(["vertex", "edge", "near", "between", "grid", "missing"]))
    if kind == "vertex":
        return draw(st.sampled_from(vertices))
    if kind == "edge":
        return on_edge(draw)
    if kind == "near":
        x, y = on_edge(draw)
        step = st.sampled_from([-1 / 64, 0.0, 1 / 64])
        return x + draw(step), y + draw(step)
    if kind == "between":
        (ax, ay), (bx, by) = on_edge(draw), on_edge(draw)
        return (ax + bx) / 2, (ay + by) / 2
    if kind == "grid":
        quarter = st.integers(-28, 28).map(lambda k: k / 4)
        return draw(quarter), draw(quarter)
    x, y = on_edge(draw)
    gap = draw(st.sampled_from([None, math.nan]))
    return draw(st.sampled_from([(gap, y), (x, gap), (gap, gap)]))


@st.composite
def exact_cases(draw):
    vertices = draw(exact_polygons())
    points = draw(st.lists(probes(vertices), min_size=1, max_size=40))
    return vertices, points


@settings(max_examples=300, **SETTINGS)
@given(case=exact_cases())
def test_sql_equals_the_exact_reference_on_and_around_edges(case):
    vertices, points = case
    cond = lasso(vertices)
    expected = [in_polygon(x, y, vertices) for x, y in points]
    assert studio_inside(points, cond) == expected
    frame, _, _ = point_frame(points)
    assert polygon_mask(frame[X], frame[Y], vertices).tolist() == expected


def test_boundary_is_inside_for_every_kind_of_edge():
    # a non-convex outline with a horizontal edge, a vertical one, slanted ones and a collinear run
    outline = [(0, 0), (2, 0), (4, 0), (4, 4), (2, 1), (0, 4)]
    points = [(0, 0), (1, 0), (3, 0), (4, 2), (3, 2.5), (1, 2.5), (0, 2), (2, 1),  # on the boundary
              (2, 2), (2, 0.5), (-0.5, 0), (2, -0.25), (4.25, 2),                 # outside, inside...
              (None, 1), (1, None), (math.nan, 1), (1, math.nan), (None, None)]   # missing
    expected = [True] * 8 + [False, True, False, False, False] + [False] * 5
    assert [in_polygon(x, y, outline) for x, y in points] == expected
    assert studio_inside(points, lasso(outline)) == expected
    assert exported_inside(points, lasso(outline)) == expected


# ---------------------------------------------------------------- arbitrary doubles: every rendering agrees
coordinate = st.one_of(st.floats(-10, 10), st.floats(-1e150, 1e150), st.floats(-1e-300, 1e-300),
                       st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.3, 1 / 3]))
anything = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def float_cases(draw):
    vertices = draw(st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=10))
    edges = list(zip(vertices, vertices[1:] + vertices[:1]))

    def point():
        kind = draw(st.sampled_from(["vertex", "along", "next to", "anything", "missing"]))
        if kind == "vertex":
            return draw(st.sampled_from(vertices))
        if kind == "anything":
            return draw(st.tuples(st.one_of(coordinate, anything), st.one_of(coordinate, anything)))
        (ax, ay), (bx, by) = draw(st.sampled_from(edges))
        t = draw(st.one_of(st.just(0.5), st.floats(0, 1)))
        x, y = ax + t * (bx - ax), ay + t * (by - ay)
        if kind == "next to":
            x = float(np.nextafter(x, draw(st.sampled_from([-math.inf, math.inf]))))
            y = float(np.nextafter(y, draw(st.sampled_from([-math.inf, math.inf]))))
        if kind == "missing":
            return draw(st.sampled_from([(None, y), (x, math.nan)]))
        return x, y

    points = [point() for _ in range(draw(st.integers(1, 30)))]
    return vertices, points


def finite_points(points) -> bool:
    return all(math.isfinite(v) for p in points for v in p if v is not None and not math.isnan(v))


@settings(max_examples=200, **SETTINGS)
@given(case=float_cases())
def test_sql_numpy_and_exports_agree_bit_for_bit(case):
    vertices, points = case
    assume(finite_points(points))
    cond = lasso(vertices)
    assert cond.problems() == []
    studio_answer = studio_inside(points, cond)
    frame, _, _ = point_frame(points)
    assert polygon_mask(frame[X], frame[Y], vertices).tolist() == studio_answer
    assert exported_inside(points, cond) == studio_answer
    rules = studio.ruleset([rule(cond, then=1, name="lasso")], default=0)
    clf = RuleSetClassifier(rules).fit(frame, np.arange(len(frame)) % 2)
    assert [v == 1 for v in clf.predict(frame).tolist()] == studio_answer


@settings(max_examples=60, **SETTINGS)
@given(case=float_cases(), dialect=st.sampled_from(sorted(DIALECTS)))
def test_exported_sql_of_every_dialect_agrees_bit_for_bit(case, dialect):
    """Each dialect's SQL, read back into DuckDB as that engine would read it (T-SQL has no NaN)."""
    vertices, points = case
    assume(finite_points(points))
    if dialect == "tsql":
        points = [tuple(None if v is not None and math.isnan(v) else v for v in p) for p in points]
    rules = studio.ruleset([rule(lasso(vertices), then=1, name="lasso")], default=0)
    studio_answer = studio_inside(points, rules.rules[0].when[0])
    data = studio_dataset(points)
    sql = export(rules, "sql", dialect=dialect, schema=data.schema, table="data")
    if dialect != "duckdb":
        sql = sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
    got = data.con.execute(f"SELECT prediction FROM ({sql.rstrip().rstrip(';')}) ORDER BY row_number").fetchall()
    assert [r[0] == 1 for r in got] == studio_answer


# ---------------------------------------------------------------- the SQL's shape
def test_every_constant_is_a_double_and_dialects_stay_valid():
    cond = lasso([(0.1, 0.2), (3, 0.7), (1e-5, 2.5)])
    tree = condition_sql(cond, Schema(((X, "DOUBLE"), (Y, "BIGINT"))))
    for lit in tree.find_all(exp.Literal):
        if lit.is_string:  # 'NaN' or a constant: always cast to DOUBLE
            assert isinstance(lit.parent, exp.Cast) and lit.parent.to.this == exp.DataType.Type.DOUBLE
            assert lit.name == "NaN" or repr(float(lit.name)) == lit.name
        else:  # only the crossing count is integer: 1 and 0 per edge, % 2 = 1
            assert lit.name in ("0", "1", "2") and lit.find_ancestor(exp.Mod, exp.EQ) is not None
    duck = tree.sql("duckdb")
    assert "CAST('1e-05' AS DOUBLE)" in duck and "% 2 = 1" in duck
    assert 'NULLIF(CAST("x (€)" AS DOUBLE), CAST(\'NaN\' AS DOUBLE))' in duck  # NaN is missing
    assert "NULLIF(CAST(\"y\"\"; --\"" not in duck  # an integer column holds no NaN
    rules = studio.ruleset([rule(cond, then=1)], default=0)
    tsql = export(rules, "sql", dialect="tsql")
    assert "NaN" not in tsql and "AS FLOAT" not in tsql and "CAST('0.1' AS DOUBLE PRECISION)" in tsql
    assert "MOD(" in export(rules, "sql", dialect="bigquery")
    for dialect in DIALECTS:
        sqlglot.parse_one(export(rules, "sql", dialect=dialect).rstrip().rstrip(";"), read=dialect)


# ---------------------------------------------------------------- file format and validation
SCHEMA = Schema(((X, "DOUBLE"), (Y, "INTEGER"), ("job", "VARCHAR"), ("V14", "FLOAT"), ("vip", "BOOLEAN")))


def test_json_round_trip_and_form():
    cond = lasso([(1.0, 2.0), (3, 4.5), (-1e-300, 0)], x="V14", y="V17")
    rules = studio.ruleset([rule(cond, ("V14", ">", 0), then=1, name="lasso")], default=0)
    again = RuleSet.from_json(rules.to_json())
    assert again == rules and hash(again) == hash(rules)
    assert json.loads(rules.to_json())["rules"][0]["when"][0] == {
        "column": "V14", "op": "in polygon", "value": {"y": "V17", "vertices": [[1.0, 2.0], [3, 4.5], [-1e-300, 0]]}}
    assert again.rules[0].when[0].value == Polygon("V17", ((1.0, 2.0), (3, 4.5), (-1e-300, 0)))
    assert Condition("V14", "in polygon", {"y": "V17", "vertices": [[0, 0], [1, 0], [0, 1]]}).value == Polygon(
        "V17", ((0, 0), (1, 0), (0, 1)))
    assert cond.columns == ("V14", "V17") and Condition("V14", ">", 1).columns == ("V14",)
    assert cond.values() == ()
    assert cond.describe() == "(V14, V17) in polygon of 3 vertices"
    assert rules.columns() == ["V14", "V17"]
    assert "in polygon" in studio.OPERATORS
    from studio.rules.operators import offered_for
    assert all("in polygon" not in offered_for(k) for k in ("numeric", "string", "boolean", "temporal"))  # it comes from a chart selection


def problems(value, x="V14"):
    data = {"default": 0, "rules": [{"name": "r", "when": [{"column": x, "op": "in polygon", "value": value}],
                                     "then": 1}]}
    with pytest.raises(studio.RuleSetError) as err:
        RuleSet.from_dict(data)
    return err.value.problems


def test_malformed_polygons_are_named():
    where = "rule 1 ('r'): condition on 'V14': 'in polygon'"
    assert problems({"y": "V17", "vertices": [[0, 0], [1, 1]]}) == [f"{where} needs at least 3 vertices, got 2"]
    assert problems({"y": "V14", "vertices": [[0, 0], [1, 1], [2, 0]]}) == [
        f"{where} needs two different columns, got 'V14' for both x and y"]
    assert problems({"y": "", "vertices": [[0, 0], [1, 1], [2, 0]]}) == [
        f"{where} needs the name of its y column ('y')"]
    assert problems({"y": 3, "vertices": [[0, 0], [1, 1], [2, 0]]}) == [
        f"{where} needs the name of its y column ('y')"]
    for bad in ([0, True], [0, "1"], [0, None], [0, 1, 2], [1e151, 0], [0, 10 ** 400], 5):
        assert problems({"y": "V17", "vertices": [[0, 0], [1, 1], bad]}) == [
            f"{where} vertex 3 must be an [x, y] pair of finite numbers within ±1e+150, got {bad!r}"]
    assert problems([[0, 0], [1, 1], [2, 0]])[0].startswith(
        f'{where} needs {{"y": <column>, "vertices": [[x, y], ...]}}, got')
    assert "needs {" in problems({"y": "V17", "vertices": [[0, 0], [1, 1], [2, 0]], "extra": 1})[0]
    assert "needs {" in problems(None)[0]
    assert "needs one number" in Condition("V14", ">", Polygon("V17", SQUARE)).problems()[0]
    assert Condition("V14", "in polygon", Polygon("V17", SQUARE)).problems() == []
    # a NaN or an infinity cannot even be written in JSON, but can be in Python
    assert "vertex 1 must be" in Condition("V14", "in polygon", Polygon("V17", ((math.nan, 0),) + SQUARE)).problems()[0]


def test_schema_checks_both_columns():
    def check(cond):
        rules = studio.ruleset([rule(cond, then=1, name="r")], default=0)
        with pytest.raises(studio.RuleSetError) as err:
            check_ruleset(rules, SCHEMA)
        return err.value.problems

    assert check(lasso(SQUARE, y="V71")) == ["rule 1 ('r'): unknown column 'V71' (did you mean 'V14'?)"]
    assert check(lasso(SQUARE, x="v14", y="jobs")) == [
        "rule 1 ('r'): unknown column 'v14' (did you mean 'V14'?)",
        "rule 1 ('r'): unknown column 'jobs' (did you mean 'job'?)"]
    assert check(lasso(SQUARE, x="V14", y="job")) == [
        "rule 1 ('r'): column 'job' is VARCHAR: 'in polygon' needs numeric columns"]
    assert check(lasso(SQUARE, x="vip", y="V14")) == [
        "rule 1 ('r'): column 'vip' is BOOLEAN: 'in polygon' needs numeric columns"]
    assert condition_problems(lasso(SQUARE, x="V14", y=X), SCHEMA) == []
    rules = studio.ruleset([rule(lasso(SQUARE, x="V14", y=Y), then=1), rule(("job", "==", "a"), then=1)], default=0)
    assert rule_column_kinds(rules) == {"V14": "numeric", Y: "numeric", "job": "string"}
    assert rule_column_kinds(rules, SCHEMA) == {"V14": "numeric", Y: "numeric", "job": "string"}


def test_pmml_refuses_a_polygon_and_keeps_the_rest():
    rules = studio.ruleset([rule(("V14", "<", -8), then=1, name="deep V14"),
                            rule(lasso(SQUARE, x="V14", y="V17"), then=1, name="lasso")], default=0)
    with pytest.raises(ExportError) as err:
        export(rules, "pmml")
    assert str(err.value) == (
        "PMML export cannot express the polygon condition of 'lasso' ((V14, V17) in polygon of 4 vertices): "
        "a PMML predicate compares one field with constants, and a polygon would need derived fields; "
        "export to Python, the scikit-learn estimator or SQL instead, or disable the rule")
    text = export(rules.toggle(1), "pmml")  # disabled, it is left out like any disabled rule
    assert "V17" not in text and '<SimpleRule id="deep V14" score="1">' in text


# ---------------------------------------------------------------- exports and the API on a fixed case
def test_exports_read_like_rules_and_score_alike():
    rules = studio.ruleset([rule(lasso(SQUARE), ("job", "!=", "x"), then=1, name="box"),
                            rule((X, ">", 10), then=2, name="far")], default=0)
    points = [(2, 1), (0, 0), (4, 3), (4, 1.5), (5, 1), (None, 1), (11, 1), (2, 3)]
    frame, _, _ = point_frame(points)
    jobs = ["a", "b", "c", None, "a", "a", "a", "x"]
    frame["job"] = pd.Series(jobs, dtype=object)
    expected = [1, 1, 1, 0, 0, 0, 2, 0]  # (4, 1.5) has no job: != is false on a missing value
    code = export(rules, "python")
    assert "('box', 1, p('x (€)', 'y\"; --', [(0, 0), (4, 0), (4, 3), (0, 3)]) & c('job', '!=', 'x'))," in code
    assert load_module(code, "exported_box").predict(frame).tolist() == expected
    plain = studio.ruleset([rule((X, ">", 10), then=2)], default=0)
    assert "polygon_mask" not in export(plain, "python")  # only rule sets with a polygon carry it
    estimator = load_module(export(rules, "sklearn"), "exported_box_estimator").classifier
    assert estimator.fit(frame, [0, 1] * 4).predict(frame).tolist() == expected
    with pytest.raises(ValueError, match="X has no column 'y\"; --'"):
        RuleSetClassifier(rules).fit(frame.drop(columns=[Y]), [0, 1] * 4)
    data = studio.Dataset.from_dataframe(frame)
    rows = data.con.execute(scoring_select(rules, data.schema, "data") + " ORDER BY rowid").fetchall()
    assert [r[-2] for r in rows] == expected
    records = [{X: x, Y: y, "job": j} for (x, y), j in zip(points, jobs)]
    scorer = Scorer(rules)
    assert scorer.score(records)["predictions"] == expected
    with pytest.raises(BadRequest, match="record 0 has no column 'y\"; --'"):
        scorer.score([{X: 1.0, "job": "a"}])
    with pytest.raises(BadRequest, match="expected a number"):
        scorer.score([{X: 1.0, Y: "2", "job": "a"}])
