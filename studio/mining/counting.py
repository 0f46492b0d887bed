"""Counting candidate rules exactly, in DuckDB, with the rule semantics: one grouped pass over the
rows the current rules leave undecided, per side (train, test) and class.

Single comparisons of a number column (operators with a ``cdf`` in the registry) are counted from
DuckDB's per-class histograms over their bounds when a column has many of them, else with one
``count_if`` each against a bound parameter; other candidates are compiled with the rule semantics.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlglot import exp

from ..data.quoting import column, column_sql
from ..data.split import Split
from ..engine.compile import fired_index_sql, rule_sql
from ..engine.thresholds import (bounds_of, count, cumulative, histogram_sql, single_comparison,
                                 value_sql)
from ..rules import operators
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet

MAX_SET_VALUES = 1_000  # text columns with more distinct values (identifiers, free text) are left out


@dataclass(frozen=True)
class Caught:
    """The rows ``rules`` predict positive by one of their rules from the ``first`` on: where an
    exception put before those rules would act (:mod:`.listsearch`). Passed wherever rules are, it
    has candidates counted on those rows instead of the undecided ones."""
    rules: RuleSet
    first: int = 0


def undecided_sql(rules: RuleSet | Caught | None, split: Split) -> str:
    """Rows the rules leave to the default (no enabled rule fires); for :class:`Caught`, its rows."""
    if isinstance(rules, Caught):
        wanted = [i for i, r in rules.rules.enabled_rules
                  if i >= rules.first and split.class_label(r.then) == split.positive]
        if not wanted:
            return "FALSE"
        return (f"({_fired_index_text(rules.rules, split.dataset.schema)}) IN "
                f"({', '.join(str(i) for i in wanted)})")
    if rules is None or not rules.enabled_rules:
        return "TRUE"
    return f"({_fired_index_text(rules, split.dataset.schema)}) = -1"


@lru_cache(maxsize=16384)
def when_text(when: tuple[Condition, ...], schema) -> str:
    """DuckDB's text of a conjunction with the rule semantics (compiled once per conjunction and schema:
    a search counts the same candidates again and again)."""
    return rule_sql(Rule(when=when, then=0), schema).sql("duckdb")


@lru_cache(maxsize=1024)
def _fired_index_text(rules: RuleSet, schema) -> str:
    return fired_index_sql(rules, schema).sql("duckdb")


def few_valued(split: Split, names: list[str]) -> list[str]:
    """The columns among ``names`` with at most ``MAX_SET_VALUES`` distinct train values (approximately;
    counted once per split and column, kept in the split's cache)."""
    missing = [n for n in names if ("distinct", n) not in split.cache]
    if missing:
        with split.dataset.lock:
            distinct = split.dataset.con.execute(
                f"SELECT {', '.join(f'approx_count_distinct({column_sql(n)})' for n in missing)} FROM {split.table} "
                "WHERE __rs_test = 0").fetchone()
        split.cache.update({("distinct", n): int(d) for n, d in zip(missing, distinct)})
    return [n for n in names if split.cache[("distinct", n)] <= MAX_SET_VALUES]


def listed(split: Split, rules: RuleSet | Caught | None) -> tuple[int, int]:
    """(true positives, rows predicted positive) of the rules on the train side."""
    if isinstance(rules, Caught):
        rules = rules.rules
    if rules is None or not rules.enabled_rules:
        return 0, 0
    from ..engine.evaluate import evaluate
    m = evaluate(split, rules).train.metrics
    p = m.labels.index(split.positive)
    return int(m.confusion[p][p]), int(sum(row[p] for row in m.confusion))


def side_totals(split: Split, rules: RuleSet | None, side: str = "train") -> tuple[int, int]:
    """(rows, positives) of one side among the rows ``rules`` leave undecided."""
    if rules is None or not rules.enabled_rules:
        return sum(split.counts[side].values()), split.counts[side][split.positive]
    counts = side_counts(grouped(split, rules, side=side), 0, add)
    return int(counts[f"{side}_fired"]), int(counts[f"{side}_tp"] or 0)


single_number = single_comparison  # one place decides which candidates histograms can count


HISTOGRAM_FROM = 48  # candidates on one column from which its histogram is cheaper than testing each


def grouped(split: Split, rules: RuleSet | None, select: str = "", derived: str = "", params: list | None = None,
             side: str = "both") -> dict[tuple[int, bool], tuple]:
    """One pass over the undecided rows of one side (or both): ``count(*)`` and then ``select`` per
    (side, is positive) group. The rows hold every column as itself, and the ``derived`` expressions."""
    pos = split.labels.index(split.positive)
    where = undecided_sql(rules, split) + ("" if side == "both" else f" AND __rs_test = {int(side == 'test')}")
    with split.dataset.lock:
        rows = split.dataset.con.execute(
            f"SELECT __rs_t, __rs_p, count(*){', ' + select if select else ''} FROM (SELECT *, __rs_test AS __rs_t, "
            f"__rs_y = {pos} AS __rs_p{', ' + derived if derived else ''} FROM {split.table} WHERE {where}) "
            "GROUP BY ALL", params or []).fetchall()
    return {(int(r[0]), bool(r[1])): r[2:] for r in rows}


def side_counts(groups: dict, k: int, combine) -> dict[str, object]:
    """``{side}_fired`` / ``{side}_tp`` of the k-th selected value (0: the row count), combining the
    class groups."""
    out = {}
    for side, name in ((0, "train"), (1, "test")):
        pos, neg = groups.get((side, True)), groups.get((side, False))
        out[f"{name}_tp"] = pos[k] if pos else None
        out[f"{name}_fired"] = combine(pos[k] if pos else None, neg[k] if neg else None)
    return out


def add(a, b):
    return (a or 0) + (b or 0)


def merged(a, b) -> dict:
    out = dict(a or {})
    for key, v in (b or {}).items():
        out[key] = out.get(key, 0) + v
    return out


def class_histograms(split: Split, rules: RuleSet | None, bounds: dict[str, list[float]], side: str = "both"
                      ) -> tuple[dict, int]:
    """One pass over the undecided rows: per column, DuckDB's histogram over its sorted ``bounds``, per
    side and class. Returns ``{(column, "{side}_fired" | "{side}_tp"): (bounds, rows at or below each
    bound, rows with a value)}`` and the number of rows passed over. Missing values (and NaN, read as
    missing) are in no bin."""
    names = list(bounds)
    groups = grouped(split, rules, ", ".join(histogram_sql(bounds)), side=side)
    cum = {}
    for k, n in enumerate(names):
        e = np.array(bounds[n])
        for key, hist in side_counts(groups, 1 + k, merged).items():
            cum[(n, key)] = (e, *cumulative(hist, e))
    return cum, sum(int(g[0]) for g in groups.values())


def _histogram_counts(split: Split, rules: RuleSet | None, conds: list[Condition], side: str = "both"
                      ) -> dict[str, np.ndarray]:
    """(fired, true positives) per side of single comparisons, from one pass of histograms over every
    bound t and the double just below it (:mod:`studio.engine.thresholds`)."""
    cum, _ = class_histograms(split, rules, bounds_of(conds), side)
    out = {f"{side}_{what}": np.zeros(len(conds), dtype=np.int64)
           for side in ("train", "test") for what in ("fired", "tp")}
    for j, c in enumerate(conds):
        for key in out:
            out[key][j] = count(c, *cum[(c.column, key)])
    return out


def _tested_counts(split: Split, rules: RuleSet | None, candidates: list[tuple[Condition, ...]],
                   side: str = "both") -> dict[str, np.ndarray]:
    """(fired, true positives) per side, one ``count_if`` per candidate, in one grouped pass. A single
    comparison of a number column tests the column as a DOUBLE against a bound parameter; the
    others are compiled with the rule semantics."""
    schema = split.dataset.schema
    names: dict[str, int] = {}
    tests, params = [], []
    for c in candidates:
        if single_number(c, schema):
            k = names.setdefault(c[0].column, len(names))
            test = operators.get(c[0].op).sql((column(f"__rs_v{k}"),), None, lambda v: exp.Placeholder())
            tests.append(f"count_if({test.sql('duckdb')})")
            params.append(float(c[0].value))
        else:
            tests.append(f"count_if({when_text(c, schema)})")
    derived = ", ".join(f"{value_sql(n)} AS __rs_v{k}" for n, k in names.items())
    groups = grouped(split, rules, ", ".join(tests), derived, params, side)
    out = {f"{side}_{what}": np.zeros(len(candidates), dtype=np.int64)
           for side in ("train", "test") for what in ("fired", "tp")}
    for k in range(len(candidates)):
        for key, v in side_counts(groups, 1 + k, add).items():
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
    single = [i for i, c in enumerate(candidates) if single_number(c, schema)]
    per_column: dict[str, int] = {}
    for i in single:
        per_column[candidates[i][0].column] = per_column.get(candidates[i][0].column, 0) + 1
    fast = [i for i in single if per_column[candidates[i][0].column] >= HISTOGRAM_FROM]
    fast_set = set(fast)
    slow = [i for i in range(len(candidates)) if i not in fast_set]
    for rows, counter in ((fast, lambda: _histogram_counts(split, rules, [candidates[i][0] for i in fast], side)),
                          (slow, lambda: _tested_counts(split, rules, [candidates[i] for i in slow], side))):
        if rows:
            for key, values in counter().items():
                counts[key][rows] = values
    keep = [k for k in counts if side == "both" or k.startswith(side)]
    return pd.DataFrame({"when": pd.Series(list(candidates), dtype=object), **{k: counts[k] for k in keep}})
