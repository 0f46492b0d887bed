"""The money objectives: the candidates' amounts against exact decimal sums worked out in pandas (the
undecided rows found by the numpy rule evaluator), "net benefit" and "amount caught within a budget"
ranked and filtered as a direct evaluation of the list with each candidate says (``money()``), the
greedy list raising its net benefit at every step, and the Suggest table's amount columns."""

import math
import random
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import studio
from studio.engine.money import MoneySettings, money
from studio.errors import StudioError
from studio.mining.amounts import candidate_amounts, list_amounts
from studio.mining.candidates import conjunctions, scan_thresholds, set_candidates
from studio.mining.search import candidate_rule, greedy_rules, suggestions
from studio.rules import RuleSet
from studio.runtime.pyeval import condition_mask, fired_index

from tests.support.sample_rules import TUTORIAL_RULES

SETTINGS = MoneySettings("Amount", review_cost=5.0, false_alert_share=0.1)


def tutorial(n: int) -> RuleSet:
    return RuleSet.from_dict({**TUTORIAL_RULES, "rules": TUTORIAL_RULES["rules"][:n]})


def undecided_rows(split, rules: RuleSet, side: str) -> pd.DataFrame:
    frame = split.dataset.con.execute(f"SELECT * FROM {split.table} WHERE __rs_test = {int(side == 'test')}").df()
    return frame[fired_index(frame, rules.to_dict()) == -1]


def decimal_sum(values) -> Decimal:
    """Amounts have cents: each summed as the decimal it is written as."""
    return sum((Decimal(f"{v:.2f}") for v in values), Decimal(0))


def holds(frame: pd.DataFrame, when) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for c in when:
        mask &= condition_mask(frame[c.column], c.op, c.value)
    return mask


@pytest.mark.parametrize("side", ["train", "test"])
def test_candidate_amounts_are_the_exact_sums_of_the_rows_they_would_alert_on(credit_split, side):
    rules = tutorial(2)
    scan = scan_thresholds(credit_split, rules)
    singles = [(candidate_rule(r, 1).when) for _, r in scan.candidates.iterrows()]
    picked = random.Random(0).sample(singles, 120)  # the bound sums (every single threshold at once)
    odd = [(studio.Condition("V14", op, -2.5),) for op in ("<", "<=", ">", ">=", "=", "!=")]
    others = list(conjunctions(credit_split, rules, None, (2,))["when"])[:10] + set_candidates(credit_split, rules)
    candidates = picked + odd + others
    got = candidate_amounts(credit_split, rules, candidates, "Amount", side)
    rows = undecided_rows(credit_split, rules, side)
    positive = (np.array(credit_split.labels)[rows["__rs_y"]] == credit_split.positive)
    for k, when in enumerate(candidates):
        m = holds(rows, when)
        assert got[f"{side}_caught"][k] == float(decimal_sum(rows.Amount[m & positive])), when
        assert got[f"{side}_false_amount"][k] == float(decimal_sum(rows.Amount[m & ~positive])), when


def test_null_amounts_count_as_zero_for_candidates():
    frame = pd.DataFrame({"x": list(range(50)) * 4, "y": [int(i % 50 >= 35) for i in range(200)],
                          "amount": [None if i % 7 == 0 else (float("nan") if i % 11 == 0 else i * 1.25)
                                     for i in range(200)]})
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1, seed=3)
    candidates = [(studio.Condition("x", ">", float(t)),) for t in range(0, 50, 3)]
    got = candidate_amounts(split, None, candidates, "amount", "train")
    rows = split.dataset.con.execute(f"SELECT x, y, amount FROM {split.table} WHERE __rs_test = 0").df()
    for k, (c,) in enumerate(candidates):
        m = rows.x > c.value
        assert got["train_caught"][k] == pytest.approx(rows.amount[m & (rows.y == 1)].fillna(0).sum(), abs=1e-9)
        assert got["train_false_amount"][k] == pytest.approx(rows.amount[m & (rows.y == 0)].fillna(0).sum(),
                                                             abs=1e-9)


