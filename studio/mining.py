"""Mined rule candidates: one-threshold rules for every numeric column, scored from per-class
histograms that DuckDB computes in one pass over a batch of columns.

Candidates are learned on the rows the current rule set leaves to its default (the rows it
does not yet decide), on the train split; each also carries its test counts, so the user
sees where train and test diverge. Thresholds are the columns' own train quantiles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .compile import column, coordinate, fired_index_sql, rule_sql
from .rules import Condition, Rule, RuleSet
from .schema import BOOLEAN, NUMERIC, STRING, check_ruleset
from .split import Split

OBJECTIVES = ("f1", "fbeta", "precision_at_recall", "lift")


def _q(name: str) -> str:
    return column(name).sql("duckdb")


def _undecided_sql(rules: RuleSet | None, split: Split) -> str:
    """Rows the rules leave to the default (no enabled rule fires)."""
    if rules is None or not rules.enabled_rules:
        return "TRUE"
    return f"({fired_index_sql(rules, split.dataset.schema).sql('duckdb')}) = -1"


def _value(name: str) -> str:
    return coordinate(name, None).sql("duckdb")


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


QUANTILE_ROWS = 40_000  # thresholds are read off about this many train rows (every k-th row)


def scan_thresholds(split: Split, rules: RuleSet | None = None, columns: list[str] | None = None,
                    bins: int = 256) -> Scan:
    """Every ``column <= t`` and ``column > t`` with t among the train quantiles of each numeric column
    (at most ``bins - 1`` distinct thresholds per column), counted on the train rows that ``rules``
    leave undecided.

    Two queries: exact quantiles of every column on every k-th train row, then one pass over the
    undecided train rows computing, per column and class, DuckDB's histogram over its thresholds;
    every count of every candidate follows from those histograms."""
    schema = split.dataset.schema
    names = [c for c in (columns or split.features) if schema.kind(c) == NUMERIC]
    rows = sum(split.counts["train"].values())
    step = max(1, rows // QUANTILE_ROWS)
    levels = "[" + ", ".join(repr(i / bins) for i in range(1, bins)) + "]"
    values = ", ".join(f"{_value(c)} AS v{i}" for i, c in enumerate(names))
    with split.dataset.lock:
        quantiles = split.dataset.con.execute(
            "SELECT " + ", ".join(f"quantile_disc(v{i}, {levels})" for i in range(len(names)))
            + f" FROM (SELECT {values} FROM {split.table} WHERE __rs_test = 0 AND __rs_row % {step} = 0)"
        ).fetchone() if names else ()
    edges = {c: sorted({float(v) for v in (q or []) if v is not None and math.isfinite(v)})
             for c, q in zip(names, quantiles)}
    kept = [c for c in names if edges[c]]
    cum, undecided = _class_histograms(split, rules, {c: edges[c] for c in kept}, side="train")
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
    listed_tp, listed_fired = _listed(split, rules)
    return Scan(candidates, split.counts["train"][split.positive], rows, undecided, listed_tp, listed_fired)


def _listed(split: Split, rules: RuleSet | None) -> tuple[int, int]:
    """(true positives, rows predicted positive) of the rules on the train side."""
    if rules is None or not rules.enabled_rules:
        return 0, 0
    from .evaluate import evaluate
    m = evaluate(split, rules).train.metrics
    p = m.labels.index(split.positive)
    return int(m.confusion[p][p]), int(sum(row[p] for row in m.confusion))


def _cumulative(hist, edges: np.ndarray) -> tuple[np.ndarray, int]:
    """(rows at or below each edge, all rows), from DuckDB's histogram over those edges: bin e holds
    the values above the previous edge and up to e; values above the last edge fall in one more bin."""
    counts = {float(k): int(v) for k, v in (hist or {}).items()}
    per_edge = np.array([counts.get(float(e), 0) for e in edges], dtype=np.int64)
    return np.cumsum(per_edge), sum(counts.values())


def score(scan: Scan, objective: str = "f1", beta: float = 1.0, min_recall: float = 0.0,
          min_rows: int = 1) -> pd.DataFrame:
    """Each candidate's train precision, recall and lift on its own, and the rule list's train F1
    with the candidate added after the current rules (``list_f1``); ranked best first by the
    objective: ``f1`` and ``fbeta`` (with ``beta``) of the list with the candidate, ``precision_at_recall``
    (the candidate's precision where the list reaches ``min_recall``, else -inf), or ``lift``."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
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
        b2 = beta * beta
        value = np.where(list_tp > 0, (1 + b2) * list_tp / (list_fired + b2 * positives), 0.0)
    elif objective == "precision_at_recall":
        value = np.where(out["list_recall"].to_numpy() >= min_recall, np.nan_to_num(out["precision"], nan=0.0),
                         -np.inf)
    else:
        value = np.nan_to_num(out["lift"].to_numpy(), nan=0.0)
    out["objective"] = np.where(fired >= min_rows, value, -np.inf)
    return out.sort_values(["objective", "train_tp"], ascending=[False, False], kind="stable").reset_index(drop=True)


def describe(when: tuple[Condition, ...]) -> str:
    """A candidate as text, numbers shortened (``V14 <= -2.6045``)."""
    return " and ".join(f"{c.column} {c.op} {c.value:g}" if isinstance(c.value, float) else c.describe()
                        for c in when)


def candidate_rule(row, label, name: str = "") -> Rule:
    """The rule of one scored candidate (a one-threshold row of a scan, or a row with ``when``)."""
    if "when" in row and isinstance(row["when"], tuple):
        when = row["when"]
    else:
        when = (Condition(str(row["column"]), str(row["op"]), float(row["threshold"])),)
    return Rule(when=when, then=label, name=name or describe(when))


def greedy_rules(split: Split, rules: RuleSet | None = None, max_rules: int = 8, objective: str = "f1",
                 beta: float = 1.0, min_rows: int = 5, columns: list[str] | None = None,
                 trees: bool = True, tree_depth: int = 2, min_recall: float = 0.0) -> RuleSet:
    """A whole ordered list, proposed greedily on the train split: after the given rules, add the
    candidate (one threshold; with ``trees`` also a set of text values, or a conjunction read off trees
    of ``tree_depth`` fitted on the rows still undecided; depth 2 measured best: deeper paths win the first steps and stall the
    list) that most improves the objective of the list, while it improves and the
    list holds fewer than ``max_rules`` new rules. The user then prunes it; the test split judges it."""
    label = split.native(split.positive)
    current = rules if rules is not None else RuleSet(default=_native_default(split), target=split.target,
                                                      positive=label)
    best = -math.inf
    for _ in range(max_rules):
        scan = scan_thresholds(split, current, columns)
        ranked = score(scan, objective, beta=beta, min_recall=min_recall, min_rows=min_rows)
        if trees:
            counted = _conjunctions(split, current, columns, (tree_depth,))
            if len(counted):
                tree_ranked = score(replace(scan, candidates=counted), objective, beta=beta, min_recall=min_recall,
                                    min_rows=min_rows)
                ranked = pd.concat([tree_ranked.head(1), ranked], ignore_index=True).sort_values(
                    "objective", ascending=False, kind="stable").reset_index(drop=True)
        if ranked.empty or not math.isfinite(ranked["objective"].iloc[0]) or ranked["objective"].iloc[0] <= best:
            break
        top = ranked.iloc[0]
        best = float(top["objective"])
        current = current.add(candidate_rule(top, label))
    return check_ruleset(current, split.dataset.schema)


def _native_default(split: Split):
    counts = split.counts["train"]
    return split.native(max(split.labels, key=lambda label: counts[label]))


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

    schema = split.dataset.schema
    wanted = list(columns or split.features)
    names = [c for c in wanted if schema.kind(c) == NUMERIC]
    texts = _few_valued(split, [c for c in wanted if schema.kind(c) in (STRING, BOOLEAN)])
    pos = split.labels.index(split.positive)
    values = ", ".join([f"{_value(c)} AS {_q(c)}" for c in names] + [_q(c) for c in texts])
    undecided = _undecided_sql(rules, split)
    if not values:
        return []
    with split.dataset.lock:
        negatives = split.dataset.con.execute(
            f"SELECT count(*) FROM {split.table} WHERE __rs_test = 0 AND __rs_y <> {pos} AND {undecided}").fetchone()[0]
        step = max(1, -(-int(negatives) // max_negatives))  # every step-th negative, weighted by step
        frame = split.dataset.con.execute(
            f"SELECT __rs_y = {pos} AS __p, {values} FROM {split.table} WHERE __rs_test = 0 AND {undecided} "
            f"AND (__rs_y = {pos} OR __rs_row % {step} = 0)").df()
    y = frame.pop("__p").to_numpy(dtype=bool)
    if len(frame) == 0 or y.all() or not y.any():
        return []
    features: list[tuple[str, object]] = [(c, None) for c in names]  # (column, value of an indicator)
    blocks = [frame[names].to_numpy(dtype=float)]
    for c in texts:
        for v in frame[c].dropna().value_counts().index[:TREE_VALUES]:
            v = v.item() if hasattr(v, "item") else v
            features.append((c, v))
            blocks.append((frame[c] == v).to_numpy(dtype=float)[:, None])
    X = np.hstack(blocks)
    if X.shape[1] == 0:
        return []
    weights = np.where(y, 1.0, float(step))
    out: list[tuple[Condition, ...]] = []
    for weight in (None, "balanced"):  # precise leaves, and leaves that reach the rare class
        tree = DecisionTreeClassifier(max_depth=depth, class_weight=weight, random_state=seed)
        tree.fit(X, y, sample_weight=weights)
        t, positive = tree.tree_, list(tree.classes_).index(True)

        def walk(node: int, path: tuple[Condition, ...]) -> None:
            if t.children_left[node] == t.children_right[node]:  # a leaf
                if path and t.value[node][0][positive] > t.value[node][0][1 - positive]:
                    simple = _simplify(path)
                    if simple and simple not in out:
                        out.append(simple)
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


_DISTINCT: dict[tuple[int, str], int] = {}  # (split id, column): distinct train values, counted once


def _few_valued(split: Split, names: list[str]) -> list[str]:
    """The columns among ``names`` with at most ``MAX_SET_VALUES`` distinct train values (approximately;
    counted once per split and column)."""
    missing = [n for n in names if (split.id, n) not in _DISTINCT]
    if missing:
        with split.dataset.lock:
            distinct = split.dataset.con.execute(
                f"SELECT {', '.join(f'approx_count_distinct({_q(n)})' for n in missing)} FROM {split.table} "
                "WHERE __rs_test = 0").fetchone()
        if len(_DISTINCT) > 4096:
            _DISTINCT.clear()
        _DISTINCT.update({(split.id, n): int(d) for n, d in zip(missing, distinct)})
    return [n for n in names if _DISTINCT[(split.id, n)] <= MAX_SET_VALUES]


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


MAX_SET_VALUES = 1_000


def set_candidates(split: Split, rules: RuleSet | None = None, columns: list[str] | None = None,
                   max_values: int = 10) -> list[tuple[Condition, ...]]:
    """``column in (...)`` for text and boolean columns: per column, its values ordered by their
    positive rate on the undecided train rows (then by how many rows hold them, then by value), and
    the first 1, 2, ... ``max_values`` of them. Columns with more than ``MAX_SET_VALUES`` distinct
    values (identifiers, free text) are left out. Two passes: the distinct counts, then DuckDB's
    per-class histogram of every column kept."""
    schema = split.dataset.schema
    names = [c for c in (columns or split.features) if schema.kind(c) in (STRING, BOOLEAN)]
    if not names:
        return []
    pos = split.labels.index(split.positive)
    names = _few_valued(split, names)
    if not names:
        return []
    with split.dataset.lock:
        groups = split.dataset.con.execute(
            f"SELECT __rs_y = {pos}, {', '.join(f'histogram({_q(n)})' for n in names)} FROM {split.table} "
            f"WHERE __rs_test = 0 AND {_undecided_sql(rules, split)} GROUP BY 1").fetchall()
    by_class = {bool(g[0]): g[1:] for g in groups}
    out: list[tuple[Condition, ...]] = []
    for k, name in enumerate(names):
        positive = dict(by_class[True][k] or {}) if True in by_class else {}
        negative = dict(by_class[False][k] or {}) if False in by_class else {}
        counts = {v: (positive.get(v, 0), positive.get(v, 0) + negative.get(v, 0))
                  for v in list(positive) + list(negative) if v is not None}
        values = sorted(counts, key=lambda v: (-counts[v][0] / counts[v][1], -counts[v][1], str(v)))
        for n in range(1, min(len(values), max_values + 1)):  # all values would be no condition
            out.append((Condition(name, "in", tuple(values[:n])),))
    return out


def _conjunctions(split: Split, rules: RuleSet | None, columns: list[str] | None, depths: tuple[int, ...]):
    """Tree paths (of trees of each depth) and value sets, counted exactly on the undecided train rows."""
    found: list[tuple[Condition, ...]] = []
    for depth in depths:
        found += [c for c in tree_candidates(split, rules, depth=depth, columns=columns) if c not in found]
    return count_candidates(split, rules, found + set_candidates(split, rules, columns))


def side_totals(split: Split, rules: RuleSet | None, side: str = "train") -> tuple[int, int]:
    """(rows, positives) of one side among the rows ``rules`` leave undecided."""
    if rules is None or not rules.enabled_rules:
        return sum(split.counts[side].values()), split.counts[side][split.positive]
    counts = _side_counts(_grouped(split, rules, side=side), 0, _add)
    return int(counts[f"{side}_fired"]), int(counts[f"{side}_tp"] or 0)


_EXACT_IN_DOUBLE = ("FLOAT", "REAL", "FLOAT4", "DOUBLE", "FLOAT8", "TINYINT", "SMALLINT", "INTEGER", "BIGINT",
                    "UTINYINT", "USMALLINT", "UINTEGER", "INT1", "INT2", "INT4", "INT8", "INT", "LONG", "SHORT")
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def _single_number(cond_list: tuple[Condition, ...], schema) -> bool:
    """A single comparison of a number column whose values and bound DOUBLE holds exactly: counted
    on the column as a DOUBLE (from its histogram, or against a bound parameter)."""
    if len(cond_list) != 1:
        return False
    c = cond_list[0]
    return (c.op in _COMPARISONS and c.column in schema and schema.kind(c.column) == NUMERIC
            and schema.type_of(c.column).upper() in _EXACT_IN_DOUBLE
            and isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
            and math.isfinite(c.value) and abs(c.value) < 2 ** 53)


HISTOGRAM_FROM = 48  # candidates on one column from which its histogram is cheaper than testing each


def _grouped(split: Split, rules: RuleSet | None, select: str = "", derived: str = "", params: list | None = None,
             side: str = "both") -> dict[tuple[int, bool], tuple]:
    """One pass over the undecided rows of one side (or both): ``count(*)`` and then ``select`` per
    (side, is positive) group. The rows hold every column as itself, and the ``derived`` expressions."""
    pos = split.labels.index(split.positive)
    where = _undecided_sql(rules, split) + ("" if side == "both" else f" AND __rs_test = {int(side == 'test')}")
    with split.dataset.lock:
        rows = split.dataset.con.execute(
            f"SELECT __rs_t, __rs_p, count(*){', ' + select if select else ''} FROM (SELECT *, __rs_test AS __rs_t, "
            f"__rs_y = {pos} AS __rs_p{', ' + derived if derived else ''} FROM {split.table} WHERE {where}) "
            "GROUP BY ALL", params or []).fetchall()
    return {(int(r[0]), bool(r[1])): r[2:] for r in rows}


def _side_counts(groups: dict, k: int, combine) -> dict[str, object]:
    """``{side}_fired`` / ``{side}_tp`` of the k-th selected value (0: the row count), combining the
    class groups."""
    out = {}
    for side, name in ((0, "train"), (1, "test")):
        pos, neg = groups.get((side, True)), groups.get((side, False))
        out[f"{name}_tp"] = pos[k] if pos else None
        out[f"{name}_fired"] = combine(pos[k] if pos else None, neg[k] if neg else None)
    return out


def _add(a, b):
    return (a or 0) + (b or 0)


def _merged(a, b) -> dict:
    out = dict(a or {})
    for key, v in (b or {}).items():
        out[key] = out.get(key, 0) + v
    return out


def _class_histograms(split: Split, rules: RuleSet | None, bounds: dict[str, list[float]], side: str = "both"
                      ) -> tuple[dict, int]:
    """One pass over the undecided rows: per column, DuckDB's histogram over its sorted ``bounds``, per
    side and class. Returns ``{(column, "{side}_fired" | "{side}_tp"): (bounds, rows at or below each
    bound, rows with a value)}`` and the number of rows passed over. Missing values (and NaN, read as
    missing) are in no bin."""
    names = list(bounds)
    select = ", ".join(f"histogram({_value(n)}, [{', '.join(repr(b) for b in bounds[n])}]::DOUBLE[])" for n in names)
    groups = _grouped(split, rules, select, side=side)
    cum = {}
    for k, n in enumerate(names):
        e = np.array(bounds[n])
        for key, hist in _side_counts(groups, 1 + k, _merged).items():
            cum[(n, key)] = (e, *_cumulative(hist, e))
    return cum, sum(int(g[0]) for g in groups.values())


def _histogram_counts(split: Split, rules: RuleSet | None, conds: list[Condition], side: str = "both"
                      ) -> dict[str, np.ndarray]:
    """(fired, true positives) per side of single comparisons, from one pass of histograms over every
    bound t and the double just below it, so that ``v < t`` is ``v <= prev(t)``."""
    names = list(dict.fromkeys(c.column for c in conds))
    bounds = {n: sorted({b for c in conds if c.column == n
                         for b in (float(c.value), math.nextafter(float(c.value), -math.inf))}) for n in names}
    cum, _ = _class_histograms(split, rules, bounds, side)
    out = {f"{side}_{what}": np.zeros(len(conds), dtype=np.int64)
           for side in ("train", "test") for what in ("fired", "tp")}
    for j, c in enumerate(conds):
        t = float(c.value)
        for key in out:
            e, below, total = cum[(c.column, key)]
            at = int(below[np.searchsorted(e, t)])                                   # v <= t
            under = int(below[np.searchsorted(e, math.nextafter(t, -math.inf))])     # v < t
            out[key][j] = {"<=": at, "<": under, ">": total - at, ">=": total - under,
                           "==": at - under, "!=": total - (at - under)}[c.op]
    return out


_SQL_COMPARISON = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "<>"}


def _tested_counts(split: Split, rules: RuleSet | None, candidates: list[tuple[Condition, ...]],
                   side: str = "both") -> dict[str, np.ndarray]:
    """(fired, true positives) per side, one ``count_if`` per candidate, in one grouped pass. A single
    comparison of a number column tests the column as a DOUBLE against a bound parameter; the
    others are compiled with the rule semantics."""
    schema = split.dataset.schema
    names: dict[str, int] = {}
    tests, params = [], []
    for c in candidates:
        if _single_number(c, schema):
            k = names.setdefault(c[0].column, len(names))
            tests.append(f"count_if(__rs_v{k} {_SQL_COMPARISON[c[0].op]} ?)")
            params.append(float(c[0].value))
        else:
            tests.append(f"count_if({rule_sql(Rule(when=c, then=0), schema).sql('duckdb')})")
    derived = ", ".join(f"{_value(n)} AS __rs_v{k}" for n, k in names.items())
    groups = _grouped(split, rules, ", ".join(tests), derived, params, side)
    out = {f"{side}_{what}": np.zeros(len(candidates), dtype=np.int64)
           for side in ("train", "test") for what in ("fired", "tp")}
    for k in range(len(candidates)):
        for key, v in _side_counts(groups, 1 + k, _add).items():
            out[key][k] = v or 0
    return out


def count_candidates(split: Split, rules: RuleSet | None, candidates: list[tuple[Condition, ...]],
                     side: str = "train") -> pd.DataFrame:
    """Exact counts (``{side}_fired``, ``{side}_tp``) of conjunctive candidates on the rows of one side
    (``train``, ``test``, or ``both``: the four columns) that ``rules`` leave undecided, with the
    studio's own rule semantics, in one pass over the rows for each way of counting: single
    comparisons on a number column with many candidates from its histograms, the others with one
    ``count_if`` each."""
    schema = split.dataset.schema
    counts = {f"{s}_{k}": np.zeros(len(candidates), dtype=np.int64) for s in ("train", "test") for k in ("fired", "tp")}
    single = [i for i, c in enumerate(candidates) if _single_number(c, schema)]
    per_column: dict[str, int] = {}
    for i in single:
        per_column[candidates[i][0].column] = per_column.get(candidates[i][0].column, 0) + 1
    fast = [i for i in single if per_column[candidates[i][0].column] >= HISTOGRAM_FROM]
    fast_set = set(fast)
    slow = [i for i in range(len(candidates)) if i not in fast_set]
    for rows, count in ((fast, lambda: _histogram_counts(split, rules, [candidates[i][0] for i in fast], side)),
                        (slow, lambda: _tested_counts(split, rules, [candidates[i] for i in slow], side))):
        if rows:
            for key, values in count().items():
                counts[key][rows] = values
    keep = [k for k in counts if side == "both" or k.startswith(side)]
    return pd.DataFrame({"when": pd.Series(list(candidates), dtype=object), **{k: counts[k] for k in keep}})


def suggestions(split: Split, rules: RuleSet | None = None, objective: str = "f1", top: int = 20,
                beta: float = 1.0, min_recall: float = 0.0, min_rows: int = 5,
                columns: list[str] | None = None) -> pd.DataFrame:
    """The best candidates for the rows ``rules`` leave undecided, learned and ranked on train: one
    threshold, a conjunction of up to three conditions read off trees of depth 2 and 3, or a set of
    text values; each with its test precision and recall beside the train ones, and ``diverges``
    where train and test precision differ by more than 0.1."""
    scan = scan_thresholds(split, rules, columns)
    ranked = score(scan, objective, beta=beta, min_recall=min_recall, min_rows=min_rows)
    counted = _conjunctions(split, rules, columns, (2, 3))
    if len(counted):
        ranked = pd.concat([ranked, score(replace(scan, candidates=counted), objective, beta=beta,
                                          min_recall=min_recall, min_rows=min_rows)], ignore_index=True)
    ranked = ranked[np.isfinite(ranked["objective"])].sort_values("objective", ascending=False, kind="stable")
    best = ranked.head(top).reset_index(drop=True)
    when = [r["when"] if isinstance(r.get("when"), tuple) else
            (Condition(str(r["column"]), str(r["op"]), float(r["threshold"])),) for _, r in best.iterrows()]
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
    return out
