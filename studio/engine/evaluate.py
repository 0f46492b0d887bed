"""Evaluate a rule set on a stored split: one DuckDB aggregate, then exact metrics from its counts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from decimal import Decimal

import duckdb

import numpy as np

from ..data.split import Split
from ..rules.model import RuleSet
from ..rules.validate import check_ruleset
from ..data.connection import duckdb_message
from ..errors import DataError
from .sums import EXACT, amount_sql
from .compile import mask_words, rule_duckdb
from .large import PAIRED_RULES, cumulative_points, shadowed, side_reports
from .large import first_hits as large_first_hits
from .metrics import SIDES, Overlaps, RuleStats, Scores, pair_counts, side_metrics
from .results import CumulativePoint, Evaluation, SideReport

_CACHE_LIMIT = 256


@dataclass(frozen=True)
class Extras:
    """What the counting query also groups or sums by: the exact sum of an ``amount`` column, and the
    ``period`` of each row (SQL, and the (low, high) its buckets cut, or None), so that the
    amount-weighted figures and the backtest come from the same query as the metrics."""
    amount: str | None = None
    period: tuple[str, str] | None = None


@dataclass(frozen=True)
class MatchCounts:
    """Rows per (side, true label, set of matching rules): the sufficient statistics of a split."""

    test: np.ndarray      # 0 train, 1 test, per group
    label: np.ndarray     # index into Split.labels
    matched: np.ndarray   # bool (groups, rules): does rule i match rows of this group
    rows: np.ndarray      # rows per group
    broken: dict = field(default_factory=dict)  # rule index -> why DuckDB cannot evaluate it (it matches nothing)
    period: np.ndarray | None = None   # with Extras.period: each group's period
    amount: np.ndarray | None = None   # with Extras.amount: each group's exact amount (Decimal)
    bounds: tuple | None = None        # with a period that needs them: the (low, high) its buckets cut


def _objects(column) -> np.ndarray:
    """A fetched column as Python values, NULL as None (a masked array's data holds a filler there)."""
    out = np.asarray(column, dtype=object).copy()
    if np.ma.isMaskedArray(column):
        out[np.ma.getmaskarray(column)] = None
    return out


def match_counts(split: Split, rules: RuleSet, extras: Extras | None = None) -> MatchCounts:
    """Run (or reuse) the one aggregate query that every metric is derived from.

    Rows are grouped by one key (INTEGER when it fits, else BIGINT) packing which rules match (high bits),
    the label index and the side (low bits); more rules than fit in one key
    spill into extra mask columns. The result depends only on the rules'
    conditions, so renaming, relabelling, enabling or reordering rules costs no
    query.
    """
    with split.dataset.lock:  # one query at a time per connection; the cache is shared by reruns
        return _match_counts(split, rules, extras or Extras())


def _match_counts(split: Split, rules: RuleSet, extras: Extras) -> MatchCounts:
    key = tuple(r.when for r in rules.rules) + ((extras,) if extras != Extras() else ())
    hit = split.cache.get(key)
    if hit is not None:
        return hit
    schema = split.dataset.schema
    check_ruleset(rules, schema)
    low = (2 * len(split.labels) - 1).bit_length()  # bits for (label index, side)
    bits = 62 - low
    broken: dict[int, str] = {}
    try:
        result = split.dataset.con.execute(_counting_sql(split, rules, bits, low, broken, extras)).fetchnumpy()
    except duckdb.InterruptException:
        raise
    except duckdb.Error as err:  # find the rules DuckDB cannot evaluate; they match nothing
        broken = broken_rules(split, rules)
        if not broken:
            raise DataError(f"the rules cannot be evaluated: {duckdb_message(err)}") from None
        result = split.dataset.con.execute(_counting_sql(split, rules, bits, low, broken, extras)).fetchnumpy()
    k0 = np.asarray(result["k0"], dtype=np.int64)
    n_rules = len(rules.rules)
    matched = np.zeros((len(k0), n_rules), dtype=bool)
    n_words = max(1, -(-n_rules // bits))
    masks = [k0 >> low] + [np.asarray(result[f"m{i}"], dtype=np.int64) for i in range(1, n_words)]
    for w, mask in enumerate(masks):
        for k in range(min(bits, n_rules - w * bits)):
            matched[:, w * bits + k] = (mask >> k) & 1 == 1
    counts = MatchCounts(test=(k0 & 1).astype(np.int8), label=(k0 & ((1 << low) - 1)) >> 1,
                         matched=matched, rows=np.asarray(result["n"], dtype=np.int64), broken=broken,
                         period=_objects(result["p"]) if extras.period else None,
                         amount=np.array([Decimal(0) if a is None else Decimal(a) for a in _objects(result["a"])]
                                         + [None], dtype=object)[:-1] if extras.amount else None,
                         bounds=extras.period[1] if extras.period else None)
    if len(split.cache) >= _CACHE_LIMIT:
        split.cache.pop(next(iter(split.cache)))
    split.cache[key] = counts
    return counts


def first_hit_counts(split: Split, rules: RuleSet):
    """The first-hit aggregates of :mod:`.large` (memoised like :func:`match_counts`), and the rules DuckDB
    cannot evaluate (they match nothing)."""
    key = ("first hits", tuple(r.when for r in rules.rules), tuple(r.enabled for r in rules.rules),
           tuple(split.class_label(r.then) for r in rules.rules))
    with split.dataset.lock:
        hit = split.cache.get(key)
        if hit is not None:
            return hit
        check_ruleset(rules, split.dataset.schema)
        broken: dict[int, str] = {}
        try:
            hits = large_first_hits(split, rules)
        except duckdb.InterruptException:
            raise
        except duckdb.Error as err:
            broken = broken_rules(split, rules)
            if not broken:
                raise DataError(f"the rules cannot be evaluated: {duckdb_message(err)}") from None
            hits = large_first_hits(split, rules, skip=set(broken))
        if len(split.cache) >= _CACHE_LIMIT:
            split.cache.pop(next(iter(split.cache)))
        split.cache[key] = (hits, broken)
        return hits, broken


def _counting_sql(split: Split, rules: RuleSet, bits: int, low: int, broken: dict,
                  extras: Extras = Extras()) -> str:
    narrow = len(rules.rules) + low <= 30  # the whole key fits in an INTEGER
    words = mask_words(list(rules.rules), bits, split.dataset.schema, skip=set(broken),
                       kind="INTEGER" if narrow else "BIGINT")
    cols = [f"{words[0]} * {1 << low} + __rs_y * 2 + __rs_test AS k0"]
    cols += [f"{w} AS m{i}" for i, w in enumerate(words[1:], start=1)]
    if extras.period:
        cols.append(f"{extras.period[0]} AS p")
    if extras.amount:  # exact: decimals, read back as text
        cols.append(f"CAST(sum(CAST({amount_sql(extras.amount)} AS {EXACT})) AS VARCHAR) AS a")
    return f"SELECT {', '.join(cols)}, count(*) AS n FROM {split.table} GROUP BY ALL"


def broken_rules(split: Split, rules: RuleSet) -> dict[int, str]:
    """The rules DuckDB cannot evaluate on this split, each with DuckDB's reason (one line)."""
    out = {}
    for i, rule in enumerate(rules.rules):
        try:
            split.dataset.con.execute(f"SELECT count_if({rule_duckdb(rule.when, split.dataset.schema)}) "
                                      f"FROM (SELECT * FROM {split.table} LIMIT 1)").fetchone()
        except duckdb.InterruptException:
            raise
        except duckdb.Error as err:
            out[i] = duckdb_message(err)
    return out


def first_hits(matched: np.ndarray, order: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first and second rule in ``order`` that match each group (-1 for none)."""
    first = np.full(matched.shape[0], -1, dtype=np.int64)
    second = np.full(matched.shape[0], -1, dtype=np.int64)
    for i in order:
        m = matched[:, i]
        second = np.where((first >= 0) & (second < 0) & m, i, second)
        first = np.where((first < 0) & m, i, first)
    return first, second


def evaluate(split: Split, rules: RuleSet, grouped: bool | None = None, extras: Extras | None = None) -> Evaluation:
    """Confusion matrices, per-class and averaged scores, per-rule effects and overlaps,
    for train, test and all rows. Exactly equal to scikit-learn's numbers.

    Up to :data:`~studio.engine.large.PAIRED_RULES` rules, rows are grouped by the rules they match
    (``grouped``); beyond, by the first and second rule that holds (:mod:`.large`): the same figures,
    with no count of every pair of rules."""
    if grouped is None:
        grouped = len(rules.rules) <= PAIRED_RULES
    if not grouped:
        hits, broken = first_hit_counts(split, rules)
        return Evaluation(split=split, ruleset=rules, sides=side_reports(split, rules, hits), broken=broken)
    counts = match_counts(split, rules, extras)  # ``extras``: what the amounts and the backtest need too
    labels = split.labels
    n_rules = len(rules.rules)
    rule_labels = [split.class_label(r.then) for r in rules.rules]
    default = split.class_label(rules.default)
    enabled = [i for i, r in enumerate(rules.rules) if r.enabled]
    names = rules.names()
    first, second = first_hits(counts.matched, enabled)
    out_labels = np.array(rule_labels + [default], dtype=object)  # index -1 -> default
    true = np.array(labels, dtype=object)[counts.label] if len(counts.label) else np.array([], dtype=object)
    predicted = out_labels[first]

    sides = {}
    for side in SIDES:
        sel = np.ones(len(counts.rows), dtype=bool) if side == "all" else counts.test == (side == "test")
        rows, t, p = counts.rows[sel], true[sel], predicted[sel]
        matched, f, s = counts.matched[sel], first[sel], second[sel]
        metrics = side_metrics(pair_counts(t, p, rows), split.positive)
        positives_total = int(rows[t == split.positive].sum())
        stats = []
        taken_before = np.zeros(len(rows), dtype=bool)
        for i in range(n_rules):
            rule = rules.rules[i]
            reached_mask = ~taken_before if rule.enabled else (f < 0) | (f > i)
            fires = reached_mask & matched[:, i]
            if rule.enabled:
                taken_before |= f == i
                toggled_pred = np.where(f == i, out_labels[s], p)
            else:
                toggled_pred = np.where(fires, rule_labels[i], p)
            correct = int(rows[fires & (t == rule_labels[i])].sum())
            fired = int(rows[fires].sum())
            positives = int(rows[fires & (t == split.positive)].sum())
            toggled = _positive_scores(t, toggled_pred, rows, split.positive)
            stats.append(RuleStats(
                index=i, name=names[i], label=rule_labels[i], enabled=rule.enabled,
                matched=int(rows[matched[:, i]].sum()), reached=int(rows[reached_mask].sum()),
                fired=fired, correct=correct, precision=(correct / fired) if fired else None,
                positives=positives, positive_share=(positives / positives_total) if positives_total else 0.0,
                toggled=toggled, delta_precision=toggled.precision - metrics.positive.precision,
                delta_recall=toggled.recall - metrics.positive.recall,
                delta_f1=toggled.f1 - metrics.positive.f1))
        overlaps = _overlaps(matched[:, enabled], rows, [rule_labels[i] for i in enabled], enabled)
        sides[side] = SideReport(metrics, stats, replace(overlaps, shadowed=shadowed(f, s, rows)))
    return Evaluation(split=split, ruleset=rules, sides=sides, broken=dict(counts.broken))


def _positive_scores(true, pred, rows, positive) -> Scores:
    is_pos_true = true == positive
    is_pos_pred = pred == positive
    return Scores.of(int(rows[is_pos_true & is_pos_pred].sum()), int(rows[is_pos_pred].sum()),
                     int(rows[is_pos_true].sum()))


def _overlaps(matched: np.ndarray, rows: np.ndarray, labels: list[str], index: list[int]) -> Overlaps:
    if matched.shape[1] == 0:
        return Overlaps(0, 0, [])
    hits = matched.sum(axis=1)
    multi = hits > 1
    conflict = np.zeros(len(rows), dtype=bool)
    label_arr = np.array(labels, dtype=object)
    for g in np.flatnonzero(multi):
        conflict[g] = len(set(label_arr[matched[g]])) > 1
    pairs = []
    for a in range(matched.shape[1]):
        for b in range(a + 1, matched.shape[1]):
            n = int(rows[matched[:, a] & matched[:, b]].sum())
            if n:
                pairs.append((index[a], index[b], n))
    return Overlaps(int(rows[multi].sum()), int(rows[conflict].sum()), pairs)


def cumulative(split: Split, rules: RuleSet, side: str = "test") -> list[CumulativePoint]:
    """Precision, recall and F1 of the positive class as the enabled rules are added in order
    (step 0: only the default label)."""
    if len(rules.rules) > PAIRED_RULES:
        return cumulative_points(split, rules, first_hit_counts(split, rules)[0], side)
    counts = match_counts(split, rules)
    sel = np.ones(len(counts.rows), dtype=bool) if side == "all" else counts.test == (side == "test")
    rows, matched = counts.rows[sel], counts.matched[sel]
    true = np.array(split.labels, dtype=object)[counts.label[sel]] if sel.any() else np.array([], dtype=object)
    out_labels = np.array([split.class_label(r.then) for r in rules.rules] + [split.class_label(rules.default)],
                          dtype=object)
    names = rules.names()
    first = np.full(len(rows), -1, dtype=np.int64)
    points = []
    for step, i in enumerate([None] + [i for i, r in enumerate(rules.rules) if r.enabled]):
        if i is not None:
            first = np.where((first < 0) & matched[:, i], i, first)
        s = _positive_scores(true, out_labels[first], rows, split.positive)
        points.append(CumulativePoint(step, "default only" if i is None else names[i], s.precision, s.recall, s.f1))
    return points
