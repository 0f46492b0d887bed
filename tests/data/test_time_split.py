"""Out-of-time splits: train before a cutoff on a time column, test after it (and after a gap).
Every count is checked against pandas working on the same rows."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

import studio
from studio.data.split import TimeOrder
from studio.errors import DataError


@pytest.fixture(scope="module")
def credit():
    """A dataset of its own: a new split replaces the dataset's stored one."""
    return studio.load("creditcard-synthetic")


@pytest.fixture(scope="module")
def credit_frame(credit):
    return credit.con.execute("SELECT rowid AS row, Time, V14, Class FROM data ORDER BY rowid").df()


def side_counts(frame, test_mask, train_mask, label="Class"):
    return {"train": {str(k): int(v) for k, v in frame[train_mask][label].value_counts().items()},
            "test": {str(k): int(v) for k, v in frame[test_mask][label].value_counts().items()}}


def test_default_cutoff_puts_the_last_share_of_rows_in_time_order_on_the_test_side(credit, credit_frame):
    split = credit.split("Class", positive=1, test_size=0.3, by_time="Time")
    ordered = credit_frame.sort_values(["Time", "row"], kind="stable")
    n = len(ordered)
    cutoff = ordered["Time"].iloc[n - int(0.3 * n + 0.5)]
    assert split.time == TimeOrder("Time", int(cutoff), 0.0)
    test, train = credit_frame.Time >= cutoff, credit_frame.Time < cutoff
    assert split.counts == side_counts(credit_frame, test, train)
    assert split.excluded == 0
    assert split.describe().endswith(f"(out of time on Time: train before {int(cutoff)}, test from {int(cutoff)})")
    # the train rows all come before the test rows
    stored = credit.con.execute(f"SELECT max(Time) FILTER (__rs_test = 0), min(Time) FILTER (__rs_test = 1) "
                                f"FROM {split.table}").fetchone()
    assert stored[0] < stored[1]


def test_cutoff_and_gap_and_the_report_follow_them(credit, credit_frame):
    split = credit.split("Class", positive=1, by_time=TimeOrder("Time", 100_000.5, 3_600))
    test = credit_frame.Time >= 103_600.5
    train = credit_frame.Time < 100_000.5
    assert split.counts == side_counts(credit_frame, test, train)
    assert split.excluded == int((~test & ~train).sum()) > 0
    rules = studio.RuleSet(default=0).add(studio.rule(("V14", "<", -8), then=1))
    report = studio.evaluate(split, rules)
    y_true = credit_frame.Class[test]
    p, r, f, _ = precision_recall_fscore_support(y_true, (credit_frame.V14[test] < -8).astype(int), labels=[1],
                                                 zero_division=0)
    pos = report.test.metrics.positive
    assert (pos.precision, pos.recall, pos.f1) == (p[0], r[0], f[0])
    info = report.to_dict()["split"]
    assert info["kind"] == "time" and info["time"] == {"column": "Time", "cutoff": "100000.5", "gap": 3600.0}
    assert info["test_rows"] == int(test.sum()) and info["excluded_rows"] == split.excluded


def test_dates_with_a_gap_in_days_and_rows_without_a_time():
    days = pd.date_range("2021-01-01", periods=120, freq="D")
    frame = pd.DataFrame({"day": days, "x": np.arange(120), "fraud": [i % 6 == 0 for i in range(120)]})
    frame.loc[[5, 77], "day"] = pd.NaT
    split = studio.Dataset.from_dataframe(frame).split("fraud", by_time=TimeOrder("day", "2021-03-15", 10))
    train = frame.day < "2021-03-15"
    test = frame.day >= "2021-03-25"
    assert split.counts == side_counts(frame.assign(fraud=frame.fraud.map({True: "true", False: "false"})),
                                       test, train, "fraud")
    assert split.excluded == 120 - int(train.sum() + test.sum())
    assert "train before 2021-03-15" in split.describe() and "then 10 days left out" in split.describe()
    again = studio.Dataset.from_dataframe(frame).split("fraud", by_time=TimeOrder("day", "2021-03-15", 10))
    assert again.counts == split.counts


@pytest.mark.parametrize("order, message", [
    (TimeOrder("Tme"), "unknown time column 'Tme' (did you mean 'Time'?)"),
    (TimeOrder("Class"), "the time column 'Class' is the target"),
    (TimeOrder("Time", "noon"), "the cutoff on 'Time' must be a number, not 'noon'"),
    (TimeOrder("Time", float("inf")), "the cutoff on 'Time' must be a finite number"),
    (TimeOrder("Time", 10**9), "cutoff 1000000000 on 'Time' leaves no test rows"),
    (TimeOrder("Time", -1), "cutoff -1 on 'Time' leaves no train rows"),
    (TimeOrder("Time", 1000, -5), "the gap must be a number ≥ 0"),
])
def test_bad_time_splits_say_why(credit, order, message):
    with pytest.raises(DataError) as err:
        credit.split("Class", positive=1, by_time=order)
    assert str(err.value).startswith(message)


def test_a_text_column_cannot_order_time():
    frame = pd.DataFrame({"when": ["a", "b"] * 10, "y": [0, 1] * 10})
    with pytest.raises(DataError, match="time column 'when' is VARCHAR: it must be a number or a date/time"):
        studio.Dataset.from_dataframe(frame).split("y", by_time="when")
