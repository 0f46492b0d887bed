"""Whole rule lists read off trees fitted on the rows the rules leave undecided. They give the list
search (:mod:`.listsearch`) starting points a step-by-step walk does not reach: a tree chooses its
splits for all its leaves together, where the walk chooses each rule for the rows the earlier ones left.

Two kinds. From trees of depth 2 and 3, the leaves richer in positives than the rows the tree learns
from, most positive first, one leaf more at each length. From a deeper tree (depth
:data:`PRUNED_DEPTH`), whose leaves have more conditions than a rule may: the leaves a decision
threshold on their share of positives predicts positive (the threshold that scores best on the
rows the tree learns from), most positive first, then *pruned as a list* — rule by rule, the
condition whose removal scores best goes while the list scores no worse (or the rule has too
many), scored on the tree's rows: a condition that only kept a leaf apart from an earlier one is
not needed once that leaf comes first. Every rule is then counted exactly with the rule semantics."""

from __future__ import annotations

import numpy as np

from ..data.split import Split
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet
from .candidates import leaf_paths, tree_frame
from .counting import count_candidates
from .objectives import fbeta
from .search import describe

SHALLOW_DEPTHS = (2, 3)
PRUNED_DEPTH = 4
PRUNED_NEGATIVES = 200_000  # the deep tree learns from every negative up to this many


def tree_lists(split: Split, start: RuleSet, columns: list[str] | None, max_rules: int, max_conditions: int,
               seed: int = 0, min_support: int = 1, min_precision: float = 0.0, beta: float = 1.0,
               deep: bool = True, fitted=None) -> dict[RuleSet, tuple]:
    """``start`` followed by the first 1, 2, ... ``max_rules`` rules of each tree's list (see the module),
    from trees fitted on the undecided train rows of ``split`` (:func:`.candidates.tree_frame`): the
    shallow ones plain and with balanced class weights; with ``deep``, the deep one once, on every
    undecided row up to :data:`PRUNED_NEGATIVES` negatives (the rare legitimate look-alikes it must
    tell apart are lost in a sample). A rule is kept when, counted exactly with the rule semantics on
    the rows the list leaves it, it takes ``min_support`` of them and reaches ``min_precision``.
    ``beta`` weighs recall when the deep tree's list is pruned (F-beta); ``fitted``: what
    :func:`deep_tree` returned, when it was fitted beforehand. Each tree's whole list (all the rules
    it gives, up to ``max_rules``) is mapped to its *recipe*, (tree depth, class weight), which
    :func:`refit` repeats on other rows; the shorter lists, to None."""
    out: dict[RuleSet, tuple] = {}
    recipes = [(d, w) for d in SHALLOW_DEPTHS if d <= max_conditions for w in (None, "balanced")]
    for depth, weight in recipes + ([(PRUNED_DEPTH, None)] if deep else []):
        lists = _tree_list(split, start, columns, depth, weight, max_rules, max_conditions, seed, min_support,
                           min_precision, beta, fitted if depth == PRUNED_DEPTH else None)
        for k, rules in enumerate(lists, 1):
            out.setdefault(rules, (depth, weight) if k == len(lists) else None)
    return out


def refit(split: Split, start: RuleSet, recipe: tuple, columns: list[str] | None, max_rules: int,
          max_conditions: int, seed: int = 0, min_support: int = 1, min_precision: float = 0.0, beta: float = 1.0,
          fitted=None) -> RuleSet | None:
    """The whole list ``recipe`` (from :func:`tree_lists`) describes, read off the same tree fitted on
    the undecided train rows of ``split`` (``fitted``: the deep one, fitted beforehand); None when the
    tree gives no rule."""
    depth, weight = recipe
    lists = _tree_list(split, start, columns, depth, weight, max_rules, max_conditions, seed, min_support,
                       min_precision, beta, fitted)
    return lists[-1] if lists else None


def _tree_list(split: Split, start: RuleSet, columns: list[str] | None, depth: int, weight, max_rules: int,
               max_conditions: int, seed: int, min_support: int, min_precision: float, beta: float,
               fitted=None) -> list[RuleSet]:
    """The lists of one tree (its first 1, 2, ... rules), fitted here unless ``fitted`` (the deep one)."""
    from sklearn.tree import DecisionTreeClassifier

    if depth == PRUNED_DEPTH:
        fitted = fitted if fitted is not None else deep_tree(split, start, columns, seed)
        if not fitted:
            return []
        tree, found = fitted
    else:
        found = tree_frame(split, start, columns)
        if found is None:
            return []
        tree = DecisionTreeClassifier(max_depth=depth, class_weight=weight, random_state=seed)
        tree.fit(found[0], found[1], sample_weight=found[2])
    return _read_tree(split, start, tree, *found, max_rules, max_conditions, min_support, min_precision, beta)


def deep_tree(split: Split, start: RuleSet, columns: list[str] | None, seed: int = 0):
    """The deep tree fitted on the undecided train rows (up to :data:`PRUNED_NEGATIVES` negatives), with
    those rows as :func:`.candidates.tree_frame` gives them; ``()`` when there is nothing to learn. It
    takes seconds on a large table, and may be fitted beside other work (a thread of its own)."""
    from sklearn.tree import DecisionTreeClassifier

    found = tree_frame(split, start, columns, PRUNED_NEGATIVES, keep=False)
    if found is None:
        return ()
    X, y, weights, _ = found
    return DecisionTreeClassifier(max_depth=PRUNED_DEPTH, random_state=seed).fit(X, y, sample_weight=weights), found


