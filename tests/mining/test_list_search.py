"""The list search: its validation slice (train rows only, stratified, seeded), the exact counts of
its candidates (against the numpy rule evaluator), the objective it judges lists by (against
scikit-learn), determinism, the settings it honours, and stopping (time budget, a stop request)."""

import hashlib

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

import studio
from studio.errors import StudioError
from studio.mining.boosted import boosted_candidates
from studio.mining.oblique import oblique_candidates
from studio.mining.listsearch import SearchSettings, _pool, search_rules
from studio.mining.validation import side_value, validation_split
from studio.rules import RuleSet
from studio.runtime.pyeval import fired_index, rule_mask


@pytest.fixture(scope="module")
def shop_split():
    rng = np.random.default_rng(11)
    n = 6000
    frame = pd.DataFrame({"amount": np.round(rng.gamma(2, 40, n), 2), "hour": rng.integers(0, 24, n),
                          "shop": rng.choice(["web", "pos", "atm", "phone"], n, p=[0.4, 0.4, 0.15, 0.05]),
                          "age": rng.integers(18, 90, n).astype(float)})
    frame.loc[rng.random(n) < 0.05, "age"] = np.nan
    risk = (0.02 + 0.5 * ((frame.amount > 150) & (frame.hour < 6)) + 0.3 * (frame.shop == "phone")
            + 0.2 * ((frame.age > 75) & (frame.amount > 60)))
    frame["fraud"] = (rng.random(n) < risk).astype(int)
    return studio.Dataset.from_dataframe(frame).split("fraud", positive=1, seed=4)


def rows_of(split, where: str) -> pd.DataFrame:
    return split.dataset.con.execute(f"SELECT * FROM {split.table} WHERE {where} ORDER BY __rs_row").df()


def test_the_validation_slice_holds_train_rows_only_stratified_and_seeded(shop_split):
    outer_train = set(rows_of(shop_split, "__rs_test = 0")["__rs_row"])
    outer_test = set(rows_of(shop_split, "__rs_test = 1")["__rs_row"])
    with validation_split(shop_split, 0.25, seed=3) as inner:
        fit, valid = rows_of(inner, "__rs_test = 0"), rows_of(inner, "__rs_test = 1")
        table = inner.table
        for label in shop_split.labels:
            n = shop_split.counts["train"][label]
            assert inner.counts["test"][label] == int(n * 0.25 + 0.5) == int((valid["__rs_label"] == label).sum())
            assert inner.counts["train"][label] == n - inner.counts["test"][label]
    train = rows_of(shop_split, "__rs_test = 0")
    by_hand = set()
    for label, rows in train.groupby("__rs_label"):
        ranked = sorted((hashlib.md5(f"3:v:{r}".encode()).hexdigest(), r) for r in rows["__rs_row"])
        by_hand |= {r for _, r in ranked[:int(len(rows) * 0.25 + 0.5)]}
    assert set(valid["__rs_row"]) == by_hand  # the first of each class by md5(seed:v:row), by hand
    assert set(fit["__rs_row"]) | set(valid["__rs_row"]) == outer_train
    assert not (set(valid["__rs_row"]) & outer_test) and not (set(fit["__rs_row"]) & outer_test)
    assert not set(fit["__rs_row"]) & set(valid["__rs_row"])
    con = shop_split.dataset.con
    assert con.execute(f"SELECT count(*) FROM duckdb_views() WHERE view_name = '{table}'").fetchone()[0] == 0
    assert [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()] == ["data"]  # no copy
    assert not [c for (c, *_) in con.execute("DESCRIBE data").fetchall() if c.startswith("__rs_v")]  # its columns gone
    with validation_split(shop_split, 0.25, seed=3) as again, validation_split(shop_split, 0.25, seed=4) as other:
        assert list(rows_of(again, "__rs_test = 1")["__rs_row"]) == list(valid["__rs_row"])
        assert list(rows_of(other, "__rs_test = 1")["__rs_row"]) != list(valid["__rs_row"])


def test_every_candidate_is_counted_exactly_and_the_objective_is_sklearns(shop_split):
    settings = SearchSettings(min_support=1)
    start = RuleSet(default=0, target="fraud", positive=1).add(studio.rule(("shop", "in", ["phone"]), then=1))
    with validation_split(shop_split, 0.25, seed=0) as inner:
        learned = boosted_candidates(inner, start) + oblique_candidates(inner, start)
        pool = _pool(inner, start, settings, learned)
        fit = rows_of(inner, "__rs_test = 0")
        undecided = fit[fired_index(fit, start.to_dict()) == -1]
        positive = undecided["__rs_label"] == "1"
        assert len(pool) > 20 and pool["when"].map(lambda w: isinstance(w, tuple)).any()
        assert pool["when"].map(lambda w: isinstance(w, tuple) and w[0].op == "in polygon").any()
        for _, row in pool.iterrows():
            when = row["when"] if isinstance(row.get("when"), tuple) else \
                (studio.Condition(row["column"], row["op"], float(row["threshold"])),)
            mask = rule_mask(undecided, studio.Rule(when=when, then=1).to_dict())
            assert (row["train_fired"], row["train_tp"]) == (mask.sum(), (mask & positive).sum()), when
        valid = rows_of(inner, "__rs_test = 1")
        chosen = start.add(studio.rule(("amount", ">", 150.0), ("hour", "<", 6), then=1))
        y = valid["__rs_label"] == "1"
        pred = fired_index(valid, chosen.to_dict()) >= 0
        assert side_value(inner, chosen, "test") == f1_score(y, pred)


