"""Whole rule lists read off shallow trees: the leaves of a tree fitted on the rows the rules leave
undecided, most positive first, taken as a list one leaf at a time. They give the list search
(:mod:`.listsearch`) starting points a step-by-step walk does not reach: a tree chooses its splits
for all its leaves together, where the walk chooses each rule for the rows the earlier ones left."""

from __future__ import annotations

from ..data.split import Split
from ..rules.model import Rule, RuleSet
from .candidates import leaf_paths, tree_frame
from .counting import count_candidates
from .search import describe


def tree_lists(split: Split, start: RuleSet, columns: list[str] | None, max_rules: int, max_conditions: int,
               seed: int = 0, min_support: int = 1, min_precision: float = 0.0) -> list[RuleSet]:
    """``start`` followed by the first 1, 2, ... ``max_rules`` leaves richer in positives than the
    rows the tree learns from (by their share of positives, then their weight) of trees of depth 2
    and 3 (at most ``max_conditions``), fitted on the undecided train rows of ``split``
    (:func:`.candidates.tree_frame`) plain and with balanced class weights. Each leaf's path is one
    rule, kept when, counted exactly with the rule semantics on those rows, it takes ``min_support``
    of them and reaches ``min_precision`` (a tree's leaves share no row, so these are its counts in
    the list too)."""
    from sklearn.tree import DecisionTreeClassifier

    found = tree_frame(split, start, columns)
    if found is None:
        return []
    X, y, weights, features = found
    label = split.native(split.positive)
    out: list[RuleSet] = []
    for depth in (d for d in (2, 3) if d <= max_conditions):
        for weight in (None, "balanced"):
            tree = DecisionTreeClassifier(max_depth=depth, class_weight=weight, random_state=seed)
            tree.fit(X, y, sample_weight=weights)
            t, positive = tree.tree_, list(tree.classes_).index(True)
            share = {node: t.value[node][0][positive] for node in range(t.node_count)}
            paths = leaf_paths(tree, features, lambda node: share[node] > share[0])  # above the base rate
            ranked = sorted(paths.items(), key=lambda pn: (-share[pn[1]], -t.weighted_n_node_samples[pn[1]],
                                                           describe(pn[0])))
            counted = count_candidates(split, start, [when for when, _ in ranked]) if ranked else None
            good = [when for when, fired, tp in zip(*(counted[k] for k in ("when", "train_fired", "train_tp")))
                    if fired >= min_support and tp >= min_precision * fired] if ranked else []
            current = start
            for when in good[:max_rules]:
                current = current.add(Rule(when=when, then=label, name=describe(when)))
                if current not in out:
                    out.append(current)
    return out