def _read_tree(split: Split, start: RuleSet, tree, X, y, weights, features, max_rules: int, max_conditions: int,
              min_support: int, min_precision: float, beta: float) -> list[RuleSet]:
    """The lists of one fitted tree: a shallow one's leaves, or the deep one's pruned list."""
    t, positive = tree.tree_, list(tree.classes_).index(True)
    share = {node: t.value[node][0][positive] for node in range(t.node_count)}
    shallow = tree.max_depth in SHALLOW_DEPTHS
    cut = share[0] if shallow else _best_share(tree.apply(X), share, y, weights, beta)
    paths = leaf_paths(tree, features, (lambda node: share[node] > cut) if shallow  # above the base rate
                       else (lambda node: share[node] >= cut))
    ranked = [when for when, _ in sorted(paths.items(), key=lambda pn: (
        -share[pn[1]], -t.weighted_n_node_samples[pn[1]], describe(pn[0])))]
    if not shallow:
        return _prefixes(split, start, _pruned(ranked, X, y, weights, features, max_conditions, beta), max_rules,
                         min_support, min_precision)
    if ranked:  # a tree's leaves share no row: their counts in the list, in one pass
        counted = count_candidates(split, start, ranked)
        good = [when for when, fired, tp in zip(*(counted[k] for k in ("when", "train_fired", "train_tp")))
                if fired >= min_support and tp >= min_precision * fired]
        return _prefixes(split, start, good[:max_rules])
    return []


def _prefixes(split: Split, start: RuleSet, whens: list, max_rules: int = 0, min_support: int = 0,
              min_precision: float = 0.0) -> list[RuleSet]:
    """``start`` with the first 1, 2, ... of ``whens``. With ``max_rules``, only the rules that keep to
    the support and precision where they stand in the list, counted exactly one pass each, at most
    ``max_rules`` of them."""
    label = split.native(split.positive)
    out: list[RuleSet] = []
    current, taken = start, 0
    for when in whens:
        if max_rules:
            if taken >= max_rules:
                break
            counted = count_candidates(split, current, [when])
            fired, tp = int(counted["train_fired"][0]), int(counted["train_tp"][0])
            if fired < min_support or tp < min_precision * fired:
                continue
        current, taken = current.add(Rule(when=when, then=label, name=describe(when))), taken + 1
        out.append(current)
    return out


def _best_share(leaf: np.ndarray, share: dict, y: np.ndarray, w: np.ndarray, beta: float) -> float:
    """The share of positives from which a leaf is predicted positive that scores best on the rows."""
    shares = np.array([share[n] for n in leaf])
    cuts = np.unique(shares)[::-1]
    order = np.argsort(-shares, kind="stable")
    tp, fired = np.cumsum((w * y)[order]), np.cumsum(w[order])
    ends = np.searchsorted(-shares[order], -cuts, side="right") - 1
    positives = float((w * y).sum())
    scores = fbeta(tp[ends], fired[ends], positives, beta)
    return float(cuts[int(np.argmax(scores))])


def _fires(when: tuple[Condition, ...], X: np.ndarray, index: dict) -> np.ndarray:
    """Where a conjunction holds on the tree's rows (a missing value fails a comparison, as in SQL)."""
    hit = np.ones(len(X), dtype=bool)
    for c in when:
        if c.op in ("<=", ">"):
            v = X[:, index[(c.column, None)]]
            with np.errstate(invalid="ignore"):
                hit &= (v <= c.value) if c.op == "<=" else (v > c.value)
            continue
        inside = np.zeros(len(X), dtype=bool)
        for value in c.value:
            if (c.column, value) in index:
                inside |= X[:, index[(c.column, value)]] == 1
            elif isinstance(value, bool) and (c.column, not value) in index:
                inside |= X[:, index[(c.column, not value)]] == 0
        hit &= inside if c.op == "in" else ~inside
    return hit


def _pruned(whens: list, X: np.ndarray, y: np.ndarray, w: np.ndarray, features: list, max_conditions: int,
            beta: float) -> list[tuple[Condition, ...]]:
    """The list ``whens`` pruned rule by rule (see the module), each rule at most ``max_conditions``."""
    index = {feature: k for k, feature in enumerate(features)}
    whens = [tuple(when) for when in whens]
    positives = float((w * y).sum())

    def value(rules: list) -> float:
        hit = np.zeros(len(X), dtype=bool)
        for when in rules:
            hit |= _fires(when, X, index)
        return float(fbeta((w * y)[hit].sum(), w[hit].sum(), positives, beta))

    for i in range(len(whens)):
        while len(whens[i]) > 1:
            now = value(whens)
            # ties: the later condition goes (a tree's first splits are its broadest)
            best, j = max((value(whens[:i] + [whens[i][:j] + whens[i][j + 1:]] + whens[i + 1:]), j)
                          for j in range(len(whens[i])))
            if best < now and len(whens[i]) <= max_conditions:
                break
            whens[i] = whens[i][:j] + whens[i][j + 1:]
    kept: list[tuple[Condition, ...]] = []
    for when in whens:  # parts of a simplified path: one condition per column and direction still
        if len(when) <= max_conditions and when not in kept:
            kept.append(when)
    return kept
