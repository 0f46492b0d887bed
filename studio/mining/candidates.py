"""Candidate rules for the rows the current rules leave undecided, learned on train: every
``column <= t`` / ``column > t`` at the columns' train quantiles (:func:`scan_thresholds`), value sets
of text columns (:func:`set_candidates`) and conjunctions read off shallow trees
(:func:`tree_candidates`). :mod:`.counting` counts them exactly."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.quoting import column_sql
from ..data.schema import BOOLEAN, NUMERIC, STRING
from ..data.split import Split
from ..rules.condition import Condition
from ..rules.model import RuleSet
from .counting import (class_histograms, count_candidates, few_valued, listed, undecided_sql,
                       value_sql)


@dataclass(frozen=True)
class Scan:
    """Train counts of ``column <op> threshold`` on the rows the rules leave undecided: one row per
    candidate with ``train_fired`` and ``train_tp``. Recall is against every train positive (what
    the rule adds to the list); ``listed_tp`` and ``listed_fired`` are what the rules already predict
    positive."""

    candidates: pd.DataFrame
    positives: int        # train positives
    rows: int             # train rows
    undecided: int        # train rows the rules leave to the default
    listed_tp: int        # train positives the rules already predict positive
    listed_fired: int     # train rows the rules already predict positive


QUANTILE_ROWS = 40_000  # thresholds are read off about this many train rows
BLOCK_ROWS, BLOCKS_FROM = 2_048, 4_000_000  # past BLOCKS_FROM train rows, runs of BLOCK_ROWS consecutive rows


def quantile_rows(split: Split, rows: int) -> str:
    """The condition on ``__rs_row`` of the rows the thresholds are read off (about ``QUANTILE_ROWS``
    train rows): every k-th row; past ``BLOCKS_FROM`` train rows, evenly spaced runs of ``BLOCK_ROWS``
    consecutive rows instead, which DuckDB reads from a few row groups (their ranges prune the rest)
    rather than every column of every row, the difference that counts once the data outgrows memory."""
    if rows < BLOCKS_FROM:
        return f"__rs_row % {max(1, rows // QUANTILE_ROWS)} = 0"
    total = split.dataset.n_rows
    blocks = math.ceil(QUANTILE_ROWS * total / (rows * BLOCK_ROWS))
    return "(" + " OR ".join(f"__rs_row BETWEEN {start} AND {start + BLOCK_ROWS - 1}"
                             for start in sorted({i * total // blocks for i in range(blocks)})) + ")"


def scan_thresholds(split: Split, rules: RuleSet | None = None, columns: list[str] | None = None,
                    bins: int = 256) -> Scan:
    """Every ``column <= t`` and ``column > t`` with t among the train quantiles of each numeric column
    (at most ``bins - 1`` distinct thresholds per column), counted on the train rows that ``rules``
    leave undecided.

    Two queries: exact quantiles of every column on about ``QUANTILE_ROWS`` train rows
    (:func:`quantile_rows`), then one pass over the undecided train rows computing, per column and
    class, DuckDB's histogram over its thresholds; every count of every candidate follows from those
    histograms."""
    schema = split.dataset.schema
    names = [c for c in (columns or split.features) if schema.kind(c) == NUMERIC]
    rows = sum(split.counts["train"].values())
    levels = "[" + ", ".join(repr(i / bins) for i in range(1, bins)) + "]"
    values = ", ".join(f"{value_sql(c)} AS v{i}" for i, c in enumerate(names))
    key = ("quantiles", tuple(names), bins)  # they do not depend on the rules: read once per split
    if key not in split.cache:
        with split.dataset.lock:
            split.cache[key] = split.dataset.con.execute(
                "SELECT " + ", ".join(f"quantile_disc(v{i}, {levels})" for i in range(len(names)))
                + f" FROM (SELECT {values} FROM {split.table} WHERE __rs_test = 0 AND {quantile_rows(split, rows)})"
            ).fetchone() if names else ()
    quantiles = split.cache[key]
    edges = {c: sorted({float(v) for v in (q or []) if v is not None and math.isfinite(v)})
             for c, q in zip(names, quantiles)}
    kept = [c for c in names if edges[c]]
    cum, undecided = class_histograms(split, rules, {c: edges[c] for c in kept}, side="train")
    frames = []
    for c in kept:
        e, below_all, n_all = cum[(c, "train_fired")]
        _, below_pos, n_pos = cum[(c, "train_tp")]
        frames.append(pd.DataFrame({
            "column": np.repeat(c, 2 * len(e)), "op": np.array(["<="] * len(e) + [">"] * len(e)),
            "threshold": np.concatenate([e, e]),
            "train_fired": np.concatenate([below_all, n_all - below_all]),
            "train_tp": np.concatenate([below_pos, n_pos - below_pos])}))
    candidates = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["column", "op", "threshold", "train_fired", "train_tp"])
    listed_tp, listed_fired = listed(split, rules)
    return Scan(candidates, split.counts["train"][split.positive], rows, undecided, listed_tp, listed_fired)


TREE_VALUES = 30  # most frequent values of a text column a tree may split on


def tree_candidates(split: Split, rules: RuleSet | None = None, depth: int = 3, columns: list[str] | None = None,
                    max_negatives: int = 20_000, seed: int = 0) -> list[tuple[Condition, ...]]:
    """Conjunctions of up to ``depth`` conditions read off a shallow decision tree (scikit-learn) fitted
    on the undecided train rows (every positive, and every k-th other row weighted k, at most about
    ``max_negatives`` of them): one candidate per leaf where the positives are the majority, its path
    written as ``column <= t`` / ``column > t`` for numbers and ``column in (v)`` / ``column not in (...)``
    for text and boolean columns (the tree sees their ``TREE_VALUES`` most frequent values as
    indicators; columns with more than ``MAX_SET_VALUES`` values are left out). Counts are not taken
    from the tree (it sends missing values down a branch, where a rule's condition is false):
    :func:`count_candidates` counts."""
    from sklearn.tree import DecisionTreeClassifier

    found = tree_frame(split, rules, columns, max_negatives)
    if found is None:
        return []
    X, y, weights, features = found
    out: list[tuple[Condition, ...]] = []
    for weight in (None, "balanced"):  # precise leaves, and leaves that reach the rare class
        tree = DecisionTreeClassifier(max_depth=depth, class_weight=weight, random_state=seed)
        tree.fit(X, y, sample_weight=weights)
        t, positive = tree.tree_, list(tree.classes_).index(True)
        found = leaf_paths(tree, features, lambda node: t.value[node][0][positive] > t.value[node][0][1 - positive])
        out += [p for p in found if p not in out]
    return out


def tree_frame(split: Split, rules: RuleSet | None, columns: list[str] | None, max_negatives: int = 20_000,
               keep: bool = True):
    """What a tree learns from: the undecided train rows (every positive, and every k-th other row
    weighted k, at most about ``max_negatives`` of them) as (X, is positive, weights, features), a
    feature being (column, None) for a number or (column, value) for an indicator of a text value;
    None when there is nothing to learn. The last one is kept in the split's cache (one slot: the trees
    of several depths for the same rules read it once)."""
    if not keep:  # read once, left out of the cache (a frame read beside other work)
        return _tree_frame(split, rules, columns, max_negatives)
    key = (rules, tuple(columns or ()), max_negatives)
    kept = split.cache.get("tree_frame")
    if kept is None or kept[0] != key:
        kept = split.cache["tree_frame"] = (key, _tree_frame(split, rules, columns, max_negatives))
    return kept[1]


def _tree_frame(split: Split, rules: RuleSet | None, columns: list[str] | None, max_negatives: int):
    schema = split.dataset.schema
    wanted = list(columns or split.features)
    names = [c for c in wanted if schema.kind(c) == NUMERIC]
    texts = few_valued(split, [c for c in wanted if schema.kind(c) in (STRING, BOOLEAN)])
    pos = split.labels.index(split.positive)
    values = ", ".join([f"{value_sql(c)} AS {column_sql(c)}" for c in names] + [column_sql(c) for c in texts])
    undecided = undecided_sql(rules, split)
    if not values:
        return None
    with split.dataset.lock:
        negatives = split.dataset.con.execute(
            f"SELECT count(*) FROM {split.table} WHERE __rs_test = 0 AND __rs_y <> {pos} AND {undecided}").fetchone()[0]
        step = max(1, -(-int(negatives) // max_negatives))  # every step-th negative, weighted by step
        frame = split.dataset.con.execute(
            f"SELECT __rs_y = {pos} AS __p, {values} FROM {split.table} WHERE __rs_test = 0 AND {undecided} "
            f"AND (__rs_y = {pos} OR __rs_row % {step} = 0) ORDER BY __rs_row").df()  # same rows, same order: same trees
    y = frame.pop("__p").to_numpy(dtype=bool)
    if len(frame) == 0 or y.all() or not y.any():
        return None
    features: list[tuple[str, object]] = [(c, None) for c in names]
    blocks = [frame[names].to_numpy(dtype=float)]
    for c in texts:
        for v in frame[c].dropna().value_counts().index[:TREE_VALUES]:
            v = v.item() if hasattr(v, "item") else v
            features.append((c, v))
            blocks.append((frame[c] == v).to_numpy(dtype=float)[:, None])
    X = np.hstack(blocks)
    if X.shape[1] == 0:
        return None
    return X, y, np.where(y, 1.0, float(step)), features


def leaf_paths(tree, features: list[tuple[str, object]], keep) -> dict[tuple[Condition, ...], int]:
    """The paths to the leaves of a fitted scikit-learn tree for which ``keep(node)`` holds, each as
    conditions (simplified: :func:`_simplify`), in the tree's order, with the first leaf they lead to."""
    t, out = tree.tree_, {}

    def walk(node: int, path: tuple[Condition, ...]) -> None:
        if t.children_left[node] == t.children_right[node]:  # a leaf
            if path and keep(node):
                simple = _simplify(path)
                if simple:
                    out.setdefault(simple, node)
            return
        name, value = features[t.feature[node]]
        if value is None:
            threshold = float(t.threshold[node])
            left, right = Condition(name, "<=", threshold), Condition(name, ">", threshold)
        elif isinstance(value, bool):  # the other branch holds the other value (or none)
            left, right = Condition(name, "in", (not value,)), Condition(name, "in", (value,))
        else:
            left, right = Condition(name, "not in", (value,)), Condition(name, "in", (value,))
        walk(t.children_left[node], path + (left,))
        walk(t.children_right[node], path + (right,))

    walk(0, ())
    return out


