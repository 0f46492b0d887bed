"""Figures per period against pandas computing them from the rows, one query per backtest, and the
decaying flag."""

import math

import numpy as np
import pandas as pd
import pytest

import studio
from studio.engine.backtest import backtest, render_backtest
from studio.errors import DataError
from studio.rules import RuleSet, rule


def test_numeric_buckets_equal_pandas(credit_split, tutorial_rules):
    split = credit_split
    frame = split.dataset.con.execute(
        f"SELECT Time, V11, V17, V14, Amount, __rs_y, __rs_test FROM {split.table}").df()
    bt = backtest(split, tutorial_rules, "Time", "4", side="test", amount="Amount")
    test = frame[frame["__rs_test"].astype(bool)]
    lo, hi = frame.Time.min(), frame.Time.max()  # buckets span the column over the split's rows
    bucket = np.minimum(3, np.floor((test.Time - lo) / (hi - lo) * 4)).astype(int)
    y = (np.array(split.labels)[test["__rs_y"]] == split.positive)
    first = np.select([test.V11 > 4, test.V17 < -3, test.V14 < -8], [0, 1, 2], -1)
    assert bt.unit == "4 buckets" and len(bt.periods) == 4 and bt.side == "test"
    for k, fig in enumerate(bt.total.periods):
        here = bucket == k
        alerts = here & (first >= 0)
        assert (fig.rows, fig.positives, fig.alerts, fig.caught) == (
            int(here.sum()), int((here & y).sum()), int(alerts.sum()), int((alerts & y).sum()))
        assert fig.precision == fig.caught / fig.alerts and fig.recall == fig.caught / fig.positives
        assert fig.amount_caught == pytest.approx(math.fsum(test.Amount[alerts & y]), rel=1e-12)
        for i, trend in enumerate(bt.rules):
            mine = here & (first == i)
            got = trend.periods[k]
            assert (got.rows, got.alerts, got.caught) == (int(mine.sum()), int(mine.sum()), int((mine & y).sum()))


def test_one_query_per_backtest(tutorial_rules):

    class Counting:
        def __init__(self):
            self.sql = []

        def execute(self, sql, *args):
            self.sql.append(sql)
            return con.execute(sql, *args)

    split = studio.load("creditcard-synthetic").split("Class", positive=1)  # a split nothing was asked of
    con = split.dataset.con
    counting = Counting()
    split.dataset.con = counting
    try:
        backtest(split, tutorial_rules, "Time", "8")  # the first on this split and column also reads its range
        assert len(counting.sql) == 2 and counting.sql[0].startswith('SELECT min("Time"), max("Time")')
        counting.sql.clear()
        for n in (1, 2):  # every later one (another rule set, nothing cached): one aggregate query
            backtest(split, tutorial_rules.remove(n), "Time", "8")
            assert len(counting.sql) == 1 and "GROUP BY ALL" in counting.sql[0]
            counting.sql.clear()
    finally:
        split.dataset.con = con


def test_months_of_a_date_column_and_a_decaying_rule():
    days = pd.date_range("2022-01-01", "2022-06-30", freq="D")
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"day": np.repeat(days, 20), "x": rng.integers(0, 100, len(days) * 20)})
    month = frame.day.dt.month
    # x > 90 is a good rule until June, when it stops working
    frame["fraud"] = ((frame.x > 90) & ((month < 6) | (rng.random(len(frame)) < 0.2))) | (rng.random(len(frame)) < 0.01)
    split = studio.Dataset.from_dataframe(frame).split("fraud", positive=True)
    rules = RuleSet(default=False).add(rule(("x", ">", 90), then=True, name="high x"))
    bt = backtest(split, rules, "day")
    assert bt.unit == "month" and bt.periods == tuple(f"2022-0{m}-01" for m in range(1, 7))
    for k, fig in enumerate(bt.rules[0].periods):
        here = month == k + 1
        fired = here & (frame.x > 90)
        assert (fig.rows, fig.caught) == (int(fired.sum()), int((fired & frame.fraud).sum()))
    assert bt.rules[0].decaying and bt.total.decaying
    assert "high x  DECAYING" in render_backtest(bt)
    weekly = backtest(split, rules, "day", "week", side="test")
    assert weekly.unit == "week" and len(weekly.periods) >= 25


@pytest.mark.parametrize("column, unit, message", [
    ("Tim", "auto", "unknown time column 'Tim' (did you mean 'Time'?)"),
    ("Time", "week", "a numeric time column is cut into 2 to 366 equal buckets, not 'week'"),
    ("Class", "auto", "the time column 'Class' is the target"),
])
def test_bad_periods_say_why(credit_split, tutorial_rules, column, unit, message):
    with pytest.raises(DataError) as err:
        backtest(credit_split, tutorial_rules, column, unit)
    assert str(err.value).startswith(message)
