"""Hypothesis strategies: small frames with missing values and odd column names, and random rule sets
(with ``polygons=True``, also ``in polygon`` conditions over the two numeric columns)."""

import math

import pandas as pd
from hypothesis import strategies as st

import studio
from studio.rules import Condition, Polygon, Rule, RuleSet

NUM, INT, STR = "Montant (€)", 'a"; DROP TABLE t; --', "it's a ünïcode name"
WORDS = ["", "a", "b", "B", "it's", "é", "x y", "zz"]
finite = st.floats(min_value=-5, max_value=5, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def frames(draw):
    n = draw(st.integers(2, 30))
    num = draw(st.lists(st.one_of(finite, st.just(math.nan)), min_size=n, max_size=n))
    ints = draw(st.lists(st.one_of(st.integers(-3, 3), st.none()), min_size=n, max_size=n))
    strs = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.none()), min_size=n, max_size=n))
    target = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    target[0], target[1] = 0, 1  # at least two classes
    return pd.DataFrame({NUM: pd.array(num, dtype="float64"), INT: pd.array(ints, dtype="Int64"),
                         STR: pd.Series(strs, dtype=object), "target": target})


def values_for(column):
    if column == STR:
        return st.sampled_from(WORDS)
    if column == INT:
        return st.integers(-3, 3)
    return st.one_of(finite, st.integers(-3, 3))


@st.composite
def polygon_conditions(draw):
    """A polygon over the two numeric columns: 3 to 6 vertices on a half-unit grid spanning at most
    2 units per axis, in any order (so non-convex, self-crossing, with repeats or collinear runs).
    With the frames' values (hundredths and integers) the double arithmetic then decides every
    point exactly as rational arithmetic does, so the exact reference applies."""
    x, y = draw(st.sampled_from([(NUM, INT), (INT, NUM)]))
    offsets = {NUM: st.integers(-3, 1), INT: st.integers(-2, 0)}
    ox, oy = draw(offsets[x]), draw(offsets[y])
    half = st.integers(0, 4).map(lambda k: k / 2)
    vertices = draw(st.lists(st.tuples(half.map(lambda v: ox + v), half.map(lambda v: oy + v)),
                             min_size=3, max_size=6))
    return Condition(x, "in polygon", Polygon(y=y, vertices=tuple(vertices)))


@st.composite
def conditions(draw, polygons=False):
    if polygons and draw(st.integers(0, 3)) == 0:
        return draw(polygon_conditions())
    column = draw(st.sampled_from([NUM, INT, STR]))
    op = draw(st.sampled_from([o for o in studio.OPERATORS if o != "in polygon"]))
    if op in ("is null", "is not null"):
        return Condition(column, op)
    if op == "between":
        a, b = sorted([draw(values_for(column)), draw(values_for(column))])
        return Condition(column, op, (a, b))
    if op in ("in", "not in"):
        return Condition(column, op, tuple(draw(st.lists(values_for(column), min_size=1, max_size=3))))
    return Condition(column, op, draw(values_for(column)))


@st.composite
def rulesets(draw, polygons=False):
    rules = draw(st.lists(
        st.builds(Rule, when=st.lists(conditions(polygons), min_size=1, max_size=3).map(tuple),
                  then=st.integers(0, 2), name=st.sampled_from(["", "r", 'odd "name"', "ünï"]),
                  enabled=st.booleans()),
        max_size=5))
    return RuleSet(rules=tuple(rules), default=draw(st.integers(0, 2))).check()
