"""Figures per period against pandas computing them from the rows, one query per backtest, and the
decaying flag."""

import math

import duckdb
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
        assert len(counting.sql) == 2 and counting.sql[0].startswith('SELECT min(CAST("Time" AS DOUBLE)), max(CAST("Time" AS DOUBLE))')
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


@pytest.mark.parametrize("kind", ["decimal", "odd doubles"])
def test_decimal_times_and_infinite_times(kind, tmp_path):
    n = 400
    t = np.arange(n) * 0.25
    frame = pd.DataFrame({"t": t, "x": np.arange(n) % 10, "y": (np.arange(n) % 7 == 0).astype(int)})
    if kind == "odd doubles":
        frame["t"] = frame["t"].astype(float)
        frame.loc[::50, "t"] = np.inf
        frame.loc[3::50, "t"] = -np.inf
        frame.loc[5::50, "t"] = np.nan
    if kind == "decimal":  # a Parquet file whose time column is DECIMAL(12, 2)
        path = tmp_path / "times.parquet"
        duckdb.sql("SELECT CAST(t AS DECIMAL(12, 2)) AS t, x, y FROM frame").write_parquet(str(path))
        dataset = studio.load(path)
        assert dataset.schema.type_of("t").startswith("DECIMAL")
    else:
        dataset = studio.Dataset.from_dataframe(frame)
    split = dataset.split("y", positive=1, seed=2)
    rules = RuleSet(default=0, target="y", positive=1, rules=(rule(("x", ">", 7), then=1),))
    bt = backtest(split, rules, "t", "4")
    rows = split.dataset.con.execute(f"SELECT CAST(t AS DOUBLE) AS t, x, y FROM {split.table}").df()
    finite = rows[np.isfinite(rows.t)]
    lo, hi = finite.t.min(), finite.t.max()
    bucket = np.minimum(3, np.floor((finite.t - lo) / (hi - lo) * 4)).astype(int)
    assert len(bt.periods) == 4
    for k, fig in enumerate(bt.total.periods):
        here = finite[bucket == k]
        assert (fig.rows, fig.positives, fig.alerts) == (len(here), int((here.y == 1).sum()), int((here.x > 7).sum()))
