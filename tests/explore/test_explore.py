"""Exploration data (train sample, separation, outcomes, histograms, threshold curves) against
independent numpy/scikit-learn computations, and chart selections turned into conditions."""

import hashlib
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings, strategies as hs
from sklearn.metrics import roc_auc_score

import studio
from studio.explore import figures, groups as colour_groups, hiplot
from studio.explore.ranking import default_columns, separation
from studio.explore.sample import MAX_POINTS, train_sample
from studio.explore.views import class_histogram, outcomes, threshold_curve
from studio.rules import Condition, Polygon
from studio.data.schema import Schema
from studio.explore.selection import (condition_from_lasso, conditions_from_box, conditions_from_brush, round_down,
                                      round_up, selected_rows)


@pytest.fixture(scope="module")
def train(credit_split):
    """Every train row of the default split, straight from the split table."""
    con = credit_split.dataset.con
    return con.execute(f"SELECT * FROM {credit_split.table} WHERE __rs_test = 0 ORDER BY __rs_row").df()


@pytest.fixture(scope="module")
def sample(credit_split):
    return train_sample(credit_split, negatives=5000, seed=0)


def test_sample_is_all_train_positives_and_n_seeded_negatives(credit_split, train, sample):
    frame = sample.frame
    train_pos = set(train.loc[train["__rs_label"] == "1", "__rs_row"])
    drawn_pos = set(frame.loc[frame["__rs_label"] == "1", "__rs_row"])
    assert drawn_pos == train_pos and len(train_pos) == credit_split.counts["train"]["1"]
    assert (frame["__rs_label"] != "1").sum() == 5000
    assert set(frame["__rs_row"]) <= set(train["__rs_row"])  # never a test row
    assert frame["__rs_row"].is_unique
    negatives = train.loc[train["__rs_label"] != "1", "__rs_row"]  # the first 5,000 by (md5("0:row"), row)
    first = sorted(negatives, key=lambda r: (hashlib.md5(f"0:{r}".encode()).hexdigest(), r))[:5000]
    assert set(frame.loc[frame["__rs_label"] != "1", "__rs_row"]) == set(first)
    again = train_sample(credit_split, negatives=5000, seed=0)
    assert again.frame["__rs_row"].tolist() == frame["__rs_row"].tolist()
    other = train_sample(credit_split, negatives=5000, seed=1)
    assert set(other.frame["__rs_row"]) != set(frame["__rs_row"])
    assert sample.describe().startswith(f"{len(frame):,} train rows drawn: all 246 positives and 5,000 of")


def test_sample_never_exceeds_the_point_budget(credit_split):
    big = train_sample(credit_split, negatives=10 ** 9, seed=0)
    assert len(big.frame) == MAX_POINTS
    assert big.positives == credit_split.counts["train"]["1"]
    small = train_sample(credit_split, negatives=100, seed=0, max_points=150)
    assert len(small.frame) == 150 and small.negatives == 75 and small.positives == 75


def test_separation_equals_sklearn_auc_on_the_sample(credit_split, sample):
    frame = sample.frame
    y = (frame["__rs_label"] == "1").to_numpy()
    seps = {x.column: x for x in separation(credit_split, sample)}
    for name in ("V14", "V17", "V11", "Amount", "Time"):
        auc = roc_auc_score(y, frame[name])
        assert seps[name].auc == pytest.approx(auc, abs=1e-12)
        assert seps[name].score == pytest.approx(abs(2 * auc - 1), abs=1e-12)
    ranked = separation(credit_split, sample)
    assert [x.score for x in ranked] == sorted((x.score for x in ranked), reverse=True)
    assert default_columns(ranked, 3) == [x.column for x in ranked[:3]]
    assert "Class" not in seps


