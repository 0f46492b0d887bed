"""Large rule sets: the first-hit aggregates give exactly the grouped path's figures (random rule sets
with disabled rules and several labels), and on 2,000 rules equal scikit-learn on the reference's
predictions."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

import studio
from studio.data.labels import canonical
from studio.engine.evaluate import cumulative, evaluate
from studio.rules import rule
from tests.support.reference import predict
from tests.support.strategies import frames, rulesets


def same_report(a, b) -> None:
    for side in ("train", "test", "all"):
        x, y = a.sides[side], b.sides[side]
        assert x.metrics == y.metrics, side
        assert x.rules == y.rules, side
        assert (x.overlaps.rows, x.overlaps.conflicts, x.overlaps.shadowed) == \
               (y.overlaps.rows, y.overlaps.conflicts, y.overlaps.shadowed), side


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), rules=rulesets(polygons=True), positive=st.integers(0, 1))
def test_first_hit_aggregates_equal_the_grouped_path(frame, rules, positive):
    split = studio.Dataset.from_dataframe(frame).split("target", positive=positive, test_size=0.5, seed=1)
    grouped, large = evaluate(split, rules, grouped=True), evaluate(split, rules, grouped=False)
    same_report(grouped, large)
    assert large.all.overlaps.pairs is None


def test_two_thousand_rules_equal_sklearn(credit_split):
    rng = np.random.default_rng(7)
    columns = [c for c in credit_split.features]
    made = [rule((columns[k % len(columns)], ">" if k % 2 else "<", float(np.round(rng.normal() * 2.5, 3))),
                 then=int(k % 5 != 0), name=f"r{k}", enabled=k % 97 != 3) for k in range(2_000)]
    rules = studio.ruleset(made, default=0)
    ev = studio.evaluate(credit_split, rules)
    assert ev.test.overlaps.pairs is None and ev.test.overlaps.shadowed
    rows = credit_split.dataset.fetch(f"SELECT * FROM {credit_split.table} ORDER BY __rs_row")
    labels, fired = predict(rules, rows)
    pred = np.array([canonical(v) for v in labels], dtype=object)
    true = rows["__rs_label"].to_numpy(dtype=object)
    test = (rows["__rs_test"] == 1).to_numpy()
    p, r, f, _ = precision_recall_fscore_support(list(true[test]), list(pred[test]), labels=["1"], zero_division=0)
    pos = ev.test.metrics.positive
    assert (pos.precision, pos.recall, pos.f1) == (p[0], r[0], f[0])
    assert ev.test.metrics.confusion == confusion_matrix(list(true[test]), list(pred[test]), labels=["0", "1"]).tolist()
    fired = np.asarray(fired)
    for i in (0, 1, 3, 500, 1999):
        stat = ev.test.rules[i]
        assert stat.fired == int((fired[test] == i).sum()) if rules.rules[i].enabled else stat.fired >= 0
    points = cumulative(credit_split, rules, "test")
    assert len(points) == 1 + len(rules.enabled_rules) and (points[-1].precision, points[-1].recall) == \
           (pos.precision, pos.recall)
