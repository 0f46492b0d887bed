"""Every export, executed: the Python module, the estimator (also as exported code), the human-learn
snippet, SQL in DuckDB and other dialects, PMML scored by jpmml-evaluator — all equal to the studio,
on random rule sets with polygon conditions (which PMML refuses)."""

import dataclasses
import importlib.util
import sys
import types

import numpy as np
import pandas as pd
import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import studio
from studio.runtime.estimator import RuleSetClassifier
from studio.export import DIALECTS, ExportError, export
from studio.rules import rule
from studio.runtime.scoring import scoring_select

from tests.support.strategies import frames, rulesets

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def studio_predictions(frame, rules):
    """The studio's own answer: the compiled CASE WHEN evaluated by DuckDB."""
    data = studio.Dataset.from_dataframe(frame)
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    rows = data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall()
    return [r[0] for r in rows], [r[1] for r in rows], data


def load_module(code: str, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(code, f"<{name}>", "exec"), module.__dict__)  # the exported file, run as a user would import it
    return module


def as_list(values):
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in values]


# ---------------------------------------------------------------- Python module
@settings(max_examples=150, **SETTINGS)
@given(frame=frames(), rules=rulesets(polygons=True))
def test_python_module_equals_the_studio(frame, rules):
    labels, fired, _ = studio_predictions(frame, rules)
    module = load_module(export(rules, "python"), "exported_rules")
    assert as_list(module.predict(frame).tolist()) == labels
    assert as_list(module.fired_rule(frame).tolist()) == fired


def test_python_module_is_standalone_and_readable(tmp_path, tutorial_rules):
    code = export(tutorial_rules, "python")
    assert "import studio" not in code and "from studio" not in code
    assert "        # large V11\n        ('large V11', 1, c('V11', '>', 4))," in code
    path = tmp_path / "rules_module.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("rules_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = pd.DataFrame({"V11": [5.0, 0.0, 0.0], "V17": [0.0, -4.0, 0.0], "V14": [0.0, 0.0, -9.0]})
    assert module.predict(frame).tolist() == [1, 1, 1]
    assert module.fired_rule(frame).tolist() == ["large V11", "deep V17", "deep V14"]


# ---------------------------------------------------------------- scikit-learn estimator
@settings(max_examples=100, **SETTINGS)
@given(frame=frames(), rules=rulesets(polygons=True))
def test_estimator_and_its_exported_code_equal_the_studio(frame, rules):
    labels, fired, _ = studio_predictions(frame, rules)
    exported = load_module(export(rules, "sklearn"), "exported_estimator")
    for clf in (RuleSetClassifier(rules), RuleSetClassifier(rules.to_dict()), exported.classifier):
        clf.fit(frame, frame["target"])
        assert as_list(clf.predict(frame).tolist()) == labels
        assert as_list(clf.explain(frame).tolist()) == fired
        proba = clf.predict_proba(frame)
        assert proba.shape == (len(frame), len(clf.classes_)) and np.allclose(proba.sum(axis=1), 1.0)


def test_estimator_records_precisions_and_probabilities(credit_split, tutorial_rules):
    frame = credit_split.dataset.fetch(f"SELECT * FROM {credit_split.table} ORDER BY __rs_row")
    train, test = frame[frame.__rs_test == 0], frame[frame.__rs_test == 1]
    clf = RuleSetClassifier(tutorial_rules).fit(train, train["Class"])
    ev = studio.evaluate(credit_split, tutorial_rules)
    assert clf.classes_.tolist() == [0, 1]
    assert clf.rule_precision_ == [r.precision for r in ev.train.rules]
    proba = clf.predict_proba(test)
    fired = clf.explain(test)
    assert proba[fired == "large V11", 1][0] == ev.train.rules[0].precision
    assert (clf.predict(test) == (proba[:, 1] > 0.5)).mean() > 0.99


