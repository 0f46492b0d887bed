"""Property: on random data and random rule sets, DuckDB's SQL and an independent
row-by-row reference agree on every prediction, every fired rule, and every metric."""

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import classification_report, confusion_matrix

import studio
from studio.labels import canonical
from studio.rules import Condition, Rule, RuleSet
from studio.scoring import scoring_select

from reference import predict

NUM, INT, STR = "Montant (€)", 'a"; DROP TABLE t; --', "it's a ünïcode name"
WORDS = ["", "a", "b", "B", "it's", "é", "x y", "zz"]
finite = st.floats(min_value=-5, max_value=5, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def frames(draw):
    n = draw(st.integers(2, 30))
    num = draw(st.lists(st.one_of(finite, st.just(math.nan)), min_size=n, max_size=n))
    ints = draw(st.lists(st.one_of(st.integers(-3, 3), st.none()), min_size=n, max_size=n))
    strs = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.none()), min_size=n, max_size=n))
    target = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    target[0], target[1] = 0, 1  # at least two classes
    return pd.DataFrame({NUM: pd.array(num, dtype="float64"), INT: pd.array(ints, dtype="Int64"),
                         STR: pd.Series(strs, dtype=object), "target": target})


def values_for(column):
    if column == STR:
        return st.sampled_from(WORDS)
    if column == INT:
        return st.integers(-3, 3)
    return st.one_of(finite, st.integers(-3, 3))


@st.composite
def conditions(draw):
    column = draw(st.sampled_from([NUM, INT, STR]))
    op = draw(st.sampled_from(studio.OPERATORS))
    if op in ("is null", "is not null"):
        return Condition(column, op)
    if op == "between":
        a, b = sorted([draw(values_for(column)), draw(values_for(column))])
        return Condition(column, op, (a, b))
    if op in ("in", "not in"):
        return Condition(column, op, tuple(draw(st.lists(values_for(column), min_size=1, max_size=3))))
    return Condition(column, op, draw(values_for(column)))


@st.composite
def rulesets(draw):
    rules = draw(st.lists(
        st.builds(Rule, when=st.lists(conditions(), min_size=1, max_size=3).map(tuple),
                  then=st.integers(0, 2), name=st.sampled_from(["", "r", 'odd "name"', "ünï"]),
                  enabled=st.booleans()),
        max_size=5))
    return RuleSet(rules=tuple(rules), default=draw(st.integers(0, 2))).check()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), rules=rulesets())
def test_sql_predictions_equal_the_reference(frame, rules):
    data = studio.Dataset.from_dataframe(frame)
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    got = data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall()
    ref_labels, ref_fired = predict(rules, frame)
    names = [r.name or f"rule {i}" for i, r in enumerate(rules.rules, start=1)]
    assert [g[0] for g in got] == ref_labels
    assert [g[1] for g in got] == [names[i] if i >= 0 else None for i in ref_fired]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), rules=rulesets(), positive=st.integers(0, 1))
def test_metrics_equal_sklearn_on_reference_predictions(frame, rules, positive):
    split = studio.Dataset.from_dataframe(frame).split("target", positive=positive, test_size=0.5, seed=1)
    rows = split.dataset.fetch(f"SELECT * FROM {split.table} ORDER BY __rs_row")
    ref, _ = predict(rules, rows)
    pred = np.array([canonical(v) for v in ref], dtype=object)
    true = rows["__rs_label"].to_numpy(dtype=object)
    ev = studio.evaluate(split, rules)
    for side, codes in {"train": [0], "test": [1], "all": [0, 1]}.items():
        sel = rows["__rs_test"].isin(codes).to_numpy()
        t, p = list(true[sel]), list(pred[sel])
        got = ev.sides[side].metrics.to_dict()
        if not t:
            assert got["n"] == 0
            continue
        expected = classification_report(t, p, output_dict=True, zero_division=0)
        for label in got["labels"]:
            assert got["classes"][label] == expected[label]
        assert got["accuracy"] == expected["accuracy"]
        assert got["macro avg"] == expected["macro avg"]
        assert got["weighted avg"] == expected["weighted avg"]
        assert got["confusion_matrix"] == confusion_matrix(t, p, labels=got["labels"]).tolist()
