"""Suggestions only suggest improvements: every listed candidate, added after the current rules,
makes the list better on train by the named objective, and the table's ranking is that objective,
checked against a direct evaluation of the list with each candidate."""

import math

import pytest

import studio
from studio.mining.search import candidate_rule, suggestions
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
