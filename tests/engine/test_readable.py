"""Readable thresholds: a rounded bound takes exactly the same train rows as the raw one (property
test against numpy on the train rows), is never longer than the raw bound, and reads as a person
would write it (integers with the operator adjusted on whole numbers, few decimals otherwise)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import studio
from studio.engine.readable import readable_condition, readable_conditions, simplest
from studio.rules import Condition

OPS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}


def takes(cond: Condition, x: np.ndarray) -> np.ndarray:
    """numpy's reading of a comparison or ``between`` (missing values never taken)."""
    with np.errstate(invalid="ignore"):
        if cond.op == "between":
            low, high = cond.value
            return (x >= low) & (x <= high)
        return OPS[cond.op](x, cond.value)


def train_values(split, column) -> np.ndarray:
    rows = split.dataset.fetch(f"SELECT {column} AS v FROM {split.table} WHERE __rs_test = 0")
    return rows["v"].to_numpy(dtype=float)


def digits(value) -> int:
    return len(repr(float(value)).rstrip("0").rstrip("."))


values = st.one_of(st.integers(-50, 50).map(float),
                   st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                   st.floats(-2, 2, allow_nan=False, allow_infinity=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xs=st.lists(st.one_of(values, st.none()), min_size=4, max_size=60),
       op=st.sampled_from([">", ">=", "<", "<=", "between"]),
       raw=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
       width=st.floats(0, 1e3, allow_nan=False, allow_infinity=False),
       pick=st.integers(0, 59))
def test_the_rounded_bound_takes_the_same_train_rows(xs, op, raw, width, pick):
    frame = pd.DataFrame({"x": pd.array(xs, dtype="Float64"), "target": [i % 2 for i in range(len(xs))]})
    split = studio.Dataset.from_dataframe(frame).split("target", positive=1, test_size=0.5, seed=3)
    x = train_values(split, "x")
    present = x[~np.isnan(x)]
    if len(present) and pick % 2:  # a bound at a data value, as the threshold scan proposes
        raw = float(present[pick % len(present)])
    cond = Condition("x", op, (raw, raw + width) if op == "between" else raw)
    got = readable_condition(split, cond)
    assert np.array_equal(takes(got, x), takes(cond, x))
    bounds = got.value if op == "between" else (got.value,)
    raws = cond.value if op == "between" else (cond.value,)
    assert all(digits(b) <= digits(r) for b, r in zip(bounds, raws))
    assert (got.op == "between") == (op == "between")


def frame_of(x, name="x"):
    return pd.DataFrame({name: x, "target": [i % 2 for i in range(len(x))]})


def test_whole_numbers_read_as_whole_numbers_with_the_operator_adjusted():
    split = studio.Dataset.from_dataframe(frame_of(list(range(1, 17)) * 20, "education_num")).split(
        "target", positive=1, seed=0)
    assert readable_condition(split, Condition("education_num", ">", 12.85)) == Condition("education_num", ">=", 13)
    assert readable_condition(split, Condition("education_num", "<", 12.85)) == Condition("education_num", "<", 13)
    assert readable_condition(split, Condition("education_num", "<", 12.15)) == Condition("education_num", "<=", 12)
    assert readable_condition(split, Condition("education_num", "between", (3.2, 7.9))) == \
        Condition("education_num", "between", (4, 7))
    assert repr(readable_condition(split, Condition("education_num", ">", 12.85)).value) == "13"


def test_a_data_value_bound_gets_the_fewest_decimals_that_keep_its_rows():
    x = [-3.5106735229492188, -3.4, -5.0, -1.25, 0.0, 2.0] * 10
    split = studio.Dataset.from_dataframe(frame_of(x, "V12")).split("target", positive=1, seed=0)
    got = readable_condition(split, Condition("V12", ">", -3.5106735229492188))
    assert got.op == ">" and got.value == -3.5  # the gap is [-3.5107, -3.4): -3.5 is nearest among one decimal
    assert readable_condition(split, Condition("V12", "<=", -3.5106735229492188)) == Condition("V12", "<=", -3.5)


def test_other_conditions_are_left_as_they_are():
    frame = pd.DataFrame({"x": [1.5, 2.5, 3.5, 4.5] * 5, "k": list("abcd") * 5, "target": [0, 1] * 10})
    split = studio.Dataset.from_dataframe(frame).split("target", positive=1, seed=0)
    when = (Condition("k", "in", ("a", "b")), Condition("x", "is null"), Condition("x", ">", 2.123456))
    assert readable_conditions(split, [when]) == [(when[0], when[1], Condition("x", ">", 2.0))]
    assert isinstance(readable_conditions(split, [when])[0][2].value, float)  # a DOUBLE column keeps floats


@pytest.mark.parametrize("lo,hi,near,expected", [
    (12.0, 13.0, 12.85, 13.0), (0.11, 0.19, 0.12, 0.12), (0.11, 0.29, 0.12, 0.2), (-5.3, 5.3, 4.4, 4.0), (12.0, 13.0, 12.15, 12.0),
    (1234.0, 1876.0, 1500.0, 1500.0), (0.0001234, 0.0001299, 0.000125, 0.000125)])
def test_simplest_number_in_a_gap(lo, hi, near, expected):
    assert simplest(lo, hi, near) == expected
    assert math.isfinite(simplest(lo, hi, near))
