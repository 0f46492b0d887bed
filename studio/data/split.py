"""The held-out split: deterministic, stratified by target, seeded, stored in DuckDB.

Within each class, rows are ordered by ``md5("<seed>:<row number>")`` (row
numbers follow the file's order) and the first ``round(n_class * test_size)``
go to the test side (rounded half up). MD5 is the same on every machine and DuckDB version, so
the same seed and data give the same rows anywhere.

Out of time (``by_time``): rows before a cutoff on a time column (numeric, like seconds, or
DATE/TIMESTAMP) train, rows at or after it test; a gap after the cutoff (in the column's units,
days for dates) leaves rows out of both sides, as do rows with no time. The default cutoff is the
time of the first row of the last ``test_size`` share of rows in time order (rows sharing that time
all go to the test side), so the split is the same on every machine.

The split is a view with every column plus ``__rs_row``, ``__rs_label`` (the
canonical target label), ``__rs_y`` (that label's index in ``Split.labels``)
and ``__rs_test`` (0 train, 1 test): every metric is one SQL aggregate over it. It copies no
data: how it is kept, and how the test rows are found without sorting, is :mod:`.split_store`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import duckdb

from ..errors import DataError
from .connection import duckdb_message
from .schema import NUMERIC, TEMPORAL
from .labels import canonical_sql, class_label, label_sort_key, native, resolve
from .quoting import column, string_sql
from .split_store import class_index_sql, hash_rows, publish, store_by_time, store_ranked
from .tables import TABLE, split_table

if TYPE_CHECKING:
    from .dataset import Dataset

_ids = itertools.count(1)


def next_split_id() -> int:
    """A split number (its view's name) no other split uses."""
    return next(_ids)
MAX_CLASSES = 1000


@dataclass(frozen=True)
class TimeOrder:
    """An out-of-time split: train before ``cutoff`` on ``column``, test from ``cutoff`` + ``gap``
    (``cutoff`` None: placed so that the last ``test_size`` share of rows test)."""
    column: str
    cutoff: object = None
    gap: float = 0.0

    def describe(self) -> str:
        unit = " days" if isinstance(self.cutoff, str) else ""  # a date's cutoff is kept as DuckDB's text
        if self.gap:
            return (f"out of time on {self.column}: train before {self.cutoff}, then {self.gap:g}{unit} left out, "
                    "then test")
        return f"out of time on {self.column}: train before {self.cutoff}, test from {self.cutoff}"

    def to_dict(self) -> dict:
        return {"column": self.column, "cutoff": str(self.cutoff), "gap": self.gap}


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
    time: TimeOrder | None = None  # an out-of-time split (its cutoff resolved), or None: random, stratified
    key: str | None = None         # a random split ranked by md5(seed:key) rather than by row number

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
        if self.time is not None:
            return f"{tr:,} train / {te:,} test rows ({self.time.describe()})"
        by = f", by key {self.key}" if self.key else ""
        return f"{tr:,} train / {te:,} test rows (test fraction {self.test_size:g}, seed {self.seed}{by})"


KEY_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
             "VARCHAR")


def check_key(dataset: "Dataset", key: str, target: str) -> None:
    """A split key is a whole-number or text column, not the target, with no NULL and no repeat
    (engines without a row order then draw the same split from it)."""
    schema = dataset.schema
    if key not in schema:
        raise DataError(f"unknown key column {key!r}{schema.suggest(key)}")
    if key == target:
        raise DataError(f"the key {key!r} is the target")
    if schema.type_of(key).upper() not in KEY_TYPES:
        raise DataError(f"the key {key!r} is {schema.type_of(key)}: a key is a whole number or a text")
    k = column(key).sql("duckdb")
    nulls, repeats = dataset.con.execute(f"SELECT count(*) - count({k}), count({k}) - count(DISTINCT {k}) "
                                         f"FROM {TABLE}").fetchone()
    if nulls or repeats:
        what = f"{nulls:,} rows without a key" if nulls else f"{repeats:,} repeated values"
        raise DataError(f"the key {key!r} must name every row once: it has {what}")


def make_split(dataset: "Dataset", target: str, positive=None, test_size: float = 0.5, seed: int = 0,
               by_time: TimeOrder | None = None, key: str | None = None) -> Split:
    """Store a stratified, seeded split of ``dataset`` on ``target`` (or, ``by_time``, an out-of-time
    one); positive defaults to the minority class. Within each class the rows are ranked by
    ``md5(seed:row number)``, or with ``key`` by ``md5(seed:key)`` (the same split in any engine)."""
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
    index_sql = class_index_sql(labels, label_sql, column(target).sql("duckdb"), ttype)
    seed_prefix = f"{seed}:"
    count = dict(classes)
    fraction = Decimal(str(test_size))
    held_out = [int(count[l] * fraction + Decimal("0.5")) for l in labels]  # rounded half up, exactly
    split_id = next(_ids)
    table = split_table(split_id)
    if by_time is not None and key is not None:
        raise DataError("a split by time takes no key")
    if key is not None:
        with dataset.lock:
            check_key(dataset, key, target)
    if by_time is not None:
        return _time_split(dataset, target, positive_label, labels, label_sql, index_sql, float(test_size), seed,
                           by_time, split_id)
    key_sql = "rowid" if key is None else column(key).sql("duckdb")
    with dataset.lock:
        hash_rows(dataset, key_sql, seed_prefix)
        counts, excluded = _stored(dataset, lambda wrote: store_ranked(dataset, labels, index_sql, key_sql,
                                                                       seed_prefix, held_out, wrote),
                                   table, labels, label_sql)
    return Split(dataset=dataset, target=target, positive=positive_label, labels=labels,
                 test_size=float(test_size), seed=seed, counts=counts, excluded=excluded, id=split_id, key=key)