def _simplify(path: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """One condition per column and kind: the tightest bound per direction (a tree path may split a
    column twice), and one value set per text column (``in`` the value it was sent towards, else
    ``not in`` every value it was sent away from). Empty when the path contradicts itself."""
    upper: dict[str, float] = {}
    lower: dict[str, float] = {}
    inside: dict[str, object] = {}
    outside: dict[str, list] = {}
    for c in path:
        if c.op == "<=":
            upper[c.column] = min(upper.get(c.column, math.inf), c.value)
        elif c.op == ">":
            lower[c.column] = max(lower.get(c.column, -math.inf), c.value)
        elif c.op == "in":
            if c.column in inside and inside[c.column] != c.value[0]:
                return ()
            inside[c.column] = c.value[0]
        else:
            outside.setdefault(c.column, []).extend(v for v in c.value if v not in outside.get(c.column, []))
    out = []
    for c in path:
        if c.op in ("<=", ">"):
            bound = upper if c.op == "<=" else lower
            if c.column in bound:
                out.append(Condition(c.column, c.op, bound.pop(c.column)))
        elif c.column in inside:
            value = inside.pop(c.column)
            if value in outside.pop(c.column, []):
                return ()
            out.append(Condition(c.column, "in", (value,)))
        elif c.column in outside:
            out.append(Condition(c.column, "not in", tuple(outside.pop(c.column))))
    return tuple(out)


def set_candidates(split: Split, rules: RuleSet | None = None, columns: list[str] | None = None,
                   max_values: int = 10, most_positive: bool = True) -> list[tuple[Condition, ...]]:
    """``column in (...)`` for text and boolean columns: per column, its values ordered by their
    positive rate on the undecided train rows, highest first (lowest first without ``most_positive``:
    the values an exception would take back), then by how many rows hold them, then by value, and
    the first 1, 2, ... ``max_values`` of them. Columns with more than ``MAX_SET_VALUES`` distinct
    values (identifiers, free text) are left out. Two passes: the distinct counts, then DuckDB's
    per-class histogram of every column kept."""
    schema = split.dataset.schema
    names = [c for c in (columns or split.features) if schema.kind(c) in (STRING, BOOLEAN)]
    if not names:
        return []
    pos = split.labels.index(split.positive)
    names = few_valued(split, names)
    if not names:
        return []
    with split.dataset.lock:
        groups = split.dataset.con.execute(
            f"SELECT __rs_y = {pos}, {', '.join(f'histogram({column_sql(n)})' for n in names)} FROM {split.table} "
            f"WHERE __rs_test = 0 AND {undecided_sql(rules, split)} GROUP BY 1").fetchall()
    by_class = {bool(g[0]): g[1:] for g in groups}
    out: list[tuple[Condition, ...]] = []
    for k, name in enumerate(names):
        positive = dict(by_class[True][k] or {}) if True in by_class else {}
        negative = dict(by_class[False][k] or {}) if False in by_class else {}
        counts = {v: (positive.get(v, 0), positive.get(v, 0) + negative.get(v, 0))
                  for v in list(positive) + list(negative) if v is not None}
        sign = -1 if most_positive else 1
        values = sorted(counts, key=lambda v: (sign * counts[v][0] / counts[v][1], -counts[v][1], str(v)))
        for n in range(1, min(len(values), max_values + 1)):  # all values would be no condition
            out.append((Condition(name, "in", tuple(values[:n])),))
    return out


def conjunctions(split: Split, rules: RuleSet | None, columns: list[str] | None, depths: tuple[int, ...]):
    """Tree paths (of trees of each depth) and value sets, counted exactly on the undecided train rows."""
    found: list[tuple[Condition, ...]] = []
    for depth in depths:
        found += [c for c in tree_candidates(split, rules, depth=depth, columns=columns) if c not in found]
    return count_candidates(split, rules, found + set_candidates(split, rules, columns))
