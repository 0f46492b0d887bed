"""Mined rule candidates: one-threshold rules for every numeric column, scored from per-class
histograms that DuckDB computes in one pass over a batch of columns.

Candidates are learned on the rows the current rule set leaves to its default (the rows it
does not yet decide), on the train split; each also carries its test counts, so the user
sees where train and test diverge. Thresholds are the columns' own train quantiles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .compile import column, rule_sql
from .rules import Condition, Rule, RuleSet
from .schema import NUMERIC
from .split import Split

OBJECTIVES = ("f1", "fbeta", "precision_at_recall", "lift")


def _q(name: str) -> str:
    return column(name).sql("duckdb")


def _undecided_sql(rules: RuleSet | None, split: Split) -> str:
    """Rows no enabled rule fires on (a NULL condition does not fire)."""
    if rules is None or not rules.enabled_rules:
        return "TRUE"
    schema = split.dataset.schema
    fires = " OR ".join(f"coalesce(({rule_sql(r, schema).sql('duckdb')}), FALSE)" for _, r in rules.enabled_rules)
    return f"NOT ({fires})"


def _value(name: str) -> str:
    return f"nullif(CAST({_q(name)} AS DOUBLE), 'NaN'::DOUBLE)"


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
    undecided train rows computing, per column, DuckDB's histogram over its thresholds for all rows
    and for the positives; every count of every candidate follows from those histograms."""
    schema = split.dataset.schema
    names = [c for c in (columns or split.features) if schema.kind(c) == NUMERIC]
    pos = split.labels.index(split.positive)
    rows = sum(split.counts["train"].values())
    step = max(1, rows // QUANTILE_ROWS)
    levels = "[" + ", ".join(repr(i / bins) for i in range(1, bins)) + "]"
    values = ", ".join(f"{_value(c)} AS v{i}" for i, c in enumerate(names))
    con = split.dataset.con
    with split.dataset.lock:
        quantiles = con.execute(
            "SELECT " + ", ".join(f"quantile_disc(v{i}, {levels})" for i in range(len(names)))
            + f" FROM (SELECT {values} FROM {split.table} WHERE __rs_test = 0 AND __rs_row % {step} = 0)"
        ).fetchone() if names else ()
        edges = {c: sorted({float(v) for v in (q or []) if v is not None and math.isfinite(v)})
                 for c, q in zip(names, quantiles)}
        kept = [(i, c) for i, c in enumerate(names) if edges[c]]
        parts = []
        for i, c in kept:
            bounds = "[" + ", ".join(repr(e) for e in edges[c]) + "]::DOUBLE[]"
            parts += [f"histogram(v{i}, {bounds})", f"histogram(v{i}, {bounds}) FILTER (WHERE p)"]
        counts = con.execute(
            "SELECT count(*)" + "".join(f", {x}" for x in parts)
            + f" FROM (SELECT __rs_y = {pos} AS p, {values} FROM {split.table} "
              f"WHERE __rs_test = 0 AND {_undecided_sql(rules, split)})").fetchone()
    frames = []
    for k, (_, c) in enumerate(kept):
        e = np.array(edges[c])
        hist_all, hist_pos = counts[1 + 2 * k], counts[2 + 2 * k]
        below_all, n_all = _cumulative(hist_all, e)
        below_pos, n_pos = _cumulative(hist_pos, e)
        frames.append(pd.DataFrame({
            "column": np.repeat(c, 2 * len(e)), "op": np.array(["<="] * len(e) + [">"] * len(e)),
            "threshold": np.concatenate([e, e]),
            "train_fired": np.concatenate([below_all, n_all - below_all]),
            "train_tp": np.concatenate([below_pos, n_pos - below_pos])}))
    candidates = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["column", "op", "threshold", "train_fired", "train_tp"])
    listed_tp, listed_fired = _listed(split, rules)
    return Scan(candidates, split.counts["train"][split.positive], rows, int(counts[0]), listed_tp, listed_fired)


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


def candidate_rule(row, label, name: str = "") -> Rule:
    """The rule of one scored candidate."""
    value = float(row["threshold"])
    return Rule(when=(Condition(str(row["column"]), str(row["op"]), value),), then=label,
                name=name or f"{row['column']} {row['op']} {value:g}")


def greedy_rules(split: Split, rules: RuleSet | None = None, max_rules: int = 8, objective: str = "f1",
                 beta: float = 1.0, min_rows: int = 5, columns: list[str] | None = None) -> RuleSet:
    """A whole ordered list, proposed greedily on the train split: after the given rules, add the
    candidate that most improves the objective of the list, while it improves and the list holds
    fewer than ``max_rules`` new rules. The user then prunes it; the test split judges it."""
    from .evaluate import evaluate

    label = _native_positive(split)
    current = rules if rules is not None else RuleSet(default=_native_default(split), target=split.target,
                                                      positive=label)
    best = -math.inf
    for _ in range(max_rules):
        ranked = score(scan_thresholds(split, current, columns), objective, beta=beta, min_rows=min_rows)
        if ranked.empty or not math.isfinite(ranked["objective"].iloc[0]) or ranked["objective"].iloc[0] <= best:
            break
        top = ranked.iloc[0]
        best = float(top["objective"])
        current = current.add(candidate_rule(top, label))
    evaluate(split, current)  # checks the list against the data
    return current


def _native_positive(split: Split):
    from .labels import native
    return native(split.positive, split.dataset.schema.type_of(split.target))


def _native_default(split: Split):
    from .labels import native
    counts = split.counts["train"]
    majority = max(split.labels, key=lambda label: counts[label])
    return native(majority, split.dataset.schema.type_of(split.target))
