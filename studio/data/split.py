"""The held-out split: deterministic, stratified by target, seeded, stored in DuckDB.

Within each class, rows are ordered by ``md5("<seed>:<row number>")`` (row
numbers follow the file's order) and the first ``round(n_class * test_size)``
go to the test side (rounded half up). MD5 is the same on every machine and DuckDB version, so
the same seed and data give the same rows anywhere.

The split table holds every column plus ``__rs_row``, ``__rs_label`` (the
canonical target label), ``__rs_y`` (that label's index in ``Split.labels``)
and ``__rs_test`` (0 train, 1 test): every metric is one SQL aggregate over it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import DataError
from .labels import canonical_sql, class_label, label_sort_key, native, resolve
from .quoting import column
from .tables import TABLE, split_table

if TYPE_CHECKING:
    from .dataset import Dataset

_ids = itertools.count(1)
MAX_CLASSES = 1000


@dataclass
class Split:
    """A stored train/test split of a dataset for one target and positive label."""

    dataset: "Dataset"
    target: str
    positive: str
    labels: list[str]
    test_size: float
    seed: int
    counts: dict[str, dict[str, int]]
    excluded: int
    id: int = 0
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def table(self) -> str:
        return split_table(self.id)

    @property
    def features(self) -> list[str]:
        return [c for c in self.dataset.columns if c != self.target]

    def native(self, label: str):
        """A canonical class label as the JSON value rules use (1, "yes", true)."""
        return native(label, self.dataset.schema.type_of(self.target))

    def class_label(self, value) -> str:
        """A rule's label as one of this split's classes (see :func:`studio.data.labels.class_label`)."""
        return class_label(value, self.labels)

    def describe(self) -> str:
        tr, te = sum(self.counts["train"].values()), sum(self.counts["test"].values())
        return f"{tr:,} train / {te:,} test rows (test fraction {self.test_size:g}, seed {self.seed})"


def make_split(dataset: "Dataset", target: str, positive=None, test_size: float = 0.5, seed: int = 0) -> Split:
    """Store a stratified, seeded split of ``dataset`` on ``target``; positive defaults to the minority class."""
    if not 0.0 < float(test_size) < 1.0:
        raise DataError(f"test fraction must be between 0 and 1, got {test_size}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise DataError(f"seed must be a non-negative whole number, got {seed!r}")
    classes = dataset.class_counts(target)  # raises on an unknown target
    if len(dataset.columns) < 2:
        raise DataError("the data needs at least one column besides the target")
    if len(classes) < 2:
        only = f" (only {classes[0][0]!r})" if classes else ""
        raise DataError(f"target {target!r} has fewer than two classes{only}: nothing to classify")
    if len(classes) > MAX_CLASSES:
        raise DataError(f"target {target!r} has {len(classes):,} distinct values; a classification target "
                        f"needs at most {MAX_CLASSES:,} (is it a measurement rather than a label?)")
    labels = sorted((label for label, _ in classes), key=label_sort_key)
    if positive is None:
        positive_label = classes[-1][0]
    else:
        positive_label = resolve(positive, labels)
        if positive_label is None:
            shown = ", ".join(repr(l) for l in labels[:10]) + (" ..." if len(labels) > 10 else "")
            raise DataError(f"positive label {positive!r} is not a class of {target!r}; classes: {shown}")

    ttype = dataset.schema.type_of(target)
    label_sql = canonical_sql(column(target), ttype).sql("duckdb")
    seed_prefix = f"{seed}:"
    count = dict(classes)
    fraction = Decimal(str(test_size))
    held_out = [int(count[l] * fraction + Decimal("0.5")) for l in labels]  # rounded half up, exactly
    split_id = next(_ids)
    table = split_table(split_id)
    # Rank on the two key columns only, then join every column back: sorting wide rows is slow.
    sql = f"""
        CREATE TABLE {table} AS
        WITH keys AS (
            SELECT rowid AS __rs_row, {label_sql} AS __rs_label FROM {TABLE}
        ), ranked AS (
            SELECT __rs_row, __rs_label,
                row_number() OVER (PARTITION BY __rs_label
                                   ORDER BY md5(? || __rs_row::VARCHAR), __rs_row) AS __rs_rank,
            FROM keys WHERE __rs_label IS NOT NULL
        )
        SELECT d.*, r.__rs_row, r.__rs_label,
               CAST(list_position(?, r.__rs_label) - 1 AS INTEGER) AS __rs_y,
               CAST(r.__rs_rank <= list_extract(?::BIGINT[], list_position(?, r.__rs_label)) AS UTINYINT)
                   AS __rs_test
        FROM {TABLE} d JOIN ranked r ON d.rowid = r.__rs_row
    """
    with dataset.lock:
        for (old,) in dataset.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'split\\_%' ESCAPE '\\'").fetchall():
            dataset.con.execute(f"DROP TABLE {old}")
        dataset.con.execute(sql, [seed_prefix, labels, held_out, labels])
        rows = dataset.con.execute(
            f"SELECT __rs_test, __rs_label, count(*) FROM {table} GROUP BY ALL").fetchall()
    counts = {"train": {l: 0 for l in labels}, "test": {l: 0 for l in labels}}
    for test, label, n in rows:
        counts["test" if test else "train"][label] = int(n)
    excluded = dataset.n_rows - sum(n for _, _, n in rows)
    return Split(dataset=dataset, target=target, positive=positive_label, labels=labels,
                 test_size=float(test_size), seed=seed, counts=counts, excluded=excluded, id=split_id)
