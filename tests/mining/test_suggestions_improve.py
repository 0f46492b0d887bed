"""Suggestions only suggest improvements: every listed candidate, added after the current rules,
makes the list better on train by the named objective, and the table's ranking is that objective,
checked against a direct evaluation of the list with each candidate."""

import math

import pytest

import studio
from studio.mining.search import candidate_rule, greedy_rules, suggestions
from studio.rules.model import RuleSet

from tests.support.sample_rules import TUTORIAL_RULES


def tutorial(n: int) -> RuleSet:
    return RuleSet.from_dict({**TUTORIAL_RULES, "rules": TUTORIAL_RULES["rules"][:n]})


def with_each(split, rules, found):
    for when in found["when"]:
        yield studio.evaluate(split, rules.add(candidate_rule({"when": when}, 1))).train


@pytest.mark.parametrize("n_rules", [0, 1, 3])
def test_f1_ranking_is_the_lists_train_f1_and_every_candidate_raises_it(credit_split, n_rules):
    rules = tutorial(n_rules)
    now = studio.evaluate(credit_split, rules).train.metrics.positive.f1
    found = suggestions(credit_split, rules, "f1", top=25)
    assert len(found) > 0
    direct = [side.metrics.positive.f1 for side in with_each(credit_split, rules, found)]
    assert all(math.isclose(d, o, rel_tol=1e-12) for d, o in zip(direct, found["objective"]))
    assert all(d > now for d in direct)
    assert list(found["objective"]) == sorted(found["objective"], reverse=True)


def test_lift_and_precision_at_recall_keep_only_what_raises_the_lists_precision(credit_split):
    rules = tutorial(2)
    now = studio.evaluate(credit_split, rules).train.metrics.positive
    for objective in ("lift", "precision_at_recall"):
        found = suggestions(credit_split, rules, objective, top=25, min_recall=0.5)
        for side in with_each(credit_split, rules, found):
            pos = side.metrics.positive
            assert pos.precision > now.precision or (objective == "precision_at_recall" and now.recall < 0.5)
            if objective == "precision_at_recall":
                assert pos.recall >= 0.5


@pytest.mark.parametrize("budget", [0.8, 1.5, 3.0])
def test_recall_in_budget_ranks_by_the_lists_recall_and_keeps_its_alerts_in_budget(credit_split, budget):
    rules = tutorial(1)
    now = studio.evaluate(credit_split, rules).train.metrics.positive
    train_rows = sum(credit_split.counts["train"].values())
    found = suggestions(credit_split, rules, "recall_in_budget", top=25, budget=budget)
    assert len(found) > 0
    for side, objective in zip(with_each(credit_split, rules, found), found["objective"]):
        pos, alerts = side.metrics.positive, side.metrics.confusion[1][1] + side.metrics.confusion[0][1]
        assert alerts * 1000 <= budget * train_rows  # the list's alerts stay within the budget
        assert pos.recall > now.recall
        assert math.isclose(pos.recall, objective, rel_tol=1e-12)
    assert list(found["objective"]) == sorted(found["objective"], reverse=True)


@pytest.mark.parametrize("budget", [1.5, 3.0])
def test_the_greedy_list_in_budget_keeps_its_alerts_in_budget(credit_split, budget):
    train_rows = sum(credit_split.counts["train"].values())
    built = greedy_rules(credit_split, None, max_rules=6, objective="recall_in_budget", budget=budget)
    confusion = studio.evaluate(credit_split, built).train.metrics.confusion
    assert built.rules and (confusion[0][1] + confusion[1][1]) * 1000 <= budget * train_rows
