"""Metrics equal scikit-learn's exactly, on real-sized and edge-case data."""

import numpy as np
import pandas as pd
from sklearn.metrics import classification_report, confusion_matrix

import studio
from studio.data.labels import canonical
from studio.rules import rule

from tests.support.reference import matches, predict

SIDES = {"train": [0], "test": [1], "all": [0, 1]}


def split_frame(split):
    return split.dataset.fetch(f"SELECT * FROM {split.table} ORDER BY __rs_row")


def assert_matches_sklearn(evaluation, frame, ref_pred):
    """Every number of every side equals scikit-learn on the reference predictions."""
    pred = np.array([canonical(v) for v in ref_pred], dtype=object)
    true = frame["__rs_label"].to_numpy(dtype=object)
    for side, codes in SIDES.items():
        sel = frame["__rs_test"].isin(codes).to_numpy()
        t, p = list(true[sel]), list(pred[sel])
        m = evaluation.sides[side].metrics
        labels = m.labels
        assert labels == sorted(set(t) | set(p), key=studio.data.labels.label_sort_key)
        expected = classification_report(t, p, labels=None, output_dict=True, zero_division=0)
        got = m.to_dict()
        for label in labels:
            assert got["classes"][label] == expected[label], (side, label)
        assert got["accuracy"] == expected["accuracy"]
        assert got["macro avg"] == expected["macro avg"]
        assert got["weighted avg"] == expected["weighted avg"]
        assert got["confusion_matrix"] == confusion_matrix(t, p, labels=labels).tolist()
        pos = evaluation.split.positive
        assert got["positive"]["precision"] == expected.get(pos, {"precision": 0.0})["precision"]


def test_tutorial_rules_on_synthetic_credit_card(credit_split, tutorial_rules):
    frame = split_frame(credit_split)
    ev = studio.evaluate(credit_split, tutorial_rules)
    ref, _ = predict(tutorial_rules, frame[["V11", "V17", "V14"]])
    assert_matches_sklearn(ev, frame, ref)
    assert ev.test.metrics.n == 142_404 and ev.train.metrics.n == 142_403
    assert ev.test.metrics.by_label("1").support == 246


def test_sklearn_native_labels_give_the_same_report(credit_split, tutorial_rules):
    """Against scikit-learn on the native int labels too, not only canonical strings."""
    frame = split_frame(credit_split)
    test = frame[frame["__rs_test"] == 1]
    pred = np.where((test.V11 > 4) | (test.V17 < -3) | (test.V14 < -8), 1, 0)
    expected = classification_report(test["Class"], pred, output_dict=True)
    got = studio.evaluate(credit_split, tutorial_rules).test.metrics.to_dict()
    assert got["classes"]["1"] == expected["1"] and got["classes"]["0"] == expected["0"]
    assert got["macro avg"] == expected["macro avg"] and got["weighted avg"] == expected["weighted avg"]


def test_per_rule_first_hit_stats(credit_split, tutorial_rules):
    frame = split_frame(credit_split)
    ev = studio.evaluate(credit_split, tutorial_rules)
    _, fired = predict(tutorial_rules, frame[["V11", "V17", "V14"]])
    fired = np.array(fired)
    y = (frame["Class"] == 1).to_numpy()
    without = [np.array(predict(tutorial_rules.toggle(i, False), frame[["V11", "V17", "V14"]])[0])
               for i in range(len(tutorial_rules.rules))]
    for side, codes in SIDES.items():
        sel = frame["__rs_test"].isin(codes).to_numpy()
        taken = np.zeros(len(frame), dtype=bool)
        for i, stats in enumerate(ev.sides[side].rules):
            assert stats.reached == int((sel & ~taken).sum())
            took = sel & (fired == i)
            assert stats.fired == int(took.sum())
            assert stats.correct == int((took & y).sum())
            assert stats.precision == (stats.correct / stats.fired if stats.fired else None)
            assert stats.positive_share == int((took & y).sum()) / int((sel & y).sum())
            assert stats.matched == int((sel & matches(tutorial_rules.rules[i], frame)).sum())
            taken |= fired == i
            # marginal effect: the set with this rule disabled, scored by scikit-learn
            rep = classification_report(frame["Class"][sel], without[i][sel], output_dict=True)
            assert stats.toggled.precision == rep["1"]["precision"]
            assert stats.toggled.recall == rep["1"]["recall"]
            assert stats.toggled.f1 == rep["1"]["f1-score"]


def test_overlaps_and_conflicts():
    frame = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": ["a", "a", "b", "b", "a", "b"]})
    split = studio.Dataset.from_dataframe(frame).split("y", positive="a", test_size=0.5)
    rules = studio.ruleset([rule(("x", ">=", 2), then="a"), rule(("x", ">=", 4), then="b"),
                            rule(("x", ">=", 5), then="a")], default="b")
    ev = studio.evaluate(split, rules)
    # rows x=4 match rules 1,2; x=5,6 match all three; conflicts where labels differ (all of them)
    assert ev.all.overlaps.rows == 3
    assert ev.all.overlaps.conflicts == 3
    assert ev.all.overlaps.pairs == [(0, 1, 3), (0, 2, 2), (1, 2, 2)]


def test_multiclass_iris_and_zero_division():
    split = studio.load("iris").split("target", positive="virginica", test_size=0.3, seed=3)
    frame = split_frame(split)
    cases = [
        # a proper three-class rule list
        studio.ruleset([rule(("petal length (cm)", "<", 2.45), then="setosa"),
                        rule(("petal width (cm)", "<", 1.75), then="versicolor")], default="virginica"),
        # never predicts 'virginica': its precision is 0/0
        studio.ruleset([rule(("petal length (cm)", "<", 2.45), then="setosa")], default="versicolor"),
        # predicts a label that is no class at all
        studio.ruleset([rule(("sepal width (cm)", ">", 3.0), then="unknown")], default="setosa"),
        # no rules: everything is the default
        studio.RuleSet(default="setosa"),
    ]
    for rules in cases:
        ev = studio.evaluate(split, rules)
        ref, _ = predict(rules, frame)
        assert_matches_sklearn(ev, frame, ref)


def test_string_and_boolean_targets():
    bank = studio.load("bank-marketing-sample")
    split = bank.split("y", positive="yes")
    assert split.labels == ["no", "yes"] and split.positive == "yes"
    rules = studio.ruleset([rule(("poutcome", "==", "success"), then="yes"),
                            rule(("duration", ">", 600), ("housing", "==", "no"), then="yes")], default="no")
    frame = split_frame(split)
    ref, _ = predict(rules, frame)
    assert_matches_sklearn(studio.evaluate(split, rules), frame, ref)

    frame = pd.DataFrame({"a": np.arange(40.0), "flag": [i % 3 == 0 for i in range(40)]})
    split = studio.Dataset.from_dataframe(frame).split("flag", positive=True)
    assert split.labels == ["false", "true"] and split.positive == "true"
    rules = studio.ruleset([rule(("a", ">", 20), then=True)], default=False)
    frame = split_frame(split)
    ref, _ = predict(rules, frame)
    assert_matches_sklearn(studio.evaluate(split, rules), frame, ref)


def test_refresh_reuses_the_query_when_only_labels_or_order_change(credit_split, tutorial_rules):
    studio.evaluate(credit_split, tutorial_rules)
    before = len(credit_split.cache)
    studio.evaluate(credit_split, tutorial_rules.toggle(1, False))
    assert len(credit_split.cache) == before
    studio.evaluate(credit_split, tutorial_rules.add(rule(("V10", "<", -5), then=1)))
    assert len(credit_split.cache) == before + 1