def test_categorical_separation_orders_values_by_positive_rate():
    frame = pd.DataFrame({"job": ["a", "a", "b", "b", "b", "c", "c", None] * 5,
                          "y": ["yes", "no", "yes", "yes", "no", "no", "no", "yes"] * 5})
    data = studio.Dataset.from_dataframe(frame, name="jobs")
    split = data.split("y", positive="yes", test_size=0.2, seed=0)
    sample = train_sample(split, negatives=1000)
    seps = {x.column: x for x in separation(split, sample)}
    f = sample.frame[sample.frame["job"].notna()]
    rate = f.groupby("job")["__rs_label"].apply(lambda s: (s == "yes").mean())
    expected = roc_auc_score(f["__rs_label"] == "yes", f["job"].map(rate))
    assert seps["job"].auc == pytest.approx(expected, abs=1e-12)


def test_outcomes_of_all_train_rows_equal_the_evaluation(credit_split, train, tutorial_rules):
    out = outcomes(credit_split, tutorial_rules, train["__rs_row"])
    counts = out["outcome"].value_counts().to_dict()
    ev = studio.evaluate(credit_split, tutorial_rules).train
    pos = ev.metrics.positive
    tp = round(pos.recall * credit_split.counts["train"]["1"])
    assert counts["TP"] == tp
    assert counts["TP"] + counts["FN"] == credit_split.counts["train"]["1"]
    assert counts["TP"] / (counts["TP"] + counts["FP"]) == pos.precision
    fired = out["rule"].value_counts().to_dict()
    for r in ev.rules:
        assert fired.get(r.name, 0) == r.fired
    assert list(out["__rs_row"]) == sorted(train["__rs_row"])


def test_class_histogram_counts_match_numpy(credit_split, train):
    hist = class_histogram(credit_split, "V14", bins=40)
    x = train["V14"].to_numpy()
    lo, hi = x.min(), x.max()
    width = (hi - lo) / 40
    b = np.minimum(np.floor((x - lo) / width).astype(int), 39)
    pos = (train["__rs_label"] == "1").to_numpy()
    for group, mask in (("positive", pos), ("other", ~pos)):
        got = hist.bins[hist.bins["group"] == group].set_index("bin")["rows"].to_dict()
        want = pd.Series(b[mask]).value_counts().to_dict()
        assert got == want
    text = class_histogram(studio.Dataset.from_dataframe(
        pd.DataFrame({"c": ["x", "y", "x", None], "t": [0, 1, 1, 0]}), name="t").split("t", test_size=0.5), "c")
    assert set(text.bins["bin"]) <= {"x", "y"}


@pytest.mark.parametrize("direction", [">", "<"])
def test_threshold_curve_counts_are_exact(credit_split, train, direction):
    curve = threshold_curve(credit_split, "V17", direction, max_points=64)
    x = train["V17"].to_numpy()
    pos = (train["__rs_label"] == "1").to_numpy()
    assert 2 <= len(curve.points) <= 64 + 2
    for t, fired, tp, precision, recall in curve.points[["threshold", "fired", "tp", "precision", "recall"]].itertuples(
            index=False):
        hit = x > t if direction == ">" else x < t
        assert fired == hit.sum() and tp == (hit & pos).sum()
        assert recall == tp / pos.sum()
        assert (math.isnan(precision) and fired == 0) or precision == tp / fired
    # the extremes are kept: the rule that fires on nothing and the one that fires on all but the last value
    assert curve.points["threshold"].min() == x.min() and curve.points["threshold"].max() == x.max()


# ------------------------------------------------------------------ selections
SCHEMA = Schema((("V14", "DOUBLE"), ("n", "BIGINT"), ("job", "VARCHAR"), ("flag", "BOOLEAN")))


