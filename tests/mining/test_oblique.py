"""Oblique cuts across two number columns: the cut finder against brute force, the half-plane as a
polygon, and a ratio the list search now writes as one rule."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

import studio
from studio.mining.listsearch import SearchSettings, search_rules
from studio.mining.oblique import _box, _clip, best_cut, oblique_candidates
from studio.mining.validation import validation_split
from studio.rules import RuleSet
from studio.rules.polygon import polygon_mask
from studio.rules.validate import check_ruleset
from studio.runtime.pyeval import fired_index


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(-5, 5).map(float), st.just(float("nan"))), st.booleans(),
                          st.integers(1, 4).map(float)), min_size=1, max_size=40))
def test_the_best_cut_is_the_best_of_every_threshold_by_brute_force(rows):
    score = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    w = np.array([r[2] for r in rows])
    f1, t = best_cut(score, y, w)
    positives = w[y].sum()
    brute = 0.0
    for threshold in set(score[~np.isnan(score)].tolist()):
        fired = score >= threshold  # NaN never passes
        brute = max(brute, 2 * w[fired & y].sum() / (w[fired].sum() + positives) if positives else 0.0)
    assert f1 == pytest.approx(brute, rel=1e-12, abs=1e-15)
    if brute > 0:
        fired = score >= t
        assert 2 * w[fired & y].sum() / (w[fired].sum() + positives) == pytest.approx(brute, rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 2 * np.pi), st.floats(-0.9, 0.9))
def test_a_clipped_half_plane_holds_the_points_on_its_side_of_the_line(angle, shift):
    rng = np.random.default_rng(0)
    x, y = rng.normal(10, 3, 500), rng.normal(-2, 0.5, 500)
    box = _box(x, y)
    a, b = np.cos(angle) / 3, np.sin(angle) / 0.5
    c = a * 10 + b * -2 + shift * 2
    vertices = _clip(box, a, b, c)
    assert all(len(repr(v)) <= 8 for vertex in vertices for v in vertex)  # written with a few digits
    if len(vertices) < 3:
        return
    inside = polygon_mask(x, y, vertices)
    side = a * x + b * y - c
    clear = np.abs(side) > 0.02 * np.hypot(a * 9, b * 1.5)  # away from the line, beyond the rounding
    assert (inside[clear] == (side[clear] >= 0)).all()


@pytest.fixture(scope="module")
def ratio_split():
    """Positives where kappa / lambda is high or low, as with a light-chain ratio; neither column alone
    tells them apart."""
    rng = np.random.default_rng(5)
    n = 8000
    lam = rng.lognormal(0.3, 0.5, n)
    ratio = rng.lognormal(0.0, 0.35, n)
    kappa = lam * ratio
    frame = pd.DataFrame({"kappa": np.round(kappa, 3), "lambda": np.round(lam, 3),
                          "age": rng.integers(40, 90, n).astype(float)})
    ratio = frame.kappa / frame["lambda"]
    frame["mgus"] = (((ratio > 1.8) | (ratio < 0.5)) ^ (rng.random(n) < 0.02)).astype(int)
    return studio.Dataset.from_dataframe(frame).split("mgus", positive=1, seed=2)


def test_a_ratio_of_two_columns_is_found_as_polygons_on_its_side_of_the_line(ratio_split):
    start = RuleSet(default=0, target="mgus", positive=1)
    with validation_split(ratio_split, 0.25, seed=0) as inner:
        found = oblique_candidates(inner, start)
        assert found == oblique_candidates(inner, start)  # the same data: the same candidates
    assert found and all(len(w) == 1 and w[0].op == "in polygon" for w in found)
    cuts = [c for (c,) in found if (c.column, c.value.y) == ("kappa", "lambda")]
    assert cuts and found[0][0] == cuts[0]  # the pair that gains most comes first
    frame = ratio_split.dataset.con.execute(f"SELECT * FROM {ratio_split.table} ORDER BY __rs_row").df()
    positive = frame["__rs_label"] == "1"
    ratio = frame["kappa"] / frame["lambda"]  # the labels follow it (2% of them flipped)
    sides = {"high": ratio > 1.8, "low": ratio < 0.5}
    met = set()
    for c in cuts:  # each a valid rule
        check_ruleset(start.add(studio.Rule(when=(c,), then=1)), ratio_split.dataset.schema)
        inside = polygon_mask(frame["kappa"], frame["lambda"], c.value.vertices)
        assert positive[inside].any()
        for name, side in sides.items():  # a cut along one side of the ratio: most of it, little else
            if side[inside].mean() > 0.85 and inside[side].mean() > 0.7:
                met.add(name)
    assert met == {"high", "low"}  # the first line, then the line for the rows it leaves


def test_the_search_writes_each_side_of_the_ratio_as_one_rule_and_beats_the_axis_aligned_lists(ratio_split):
    with_cuts = search_rules(ratio_split, settings=SearchSettings(time_budget=600))
    without = search_rules(ratio_split, settings=SearchSettings(time_budget=600, oblique=False))
    frame = ratio_split.dataset.con.execute(f"SELECT * FROM {ratio_split.table} ORDER BY __rs_row").df()
    test = frame["__rs_test"] == 1
    y = frame.loc[test, "__rs_label"] == "1"

    def f1(rules):
        report = studio.evaluate(ratio_split, rules)
        assert report.test.metrics.positive.f1 == f1_score(y, fired_index(frame.loc[test], rules.to_dict()) >= 0)
        return report.test.metrics.positive.f1

    assert [c.op for r in with_cuts.rules.rules for c in r.when] == ["in polygon", "in polygon"]
    slopes = {}
    for rule in with_cuts.rules.rules:  # each named after its line, as a person reads it
        named = re.fullmatch(r"\(kappa, lambda\) in polygon: lambda ([<>]=) (\d\.\d+) \* kappa( [+-] [\d.e-]+)?",
                             rule.name)
        assert named, rule.name
        slopes[named.group(1)] = float(named.group(2))
    assert set(slopes) == {"<=", ">="}, slopes  # kappa / lambda high, and low
    assert abs(slopes["<="] - 1 / 1.8) < 0.1 and abs(slopes[">="] - 1 / 0.5) < 0.25, slopes
    assert f1(with_cuts.rules) > f1(without.rules) + 0.05
    assert not any(c.op == "in polygon" for r in without.rules.rules for c in r.when)


def test_columns_without_a_usable_range_give_no_cut_and_no_warning():
    rng = np.random.default_rng(1)
    n = 600
    frame = pd.DataFrame({"huge": rng.normal(0, 1, n) * 1e150, "also": rng.normal(0, 1, n) * 1e150,
                          "empty": np.full(n, np.nan), "flat": np.ones(n)})
    frame["y"] = (frame.huge + frame.also > 0).astype(int)
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with validation_split(split, 0.25, seed=0) as inner:
            assert oblique_candidates(inner, RuleSet(default=0, target="y", positive=1)) == []