def test_estimator_thresholds_are_parameters_for_grid_search(credit_split):
    from sklearn.model_selection import GridSearchCV
    frame = credit_split.dataset.fetch(f"SELECT V11, V17, Class FROM {credit_split.table} WHERE __rs_test = 0")
    rules = studio.ruleset([rule(("V11", ">", 4.0), then=1, name="large V11"),
                            rule(("V17", "between", [-30.0, -3.0]), then=1, name="deep V17")], default=0)
    clf = RuleSetClassifier(rules)
    params = clf.get_params()
    assert params["missing"] == ()
    assert {k: v for k, v in params.items() if k not in ("rules", "missing")} == {
        "threshold_0_0": 4.0, "threshold_1_0_low": -30.0, "threshold_1_0_high": -3.0}
    search = GridSearchCV(clf, {"threshold_0_0": [2.0, 4.0, 6.0], "threshold_1_0_high": [-5.0, -3.0]},
                          scoring="f1", cv=3).fit(frame[["V11", "V17"]], frame["Class"])
    best = search.best_estimator_
    assert best.get_params()["threshold_0_0"] == search.best_params_["threshold_0_0"]
    assert best.rules["rules"][1]["when"][0]["value"] == [-30.0, search.best_params_["threshold_1_0_high"]]
    with pytest.raises(ValueError, match="invalid parameter 'threshold_9_0'"):
        clf.set_params(threshold_9_0=1.0)


def test_estimator_passes_scikit_learn_checks():
    from sklearn.utils.estimator_checks import check_estimator
    results = check_estimator(RuleSetClassifier(), on_fail=None)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert not failed and len(results) > 40


# ---------------------------------------------------------------- human-learn
class CaseWhenRuler:
    """human-learn 0.3.5's CaseWhenRuler.predict, to the letter: a row counts as decided only when
    its label differs from the default (the real class is benchmarked in its own environment)."""

    def __init__(self, default=None):
        self.default, self.rules = default, []

    def add_rule(self, when, then, name=None):
        self.rules.append((when, then, name))
        return self

    def predict(self, X):
        results = [self.default for _ in range(len(X))]
        for when, then, _ in self.rules:
            for idx, predicate in enumerate(when(X)):
                if predicate and (results[idx] == self.default):
                    results[idx] = then
        return results


@pytest.fixture
def fake_hulearn(monkeypatch):
    classification = types.ModuleType("hulearn.classification")
    classification.FunctionClassifier = lambda func: types.SimpleNamespace(predict=func)
    experimental = types.ModuleType("hulearn.experimental")
    experimental.CaseWhenRuler = CaseWhenRuler
    for name, module in {"hulearn": types.ModuleType("hulearn"), "hulearn.classification": classification,
                         "hulearn.experimental": experimental}.items():
        monkeypatch.setitem(sys.modules, name, module)


@settings(max_examples=100, **SETTINGS)
@given(frame=frames(), rules=rulesets(polygons=True))
def test_hulearn_snippet_keeps_first_hit_semantics(fake_hulearn, frame, rules):
    labels, _, _ = studio_predictions(frame, rules)
    module = load_module(export(rules, "human-learn"), "exported_hulearn")
    assert module.clf.predict(frame).tolist() == labels


# ---------------------------------------------------------------- SQL
@settings(max_examples=100, **SETTINGS)
@given(frame=frames(), rules=rulesets(polygons=True), dialect=st.sampled_from(sorted(DIALECTS)))
def test_sql_in_duckdb_and_through_every_dialect(frame, rules, dialect):
    labels, fired, data = studio_predictions(frame, rules)
    data.con.execute("CREATE TABLE numbered AS SELECT *, rowid AS row_number FROM data")
    sql = export(rules, "sql", dialect=dialect, schema=data.schema, table="numbered")
    if dialect != "duckdb":  # read it back as that engine would, then run it here
        sql = sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
    rows = data.con.execute(f"SELECT prediction, rule FROM ({sql.rstrip().rstrip(';')}) ORDER BY row_number").fetchall()
    got = [r[0] for r in rows]
    if dialect == "tsql" and all(isinstance(v, bool) for v in rules.labels()):
        got = [bool(v) for v in got]
    assert got == labels and [r[1] for r in rows] == fired


