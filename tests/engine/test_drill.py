"""The rows behind the numbers: each outcome's and each rule's rows, on train and test, counted as
the confusion matrix and the per-rule table count them, and paged, sorted and labelled as the numpy
rule evaluator (an independent implementation) says."""

import numpy as np
import pandas as pd
import pytest

import studio
from studio.engine.drill import count_rows, row_page
from studio.errors import DataError
from studio.rules import RuleSet, rule
from studio.runtime.pyeval import fired_index


@pytest.fixture(scope="module")
def rules(tutorial_rules):
    # a rule with the negative label in the middle: the default is not the only way to say "no"
    return tutorial_rules.add(rule(("V14", ">", 3), then=0, name="high V14 is fine"), 1)


def frame_of(split, side):
    f = split.dataset.con.execute(f"SELECT * FROM {split.table} WHERE __rs_test = {int(side == 'test')} "
                                  "ORDER BY __rs_row").df()
    return f


@pytest.mark.parametrize("side", ["train", "test"])
def test_counts_equal_the_confusion_matrix_and_the_per_rule_table(credit_split, rules, side):
    ev = studio.evaluate(credit_split, rules).sides[side]
    m = ev.metrics
    p, n = m.labels.index("1"), m.labels.index("0")
    assert count_rows(credit_split, rules, side, "TP") == m.confusion[p][p]
    assert count_rows(credit_split, rules, side, "FP") == m.confusion[n][p]
    assert count_rows(credit_split, rules, side, "FN") == m.confusion[p][n]
    assert count_rows(credit_split, rules, side, "TN") == m.confusion[n][n]
    for stats in ev.rules:
        assert count_rows(credit_split, rules, side, rule=stats.index) == stats.fired
        assert count_rows(credit_split, rules, side, "TP", stats.index) == (stats.correct if stats.label == "1" else 0)


def test_pages_hold_the_right_rows_in_order(credit_split, rules):
    f = frame_of(credit_split, "test")
    hit = fired_index(f, rules.to_dict())
    alerted = np.isin(hit, [0, 2, 3])
    positive = np.array(credit_split.labels)[f["__rs_y"]] == "1"
    fp = f[alerted & ~positive]
    page = row_page(credit_split, rules, "test", "FP", limit=50, offset=20)
    assert page.total == len(fp)
    assert list(page.rows["V14"]) == list(fp["V14"].iloc[20:70])
    assert set(page.rows["outcome"]) == {"FP"}
    names = rules.names()
    assert list(page.rows["decided by"]) == [names[i] for i in hit[alerted & ~positive][20:70]]
    by_amount = row_page(credit_split, rules, "test", "FN", order_by="Amount", descending=True, limit=10)
    fn = f[~alerted & positive].sort_values("Amount", ascending=False, kind="stable")
    assert list(by_amount.rows["Amount"]) == list(fn["Amount"].head(10))
    assert list(by_amount.rows["decided by"]).count("default") + list(by_amount.rows["decided by"]).count(
        "high V14 is fine") == len(by_amount.rows)
    all_rows = row_page(credit_split, rules, "train", limit=5)
    assert all_rows.total == credit_split.counts["train"]["0"] + credit_split.counts["train"]["1"]


def test_a_column_named_like_the_added_ones_keeps_its_name():
    data = pd.DataFrame({"outcome": [i % 3 for i in range(40)], "x": range(40), "y": [i % 4 == 0 for i in range(40)]})
    split = studio.Dataset.from_dataframe(data).split("y", positive=True)
    page = row_page(split, RuleSet(default=False).add(rule(("x", ">", 20), then=True)), "test", limit=40)
    assert list(page.rows.columns[:3]) == ["_outcome", "decided by", "outcome"]


@pytest.mark.parametrize("kwargs, message", [
    ({"side": "all"}, "side must be train or test"),
    ({"outcome": "XX"}, "outcome must be one of TP, FP, FN, TN"),
    ({"rule": 9}, "there is no rule 9"),
    ({"order_by": "V14; DROP TABLE x"}, "cannot sort by 'V14; DROP TABLE x': not a column"),
    ({"limit": 0}, "a page holds 1 to 100,000 rows"),
    ({"offset": -1}, "a page starts at row 0 or later"),
])
def test_bad_requests_get_one_line(credit_split, rules, kwargs, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(")):
        row_page(credit_split, rules, **kwargs)