def test_brush_extents_to_conditions():
    ranges = {"V14": (-19.2, 10.5), "n": (0, 80)}
    extents = {
        "V14": {"type": "numeric", "brush_extents_normalized": [0.1, 0.3], "range": [-2.51234, -8.98765],
                "include_infnans": False},
        "n": {"type": "numeric", "range": [81.3, 40.2]},             # reaches the top: n > 40.2
        "job": {"type": "categorical", "values": ["admin.", "retired"]},
        "flag": {"type": "categorical", "values": ["True"]},
        "unknown": {"type": "numeric", "range": [0, 1]},
    }
    conds = conditions_from_brush(extents, SCHEMA, ranges,
                                  {"job": ["admin.", "retired", "student"], "flag": [True, False]})
    assert conds == [Condition("V14", "between", (-8.99, -2.51)), Condition("n", ">", 40.2),
                     Condition("job", "in", ("admin.", "retired")), Condition("flag", "in", (True,))]
    low = conditions_from_brush({"n": {"type": "numeric", "range": [-1.0, 12.34]}}, SCHEMA, ranges, {})
    assert low == [Condition("n", "<", 12.34)]
    everything = conditions_from_brush({"n": {"type": "numeric", "range": [-1, 99]}}, SCHEMA, ranges, {})
    assert everything == []


def test_box_and_lasso_to_conditions():
    box = {"xref": "x", "yref": "y", "x": [3.14159, -1.23456], "y": [0.5, 2.75]}
    assert conditions_from_box(box, "V14", "n", (30.0, 80.0)) == [
        Condition("V14", "between", (-1.24, 3.15)), Condition("n", "between", (0.5, 2.75))]
    lasso = {"x": [0, 4.00001, 4, 0, 0], "y": [0, 0, 3, 3, 0]}
    cond = condition_from_lasso(lasso, "V14", "n", (30.0, 80.0))
    assert cond == Condition("V14", "in polygon", Polygon(y="n", vertices=((0.0, 0.0), (4.0, 0.0), (4.0, 3.0),
                                                                            (0.0, 3.0))))
    many = {"x": list(np.cos(np.linspace(0, 6, 500)) * 10), "y": list(np.sin(np.linspace(0, 6, 500)) * 10)}
    assert len(condition_from_lasso(many, "V14", "n", (20.0, 20.0), max_vertices=64).value.vertices) == 64
    with pytest.raises(ValueError):
        condition_from_lasso({"x": [1, 1], "y": [2, 2]}, "V14", "n", (1.0, 1.0))


@settings(max_examples=200, deadline=None)
@given(hs.floats(-1e6, 1e6), hs.floats(-1e6, 1e6), hs.floats(1e-6, 1e7))
@example(0.0, 562950.7787196221, 1e-6)  # a grid finer than a double holds at this magnitude
def test_bounds_round_outward(a, b, span):
    lo, hi = min(a, b), max(a, b)
    assert round_down(lo, span) <= lo and round_up(hi, span) >= hi
    assert hi - lo <= round_up(hi, span) - round_down(lo, span) <= hi - lo + 2 * span / 1000 + 1e-9 * max(1, abs(hi))


def test_selected_rows_come_from_customdata_not_point_indices():
    points = [{"point_index": 0, "curve_number": 0, "customdata": 812},
              {"point_index": 0, "curve_number": 1, "customdata": [17]},
              {"point_index": 3, "curve_number": 1, "customdata": 812}]
    assert selected_rows(points) == [17, 812]


def test_scatter_carries_row_ids_and_ships_only_the_sample(credit_split, sample):
    groups = colour_groups.color_groups(sample.frame, "1")
    fig = figures.scatter(sample.frame, "V14", "V17", groups, marginals=True)
    assert figures.points_in(fig) == len(sample.frame) <= MAX_POINTS
    ids = np.concatenate([t.customdata for t in fig.data if t.type == "scattergl"])
    assert sorted(ids) == sorted(sample.frame["__rs_row"])
    positive = next(t for t in fig.data if t.type == "scattergl" and t.name.startswith("positive"))
    assert set(positive.customdata) == set(sample.frame.loc[sample.frame["__rs_label"] == "1", "__rs_row"])
    par = figures.parcoords(sample.frame, ["V14", "V17", "Amount"], groups)
    assert figures.points_in(par) == len(sample.frame)


