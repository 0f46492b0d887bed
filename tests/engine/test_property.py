"""Property: on random data and random rule sets (polygons included), DuckDB's SQL and an
independent row-by-row reference agree on every prediction, every fired rule, and every metric."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import classification_report, confusion_matrix

import studio
from studio.data.labels import canonical
from studio.runtime.scoring import scoring_select

from tests.support.reference import predict
from tests.support.strategies import frames, rulesets


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), rules=rulesets(polygons=True))
def test_sql_predictions_equal_the_reference(frame, rules):
    data = studio.Dataset.from_dataframe(frame)
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    got = data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall()
    ref_labels, ref_fired = predict(rules, frame)
    names = [r.name or f"rule {i}" for i, r in enumerate(rules.rules, start=1)]
    assert [g[0] for g in got] == ref_labels
    assert [g[1] for g in got] == [names[i] if i >= 0 else None for i in ref_fired]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), rules=rulesets(polygons=True), positive=st.integers(0, 1))
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
