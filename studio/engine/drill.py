"""The rows behind a number: a page of the rows of one outcome (true positives, false positives,
missed positives) or of one rule, on train or test, with every column, the outcome and the rule that
decided each row. DuckDB filters, sorts and pages (LIMIT/OFFSET): a page never reads the whole
table into memory, and the count of the selection is one more aggregate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.quoting import column_sql
from ..data.split import Split
from ..errors import DataError
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet
from ..rules.validate import check_ruleset
from .compile import fired_index_sql, rule_sql
from .sums import grouped_rows

OUTCOMES = {"TP": "true positives (alerted, positive)", "FP": "false positives (alerted, not positive)",
            "FN": "missed positives (not alerted, positive)", "TN": "true negatives (not alerted, not positive)"}
MAX_PAGE = 1_000
MAX_DOWNLOAD = 100_000


@dataclass(frozen=True)
class RowPage:
    rows: pd.DataFrame   # the page: "outcome" and "decided by" (the rule's name, or "default"), then every column
    total: int           # rows in the whole selection
    offset: int


def _alerting(split: Split, rules: RuleSet) -> str:
    """SQL over ``__hit`` (the deciding rule, -1: the default): whether the row is alerted."""
    gives = [split.class_label(r.then) == split.positive for r in rules.rules]
    hits = [f"__hit = {i}" for i, g in enumerate(gives) if g]
    if split.class_label(rules.default) == split.positive:
        hits.append("__hit = -1")
    return "(" + (" OR ".join(hits) or "FALSE") + ")"


def _selection(split: Split, rules: RuleSet, side: str, outcome: str | None, rule: int | None,
               when: tuple[Condition, ...] | None = None) -> tuple[str, str]:
    """(FROM clause with ``__hit`` and ``__pos``, WHERE clause) of a selection: the rows of ``side``
    with that outcome, decided by that rule, and where the conditions ``when`` hold."""
    if side not in ("train", "test"):
        raise DataError(f"side must be train or test, not {side!r}")
    if outcome is not None and outcome not in OUTCOMES:
        raise DataError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    if rule is not None and (isinstance(rule, bool) or not isinstance(rule, (int, np.integer))
                             or not 0 <= rule < len(rules.rules)):
        raise DataError(f"there is no rule {rule!r} (rules are numbered 0 to {len(rules.rules) - 1})")
    check_ruleset(rules, split.dataset.schema)
    hit = fired_index_sql(rules, split.dataset.schema).sql("duckdb")
    pos = split.labels.index(split.positive)
    source = (f"(SELECT *, {hit} AS __hit, __rs_y = {pos} AS __pos FROM {split.table} "
              f"WHERE __rs_test = {int(side == 'test')})")
    alerted = _alerting(split, rules)
    where = ["TRUE"]
    if outcome is not None:
        where.append({"TP": f"{alerted} AND __pos", "FP": f"{alerted} AND NOT __pos",
                      "FN": f"NOT {alerted} AND __pos", "TN": f"NOT {alerted} AND NOT __pos"}[outcome])
    if rule is not None:
        where.append(f"__hit = {int(rule)}")
    if when:
        check_ruleset(RuleSet(rules=(Rule(when=tuple(when), then=rules.default),), default=rules.default),
                      split.dataset.schema)
        where.append(rule_sql(Rule(when=tuple(when), then=rules.default), split.dataset.schema).sql("duckdb"))
    return source, " AND ".join(where)


def count_rows(split: Split, rules: RuleSet, side: str = "test", outcome: str | None = None,
               rule: int | None = None, when: tuple[Condition, ...] | None = None) -> int:
    """How many rows a selection holds."""
    source, where = _selection(split, rules, side, outcome, rule, when)
    with split.dataset.lock:
        return int(grouped_rows(split.dataset.con, f"SELECT count(*) FROM {source} WHERE {where}",
                                "the rows")[0][0])


def row_page(split: Split, rules: RuleSet, side: str = "test", outcome: str | None = None, rule: int | None = None,
             order_by: str | None = None, descending: bool = False, limit: int = 100, offset: int = 0,
             when: tuple[Condition, ...] | None = None) -> RowPage:
    """A page of a selection, in row order or sorted by a column (ties in row order; missing values
    last)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_DOWNLOAD:
        raise DataError(f"a page holds 1 to {MAX_DOWNLOAD:,} rows, not {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise DataError(f"a page starts at row 0 or later, not {offset!r}")
    schema = split.dataset.schema
    if order_by is not None and order_by not in schema:
        raise DataError(f"cannot sort by {order_by!r}: not a column{schema.suggest(order_by)}")
    source, where = _selection(split, rules, side, outcome, rule, when)
    order = (f"{column_sql(order_by)} {'DESC' if descending else 'ASC'} NULLS LAST, " if order_by else "") + "__rs_row"
    alerted = _alerting(split, rules)
    columns = ", ".join(column_sql(c) for c in schema.names)
    sql = (f"SELECT {columns}, CASE WHEN {alerted} THEN (CASE WHEN __pos THEN 'TP' ELSE 'FP' END) "
           f"ELSE (CASE WHEN __pos THEN 'FN' ELSE 'TN' END) END AS __outcome, __hit "
           f"FROM {source} WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {offset}")
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql).df()
    names = rules.names() + ["default"]
    hits = frame.pop("__hit").to_numpy(int)
    outcomes = frame.pop("__outcome")
    frame.insert(0, _free("decided by", frame), [names[i] for i in hits])
    frame.insert(0, _free("outcome", frame), outcomes)
    return RowPage(frame, count_rows(split, rules, side, outcome, rule, when), offset)


def _free(name: str, frame: pd.DataFrame) -> str:
    """``name``, or with underscores before it while the data has a column of that name."""
    while name in frame.columns:
        name = "_" + name
    return name
