"""The operator registry: each operator defined once, and read by every rendering. A throwaway
operator registered here, in one place, works in SQL, numpy, the estimator, the Python export and
the Rules form; PMML refuses it with its reason."""

import importlib.util

import numpy as np
import pandas as pd
import pytest
from sqlglot import exp
from streamlit.testing.v1 import AppTest

import studio
from studio.data.schema import BOOLEAN, NUMERIC, STRING, TEMPORAL
from studio.errors import RuleSetError
from studio.export import ExportError, export
from studio.rules import operators
from studio.rules.condition import Condition
from studio.rules.operators import Operator
from studio.runtime.estimator import RuleSetClassifier
from studio.runtime.pyeval import condition_mask, fired_index
from tests.support.sample_rules import ROOT


def _outside(x, value):
    return (x < value[0]) | (x > value[1])


def _outside_sql(operands, value, lit):
    return exp.Not(this=exp.Paren(this=exp.Between(this=operands[0], low=lit(value[0]), high=lit(value[1]))))


OUTSIDE = Operator("outside", operators.PAIR, frozenset({NUMERIC}), _outside_sql, _outside,
                   "{column} is outside {low} .. {high}", offers=frozenset({NUMERIC}), aliases=("not between",),
                   nan_may_hold=True, pmml_refusal="this test has no PMML form")


@pytest.fixture
def outside():
    operators.register(OUTSIDE)
    yield OUTSIDE
    operators.unregister(OUTSIDE.name)


def test_every_operator_is_complete_and_aliases_read_as_names():
    for op in operators.all_operators():
        assert op.shape in operators.SHAPES and op.kinds and op.sql and op.sentence
        assert op.numpy is not None
        assert op.pmml is not None or op.pmml_refusal
        for alias in op.aliases:
            assert operators.canonical(alias) == op.name
    assert Condition("x", "=", 3) == Condition("x", "==", 3)
    rules = studio.RuleSet.from_dict({"default": 0, "rules": [
        {"when": [{"column": "V1", "op": "<>", "value": 1}, {"column": "V2", "op": "is missing"}], "then": 1}]})
    assert [c.op for c in rules.rules[0].when] == ["!=", "is null"]
    assert rules.to_dict()["rules"][0]["when"][0]["op"] == "!="  # written back under its name
    with pytest.raises(RuleSetError, match="unknown operator 'betwen' \\(did you mean 'between'\\?\\)"):
        studio.RuleSet.from_dict({"default": 0, "rules": [{"when": [{"column": "V1", "op": "betwen", "value": 1}],
                                                           "then": 1}]})


def test_operators_offered_per_kind_come_from_the_registry():
    assert operators.offered_for(NUMERIC) == ("<", "<=", ">", ">=", "==", "!=", "between", "is null", "is not null")
    assert operators.offered_for(STRING) == ("==", "!=", "in", "not in", "is null", "is not null")
    assert operators.offered_for(BOOLEAN) == ("==", "!=", "is null", "is not null")
    assert operators.offered_for(TEMPORAL) == ("<", "<=", ">", ">=", "between", "is null", "is not null")
    assert Condition("V14", "<", -8).sentence() == "V14 is below -8"
    assert Condition("job", "in", ("a", "b")).sentence() == "job is one of a, b"


def test_a_throwaway_operator_works_in_sql_numpy_estimator_and_export(outside):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.normal(size=2_000), "z": rng.normal(size=2_000)})
    frame.loc[::37, "x"] = np.nan
    frame["y"] = ((frame["x"].abs() > 1.5) | (frame["z"] > 2)).astype(int)
    frame["i"] = np.arange(len(frame))
    rule = studio.rule(("x", "outside", (-1.5, 1.5)), then=1, name="far")
    rules = studio.ruleset([rule, studio.rule(("z", "not between", [-9, 2]), then=1)], default=0)
    assert rules.rules[1].when[0].op == "outside"  # the alias reads as the name

    # numpy (pyeval): a missing x never satisfies it
    expected_first = np.where((frame["x"] < -1.5) | (frame["x"] > 1.5), 0,
                              np.where((frame["z"] < -9) | (frame["z"] > 2), 1, -1))
    assert np.array_equal(fired_index(frame, rules.to_dict()), expected_first)
    assert not condition_mask(frame["x"], "outside", (-1.5, 1.5))[frame["x"].isna()].any()

    # SQL: the studio's evaluation on a split equals the numpy answer row for row
    data = studio.Dataset.from_dataframe(frame)
    split = data.split("y", positive=1, test_size=0.5, seed=0)
    ev = studio.evaluate(split, rules)
    assert ev.all.rules[0].fired == int((expected_first == 0).sum())
    assert ev.all.rules[1].fired == int((expected_first == 1).sum())
    sql = export(rules, "sql", schema=data.schema, table="data")
    got = data.con.execute(f"SELECT prediction FROM ({sql.rstrip().rstrip(';')}) ORDER BY i").fetchall()
    assert [r[0] for r in got] == list(np.where(expected_first >= 0, 1, 0))

    # the estimator, with the pair's bounds as tunable parameters
    clf = RuleSetClassifier(rules).fit(frame[["x", "z"]], frame["y"])
    assert np.array_equal(clf.predict(frame[["x", "z"]]), np.where(expected_first >= 0, 1, 0))
    assert clf.get_params()["threshold_0_0_low"] == -1.5

    # the standalone Python export carries the operator's own numpy test
    text = export(rules, "python")
    assert "def _outside(x, value):" in text
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("exported", loader=None))
    exec(text, module.__dict__)
    assert list(module.predict(frame)) == list(np.where(expected_first >= 0, 1, 0))

    # PMML refuses it, with the reason the registry gives
    with pytest.raises(ExportError, match="this test has no PMML form"):
        export(rules, "pmml")


def test_a_throwaway_operator_is_offered_by_the_rules_form(outside, tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/rules.py").run()  # a first visit opens on the Data page
    column = next(w for w in at.selectbox if w.label == "Column 1")
    column.set_value("V14").run()
    operator = next(w for w in at.selectbox if w.label == "Operator 1")
    assert "outside" in operator.options
    operator.set_value("outside").run()
    next(w for w in at.number_input if w.label.startswith("Low 1")).set_value(-7.0).run()
    next(w for w in at.number_input if w.label.startswith("High 1")).set_value(5.0).run()
    next(b for b in at.button if b.label == "Add rule").click().run()
    assert not at.exception, at.exception
    session = at.session_state["studio"]
    assert session.rules.rules[0].when == (Condition("V14", "outside", (-7.0, 5.0)),)
    pos = studio.evaluate(session.split, session.rules).test.metrics.positive
    headline = next(m.body for m in at.sidebar.markdown if 'data-testid="headline"' in m.body)
    assert f'data-metric="precision">{pos.precision:.4f}<' in headline and pos.recall > 0
