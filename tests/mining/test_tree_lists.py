"""Lists read off a deep tree and pruned as a list (studio/mining/treelists.py)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import studio
from studio.mining.candidates import tree_frame
from studio.mining.listsearch import SearchSettings, _support, rounded, search_rules
from studio.mining.treelists import PRUNED_DEPTH, _fires, _pruned, refit, tree_lists
from studio.mining.validation import side_value, validation_split
from studio.rules import Condition, RuleSet
from studio.runtime.pyeval import rule_mask


@pytest.fixture(scope="module")
def shop_frame():
    rng = np.random.default_rng(5)
    n = 8000
    frame = pd.DataFrame({"amount": np.round(rng.gamma(2, 40, n), 2), "hour": rng.integers(0, 24, n).astype(float),
                          "shop": rng.choice(["web", "pos", "atm", "phone"], n, p=[0.4, 0.4, 0.15, 0.05]),
                          "age": rng.integers(18, 90, n).astype(float)})
    frame.loc[rng.random(n) < 0.05, "age"] = np.nan
    risk = (0.01 + 0.6 * ((frame.amount > 150) & (frame.hour < 6) & (frame.shop != "web"))
            + 0.5 * ((frame.age > 75) & (frame.amount > 100) & (frame.hour >= 20)))
    frame["fraud"] = (rng.random(n) < risk).astype(int)
    return frame


@pytest.fixture(scope="module")
def shop_split(shop_frame):
    return studio.Dataset.from_dataframe(shop_frame).split("fraud", positive=1, seed=2)


def test_where_a_rule_holds_on_the_trees_rows_is_where_the_rule_evaluator_says(shop_split):
    """Comparisons with missing values fail, value sets of text columns read the indicators."""
    start = RuleSet(default=0, target="fraud", positive=1)
    X, y, weights, features = tree_frame(shop_split, start, None, max_negatives=10 ** 6)
    rows = shop_split.dataset.con.execute(f"SELECT * FROM {shop_split.table} WHERE __rs_test = 0 "
                                          "ORDER BY __rs_row").df()
    assert len(rows) == len(X) and (weights == 1).all()
    index = {f: k for k, f in enumerate(features)}
    for when in [(Condition("age", ">", 70.0),), (Condition("age", "<=", 40.0), Condition("amount", ">", 90.0)),
                 (Condition("shop", "in", ("phone", "atm")),), (Condition("shop", "not in", ("web",)),
                                                                 Condition("hour", "<=", 5.0))]:
        expected = rule_mask(rows, studio.Rule(when=when, then=1).to_dict())
        assert (_fires(when, X, index) == expected).all(), when


def test_a_condition_that_only_kept_a_leaf_apart_from_an_earlier_one_goes():
    x = np.linspace(0, 1, 101)
    X = np.column_stack([x, x[::-1]])
    y = x > 0.5
    w = np.ones(len(x))
    features = [("a", None), ("b", None)]
    leaves = [(Condition("a", ">", 0.5), Condition("b", ">", 0.25)), (Condition("a", ">", 0.5), Condition("b", "<=", 0.25))]
    assert _pruned(leaves, X, y, w, features, 3, 1.0) == [(Condition("a", ">", 0.5),)]
    needed = [(Condition("a", ">", 0.5), Condition("a", "<=", 0.8))]  # the second condition costs recall
    assert _pruned(needed, X, x > 0.5, w, features, 3, 1.0) == [(Condition("a", ">", 0.5),)]
    kept = [(Condition("a", ">", 0.5), Condition("b", ">", 0.3))]  # both matter: y needs both
    assert _pruned(kept, X, (x > 0.5) & (x[::-1] > 0.3), w, features, 3, 1.0) == kept
    assert len(_pruned(kept, X, (x > 0.5) & (x[::-1] > 0.3), w, features, 1, 1.0)[0]) == 1  # too many: one goes


def test_the_deep_trees_list_keeps_to_the_settings_and_is_judged(shop_split):
    """The pruned deep tree adds lists of its own; every tree list keeps to the settings, and the
    search's choice is never worse on validation than the best of them."""
    settings = SearchSettings(max_rules=4, max_conditions=2, time_budget=600)
    start = RuleSet(default=0, target="fraud", positive=1)
    with validation_split(shop_split, settings.validation, settings.seed) as inner:
        lists = tree_lists(inner, start, None, settings.max_rules, settings.max_conditions, settings.seed)
        shallow = tree_lists(inner, start, None, settings.max_rules, settings.max_conditions, settings.seed,
                             deep=False)
        best = max(side_value(inner, r, "test") for r in lists)
    assert set(shallow) < set(lists)
    for r in lists:
        assert 1 <= len(r.rules) <= 4 and all(1 <= len(rule.when) <= 2 for rule in r.rules)
    found = search_rules(shop_split, settings=settings)
    assert found.validation >= best - settings.tolerance


