"""A validation slice of the train rows, for choosing among rule lists without the test rows.

:func:`validation_split` makes the train rows of a split a split of their own: its train side (the
*fit* rows) learns the candidates, its test side (the *validation* rows, a stratified, seeded share
of train) judges the lists (:func:`side_value`, :func:`drop_unhelpful`). The held-out test rows are on
neither side."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from ..data.labels import canonical_sql
from ..data.quoting import column
from ..data.split import Split, next_split_id
from ..data.split_store import make_view, rank_sides
from ..data.tables import RESERVED_PREFIX, TABLE, TEST, split_table
from ..errors import StudioError
from ..rules.model import RuleSet
from .objectives import fbeta

FRACTION = 0.25


@contextmanager
def validation_split(split: Split, fraction: float = FRACTION, seed: int = 0):
    """The train rows of ``split`` as a split: a stratified ``fraction`` of them (by class, in the
    order of ``md5(seed:v:row)``) on the test side, the rest on train. Like the split itself it copies
    no data: two columns of the dataset's table of its own (dropped on exit) and a view."""
    if not 0.0 < fraction < 1.0:
        raise StudioError(f"the validation share is between 0 and 1, not {fraction!r}")
    inner_id = next_split_id()
    table = split_table(inner_id)
    hashed, side = f"{RESERVED_PREFIX}vh{inner_id}", f"{RESERVED_PREFIX}v{inner_id}"
    share = Decimal(str(fraction))
    held = [int(split.counts["train"][label] * share + Decimal("0.5")) for label in split.labels]
    ds = split.dataset
    label = canonical_sql(column(split.target), ds.schema.type_of(split.target)).sql("duckdb")
    try:
        with ds.lock:
            ds.con.execute(f"SELECT 1 FROM {split.table} LIMIT 0")  # a split replaced since has no view
            ds.con.execute(f"ALTER TABLE {TABLE} ADD COLUMN {hashed} UINTEGER")
            ds.con.execute(f"ALTER TABLE {TABLE} ADD COLUMN {side} UTINYINT")
            rank_sides(ds, "rowid", f"{seed}:v:", held, hashed, side, where=f"{TEST} = 0")
            counts = make_view(ds, table, split.labels, label, side)
        inner = Split(dataset=ds, target=split.target, positive=split.positive, labels=list(split.labels),
                      test_size=fraction, seed=seed, counts=counts, excluded=0, id=inner_id)
        yield inner
    finally:
        with ds.lock:
            ds.con.execute(f"DROP VIEW IF EXISTS {table}")
            for name in (side, hashed):
                ds.con.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {name}")


def side_value(split: Split, rules: RuleSet, side: str, objective: str = "f1", beta: float = 1.0,
               min_recall: float = 0.0, budget: float = 0.0, money=None) -> float:
    """The objective of the whole list ``rules`` on one side of ``split`` (what :func:`.objectives.score`
    ranks by, for a list): F1, F-beta, precision where recall reaches ``min_recall`` (else -inf), lift,
    recall or amount caught within ``budget`` alerts per 1,000 rows (else -inf), or net benefit."""
    from ..engine.evaluate import evaluate
    from ..engine.money import money as money_of

    m = getattr(evaluate(split, rules), side).metrics
    p = m.labels.index(split.positive)
    tp, fired = m.confusion[p][p], sum(row[p] for row in m.confusion)
    positives, rows = sum(m.confusion[p]), m.n
    if objective in ("f1", "fbeta"):
        return float(fbeta(tp, fired, positives, 1.0 if objective == "f1" else beta))
    precision = tp / fired if fired else 0.0
    recall = tp / positives if positives else 0.0
    if objective == "precision_at_recall":
        return precision if recall >= min_recall else float("-inf")
    if objective == "lift":
        return precision / (positives / rows) if positives and rows else 0.0
    within = fired * 1000 <= budget * rows
    if objective == "recall_in_budget":
        return recall if within else float("-inf")
    figures = money_of(split, rules, money)[side]
    if objective == "amount_in_budget":
        return float(figures.caught) if within else float("-inf")
    return float(figures.net_benefit)


def drop_unhelpful(inner: Split, start: RuleSet, chosen: RuleSet, value: float, goal: dict):
    """Drop, last first, each added rule whose removal does not lower the validation objective."""
    k = len(chosen.rules) - 1
    while k >= len(start.rules):
        without = chosen.remove(k)
        v = side_value(inner, without, "test", **goal)
        if v >= value:
            chosen, value = without, v
        k -= 1
    return chosen, value
