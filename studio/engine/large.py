"""Evaluating rule sets of any size: the numbers of :func:`studio.engine.evaluate.evaluate`, from
aggregates whose size does not grow with the number of rule combinations a row can match.

For a few rules the studio groups rows by which rules match them (every pair of rules is counted).
With hundreds of rules nearly every row matches its own combination, so instead DuckDB computes,
per row, the first and the second enabled rule that hold (``f``, ``s``), and aggregates:

- rows per (side, label, f, s, conflict): the predictions, each rule's fired/correct/positives,
  what disabling an enabled rule changes (its rows go to ``s``), overlaps and conflicts;
- per side and label, how many rows each rule matches;
- for disabled rules only, per (side, label, f), the rows each would take if enabled.

Every figure is exactly the grouped path's, except ``Overlaps.pairs``, which lists every pair of
rules matching together only for rule sets of up to :data:`PAIRED_RULES` rules; ``shadowed``
(the rule that fired and the next that held) is given for every size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.split import Split
from ..rules.model import RuleSet
from ..rules.condition import Condition
from .compile import condition_sql, float_operand_sql, float_operands, rule_duckdb
from .thresholds import bounds_of, count, cumulative, histogram_sql, single_comparison
from .metrics import SIDES, Overlaps, RuleStats, Scores, pair_counts, side_metrics
from .results import CumulativePoint, SideReport

PAIRED_RULES = 60


@dataclass(frozen=True)
class FirstHits:
    """Rows per (side, label index, first enabled rule, second enabled rule, conflict), and the rows
    each rule matches (``matched[side][label, rule]``), and for disabled rules the rows each would
    take per (side, label, first rule): ``takes``."""

    test: np.ndarray
    label: np.ndarray
    first: np.ndarray
    second: np.ndarray
    conflict: np.ndarray
    rows: np.ndarray
    matched: np.ndarray   # (2 sides, labels, rules)
    takes: dict           # disabled rule index -> (test, label, first, rows) arrays


def _sql(rules: RuleSet, split: Split, skip: set[int], ready: dict[str, str]) -> dict[int, str]:
    schema, pairs_ = split.dataset.schema, tuple(ready.items())
    return {i: ("FALSE" if i in skip else f"({rule_duckdb(r.when, schema, pairs_)})") for i, r in enumerate(rules.rules)}


def _any_holds(rules: RuleSet, split: Split, indexes: list[int], cond: dict[int, str], skip: set[int],
               ready: dict[str, str]) -> str:
    """SQL true where one of the rules ``indexes`` holds, cheaper than testing each: one-comparison rules
    on a column with one operator hold somewhere exactly where the loosest of them does (``x > 2 or
    x > 5`` is ``x > 2``); the other rules are tested as they are. Empty when not cheaper."""
    schema = split.dataset.schema
    loosest: dict[tuple[str, str], float] = {}
    others = []
    for i in indexes:
        c = rules.rules[i].when[0]
        if i not in skip and single_comparison(rules.rules[i].when, schema) and c.op in ("<", "<=", ">", ">="):
            key, value = (c.column, c.op), float(c.value)
            loosest[key] = value if key not in loosest else (min if c.op in (">", ">=") else max)(loosest[key], value)
        else:
            others.append(cond[i])
    if len(loosest) + len(others) >= len(indexes):
        return ""
    tests = [f"({condition_sql(Condition(column, op, value), schema, ready).sql('duckdb')})"
             for (column, op), value in loosest.items()]
    return "coalesce(" + " OR ".join(tests + others) + ", FALSE)"


def first_hits(split: Split, rules: RuleSet, skip: set[int] = frozenset()) -> FirstHits:
    """Run the aggregates (under the dataset's lock). Floating columns are read once with NaN as NULL
    (``ready``), so the conditions are short for DuckDB to plan: with thousands of rules, planning
    the query costs as much as running it."""
    schema = split.dataset.schema
    ready = float_operands(schema, [c for i, r in enumerate(rules.rules) if i not in skip
                                    for cond_ in r.when if cond_.shape != "polygon" for c in cond_.columns])
    cond = _sql(rules, split, skip, ready)
    labels = [split.class_label(r.then) for r in rules.rules]
    enabled = [i for i, r in enumerate(rules.rules) if r.enabled]
    anything = _any_holds(rules, split, enabled, cond, skip, ready)
    first = ("CASE " + (f"WHEN NOT {anything} THEN -1 " if anything else "")
             + " ".join(f"WHEN {cond[i]} THEN {i}" for i in enabled) + " ELSE -1 END") if enabled else "-1"
    second = ("CASE WHEN __rs_f < 0 THEN -1 "  # no rule held: no second one either
              + " ".join(f"WHEN {i} > __rs_f AND {cond[i]} THEN {i}" for i in enabled) + " ELSE -1 END"
              if len(enabled) > 1 else "-1")
    kinds = sorted({labels[i] for i in enabled})
    if len(kinds) > 1:  # rows matched by enabled rules of two or more labels
        anys = [" OR ".join(cond[i] for i in enabled if labels[i] == k) for k in kinds]
        held = " + ".join(f"coalesce(({a})::INTEGER, 0)" for a in anys)
        conflict = f"CASE WHEN __rs_s >= 0 THEN ({held}) >= 2 ELSE FALSE END"
    else:
        conflict = "FALSE"
    con = split.dataset.con
    table = f"(SELECT *, {float_operand_sql(schema, ready)} FROM {split.table})" if ready else split.table
    rows_by_first = (f"SELECT __rs_test, __rs_y, __rs_f, __rs_s, {conflict} AS __rs_c, count(*) AS n FROM "
                     f"(SELECT *, {second} AS __rs_s FROM (SELECT *, {first} AS __rs_f FROM {table})) GROUP BY ALL")
    q1 = con.execute(rows_by_first).fetchnumpy()
    n_rules, n_labels = len(rules.rules), len(split.labels)
    matched = np.zeros((2, n_labels, n_rules), dtype=np.int64)
    if n_rules:
        simple = [i for i in range(n_rules) if i not in skip and single_comparison(rules.rules[i].when, schema)]
        tested = [i for i in range(n_rules) if i not in set(simple)]
        bounds = bounds_of([rules.rules[i].when[0] for i in simple])
        select = histogram_sql(bounds) + [f"coalesce(count_if({cond[i]}), 0)" for i in tested]
        for row in con.execute(f"SELECT __rs_test, __rs_y, {', '.join(select)} FROM {table} GROUP BY ALL").fetchall():
            side, label, values = int(row[0]), int(row[1]), row[2:]
            cum = {name: (np.array(edges), *cumulative(values[k], edges)) for k, (name, edges) in enumerate(bounds.items())}
            for i in simple:
                c = rules.rules[i].when[0]
                matched[side, label, i] = count(c, *cum[c.column])
            matched[side, label, tested] = values[len(bounds):]
    takes = {}
    disabled = [i for i in range(n_rules) if i not in set(enabled)]
    if disabled:
        q3 = con.execute(
            "SELECT __rs_test, __rs_y, __rs_f, "
            + ", ".join(f"coalesce(count_if({cond[i]} AND (__rs_f < 0 OR __rs_f > {i})), 0)" for i in disabled)
            + f" FROM (SELECT *, {first} AS __rs_f FROM {table}) GROUP BY ALL").fetchnumpy()
        keys = list(q3)
        for k, i in enumerate(disabled):
            takes[i] = (q3[keys[0]], q3[keys[1]], q3[keys[2]], np.asarray(q3[keys[3 + k]], dtype=np.int64))
    return FirstHits(np.asarray(q1["__rs_test"], dtype=np.int8), np.asarray(q1["__rs_y"], dtype=np.int64),
                     np.asarray(q1["__rs_f"], dtype=np.int64), np.asarray(q1["__rs_s"], dtype=np.int64),
                     np.asarray(q1["__rs_c"], dtype=bool), np.asarray(q1["n"], dtype=np.int64), matched, takes)


def _sum(weights: np.ndarray) -> int:
    return int(np.rint(weights.sum())) if len(weights) else 0


def side_reports(split: Split, rules: RuleSet, hits: FirstHits) -> dict[str, SideReport]:
    """Every side's report from the first-hit aggregates (the same figures as the grouped path)."""
    pos = split.positive
    labels = np.array(split.labels, dtype=object)
    rule_labels = [split.class_label(r.then) for r in rules.rules]
    out = np.array(rule_labels + [split.class_label(rules.default)], dtype=object)  # index -1: the default
    names, n_rules = rules.names(), len(rules.rules)
    out_pos = (out == pos).astype(np.float64)
    sides = {}
    for side in SIDES:
        sel = np.ones(len(hits.rows), dtype=bool) if side == "all" else hits.test == (side == "test")
        n, f, s = hits.rows[sel].astype(np.float64), hits.first[sel], hits.second[sel]
        true = labels[hits.label[sel]] if sel.any() else np.array([], dtype=object)
        pred = out[f] if len(f) else np.array([], dtype=object)
        metrics = side_metrics(pair_counts(true, pred, n), pos)
        is_pos = (true == pos).astype(np.float64)
        actual, total = _sum(n * is_pos), _sum(n)
        base_tp, base_pp = _sum(n * is_pos * out_pos[f]), _sum(n * out_pos[f])
        bins = f + 1

        def per_first(weights: np.ndarray) -> np.ndarray:
            return np.rint(np.bincount(bins, weights, minlength=n_rules + 1)[1:]).astype(np.int64)

        fired, correct = per_first(n), per_first(n * (true == pred))
        positives = per_first(n * is_pos)
        taken_before = np.concatenate([[0], np.cumsum(fired)])
        change = out_pos[s] - out_pos[f]  # disabling f: its rows go to s
        d_tp, d_pp = per_first(n * is_pos * change), per_first(n * change)
        matched = hits.matched.sum(axis=1)
        matched = matched.sum(axis=0) if side == "all" else matched[int(side == "test")]
        stats = []
        for i, rule in enumerate(rules.rules):
            if rule.enabled:
                took, ok, caught = int(fired[i]), int(correct[i]), int(positives[i])
                tp, pp = base_tp + int(d_tp[i]), base_pp + int(d_pp[i])
            else:
                t3, y3, f3, c3 = hits.takes[i]
                keep = np.ones(len(c3), dtype=bool) if side == "all" else t3 == (side == "test")
                c, truth, before = c3[keep].astype(np.float64), labels[y3[keep]], out[f3[keep]]
                took, ok, caught = _sum(c), _sum(c * (truth == rule_labels[i])), _sum(c * (truth == pos))
                gain = float(rule_labels[i] == pos) - (before == pos).astype(np.float64)
                tp, pp = base_tp + _sum(c * (truth == pos) * gain), base_pp + _sum(c * gain)
            toggled = Scores.of(tp, pp, actual)
            stats.append(RuleStats(
                index=i, name=names[i], label=rule_labels[i], enabled=rule.enabled, matched=int(matched[i]),
                reached=total - int(taken_before[i]), fired=took, correct=ok,
                precision=(ok / took) if took else None, positives=caught,
                positive_share=(caught / actual) if actual else 0.0, toggled=toggled,
                delta_precision=toggled.precision - metrics.positive.precision,
                delta_recall=toggled.recall - metrics.positive.recall, delta_f1=toggled.f1 - metrics.positive.f1))
        overlaps = Overlaps(_sum(n[s >= 0]), _sum(n[hits.conflict[sel]]), None, shadowed(f, s, n))
        sides[side] = SideReport(metrics, stats, overlaps)
    return sides


def shadowed(first: np.ndarray, second: np.ndarray, rows: np.ndarray) -> list[tuple[int, int, int]]:
    """(the rule that fired, the next enabled rule that also held, rows), most rows first."""
    held = second >= 0
    if not held.any():
        return []
    pairs_ = np.stack([first[held], second[held]], axis=1)
    keys, inverse = np.unique(pairs_, axis=0, return_inverse=True)
    counts = np.rint(np.bincount(inverse.ravel(), rows[held].astype(np.float64))).astype(np.int64)
    order = np.lexsort((keys[:, 1], keys[:, 0], -counts))
    return [(int(keys[k, 0]), int(keys[k, 1]), int(counts[k])) for k in order]


def cumulative_points(split: Split, rules: RuleSet, hits: FirstHits, side: str) -> list[CumulativePoint]:
    """Positive-class scores as the enabled rules are applied in order, from the first-hit aggregates."""
    pos = split.positive
    labels = np.array(split.labels, dtype=object)
    out = np.array([split.class_label(r.then) for r in rules.rules] + [split.class_label(rules.default)],
                   dtype=object)
    sel = np.ones(len(hits.rows), dtype=bool) if side == "all" else hits.test == (side == "test")
    n, f = hits.rows[sel].astype(np.float64), hits.first[sel]
    is_pos = (labels[hits.label[sel]] == pos).astype(np.float64) if sel.any() else np.zeros(0)
    default_pos = float(out[-1] == pos)
    out_pos = (out == pos).astype(np.float64)
    gain = out_pos[f] - default_pos  # a row a rule takes: its prediction instead of the default's
    tp_gain = np.bincount(f + 1, n * is_pos * gain, minlength=len(out))[1:]
    pp_gain = np.bincount(f + 1, n * gain, minlength=len(out))[1:]
    tp, pp, actual = _sum(n * is_pos) * default_pos, _sum(n) * default_pos, _sum(n * is_pos)
    names = rules.names()
    scores = Scores.of(int(tp), int(pp), actual)
    points = [CumulativePoint(0, "default only", scores.precision, scores.recall, scores.f1)]
    for step, i in enumerate([i for i, r in enumerate(rules.rules) if r.enabled], start=1):
        tp, pp = tp + tp_gain[i], pp + pp_gain[i]
        scores = Scores.of(int(np.rint(tp)), int(np.rint(pp)), actual)
        points.append(CumulativePoint(step, names[i], scores.precision, scores.recall, scores.f1))
    return points
