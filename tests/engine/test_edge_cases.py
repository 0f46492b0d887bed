"""Edge cases where renderings of one rule set could disagree, and inputs that must not crash."""

import importlib.util

import numpy as np
import pandas as pd
import pytest

import studio
from studio.runtime.estimator import RuleSetClassifier
from studio.export import ExportError, export
from studio.rules import rule
from studio.runtime.scoring import scoring_select, score_file


def sql_answer(data, rules):
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    return [r[0] for r in data.con.execute(f"SELECT prediction FROM ({sql})").fetchall()]


def python_answer(rules, frame):
    spec = importlib.util.spec_from_loader("m", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(export(rules, "python"), module.__dict__)
    return module.predict(frame).tolist()


def test_nan_read_from_csv_is_missing_everywhere(tmp_path):
    path = tmp_path / "nan.csv"
    path.write_text("x,y\n" + "\n".join(f"{v},{i % 2}" for i, v in enumerate(["1", "nan", "10", "NaN", "2", "3"])))
    data = studio.Dataset.from_file(path)
    rules = studio.ruleset([rule(("x", "<", 2), then=4), rule(("x", "between", [1.5, 2.5]), then=5),
                            rule(("x", "in", [10.0]), then=6), rule(("x", ">", 4), then=1, name="big"),
                            rule(("x", "!=", 1), then=2), rule(("x", "is null"), then=3)], default=0)
    expected = [4, 3, 6, 3, 5, 2]
    assert sql_answer(data, rules) == expected
    assert python_answer(rules, pd.read_csv(path)) == expected
    out = tmp_path / "scored.csv"
    score_file(path, rules, out)
    assert pd.read_csv(out)["prediction"].tolist() == expected


def test_single_precision_columns_compare_like_pandas():
    frame = pd.DataFrame({"x": np.array([0.1, 0.2, 0.1], dtype=np.float32)})
    rules = studio.ruleset([rule(("x", "==", 0.1), then=1)], default=0)
    assert sql_answer(studio.Dataset.from_dataframe(frame), rules) == python_answer(rules, frame) == [0, 0, 0]


def test_nanosecond_timestamps_from_parquet(tmp_path):
    frame = pd.DataFrame({"t": pd.to_datetime(["2020-01-01", "2021-06-01"]), "y": [0, 1]})
    frame.to_parquet(tmp_path / "t.parquet")
    data = studio.Dataset.from_file(tmp_path / "t.parquet")
    rules = studio.ruleset([rule(("t", ">=", "2021-01-01"), then=1)], default=0)
    assert sql_answer(data, rules) == [0, 1]


def test_boolean_target_with_one_and_zero_labels():
    frame = pd.DataFrame({"x": range(40), "fraud": [i % 4 == 0 for i in range(40)]})
    split = studio.Dataset.from_dataframe(frame).split("fraud", positive=1)
    rules = studio.ruleset([rule(("x", ">", 10), then=1)], default=0)
    ev = studio.evaluate(split, rules)
    assert ev.all.metrics.labels == ["false", "true"]
    from sklearn.metrics import f1_score
    assert ev.all.metrics.positive.f1 == f1_score(frame["fraud"], frame["x"] > 10)


def test_float_target_with_nan_is_left_out():
    data = studio.Dataset.from_dataframe(pd.DataFrame({"x": range(6), "score": [0.0, 1.0, np.nan, 1.0, 0.0, 1.0]}))
    split = data.split("score")
    assert split.labels == ["0", "1"] and split.excluded == 1


def test_split_rounds_half_up_exactly():
    data = studio.Dataset.from_dataframe(pd.DataFrame({"x": range(100), "y": [0] * 50 + [1] * 50}))
    assert data.split("y", test_size=0.29).counts["test"] == {"0": 15, "1": 15}  # 50 x 0.29 = 14.5


def test_estimator_keeps_long_string_labels():
    clf = RuleSetClassifier({"default": "no", "rules": [{"when": [{"column": "x", "op": ">", "value": 8}],
                                                          "then": "fraud"}]})
    clf.fit(pd.DataFrame({"x": [1, 5, 9]}), np.array(["no", "yes", "no"]))
    assert clf.classes_.tolist() == ["fraud", "no", "yes"]
    assert clf.predict(pd.DataFrame({"x": [9]})).tolist() == ["fraud"]


def test_rule_sets_differing_only_in_label_type_are_different():
    a = studio.ruleset([rule(("x", ">", 1), then=1)], default=0)
    b = studio.ruleset([rule(("x", ">", 1), then=True)], default=0)
    assert a != b and a.rules[0] != b.rules[0]


def test_pmml_refusals():
    with pytest.raises(ExportError, match="boolean column"):
        export(studio.ruleset([rule(("b", "in", [True]), then=1)], default=0), "pmml")
    with pytest.raises(ExportError, match="backslash"):
        export(studio.ruleset([rule(("s", "in", ["a\\b"]), then=1)], default=0), "pmml")
    with pytest.raises(ExportError, match="output field"):
        export(studio.ruleset([rule(("rule", "==", "x"), then=1)], default=0), "pmml")


def test_api_refuses_huge_integers_and_ignores_disabled_rules():
    from studio.runtime.serve import BadRequest, Scorer
    rules = studio.ruleset([rule(("x", ">", 1), then=1), rule(("z", ">", 1), then=1, enabled=False)], default=0)
    scorer = Scorer(rules)
    assert scorer.score([{"x": 2}]) == {"predictions": [1], "rules": ["rule 1"]}
    with pytest.raises(BadRequest, match="expected a number"):
        scorer.score([{"x": 10 ** 400}])


def test_openml_needs_a_number():
    with pytest.raises(studio.DataError, match="named by number"):
        studio.load("openml:abc")
