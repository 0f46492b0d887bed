"""The learners the studio's rule list is measured against in ``bench_quality``: wittgenstein's
RIPPER, imodels' FIGS, RuleFit, SkopeRules, BoostedRules and GreedyRuleList, a depth-4 decision
tree (the interpretable peers) and gradient boosting (the accuracy ceiling). Each is fitted on the
studio's train rows, its decision threshold tuned for F1 on those rows, and scored on the test rows."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_recall_curve

TOP_VALUES = 30  # one-hot columns per text column (its most frequent train values)


def encode(train: pd.DataFrame, test: pd.DataFrame, numeric: list[str], text: list[str]):
    """Numbers (missing as the train median) and text one-hot on its most frequent train values, as
    float frames with plain column names (``f0``, ``f1``, ...), and what each column means."""
    parts_tr, parts_te, names = [], [], []
    for c in numeric:
        x_tr = pd.to_numeric(train[c], errors="coerce").astype(float)
        x_te = pd.to_numeric(test[c], errors="coerce").astype(float)
        median = float(x_tr.median()) if x_tr.notna().any() else 0.0
        parts_tr.append(x_tr.fillna(median).to_numpy())
        parts_te.append(x_te.fillna(median).to_numpy())
        names.append(c)
    for c in text:
        for v in train[c].astype(str).value_counts().index[:TOP_VALUES]:
            parts_tr.append((train[c].astype(str) == v).to_numpy(float))
            parts_te.append((test[c].astype(str) == v).to_numpy(float))
            names.append(f"{c}={v}")
    columns = [f"f{i}" for i in range(len(names))]
    return (pd.DataFrame(np.column_stack(parts_tr), columns=columns),
            pd.DataFrame(np.column_stack(parts_te), columns=columns), names)


def tuned_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    """The score threshold with the best F1 on these (train) rows."""
    precision, recall, thresholds = precision_recall_curve(y, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)[:-1]
    return float(thresholds[int(np.argmax(f1))]) if len(thresholds) else 0.5


@dataclass
class PeerResult:
    name: str
    train_f1: float
    test_pred: np.ndarray
    rules: int | None
    conditions: int | None
    seconds: float
    interpretable: bool = True
    error: str = ""


def _scores(model, X) -> np.ndarray:
    proba = np.asarray(model.predict_proba(X))
    return proba[:, 1] if proba.ndim == 2 else proba


def _size(name: str, model) -> tuple[int | None, int | None]:
    """(rules, conditions) of a fitted peer, as each library counts them."""
    if name == "RIPPER":
        rules = model.ruleset_.rules
        return len(rules), sum(len(r.conds) for r in rules)
    if name == "depth-4 tree":
        t = model.tree_
        leaves = int((t.children_left == -1).sum())
        return leaves, int(t.node_count - leaves)
    if name == "FIGS":
        return int(model.complexity_), int(model.complexity_)
    if name in ("RuleFit",):
        rules = model._get_rules(exclude_zero_coef=True)
        rules = rules[rules.type == "rule"]
        return len(rules), int(sum(r.count("and") + 1 for r in rules.rule))
    if name == "SkopeRules":
        return len(model.rules_), int(sum(str(r[0] if isinstance(r, tuple) else r).count(" and ") + 1
                                          for r in model.rules_))
    if name == "BoostedRules":
        return len(model.estimators_), None
    if name == "GreedyRuleList":
        return len(model.rules_), len(model.rules_)
    return None, None


def peers(seed: int = 0) -> dict:
    """name -> (a new model, whether it is interpretable)."""
    import imodels
    import wittgenstein
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.tree import DecisionTreeClassifier
    return {
        "RIPPER": (lambda: wittgenstein.RIPPER(random_state=seed), True),
        "depth-4 tree": (lambda: DecisionTreeClassifier(max_depth=4, random_state=seed), True),
        "FIGS": (lambda: imodels.FIGSClassifier(max_rules=8, random_state=seed), True),
        "RuleFit": (lambda: imodels.RuleFitClassifier(random_state=seed), True),
        "SkopeRules": (lambda: imodels.SkopeRulesClassifier(random_state=seed), True),
        "BoostedRules": (lambda: imodels.BoostedRulesClassifier(n_estimators=8, random_state=seed), True),
        "GreedyRuleList": (lambda: imodels.GreedyRuleListClassifier(max_depth=8), True),
        "gradient boosting": (lambda: HistGradientBoostingClassifier(random_state=seed), False),
    }


def fit_peer(name: str, make, interpretable: bool, Xtr, ytr, Xte) -> PeerResult:
    """Fit one peer on train, tune its threshold on train, predict test."""
    t0 = time.perf_counter()
    try:
        model = make()
        if name == "RIPPER":
            model.fit(Xtr, ytr.astype(int), pos_class=1)
        else:
            model.fit(Xtr, ytr.astype(int))
        seconds = time.perf_counter() - t0
        train_scores = _scores(model, Xtr)
        threshold = tuned_threshold(train_scores, ytr)
        train_f1 = f1_score(ytr, train_scores >= threshold)
        pred = _scores(model, Xte) >= threshold
        rules, conditions = _size(name, model)
    except Exception as err:  # a peer that fails on a table is reported, not hidden
        return PeerResult(name, float("nan"), np.zeros(len(Xte), bool), None, None, time.perf_counter() - t0,
                          interpretable, f"{type(err).__name__}: {str(err)[:80]}")
    return PeerResult(name, float(train_f1), pred, rules, conditions, seconds, interpretable)
