"""Candidate conjunctions read off a small gradient-boosted ensemble (the RuleFit / Iguanas idea):
many good conjunctions at once, which the list search then chooses among and counts exactly."""

from __future__ import annotations

import numpy as np

from ..data.split import Split
from ..rules.condition import Condition
from ..rules.model import RuleSet
from .candidates import leaf_paths, tree_frame

TREES, DEPTH, MAX_CANDIDATES, NEGATIVES = 40, 3, 300, 5_000


def boosted_candidates(split: Split, rules: RuleSet | None = None, columns: list[str] | None = None,
                       trees: int = TREES, depth: int = DEPTH, seed: int = 0,
                       max_candidates: int = MAX_CANDIDATES) -> list[tuple[Condition, ...]]:
    """The paths to the leaves that raise the odds of the positive class, in ``trees`` boosted trees
    of ``depth`` (scikit-learn's GradientBoostingClassifier, fitted on the rows ``rules`` leave
    undecided as :func:`.candidates.tree_frame` samples them, at most about ``NEGATIVES`` others), strongest leaves first, at most
    ``max_candidates``. Counts are not taken from the trees: :func:`.counting.count_candidates` counts."""
    from sklearn.ensemble import GradientBoostingClassifier

    found = tree_frame(split, rules, columns, NEGATIVES)
    if found is None:
        return []
    X, y, weights, features = found
    if np.isnan(X).any():  # boosting takes no NaN: below every value (a path there is counted as it reads)
        low = np.where(np.isnan(X).all(axis=0), 0.0, np.nanmin(np.where(np.isnan(X), np.inf, X), axis=0)) - 1.0
        X = np.where(np.isnan(X), low, X)
    model = GradientBoostingClassifier(n_estimators=trees, max_depth=depth, learning_rate=0.3, subsample=0.8,
                                       random_state=seed)
    model.fit(X, y, sample_weight=weights)
    scored: list[tuple[float, tuple[Condition, ...]]] = []
    for (estimator,) in model.estimators_:
        t = estimator.tree_
        for path, node in leaf_paths(estimator, features, lambda node: t.value[node][0][0] > 0).items():
            scored.append((float(t.value[node][0][0]), path))
    scored.sort(key=lambda item: -item[0])
    out: list[tuple[Condition, ...]] = []
    for _, path in scored:
        if path not in out:
            out.append(path)
        if len(out) >= max_candidates:
            break
    return out

