"""Alerts per 1,000 rows and per day, against pandas counting the rows the rules flag."""

import numpy as np
import pandas as pd

import studio
from studio.data.split import TimeOrder
from studio.engine.alerts import alert_rate
from studio.rules import RuleSet, rule


def test_alerts_per_thousand_rows_and_the_budget(credit_split, tutorial_rules):
    ev = studio.evaluate(credit_split, tutorial_rules)
    frame = credit_split.dataset.con.execute(f"SELECT V11, V17, V14 FROM {credit_split.table} "
                                             f"WHERE __rs_test = 1").df()
    alerts = int(((frame.V11 > 4) | (frame.V17 < -3) | (frame.V14 < -8)).sum())
    rate = alert_rate(ev, "test", budget=1.5)
    assert (rate.alerts, rate.rows) == (alerts, len(frame))
    assert rate.per_1000 == 1000 * alerts / len(frame) and rate.per_day is None
    assert rate.over_budget and not alert_rate(ev, "test", budget=5).over_budget
    assert not alert_rate(ev, "test").over_budget


def test_alerts_per_day_on_an_out_of_time_split_by_date():
    days = pd.date_range("2023-01-01", periods=90, freq="D")
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"day": np.repeat(days, 30), "x": rng.integers(0, 100, 90 * 30)})
    frame["fraud"] = (frame.x > 95) | (rng.random(len(frame)) < 0.01)
    split = studio.Dataset.from_dataframe(frame).split("fraud", positive=True,
                                                       by_time=TimeOrder("day", "2023-03-01"))
    rules = RuleSet(default=False).add(rule(("x", ">", 90), then=True))
    rate = alert_rate(studio.evaluate(split, rules), "test")
    test = frame[frame.day >= "2023-03-01"]
    span = (test.day.max() - test.day.min()).days
    assert rate.alerts == int((test.x > 90).sum())
    assert rate.per_day == rate.alerts / span