@pytest.mark.parametrize("n_rules", [0, 2])
def test_net_benefit_ranks_by_the_lists_net_benefit_and_keeps_only_what_raises_it(credit_split, n_rules):
    rules = tutorial(n_rules)
    now = money(credit_split, rules, SETTINGS)["train"].net_benefit if n_rules else 0.0
    assert list_amounts(credit_split, rules if n_rules else None, SETTINGS).net_benefit == pytest.approx(now)
    found = suggestions(credit_split, rules if n_rules else None, "net_benefit", top=15, money=SETTINGS)
    assert len(found) > 0
    assert list(found["objective"]) == sorted(found["objective"], reverse=True)
    for _, row in found.iterrows():
        with_it = rules.add(candidate_rule({"when": row["when"]}, 1))
        direct = money(credit_split, with_it, SETTINGS)
        assert math.isclose(direct["train"].net_benefit, row["objective"], rel_tol=1e-9, abs_tol=1e-6)
        assert direct["train"].net_benefit > now
        added = direct["test"].net_benefit - (money(credit_split, rules, SETTINGS)["test"].net_benefit
                                              if n_rules else 0.0)
        assert math.isclose(added, row["test_net_benefit"], rel_tol=1e-9, abs_tol=1e-6)
        caught = direct["test"].caught - (money(credit_split, rules, SETTINGS)["test"].caught if n_rules else 0.0)
        assert math.isclose(caught, row["test_caught"], rel_tol=1e-12, abs_tol=1e-6)


def test_amount_in_budget_ranks_by_the_amount_caught_and_stays_in_budget(credit_split):
    budget = 3.0
    rows = sum(credit_split.counts["train"].values())
    found = suggestions(credit_split, None, "amount_in_budget", top=15, budget=budget, money=SETTINGS)
    assert len(found) > 0
    assert list(found["objective"]) == sorted(found["objective"], reverse=True)
    for _, row in found.iterrows():
        direct = money(credit_split, RuleSet(default=0).add(candidate_rule({"when": row["when"]}, 1)), SETTINGS)
        assert direct["train"].caught == pytest.approx(row["objective"], rel=1e-12)
        assert direct["train"].alerts * 1000 <= budget * rows
    built = greedy_rules(credit_split, None, max_rules=4, objective="amount_in_budget", budget=budget, money=SETTINGS)
    assert built.rules
    assert money(credit_split, built, SETTINGS)["train"].alerts * 1000 <= budget * rows


def test_the_greedy_list_raises_its_net_benefit_at_every_step(credit_split):
    built = greedy_rules(credit_split, None, max_rules=4, objective="net_benefit",
                         money=MoneySettings("Amount", review_cost=1.0))
    assert built.rules
    benefits = [0.0] + [money(credit_split, RuleSet(rules=built.rules[:k + 1], default=built.default,
                                                    target=built.target, positive=built.positive),
                              MoneySettings("Amount", review_cost=1.0))["train"].net_benefit
                        for k in range(len(built.rules))]
    assert all(b > a for a, b in zip(benefits, benefits[1:])), benefits


def test_money_objectives_need_amounts_and_say_so(credit_split):
    for objective in ("net_benefit", "amount_in_budget"):
        with pytest.raises(StudioError, match=f"the objective {objective} needs an amount column"):
            suggestions(credit_split, None, objective, budget=2.0)
    with pytest.raises(StudioError, match="negative values"):
        suggestions(credit_split, None, "net_benefit", money=MoneySettings("V1"))


def test_other_objectives_show_amounts_beside_and_rank_as_before(credit_split):
    plain = suggestions(credit_split, None, "f1", top=10)
    priced = suggestions(credit_split, None, "f1", top=10, money=SETTINGS)
    assert list(plain["rule"]) == list(priced["rule"])
    assert {"train_caught", "test_caught", "test_false_amount", "test_net_benefit"} <= set(priced.columns)
    rule_one = RuleSet(default=0).add(candidate_rule({"when": priced["when"][0]}, 1))
    assert priced["train_caught"][0] == money(credit_split, rule_one, SETTINGS)["train"].caught


def test_the_greedy_list_adds_nothing_when_no_candidate_pays(credit_split):
    costly = MoneySettings("Amount", review_cost=1e9)  # every alert costs more than any fraud it catches
    built = greedy_rules(credit_split, None, max_rules=3, objective="net_benefit", money=costly)
    assert built.rules == ()
    assert list(suggestions(credit_split, None, "net_benefit", money=costly)["rule"]) == []


@pytest.mark.parametrize("objective", ["net_benefit", "amount_in_budget"])
def test_money_objectives_work_without_any_threshold_candidate(objective):
    frame = pd.DataFrame({"shop": ["a", "b", "c", "d"] * 50, "amount": [float(i % 13) for i in range(200)],
                          "y": [int(i % 4 == 0) for i in range(200)]})
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1, seed=1)
    settings = MoneySettings("amount", review_cost=0.5)
    found = suggestions(split, None, objective, columns=["shop"], budget=300.0, money=settings)
    built = greedy_rules(split, None, max_rules=2, objective=objective, columns=["shop"], budget=300.0,
                         money=settings)
    assert all(c.column == "shop" for r in built.rules for c in r.when)
    assert all("shop" in rule for rule in found["rule"])