def test_outcome_colours_and_hiplot_experiment(credit_split, sample, tutorial_rules):
    out = outcomes(credit_split, tutorial_rules, sample.frame["__rs_row"])
    groups = colour_groups.color_groups(sample.frame, "1", out)
    assert set(groups) <= {"TP", "FP", "FN", "TN"}
    assert (groups == "TP").sum() == (out["outcome"] == "TP").sum()
    exp = hiplot.hiplot_experiment(sample.frame, ["V14", "V17"], groups, "outcome")
    exp.validate()
    assert [dp.uid for dp in exp.datapoints] == [str(r) for r in sample.frame["__rs_row"]]
    assert exp.colorby == "outcome"
    first = exp.datapoints[0].values
    assert set(first) == {"outcome", "V14", "V17"}
    by_rule = colour_groups.color_groups(sample.frame, "1", out, by="rule")
    assert set(by_rule) <= {"large V11", "deep V17", "deep V14", "default"}
    assert (by_rule == "deep V17").sum() == (out["rule"] == "deep V17").sum() > 0
    fig = figures.scatter(sample.frame, "V14", "V17", by_rule, marginals=False)
    assert len({t.marker.color for t in fig.data}) == len(fig.data)  # one colour per rule


def test_group_labels_fit_left_of_the_first_axis(sample):
    """The group axis is first: its labels are cut to 14 characters (with "…"), and stay distinct."""
    labels = hiplot.short_labels(["TP", "positive", "large amount at night", "large amount at noon", "default"])
    assert labels["TP"] == "TP" and labels["positive"] == "positive" and labels["default"] == "default"
    assert labels["large amount at night"] == "large amount …"
    assert labels["large amount at noon"] == "large amount…2"
    assert all(len(v) <= hiplot.GROUP_LABEL for v in labels.values())
    assert len(set(labels.values())) == len(labels)
    groups = pd.Series(np.where(sample.frame["__rs_label"] == "1", "large amount at night", "default"),
                       index=sample.frame.index)
    renamed = sample.frame.rename(columns={"V14": "rule fired"})
    exp = hiplot.hiplot_experiment(renamed, ["rule fired", "V17"], groups, "rule fired")
    exp.validate()  # a data column named like the group axis keeps its name and its values
    assert exp.colorby == "rule fired (colour)"
    assert set(exp.parameters_definition["rule fired (colour)"].colors) == {"large amount …", "default"}
    first = exp.datapoints[0].values
    assert first["rule fired"] == pytest.approx(renamed["rule fired"].iloc[0], abs=1e-3)


def test_explorer_computes_each_value_once_even_when_asked_concurrently(credit_split):
    import threading
    import time

    from studio.session.cache import SplitCache

    ex = SplitCache(credit_split)
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return len(calls)

    results = []
    threads = [threading.Thread(target=lambda: results.append(ex.memo("k", slow))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and results == [1, 1, 1, 1]

    def broken():
        raise RuntimeError("no")
    with pytest.raises(RuntimeError):
        ex.memo("bad", broken)
    assert ex.memo("bad", lambda: "fixed") == "fixed"  # a failure is not remembered
    ex.warm().join()
    assert ex.sample() is ex.sample(5000, 0)
    cols = tuple(default_columns(ex.ranking()))
    assert ex.hiplot_text(cols) is ex.hiplot_text(cols)


def test_thin_negatives_keeps_every_positive(sample):
    thin = figures.thin_negatives(sample.frame, "1", 300, seed=0)
    assert (thin["__rs_label"] == "1").sum() == sample.positives and (thin["__rs_label"] != "1").sum() == 300
    assert thin.equals(figures.thin_negatives(sample.frame, "1", 300, seed=0))