def test_the_search_is_deterministic_and_honours_its_settings(shop_split):
    # refit=False: the list reported is the one judged on validation (a refitted one learned from those rows
    # too; test_tree_lists checks it)
    settings = SearchSettings(max_rules=3, max_conditions=2, min_precision=0.4, seed=5, time_budget=600, refit=False)
    first = search_rules(shop_split, settings=settings)
    again = search_rules(shop_split, settings=settings)
    assert first.rules == again.rules and first.validation == again.validation
    assert 1 <= len(first.rules.rules) <= 3 and all(len(r.when) <= 2 for r in first.rules.rules)
    assert first.stopped == "done" and first.steps and first.steps[0].depth == 1
    with validation_split(shop_split, settings.validation, settings.seed) as inner:  # the same fit rows
        assert side_value(inner, first.rules, "test") == pytest.approx(first.validation, abs=0.05)


def test_the_search_does_not_depend_on_the_order_duckdb_returns_rows_in(credit_split):
    """With more threads DuckDB returns rows and groups in another order: the list, and every list met
    on the way, stay the same (the tree's rows are read in row order, ties ranked by the rule's text)."""
    con = credit_split.dataset.con
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    settings = SearchSettings(max_rules=4, min_support=5, time_budget=600)
    found = []
    try:
        for n in (1, 4):
            con.execute(f"SET threads TO {n}")
            r = search_rules(credit_split, settings=settings)
            found.append((r.lists, r.rules, r.validation, [(s.lists, s.best_fit) for s in r.steps]))
    finally:
        con.execute(f"SET threads TO {int(threads)}")
    assert found[0] == found[1]


def test_a_search_stops_when_asked_or_out_of_time_with_the_best_list_so_far(shop_split):
    asked = []

    def stop_after_two():
        asked.append(1)
        return len(asked) > 2

    stopped = search_rules(shop_split, settings=SearchSettings(max_rules=8, beam=1, time_budget=600),
                           should_stop=stop_after_two)
    assert stopped.stopped == "asked" and len(stopped.steps) == 2 and len(stopped.rules.rules) <= 2
    late_settings = SearchSettings(time_budget=1e-9)
    late = search_rules(shop_split, settings=late_settings)  # the first step, no more, and the tree lists
    assert late.stopped == "time" and len(late.steps) == 1
    from studio.mining.listsearch import _support
    from studio.mining.treelists import tree_lists

    start = RuleSet(default=0, target="fraud", positive=1)
    with validation_split(shop_split, late_settings.validation, late_settings.seed) as inner:
        trees = tree_lists(inner, start, None, late_settings.max_rules, late_settings.max_conditions,
                           late_settings.seed, _support(late_settings, inner))
    assert late.lists == 1 + min(late_settings.beam, late.steps[0].lists) + len(trees)  # no list of a second step


@pytest.mark.parametrize("bad, message", [
    (dict(max_rules=0), "max rules is a whole number of at least 1"),
    (dict(max_conditions=1.5), "max conditions is a whole number"),
    (dict(min_precision=2.0), "minimum precision is between 0 and 1"),
    (dict(time_budget=float("nan")), "the time budget is a positive number"),
    (dict(objective="accuracy"), "objective must be one of"),
    (dict(validation=1.0), "the validation share is between 0 and 1"),
])
def test_bad_settings_are_refused_in_one_line(shop_split, bad, message):
    with pytest.raises(StudioError, match=message):
        search_rules(shop_split, settings=SearchSettings(**bad))


def test_lists_read_off_whole_trees_are_among_those_judged(shop_split):
    """The lists read off trees are whole prefixes of their leaves within the settings, and the search
    never chooses a list that does worse on the validation rows than the best of them."""
    from studio.mining.treelists import tree_lists

    settings = SearchSettings(max_rules=3, max_conditions=2, time_budget=600)
    start = RuleSet(default=0, target="fraud", positive=1)
    with validation_split(shop_split, settings.validation, settings.seed) as inner:
        lists = tree_lists(inner, start, None, settings.max_rules, settings.max_conditions, settings.seed)
        best = max(side_value(inner, r, "test") for r in lists)
    assert lists and len(set(lists)) == len(lists)
    for r in lists:
        assert 1 <= len(r.rules) <= 3 and all(1 <= len(rule.when) <= 2 and rule.then == 1 for rule in r.rules)
        shorter = [o for o in lists if len(o.rules) == len(r.rules) - 1 and o.rules == r.rules[:-1]]
        assert len(r.rules) == 1 or shorter  # prefixes: one leaf more each time
    found = search_rules(shop_split, settings=settings)
    assert found.validation >= best - settings.tolerance
    without = search_rules(shop_split, settings=SearchSettings(max_rules=3, max_conditions=2, time_budget=600,
                                                               tree_lists=False))
    assert found.validation >= without.validation - settings.tolerance


def test_lists_read_off_trees_keep_to_the_least_support_and_precision_per_rule(shop_split):
    """Every rule of a tree list takes at least ``min_support`` fit rows and reaches ``min_precision``
    there, counted by the numpy rule evaluator on the fit rows (the rows each rule decides in its list)."""
    from studio.mining.treelists import tree_lists

    start = RuleSet(default=0, target="fraud", positive=1)
    with validation_split(shop_split, 0.25, 0) as inner:
        fit = rows_of(inner, "__rs_test = 0")
        loose = tree_lists(inner, start, None, 8, 3, 0)
        strict = tree_lists(inner, start, None, 8, 3, 0, min_support=40, min_precision=0.5)
    y = (fit["__rs_label"] == "1").to_numpy()
    assert strict and len(strict) < len(loose)
    for r in strict:
        decided = fired_index(fit, r.to_dict())
        for k in range(len(r.rules)):
            took = decided == k
            assert took.sum() >= 40 and y[took].sum() >= 0.5 * took.sum(), r.rules[k].name