def test_sql_dialects_quote_odd_names():
    rules = studio.ruleset([rule(('a"; DROP TABLE t; --', ">", 1), ("Montant (€)", "in", ["x", "it's"]), then=1,
                                 name="n'1")], default=0)
    assert '"a""; DROP TABLE t; --" > 1' in export(rules, "sql")
    assert "`Montant (€)` IN ('x', 'it\\'s')" in export(rules, "sql", dialect="spark")
    assert "[a\"; DROP TABLE t; --] > 1" in export(rules, "sql", dialect="tsql")
    assert 'FROM "warehouse"."fraud"."tx"' in export(rules, "sql", dialect="snowflake", table="warehouse.fraud.tx")
    with pytest.raises(ExportError, match="unknown SQL dialect 'oracle9'"):
        export(rules, "sql", dialect="oracle9")


# ---------------------------------------------------------------- PMML
@pytest.fixture(scope="module")
def jpmml():
    try:
        from jpmml_evaluator import make_evaluator
    except ImportError:  # pragma: no cover - the test command installs it
        pytest.fail("jpmml_evaluator is missing: `make test` installs it")
    return make_evaluator


def unique_names(rules):
    return dataclasses.replace(rules, rules=tuple(dataclasses.replace(r, name=f"rule {i}")
                                                  for i, r in enumerate(rules.rules, start=1)))


def without_polygon_rules(rules):
    """The rule set with every rule that has a polygon condition disabled."""
    return dataclasses.replace(rules, rules=tuple(
        dataclasses.replace(r, enabled=False) if any(c.op == "in polygon" for c in r.when) else r
        for r in rules.rules))


@settings(max_examples=60, **SETTINGS)
@given(frame=frames(), rules=rulesets(polygons=True).map(unique_names))
def test_pmml_scored_by_jpmml_equals_the_studio(jpmml, tmp_path_factory, frame, rules):
    if any(c.op == "in polygon" for _, r in rules.enabled_rules for c in r.when):
        with pytest.raises(ExportError, match="PMML export cannot express the polygon condition"):
            export(rules, "pmml")  # refused, never changed
        rules = without_polygon_rules(rules)
    labels, fired, data = studio_predictions(frame, rules)
    path = tmp_path_factory.mktemp("pmml") / "rules.pmml"
    ordered_text = [c for r in rules.rules if r.enabled for c in r.when
                    if c.op in ("<", "<=", ">", ">=", "between") and data.schema.kind(c.column) != "numeric"]
    if ordered_text:  # PMML cannot order text: refused, never changed
        with pytest.raises(ExportError, match="PMML cannot order text"):
            export(rules, "pmml", schema=data.schema)
        return
    path.write_text(export(rules, "pmml", schema=data.schema))
    evaluator = jpmml(str(path), backend="jpype").verify()
    inputs = frame.drop(columns=["target"]).astype(object).where(frame.drop(columns=["target"]).notna(), None)
    result = evaluator.evaluateAll(inputs)
    assert "errors" not in result.columns or result["errors"].isna().all(), result.get("errors")
    assert [int(v) for v in result["prediction"]] == labels
    assert as_list(result["rule"].tolist()) == fired


def test_pmml_structure_and_refusals(tutorial_rules, credit):
    text = export(tutorial_rules, "pmml", schema=credit.schema)
    assert 'xmlns="http://www.dmg.org/PMML-4_4" version="4.4"' in text
    assert '<RuleSelectionMethod criterion="firstHit" />' in text
    assert '<SimpleRule id="large V11" score="1">' in text
    assert '<DataField name="Class" optype="categorical" dataType="integer">' in text
    dates = studio.ruleset([rule(("day", ">=", "2020-01-01"), then=1)], default=0)
    schema = studio.data.schema.Schema((("day", "DATE"),))
    with pytest.raises(ExportError, match="date/time"):
        export(dates, "pmml", schema=schema)
    twice = studio.ruleset([rule(("x", ">", 1), then=1, name="a"), rule(("x", "<", 0), then=1, name="a")],
                           default=0)
    with pytest.raises(ExportError, match="'a' is used twice"):
        export(twice, "pmml")


def test_json_export_reads_back(tutorial_rules):
    assert studio.RuleSet.from_json(export(tutorial_rules, "json")) == tutorial_rules
    assert tutorial_rules.names() == ["large V11", "deep V17", "deep V14"]