def _stored(dataset: "Dataset", write, table: str, labels: list[str], label_sql: str, check=None):
    """``write`` the split's columns and publish its view in one transaction; ``check`` may refuse its
    counts. A failure or a refusal leaves the last split as it was."""
    con, wrote = dataset.con, {}
    con.execute("BEGIN TRANSACTION")
    try:
        write(wrote)
        out = publish(dataset, table, labels, label_sql)
        if check is not None:
            check(*out)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    dataset.split_columns.update(wrote)  # what the columns now hold, so that the next split can keep it
    return out


def _time_split(dataset: "Dataset", target: str, positive: str, labels: list[str], label_sql: str, index_sql: str,
                test_size: float, seed: int, order: TimeOrder, split_id: int) -> Split:
    schema = dataset.schema
    name = order.column
    if name not in schema:
        raise DataError(f"unknown time column {name!r}{schema.suggest(name)}")
    if name == target:
        raise DataError(f"the time column {name!r} is the target")
    kind = schema.kind(name)
    if kind not in (NUMERIC, TEMPORAL):
        raise DataError(f"time column {name!r} is {schema.type_of(name)}: it must be a number or a date/time")
    if not (isinstance(order.gap, (int, float)) and math.isfinite(order.gap) and order.gap >= 0):
        raise DataError(f"the gap must be a number ≥ 0, not {order.gap!r}")
    t = column(name).sql("duckdb")
    valid = f"{label_sql} IS NOT NULL AND {t} IS NOT NULL" + (f" AND NOT isnan({t})" if kind == NUMERIC else "")
    with dataset.lock:
        cutoff = order.cutoff
        if cutoff is None:
            (n,) = dataset.con.execute(f"SELECT count(*) FROM {TABLE} WHERE {valid}").fetchone()
            if n < 2:
                raise DataError(f"time column {name!r} has fewer than two rows with a time and a label")
            k = min(n - 1, max(1, int(n - int(Decimal(str(test_size)) * n + Decimal("0.5")))))
            (cutoff,) = dataset.con.execute(
                f"SELECT {t} FROM {TABLE} WHERE {valid} ORDER BY {t}, rowid LIMIT 1 OFFSET {k}").fetchone()
        cutoff = _time_value(dataset, name, kind, cutoff)
        cut = f"CAST({string_sql(str(cutoff))} AS {schema.type_of(name) if kind == TEMPORAL else 'DOUBLE'})"
        gap = f"CAST({string_sql(repr(float(order.gap)))} AS DOUBLE)"
        after = f"{cut} + to_seconds({gap} * 86400)" if kind == TEMPORAL else f"{cut} + {gap}"
        table = split_table(split_id)
        side = f"CASE WHEN {valid} AND ({t} < {cut} OR {t} >= {after}) THEN {t} >= {cut} END"
        try:
            counts, excluded = _stored(dataset, lambda wrote: store_by_time(dataset, labels, index_sql, side, wrote), table,
                                       labels, label_sql, lambda counts, _: _both_sides(counts, cutoff, name))
        except duckdb.InterruptException:
            raise  # the time limit's own message (QueryGuard)
        except duckdb.Error as err:
            raise DataError(f"the out-of-time split failed: {duckdb_message(err)}") from None
    return Split(dataset=dataset, target=target, positive=positive, labels=labels, test_size=test_size,
                 seed=seed, counts=counts, excluded=excluded, id=split_id,
                 time=TimeOrder(name, cutoff, float(order.gap)))


def _both_sides(counts: dict, cutoff, name: str) -> None:
    for side in ("train", "test"):
        if not sum(counts[side].values()):
            raise DataError(f"cutoff {cutoff} on {name!r} leaves no {side} rows")


def _time_value(dataset: "Dataset", name: str, kind: str, value):
    """A cutoff as the column's kind reads it: a number, or DuckDB's text of a date/time."""
    if kind == NUMERIC:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise DataError(f"the cutoff on {name!r} must be a number, not {value!r}") from None
        if not math.isfinite(number):
            raise DataError(f"the cutoff on {name!r} must be a finite number, not {value!r}")
        return int(number) if number.is_integer() else number
    try:
        (text,) = dataset.con.execute(f"SELECT CAST(CAST(? AS {dataset.schema.type_of(name)}) AS VARCHAR)",
                                      [str(value)]).fetchone()
    except duckdb.Error:
        raise DataError(f"the cutoff on {name!r} must be a {dataset.schema.type_of(name).lower()}, "
                        f"not {value!r}") from None
    return text