def test_each_trees_whole_list_has_a_recipe_that_refit_repeats(shop_split):
    """The longest list of each tree maps to (depth, class weight), its shorter lists to None; on the
    same rows, ``refit`` reads the same whole list again."""
    start = RuleSet(default=0, target="fraud", positive=1)
    with validation_split(shop_split, 0.25, 0) as inner:
        lists = tree_lists(inner, start, None, 5, 3, 0, 5)
        recipes = {recipe: r for r, recipe in lists.items() if recipe}
        assert set(recipes) <= {(2, None), (2, "balanced"), (3, None), (3, "balanced"), (PRUNED_DEPTH, None)}
        assert (PRUNED_DEPTH, None) in recipes and len(recipes) >= 3
        for recipe, whole in recipes.items():
            assert not any(len(o.rules) > len(whole.rules) and o.rules[:len(whole.rules)] == whole.rules
                           for o in lists)  # nothing longer from the same start
            assert refit(inner, start, recipe, None, 5, 3, 0, 5) == whole
        for r in (r for r, recipe in lists.items() if recipe is None):
            assert any(len(w.rules) > len(r.rules) and w.rules[:len(r.rules)] == r.rules for w in recipes.values())


def test_a_chosen_trees_whole_list_is_read_again_off_every_train_row_and_no_test_row(shop_frame, shop_split):
    """When the search chooses a tree's whole list, it returns that tree's list fitted on every train
    row (fit and validation rows), rounded; the test rows take no part: scrambling their values
    changes nothing."""
    settings = SearchSettings(max_rules=3, max_conditions=3, seed=1, time_budget=600)
    found = search_rules(shop_split, settings=settings)
    assert found.refitted
    start = RuleSet(default=0, target="fraud", positive=1)
    recipes = [(depth, weight) for depth in (2, 3) for weight in (None, "balanced")] + [(PRUNED_DEPTH, None)]
    again = [rounded(shop_split, start, refit(shop_split, start, recipe, None, 3, 3, 1, _support(settings, shop_split)))
             for recipe in recipes]
    assert found.rules in again
    with validation_split(shop_split, settings.validation, settings.seed) as inner:
        fitted_on_fit_rows = [r for r, recipe in tree_lists(inner, start, None, 3, 3, 1, _support(settings, inner)).items()
                              if recipe]
    assert found.rules not in [rounded(shop_split, start, r) for r in fitted_on_fit_rows]
    test_rows = shop_split.dataset.con.execute(f"SELECT __rs_row FROM {shop_split.table} WHERE __rs_test = 1").df()
    scrambled = shop_frame.copy()
    rng = np.random.default_rng(0)
    where = test_rows["__rs_row"].to_numpy()
    for name in ("amount", "hour", "age"):
        scrambled.loc[where, name] = rng.permutation(scrambled[name].to_numpy())[: len(where)]
    scrambled.loc[where, "shop"] = rng.choice(["web", "pos", "atm", "phone"], len(where))
    other = studio.Dataset.from_dataframe(scrambled).split("fraud", positive=1, seed=2)
    assert other.counts == shop_split.counts
    assert search_rules(other, settings=settings).rules == found.rules
    without = search_rules(shop_split, settings=replace(settings, refit=False))
    assert not without.refitted and without.validation >= found.validation  # the same choice, then maybe a rule dropped
