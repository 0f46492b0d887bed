"""Searching for rules: a greedy rule list, and the ranked suggestions (candidates with their train
and test figures side by side). Candidates come from :mod:`.candidates`, are counted by
:mod:`.counting` and ranked by :mod:`.objectives`."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ..data.split import Split
from ..engine.readable import readable_conditions
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet
from ..rules.validate import check_ruleset
from ..engine.money import MoneySettings
from .amounts import ListAmounts, candidate_amounts, list_amounts, net_benefit, with_amounts
from .candidates import Scan, conjunctions, scan_thresholds
from .counting import count_candidates
from .oblique import line_text
from .objectives import MONEY_OBJECTIVES, improves, needs_amounts, score


def _number(value: float) -> str:
    """A bound as short as it can be written and still be the same number (``-100``, ``-2.6``)."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def describe(when: tuple[Condition, ...]) -> str:
    """A candidate as text (``V14 <= -2.6``), every number written exactly."""
    return " and ".join(f"{c.column} {c.op} {_number(c.value)}" if isinstance(c.value, float) else
                        line_text(c) or c.describe() for c in when)  # a half-plane reads as its line


def candidate_rule(row, label, name: str = "") -> Rule:
    """The rule of one scored candidate (a one-threshold row of a scan, or a row with ``when``)."""
    if "when" in row and isinstance(row["when"], tuple):
        when = row["when"]
    else:
        when = (Condition(str(row["column"]), str(row["op"]), float(row["threshold"])),)
    return Rule(when=when, then=label, name=name or describe(when))


def _amounts_for(split: Split, rules: RuleSet | None, objective: str, money: MoneySettings | None
                 ) -> ListAmounts | None:
    """The list's train amounts where the objective ranks by money (None otherwise)."""
    if objective not in MONEY_OBJECTIVES:
        return None
    amounts = list_amounts(split, rules, money) if money is not None else None
    needs_amounts(objective, amounts)
    return amounts


def _priced(scan: Scan, split: Split, rules: RuleSet | None, amounts: ListAmounts | None) -> Scan:
    """The scan with its candidates' train amounts, when the objective needs them."""
    if amounts is None:
        return scan
    if scan.candidates.empty:  # nothing to price: the columns the objectives read, empty
        return replace(scan, candidates=scan.candidates.assign(train_caught=pd.Series(dtype=float),
                                                               train_false_amount=pd.Series(dtype=float)))
    return replace(scan, candidates=with_amounts(scan.candidates, split, rules, amounts.settings.column))


def greedy_rules(split: Split, rules: RuleSet | None = None, max_rules: int = 8, objective: str = "f1",
                 beta: float = 1.0, min_rows: int = 5, columns: list[str] | None = None,
                 trees: bool = True, tree_depth: int = 2, min_recall: float = 0.0, budget: float = 0.0,
                 money: MoneySettings | None = None) -> RuleSet:
    """A whole ordered list, proposed greedily on the train split: after the given rules, add the
    candidate (one threshold; with ``trees`` also a set of text values, or a conjunction read off trees
    of ``tree_depth`` fitted on the rows still undecided; depth 2 measured best: deeper paths win the first steps and stall the
    list) that most improves the objective of the list, while it improves and the
    list holds fewer than ``max_rules`` new rules. The money objectives use the amounts of ``money``.
    The user then prunes it; the test split judges it."""
    label = split.native(split.positive)
    current = rules if rules is not None else RuleSet(default=_native_default(split), target=split.target,
                                                      positive=label)
    for _ in range(max_rules):
        amounts = _amounts_for(split, current, objective, money)
        scan = scan_thresholds(split, current, columns)
        goal = dict(beta=beta, min_recall=min_recall, min_rows=min_rows, budget=budget, amounts=amounts)
        ranked = score(_priced(scan, split, current, amounts), objective, **goal)
        if trees:
            counted = conjunctions(split, current, columns, (tree_depth,))
            if len(counted):
                tree_ranked = score(_priced(replace(scan, candidates=counted), split, current, amounts), objective,
                                    **goal)
                ranked = pd.concat([tree_ranked.head(1), ranked], ignore_index=True).sort_values(
                    "objective", ascending=False, kind="stable").reset_index(drop=True)
        ranked = ranked[np.isfinite(ranked["objective"]) & improves(ranked, scan, objective, beta, min_recall, budget,
                                                                    amounts)]
        if ranked.empty:  # no candidate makes the list better on train
            break
        top = ranked.iloc[0]
        when = readable_conditions(split, [candidate_rule(top, label).when])[0]  # the same train rows
        current = current.add(Rule(when=when, then=label, name=describe(when)))
    return check_ruleset(current, split.dataset.schema)


