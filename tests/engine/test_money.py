"""Amount-weighted figures against an independent computation: the rows' predictions worked out in
pandas, the weighted scores from scikit-learn with ``sample_weight=amount``."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as hs
from sklearn.metrics import precision_recall_fscore_support

import studio
from studio.engine.money import MoneySettings, money, render_money
from studio.errors import DataError
from studio.rules import RuleSet, rule


def rows_of(split, columns):
    cols = ", ".join(f'"{c}"' for c in columns)
    frame = split.dataset.con.execute(f"SELECT {cols}, __rs_y, __rs_test FROM {split.table}").df()
    return frame.assign(__rs_test=frame["__rs_test"].astype(bool))


def weighted(y_true, y_pred, weight):
    p, r, _, _ = precision_recall_fscore_support(y_true, y_pred, labels=[1], sample_weight=weight, zero_division=0)
    return float(p[0]), float(r[0])


def test_tutorial_rules_amounts_equal_sklearn_weighted_scores(credit_split, tutorial_rules):
    split = credit_split
    cost = 5.0
    got = money(split, tutorial_rules, MoneySettings("Amount", review_cost=cost, false_alert_share=0.1))
    frame = rows_of(split, ["V11", "V17", "V14", "Amount"])
    pred = ((frame.V11 > 4) | (frame.V17 < -3) | (frame.V14 < -8)).astype(int)
    y = (np.array(split.labels)[frame["__rs_y"]] == split.positive).astype(int)
    for side, sel in (("train", ~frame["__rs_test"]), ("test", frame["__rs_test"]), ("all", frame.index >= 0)):
        m = got[side]
        amount, yt, yp = frame.Amount[sel], y[sel], pred[sel]
        p, r = weighted(yt, yp, amount)
        assert m.precision == pytest.approx(p, rel=1e-12) and m.recall == pytest.approx(r, rel=1e-12)
        assert m.alerts == int(yp.sum()) and m.rows == int(sel.sum())
        caught = math.fsum(amount[(yt == 1) & (yp == 1)])
        false = math.fsum(amount[(yt == 0) & (yp == 1)])
        assert m.caught == pytest.approx(caught, rel=1e-12)
        assert m.false_alerts == pytest.approx(false, rel=1e-12)
        assert m.positive_amount == pytest.approx(math.fsum(amount[yt == 1]), rel=1e-12)
        assert m.net_benefit == pytest.approx(caught - cost * m.alerts - 0.1 * false, rel=1e-12)
        assert m.alerts_per_1000 == pytest.approx(1000 * m.alerts / m.rows, rel=1e-15)
        # per rule, where it decides: first hit in order
        first = np.select([frame.V11[sel] > 4, frame.V17[sel] < -3, frame.V14[sel] < -8], [0, 1, 2], -1)
        for k, rm in enumerate(m.rules):
            mine = first == k
            assert rm.alerts == int(mine.sum())
            assert rm.caught == pytest.approx(math.fsum(amount[mine & (yt == 1)]), rel=1e-12, abs=1e-9)
        assert sum(rm.alerts for rm in m.rules) == m.alerts
    text = render_money(got, MoneySettings("Amount", review_cost=cost))
    assert "amount recall" in text and "net benefit" in text


def test_null_and_nan_amounts_count_as_zero_and_negative_ones_are_refused():
    frame = pd.DataFrame({"x": list(range(40)) * 5, "y": [int(i % 40 >= 30) for i in range(200)],
                          "amount": [None if i % 7 == 0 else (float("nan") if i % 11 == 0 else i * 1.25)
                                     for i in range(200)]})
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1, seed=2)
    rules = RuleSet(default=0).add(rule(("x", ">=", 25), then=1))
    got = money(split, rules, MoneySettings("amount"))
    rows = rows_of(split, ["x", "amount"])
    y = (np.array(split.labels)[rows["__rs_y"]] == "1").astype(int)
    pred = (rows.x >= 25).astype(int)
    weight = rows.amount.fillna(0)
    for side, sel in (("train", ~rows["__rs_test"]), ("test", rows["__rs_test"])):
        p, r = weighted(y[sel], pred[sel], weight[sel])
        assert got[side].precision == pytest.approx(p, rel=1e-12)
        assert got[side].recall == pytest.approx(r, rel=1e-12)
        assert got[side].alerts == int(pred[sel].sum())  # a row with no amount is still an alert

    negative = frame.assign(amount=[-1.0 if i == 3 else 2.0 for i in range(200)])
    split = studio.Dataset.from_dataframe(negative).split("y", positive=1)
    with pytest.raises(DataError, match=r"amount column 'amount' has 1 negative values"):
        money(split, rules, MoneySettings("amount"))
    with pytest.raises(DataError, match=r"not numeric"):
        money(studio.Dataset.from_dataframe(frame.assign(amount="a")).split("y", positive=1), rules,
              MoneySettings("amount"))
    with pytest.raises(DataError, match=r"'Amount' is not in the data"):
        money(split, rules, MoneySettings("Amount"))
    with pytest.raises(DataError, match=r"review cost must be a finite number"):
        MoneySettings("amount", review_cost=-1)
    with pytest.raises(DataError, match=r"caught share is a share between 0 and 1"):
        MoneySettings("amount", caught_share=2)


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(0, 9), hs.booleans(), hs.integers(0, 10**9).map(lambda cents: cents / 100)),
                min_size=8, max_size=120),
       hs.integers(0, 9), hs.integers(0, 9))
def test_weighted_scores_match_sklearn_on_random_tables(rows, a, b):
    """Amounts in cents (amounts are summed to 10 decimal places)."""
    frame = pd.DataFrame(rows, columns=["x", "y", "amount"]).assign(y=lambda f: f.y.astype(int))
    if frame.y.nunique() < 2:
        return
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1, test_size=0.5, seed=1)
    rules = RuleSet(default=0).add(rule(("x", "<=", a), then=1)).add(rule(("x", ">", b), then=0))
    got = money(split, rules, MoneySettings("amount"))["all"]
    table = rows_of(split, ["x", "amount"])
    y = (np.array(split.labels)[table["__rs_y"]] == "1").astype(int)
    pred = (table.x <= a).astype(int)
    assert got.alerts == int(pred.sum())
    if not (table.amount > 0).any():  # scikit-learn refuses weights that are all zero
        assert got.precision is None and got.recall is None
        return
    p, r = weighted(y, pred, table.amount)
    assert (got.precision or 0.0) == pytest.approx(p, rel=1e-12, abs=1e-300)
    assert (got.recall or 0.0) == pytest.approx(r, rel=1e-12, abs=1e-300)


def test_the_same_digits_on_every_run(credit_split, tutorial_rules):
    """Sums do not depend on the order DuckDB's threads add the rows up."""
    first = money(credit_split, tutorial_rules, MoneySettings("Amount", review_cost=2.5))
    for _ in range(5):
        assert money(credit_split, tutorial_rules, MoneySettings("Amount", review_cost=2.5)) == first
