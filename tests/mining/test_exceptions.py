"""Exceptions in the list search: rules put before the search's own rules with the default label,
taking back rows those rules predict positive. Their counts (against the numpy rule evaluator and
scikit-learn), a carve-out found where no rule of the allowed size can say it, and where they are
not written (the user's rules, objectives a list's counts do not decide)."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

import studio
from studio.mining.counting import Caught, undecided_sql
from studio.mining.listsearch import SearchSettings, _pool, search_rules
from studio.mining.validation import validation_split
from studio.rules import RuleSet
from studio.runtime.pyeval import fired_index, rule_mask


def rows_of(split, where: str) -> pd.DataFrame:
    return split.dataset.con.execute(f"SELECT * FROM {split.table} WHERE {where} ORDER BY __rs_row").df()


def carved_frame() -> pd.DataFrame:
    """Fraud where any of three scores is high, except on trusted terminals (``d`` low) and at a
    branch: one exception says each for all three rules, where a one-condition rule cannot."""
    rng = np.random.default_rng(7)
    n = 12_000
    frame = pd.DataFrame({k: rng.random(n) for k in "abcd"})
    frame["channel"] = rng.choice(["web", "pos", "atm", "branch"], n, p=[0.4, 0.3, 0.2, 0.1])
    frame.loc[rng.random(n) < 0.04, "d"] = np.nan
    high = (frame.a > 0.9) | (frame.b > 0.9) | (frame.c > 0.9)
    trusted = frame.d.fillna(1.0) <= 0.35
    frame["fraud"] = (((high & ~trusted & (rng.random(n) < 0.9)) | (rng.random(n) < 0.01))
                      & (frame.channel != "branch")).astype(int)  # and never at a branch
    return frame


@pytest.fixture(scope="module")
def carved_split():
    return studio.Dataset.from_dataframe(carved_frame()).split("fraud", positive=1, seed=2)


def test_exceptions_are_counted_exactly_on_the_rows_the_lists_own_rules_take(carved_split):
    user = studio.rule(("channel", "in", ["atm"]), ("a", ">", 0.95), then=1)
    start = RuleSet(default=0, target="fraud", positive=1).add(user)
    state = start.add(studio.rule(("b", ">", 0.9), then=1)).add(studio.rule(("c", ">", 0.9), then=1))
    settings = SearchSettings(min_support=1)
    with validation_split(carved_split, 0.25, seed=0) as inner:
        pool = _pool(inner, state, settings, [], len(start.rules))
        fit = rows_of(inner, "__rs_test = 0")
        caught_sql = undecided_sql(Caught(state, len(start.rules)), inner)
        caught_n = inner.dataset.con.execute(
            f"SELECT count(*) FROM {inner.table} WHERE __rs_test = 0 AND {caught_sql}").fetchone()[0]
    y = (fit["__rs_label"] == "1").to_numpy()
    before = fired_index(fit, state.to_dict())
    assert caught_n == int(np.isin(before, [1, 2]).sum())  # the search's rules only, not the user's
    exceptions = pool[pool["exception"]]
    assert len(exceptions) > 10 and (~pool["exception"]).any()
    assert exceptions["when"].map(lambda w: w[0].op == "in").any()  # value sets too
    listed_tp, listed_fired = int((y & (before >= 0)).sum()), int((before >= 0).sum())
    for _, row in exceptions.iterrows():
        carved = state.add(studio.Rule(when=row["when"], then=0), len(start.rules))
        pred = fired_index(fit, carved.to_dict())
        positive = np.isin(pred, [0] + [i for i in range(len(carved.rules)) if carved.rules[i].then == 1])
        positive &= pred >= 0
        assert (listed_fired + row["train_fired"], listed_tp + row["train_tp"]) == \
            (positive.sum(), (positive & y).sum()), row["when"]
        assert row["objective"] == f1_score(y, positive)
        taken = rule_mask(fit, studio.Rule(when=row["when"], then=0).to_dict()) & np.isin(before, [1, 2])
        assert -row["train_fired"] == taken.sum() >= 1


def test_the_search_carves_out_what_a_short_rule_cannot_say(carved_split):
    settings = dict(max_rules=5, max_conditions=1, time_budget=600)
    found = search_rules(carved_split, settings=SearchSettings(**settings))
    plain = search_rules(carved_split, settings=SearchSettings(exceptions=False, **settings))
    rules = found.rules.rules
    carve = {r.when[0].column: r.when[0] for r in rules if r.then == 0}
    assert set(carve) == {"d", "channel"} and carve["channel"] == studio.Condition("channel", "in", ("branch",))
    assert carve["d"].op == "<=" and 0.3 <= carve["d"].value <= 0.4
    last_exception = max(i for i, r in enumerate(rules) if r.then == 0)
    assert last_exception < min(i for i, r in enumerate(rules) if r.then == 1)  # before the rules they edit
    assert not any(r.then == 0 for r in plain.rules.rules)
    test = rows_of(carved_split, "__rs_test = 1")
    y = test["__rs_label"] == "1"
    scores = []
    for rules_found in (found.rules, plain.rules):
        report = studio.evaluate(carved_split, rules_found)
        pred = fired_index(test, rules_found.to_dict())
        positive = np.array([i >= 0 and rules_found.rules[i].then == 1 for i in pred])
        assert report.test.metrics.positive.f1 == f1_score(y, positive)
        scores.append(report.test.metrics.positive.f1)
    assert scores[0] > scores[1] + 0.05


def test_exceptions_leave_the_users_rules_alone_and_other_objectives_without(carved_split):
    user = studio.rule(("channel", "in", ["atm"]), ("a", ">", 0.95), then=1)
    start = RuleSet(default=0, target="fraud", positive=1).add(user)
    found = search_rules(carved_split, start, SearchSettings(max_rules=5, max_conditions=1, time_budget=600))
    assert found.rules.rules[0] == user and any(r.then == 0 for r in found.rules.rules[1:])
    for objective in ("precision_at_recall", "lift"):
        other = search_rules(carved_split, settings=SearchSettings(max_rules=4, max_conditions=1, objective=objective,
                                                                   min_recall=0.3, time_budget=600))
        assert all(r.then == 1 for r in other.rules.rules), objective


def test_the_command_line_writes_exceptions_unless_told_not_to(tmp_path, capsys):
    from studio.cli import main

    path = tmp_path / "carved.csv"
    carved_frame().to_csv(path, index=False)
    split = studio.load(str(path)).split("fraud", positive=1, seed=2)
    args = ["suggest", str(path), "--target", "fraud", "--positive", "1", "--seed", "2", "--build-list", "5",
            "--max-conditions", "1", "--time-budget", "600"]
    for extra, exceptions in (([], True), (["--no-exceptions"], False)):
        assert main(args + extra) == 0
        built = RuleSet.from_dict(json.loads(capsys.readouterr().out))
        expected = search_rules(split, settings=SearchSettings(max_rules=5, max_conditions=1, time_budget=600,
                                                               exceptions=exceptions))
        assert built == expected.rules
        assert any(r.then == 0 for r in built.rules) is exceptions
