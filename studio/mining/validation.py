"""A validation slice of the train rows, for choosing among rule lists without the test rows.

:func:`validation_split` stores the train rows of a split again as a split of their own: its train
side (the *fit* rows) learns the candidates, its test side (the *validation* rows, a stratified,
seeded share of train) judges the lists. The held-out test rows are not in that table at all."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from ..data.split import Split, next_split_id, store_keys
from ..data.tables import drop_split_sql, keys_table
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
    share = Decimal(str(fraction))
    # Over the outer split's key table (aligned with the data): train rows get a side of their own,
    # every other row none.
    train = "k.__rs_test = 0"
    sql = f"""
        CREATE TABLE {keys_table(inner_id)} AS
        SELECT CASE WHEN {train} THEN k.__rs_y END AS __rs_y,
               CASE WHEN {train} THEN CAST(
                   row_number() OVER (PARTITION BY {train}, k.__rs_y ORDER BY md5(? || k.__v_row::VARCHAR), k.__v_row)
                   <= floor(count(*) OVER (PARTITION BY {train}, k.__rs_y) * {share} + 0.5) AS UTINYINT) END AS __rs_test
        FROM (SELECT rowid AS __v_row, __rs_y, __rs_test FROM {keys_table(split.id)}) k
        ORDER BY k.__v_row
    """
    with split.dataset.lock:
        counts = store_keys(split.dataset.con, inner_id, list(split.labels), sql, [f"{seed}:v:"])
    inner = Split(dataset=split.dataset, target=split.target, positive=split.positive, labels=list(split.labels),
                  test_size=fraction, seed=seed, counts=counts, excluded=split.dataset.n_rows - sum(
                      sum(side.values()) for side in counts.values()), id=inner_id)
    try:
        yield inner
    finally:
        with split.dataset.lock:
            for statement in drop_split_sql(inner_id):
                split.dataset.con.execute(statement)


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
