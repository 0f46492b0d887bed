"""Ranking candidates: the objectives a rule list is judged by on train, computed for every
candidate at once from its counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import StudioError
from .amounts import ListAmounts, net_benefit
from .candidates import Scan

OBJECTIVES = ("f1", "fbeta", "precision_at_recall", "lift", "recall_in_budget", "amount_in_budget", "net_benefit")
MONEY_OBJECTIVES = ("amount_in_budget", "net_benefit")  # they need the candidates' amounts
BUDGET_OBJECTIVES = ("recall_in_budget", "amount_in_budget")


def needs_amounts(objective: str, amounts: ListAmounts | None) -> None:
    """A clear message when a money objective has no amount settings to work with."""
    if objective in MONEY_OBJECTIVES and amounts is None:
        raise StudioError(f"the objective {objective} needs an amount column (and the review cost): "
                          "set them first")


def _added_net(scored: pd.DataFrame, amounts: ListAmounts) -> np.ndarray:
    """What each candidate adds to the list's train net benefit (it decides rows no rule decides yet,
    so the list's net benefit is the sum of the two)."""
    return net_benefit(amounts.settings, scored["train_caught"], scored["train_fired"], scored["train_false_amount"])


def within_budget(fired, rows: int, budget: float):
    """Whether a list raising ``fired`` alerts on ``rows`` train rows stays within ``budget`` alerts
    per 1,000 rows."""
    return np.asarray(fired, dtype=float) * 1000 <= budget * rows


def fbeta(tp, fired, positives, beta: float = 1.0):
    """A list's F-beta from its counts, 0 where it takes no positive; element-wise over arrays."""
    b2 = beta * beta
    tp, fired = np.asarray(tp, dtype=float), np.asarray(fired, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tp > 0, (1 + b2) * tp / (fired + b2 * positives), 0.0)


def score(scan: Scan, objective: str = "f1", beta: float = 1.0, min_recall: float = 0.0,
          min_rows: int = 1, budget: float = 0.0, amounts: ListAmounts | None = None) -> pd.DataFrame:
    """Each candidate's train precision, recall and lift on its own, and the rule list's train F1
    with the candidate added after the current rules (``list_f1``); ranked best first by the
    objective: ``f1`` and ``fbeta`` (with ``beta``) of the list with the candidate, ``precision_at_recall``
    (the candidate's precision where the list reaches ``min_recall``, else -inf), ``lift``, or
    ``recall_in_budget`` (the list's recall where its alerts stay within ``budget`` per 1,000 train
    rows, else -inf), ``amount_in_budget`` (the amount the list catches where its alerts stay within
    ``budget``, else -inf) or ``net_benefit`` (the list's net benefit under the money settings of
    ``amounts``, which the money objectives need with the candidates' ``train_caught`` and
    ``train_false_amount``)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
    needs_amounts(objective, amounts)
    out = scan.candidates.copy()
    fired, tp = out["train_fired"].to_numpy(float), out["train_tp"].to_numpy(float)
    positives = scan.positives
    with np.errstate(invalid="ignore", divide="ignore"):
        out["precision"] = np.where(fired > 0, tp / fired, np.nan)
        out["recall"] = tp / positives if positives else 0.0
        out["lift"] = out["precision"] / (positives / scan.rows) if positives else np.nan
        list_tp, list_fired = scan.listed_tp + tp, scan.listed_fired + fired
        out["list_precision"] = np.where(list_fired > 0, list_tp / list_fired, 0.0)
        out["list_recall"] = list_tp / positives if positives else 0.0
        out["list_f1"] = np.where(list_tp > 0, 2 * list_tp / (list_fired + positives), 0.0)
    if objective == "f1":
        value = out["list_f1"].to_numpy()
    elif objective == "fbeta":
        value = fbeta(list_tp, list_fired, positives, beta)
    elif objective == "precision_at_recall":
        value = np.where(out["list_recall"].to_numpy() >= min_recall, np.nan_to_num(out["precision"], nan=0.0),
                         -np.inf)
    elif objective == "recall_in_budget":
        value = np.where(within_budget(list_fired, scan.rows, budget), out["list_recall"].to_numpy(), -np.inf)
    elif objective == "amount_in_budget":
        caught = amounts.caught + out["train_caught"].to_numpy(float)
        value = np.where(within_budget(list_fired, scan.rows, budget), caught, -np.inf)
    elif objective == "net_benefit":
        value = amounts.net_benefit + _added_net(out, amounts)
    else:
        value = np.nan_to_num(out["lift"].to_numpy(), nan=0.0)
    out["objective"] = np.where(fired >= min_rows, value, -np.inf)
    return out.sort_values(["objective", "train_tp"], ascending=[False, False], kind="stable").reset_index(drop=True)


def improves(scored: pd.DataFrame, scan: Scan, objective: str = "f1", beta: float = 1.0,
             min_recall: float = 0.0, budget: float = 0.0, amounts: ListAmounts | None = None) -> np.ndarray:
    """Which scored candidates make the rule list better on train by the named objective, judged on
    the list: a higher F1 or F-beta; for precision at recall, the list reaching ``min_recall`` with a
    higher precision than now (any precision, if it does not reach it now); for lift, a higher
    precision of the list (its lift over the base rate); for recall in budget, a higher recall with
    the list's alerts within the budget; for amount in budget, a higher amount caught with the alerts
    within the budget; for net benefit, a higher net benefit of the list."""
    needs_amounts(objective, amounts)
    p, tp, fired = scan.positives, scan.listed_tp, scan.listed_fired
    list_tp = scan.listed_tp + scored["train_tp"].to_numpy(float)
    list_fired = scan.listed_fired + scored["train_fired"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if objective in ("f1", "fbeta"):
            b = 1.0 if objective == "f1" else beta
            return fbeta(list_tp, list_fired, p, b) > fbeta(tp, fired, p, b)
        now_precision = tp / fired if fired else 0.0
        new_precision = np.where(list_fired > 0, list_tp / list_fired, 0.0)
        if objective == "lift":
            return new_precision > now_precision
        if objective == "recall_in_budget":
            return within_budget(list_fired, scan.rows, budget) & (list_tp > tp)
        if objective == "amount_in_budget":
            return within_budget(list_fired, scan.rows, budget) & (scored["train_caught"].to_numpy(float) > 0)
        if objective == "net_benefit":
            return _added_net(scored, amounts) > 0
        reaches = (list_tp / p if p else np.zeros(len(scored))) >= min_recall
        reached_now = (tp / p if p else 0.0) >= min_recall
        return reaches & ((new_precision > now_precision) if reached_now else True)
