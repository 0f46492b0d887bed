"""A validation slice of the train rows, for choosing among rule lists without the test rows.

:func:`validation_split` stores the train rows of a split again as a split of their own: its train
side (the *fit* rows) learns the candidates, its test side (the *validation* rows, a stratified,
seeded share of train) judges the lists. The held-out test rows are not in that table at all."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from ..data.split import Split, next_split_id
from ..data.tables import split_table
from ..errors import StudioError
from ..rules.model import RuleSet

FRACTION = 0.25


@contextmanager
def validation_split(split: Split, fraction: float = FRACTION, seed: int = 0):
    """The train rows of ``split`` as a split: a stratified ``fraction`` of them (by class, in the
    order of ``md5(seed:v:row)``) on the test side, the rest on train. The table is dropped on exit."""
    if not 0.0 < fraction < 1.0:
        raise StudioError(f"the validation share is between 0 and 1, not {fraction!r}")
    inner_id = next_split_id()
    table = split_table(inner_id)
    share = Decimal(str(fraction))
    sql = f"""
        CREATE TABLE {table} AS
        WITH ranked AS (
            SELECT __rs_row AS __v_row,
                   row_number() OVER (PARTITION BY __rs_y ORDER BY md5(? || __rs_row::VARCHAR), __rs_row) AS __v_rank,
                   count(*) OVER (PARTITION BY __rs_y) AS __v_n
            FROM {split.table} WHERE __rs_test = 0
        )
        SELECT s.* REPLACE (CAST(__v_rank <= floor(__v_n * {share} + 0.5) AS UTINYINT) AS __rs_test)
        FROM {split.table} s JOIN ranked ON s.__rs_row = ranked.__v_row
        WHERE s.__rs_test = 0
    """
    with split.dataset.lock:
        split.dataset.con.execute(sql, [f"{seed}:v:"])
        rows = split.dataset.con.execute(f"SELECT __rs_test, __rs_label, count(*) FROM {table} GROUP BY ALL").fetchall()
    counts = {"train": {label: 0 for label in split.labels}, "test": {label: 0 for label in split.labels}}
    for test, label, n in rows:
        counts["test" if test else "train"][label] = int(n)
    inner = Split(dataset=split.dataset, target=split.target, positive=split.positive, labels=list(split.labels),
                  test_size=fraction, seed=seed, counts=counts, excluded=0, id=inner_id)
    try:
        yield inner
    finally:
        with split.dataset.lock:
            split.dataset.con.execute(f"DROP TABLE IF EXISTS {table}")


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
        b2 = 1.0 if objective == "f1" else beta * beta
        return (1 + b2) * tp / (fired + b2 * positives) if tp else 0.0
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
