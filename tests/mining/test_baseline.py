"""The ML baseline: trained on the train split only, scored on the test rows with sklearn.metrics,
and the rows where it and the rules disagree, checked against pandas on the split's own rows."""

import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_recall_curve, precision_score, recall_score

import studio
from studio.mining.baseline import disagreements, fit_baseline, rule_predictions

COLUMNS = ["V14", "V17", "V12", "V10", "Amount"]


@pytest.fixture(scope="module")
def sides(credit_split):
    con = credit_split.dataset.con
    return {side: con.execute(f"SELECT * FROM {credit_split.table} WHERE __rs_test = {int(side == 'test')} "
                              "ORDER BY __rs_row").df() for side in ("train", "test")}


@pytest.fixture(scope="module")
def logistic(credit_split):
    return fit_baseline(credit_split, "logistic regression", COLUMNS)


def test_the_model_sees_train_rows_and_scores_every_test_row(credit_split, sides, logistic):
    test = sides["test"]
    assert logistic.train_rows == len(sides["train"]) and logistic.columns == tuple(COLUMNS)
    assert np.array_equal(logistic.test_rows, test["__rs_row"].to_numpy())
    y = (test["__rs_label"] == "1").to_numpy()
    assert np.array_equal(logistic.test_true, y)
    proba = logistic.model.predict_proba(test[COLUMNS])[:, 1]
    assert np.array_equal(logistic.test_score, proba)
    for t in (0.5, 0.2):
        got = logistic.scores(t)
        pred = proba >= t
        assert (got.precision, got.recall, got.f1) == (precision_score(y, pred), recall_score(y, pred), f1_score(y, pred))
    p, r, _ = precision_recall_curve(y, proba)
    curve = logistic.curve()
    assert np.array_equal(curve["precision"], p) and np.array_equal(curve["recall"], r)
    assert logistic.precision_at_recall(0.5) == p[r >= 0.5].max()
    assert 0.5 < logistic.scores().f1 < 1


def test_disagreements_equal_pandas(credit_split, sides, logistic):
    rules = studio.ruleset([studio.rule(("V14", "<", -3), then=1, name="low V14"),
                            studio.rule(("V17", "<", -3), then=0)], default=0)
    test = sides["test"]
    rules_pos = (test["V14"] < -3).to_numpy()
    said = rule_predictions(credit_split, rules)
    assert np.array_equal(said["rules_positive"], rules_pos)
    assert set(said["rule"]) == {"low V14", "rule 2", "default"}
    ev = studio.evaluate(credit_split, rules).test.metrics.positive
    y = logistic.test_true
    assert (ev.precision, ev.recall) == (precision_score(y, rules_pos), recall_score(y, rules_pos))
    for threshold in (0.5, 0.05):
        model_pos = logistic.test_score >= threshold
        d = disagreements(credit_split, rules, logistic, threshold, limit=50)
        assert d.rules_only == (rules_pos & ~model_pos).sum() and d.model_only == (model_pos & ~rules_pos).sum()
        assert len(d.table) == min(50, d.rules_only + d.model_only) > 0
        sure = (d.table["model probability"] - threshold).abs().to_numpy()
        assert np.all(sure[:-1] >= sure[1:])
        rows = test.set_index("__rs_row").loc[d.table["row"]]
        assert np.array_equal(d.table["V14"].to_numpy(), rows["V14"].to_numpy())
        assert np.array_equal(d.table["rules say"] == "1", (rows["V14"] < -3).to_numpy())
        assert np.array_equal(d.table["actual"] == "1", (rows["__rs_label"] == "1").to_numpy())
        assert np.all((d.table["rules say"] != d.table["model says"]).to_numpy())


def test_text_columns_are_one_hot_encoded_for_both_models():
    data = studio.load("bank-marketing-sample")
    split = data.split("y", positive="yes", test_size=0.5, seed=0)
    for name in ("gradient boosting", "logistic regression"):
        b = fit_baseline(split, name, ["age", "job", "month", "poutcome", "balance"])
        encoder = b.model[0].named_transformers_["text"][-1]
        assert [list(c) for c in encoder.categories_][2] == sorted(
            data.con.execute(f"SELECT DISTINCT poutcome FROM {split.table} WHERE __rs_test = 0").df()["poutcome"])
        assert len(b.test_score) == sum(split.counts["test"].values())
        assert 0 < b.average_precision() <= 1
    with pytest.raises(ValueError, match="model must be one of"):
        fit_baseline(split, "forest")