def _native_default(split: Split):
    counts = split.counts["train"]
    return split.native(max(split.labels, key=lambda label: counts[label]))


def suggestions(split: Split, rules: RuleSet | None = None, objective: str = "f1", top: int = 20,
                beta: float = 1.0, min_recall: float = 0.0, min_rows: int = 5, budget: float = 0.0,
                columns: list[str] | None = None, money: MoneySettings | None = None) -> pd.DataFrame:
    """The best candidates for the rows ``rules`` leave undecided, learned and ranked on train: one
    threshold, a conjunction of up to three conditions read off trees of depth 2 and 3, or a set of
    text values; each with its test precision and recall beside the train ones, and ``diverges``
    where train and test precision differ by more than 0.1. Only candidates that make the list better
    on train by the objective are listed (:func:`.objectives.improves`). With ``money``, each also
    has its amount caught on train and test, its false-alert amount and net benefit on test."""
    amounts = _amounts_for(split, rules, objective, money)
    goal = dict(beta=beta, min_recall=min_recall, min_rows=min_rows, budget=budget, amounts=amounts)
    scan = scan_thresholds(split, rules, columns)
    ranked = score(_priced(scan, split, rules, amounts), objective, **goal)
    counted = conjunctions(split, rules, columns, (2, 3))
    if len(counted):
        ranked = pd.concat([ranked, score(_priced(replace(scan, candidates=counted), split, rules, amounts),
                                          objective, **goal)], ignore_index=True)
    ranked = ranked[np.isfinite(ranked["objective"]) & improves(ranked, scan, objective, beta, min_recall, budget,
                                                                amounts)]
    ranked = ranked.sort_values("objective", ascending=False, kind="stable")  # only what makes the list better
    best = ranked.head(top).reset_index(drop=True)
    when = readable_conditions(split, [r["when"] if isinstance(r.get("when"), tuple) else
                                       (Condition(str(r["column"]), str(r["op"]), float(r["threshold"])),)
                                       for _, r in best.iterrows()])  # the same train rows, bounds as typed
    test = count_candidates(split, rules, when, side="test")
    positives = split.counts["test"][split.positive]
    out = pd.DataFrame({"rule": [describe(w) for w in when],
                        "when": when, "objective": best["objective"],
                        "train_rows": best["train_fired"].astype(int), "train_precision": best["precision"],
                        "train_recall": best["recall"], "test_rows": test["test_fired"]})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["test_precision"] = np.where(test["test_fired"] > 0, test["test_tp"] / test["test_fired"].clip(lower=1),
                                         np.nan)
    out["test_recall"] = test["test_tp"] / positives if positives else 0.0
    out["diverges"] = (out["train_precision"] - out["test_precision"]).abs() > 0.1
    if money is not None:
        train = candidate_amounts(split, rules, when, money.column, "train")
        tested = candidate_amounts(split, rules, when, money.column, "test")
        out["train_caught"] = train["train_caught"].to_numpy()
        out["test_caught"] = tested["test_caught"].to_numpy()
        out["test_false_amount"] = tested["test_false_amount"].to_numpy()
        out["test_net_benefit"] = net_benefit(money, tested["test_caught"], test["test_fired"],
                                              tested["test_false_amount"])
    return out
