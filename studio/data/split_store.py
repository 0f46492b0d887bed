"""How a split is kept: three columns of the dataset's own table and a view, never a copy of the data.

``data`` carries ``__rs_y`` (the row's class index, NULL without a label), ``__rs_test`` (1 test,
0 train, NULL on neither side) and ``__rs_h`` (the first 32 bits of the row's md5, for ranking).
``__rs_y`` and ``__rs_test`` are rewritten whole with ``ALTER COLUMN ... USING``: a rewritten column
scans as fast as a loaded one, where an UPDATE of every row leaves each later scan slower. ``__rs_h``
needs the row number, which ``USING`` cannot see, so an UPDATE writes it (only the split reads it),
before the split's transaction (:func:`hash_rows`).
A whole-number target's class index is found by value, other targets' by their canonical label.

The split ``split_<n>`` is a view of ``data``: its own columns, ``rowid`` as ``__rs_row``, the
canonical label as ``__rs_label``, ``__rs_y`` and ``__rs_test``, for the rows on either side.

A random split puts on the test side, in each class, the ``held_out`` rows that come first in the
order of ``(md5(seed:key), key)`` without sorting the class: the rows are counted per 16-bit prefix
of their md5, the prefix at which the class reaches ``held_out`` is found, and only the rows with
that prefix are ranked. Rows whose ``__rs_h`` is below the last test row's go to test, above it to
train; rows that share it are placed one by one (an UPDATE of those few rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .labels import WHOLE_NUMBER_TYPES
from .quoting import column_sql, string_sql
from .tables import HASH, LABEL, ROW, TABLE, TEST, Y

if TYPE_CHECKING:
    from .dataset import Dataset

SPLIT_COLUMNS = ((Y, "INTEGER"), (TEST, "UTINYINT"), (HASH, "UINTEGER"))
HASH_HEX = 8        # md5 hex digits kept in ``__rs_h``
PREFIX_BITS = 16    # the leading bits of ``__rs_h`` rows are counted by


def _texts(values) -> str:
    return "[" + ", ".join(string_sql(str(v)) for v in values) + "]"


def _ints(values) -> str:
    return "CAST([" + ", ".join(str(int(v)) for v in values) + "] AS BIGINT[])"


def class_index_sql(labels: list[str], label_sql: str, target_sql: str, target_type: str) -> str:
    """A row's class index: the position of its label among ``labels`` less one (NULL without one).
    A whole-number target is looked up by value, which spares writing each row's label as text."""
    if target_type.upper() in WHOLE_NUMBER_TYPES:
        values = ", ".join(f"CAST({int(l)} AS {target_type})" for l in labels)  # each typed: UHUGEINT's largest too
        return f"list_position([{values}], {target_sql}) - 1"
    return f"list_position({_texts(labels)}, {label_sql}) - 1"


def md5_prefix_sql(seed_prefix: str, key_sql: str) -> str:
    """The first ``HASH_HEX`` hex digits of ``md5(seed_prefix || key)`` as a number. ``md5_number``
    reads the digest little-endian, so its first four bytes are put back in order (a shorter way
    than the hex text, and a third of the time)."""
    low = f"CAST(md5_number({string_sql(seed_prefix)} || CAST({key_sql} AS VARCHAR)) & 4294967295 AS UBIGINT)"
    swapped = f"((({low} & 255) << 24) | ((({low} >> 8) & 255) << 16) | ((({low} >> 16) & 255) << 8) | ({low} >> 24))"
    return f"CAST({swapped} >> {32 - 4 * HASH_HEX} AS UINTEGER)"


def _prepare(dataset: "Dataset", labels: list[str], index_sql: str, wrote: dict) -> None:
    """The split's columns in ``data`` (added once), with every row's class index (kept when the
    last split wrote the same)."""
    con = dataset.con
    have = {name for name, *_ in con.execute(f"DESCRIBE {TABLE}").fetchall()}
    for name, kind in SPLIT_COLUMNS:
        if name not in have:
            con.execute(f"ALTER TABLE {TABLE} ADD COLUMN {name} {kind}")
    wrote[Y] = (index_sql, tuple(labels))
    if dataset.split_columns.get(Y) != wrote[Y]:
        con.execute(f"ALTER TABLE {TABLE} ALTER {Y} TYPE INTEGER USING CAST({index_sql} AS INTEGER)")


def _last_test_rows(dataset: "Dataset", key_sql: str, seed_prefix: str, held_out: list[int], hashed: str,
                    where: str):
    """Per class, the ``hashed`` value of its last test row (-1: none), and the rows sharing that
    value that rank after it (they go to train); only rows where ``where`` holds take part."""
    con = dataset.con
    held, shift = _ints(held_out), 4 * HASH_HEX - PREFIX_BITS
    found = con.execute(f"""
        WITH g AS (SELECT {Y} AS y, {hashed} >> {shift} AS b, count(*) AS n FROM {TABLE}
                   WHERE {Y} IS NOT NULL AND {where} GROUP BY ALL),
             c AS (SELECT y, b, n, sum(n) OVER (PARTITION BY y ORDER BY b) AS cum FROM g)
        SELECT y, b, k - (cum - n) FROM (SELECT *, list_extract({held}, y + 1) AS k FROM c)
        WHERE cum >= k AND cum - n < k""").fetchall()
    last = [-1] * len(held_out)
    if not found:
        return last, []
    bucket, need = [-1] * len(held_out), [0] * len(held_out)
    for y, b, k in found:
        bucket[y], need[y] = int(b), int(k)
    rows = con.execute(f"""
        SELECT {Y}, {hashed}, rowid,
               row_number() OVER (PARTITION BY {Y} ORDER BY md5(? || CAST({key_sql} AS VARCHAR)), {key_sql})
        FROM {TABLE} WHERE {Y} IS NOT NULL AND {where}
        AND ({hashed} >> {shift}) = list_extract({_ints(bucket)}, {Y} + 1)""", [seed_prefix]).fetchall()
    for y, h, _, rank in rows:
        if rank == need[y]:
            last[y] = int(h)
    after = [row for y, h, row, rank in rows if h == last[y] and rank > need[y]]
    return last, after


def rank_sides(dataset: "Dataset", key_sql: str, seed_prefix: str, held_out: list[int], hashed: str, side: str,
               where: str = "TRUE", hash_again: bool = True) -> None:
    """Among the rows where ``where`` holds, put in column ``side`` 1 for the first ``held_out`` of each
    class by ``(md5(seed_prefix:key), key)``, 0 for the others (NULL elsewhere); column ``hashed``
    takes the md5 prefixes (unless ``hash_again`` is false: they are there already)."""
    con = dataset.con
    if hash_again:
        con.execute(f"UPDATE {TABLE} SET {hashed} = {md5_prefix_sql(seed_prefix, key_sql)}")
    last, after = _last_test_rows(dataset, key_sql, seed_prefix, held_out, hashed, where)
    con.execute(f"ALTER TABLE {TABLE} ALTER {side} TYPE UTINYINT USING CASE WHEN {where} THEN "
                f"CAST(CAST({hashed} AS BIGINT) <= list_extract({_ints(last)}, {Y} + 1) AS UTINYINT) END")
    if after:
        con.execute(f"UPDATE {TABLE} SET {side} = 0 WHERE rowid IN (SELECT unnest(?::BIGINT[]))", [after])


def hash_rows(dataset: "Dataset", key_sql: str, seed_prefix: str) -> None:
    """Every row's md5 prefix for this seed and key in ``__rs_h`` (kept when it holds them already).
    Written before the split's transaction, not in it: the last split's view does not read the column,
    and the commit of a transaction that also rewrote ``__rs_y`` and ``__rs_test`` took a fifth of the
    split's time at 10 M rows on disk. Until the update is done the column is known to hold nothing."""
    wanted = (seed_prefix, key_sql, HASH_HEX)
    if dataset.split_columns.get(HASH) == wanted:
        return
    con = dataset.con
    if HASH not in {name for name, *_ in con.execute(f"DESCRIBE {TABLE}").fetchall()}:
        con.execute(f"ALTER TABLE {TABLE} ADD COLUMN {HASH} UINTEGER")
    dataset.split_columns.pop(HASH, None)
    con.execute(f"UPDATE {TABLE} SET {HASH} = {md5_prefix_sql(seed_prefix, key_sql)}")
    dataset.split_columns[HASH] = wanted


def store_ranked(dataset: "Dataset", labels: list[str], index_sql: str, key_sql: str, seed_prefix: str,
                 held_out: list[int], wrote: dict) -> None:
    """Write a random (or keyed) split into ``data``'s split columns (see the module), the md5 prefixes
    being there already (:func:`hash_rows`); what was written goes in ``wrote``."""
    _prepare(dataset, labels, index_sql, wrote)
    rank_sides(dataset, key_sql, seed_prefix, held_out, HASH, TEST, hash_again=False)


def store_by_time(dataset: "Dataset", labels: list[str], index_sql: str, side_sql: str, wrote: dict) -> None:
    """Write an out-of-time split: ``side_sql`` is 1 for test, 0 for train, NULL for neither."""
    _prepare(dataset, labels, index_sql, wrote)
    dataset.con.execute(f"ALTER TABLE {TABLE} ALTER {TEST} TYPE UTINYINT USING "
                        f"CASE WHEN {Y} IS NOT NULL THEN CAST({side_sql} AS UTINYINT) END")


def make_view(dataset: "Dataset", table: str, labels: list[str], label_sql: str, side: str = TEST) -> dict:
    """The view ``table`` of the rows that column ``side`` puts on a side (as ``__rs_test``), and its
    rows per side and class."""
    con = dataset.con
    own = ", ".join(column_sql(c) for c in dataset.columns)
    con.execute(f"CREATE VIEW {table} AS SELECT {own}, rowid AS {ROW}, {label_sql} AS {LABEL}, {Y}, "
                f"{side} AS {TEST} FROM {TABLE} WHERE {side} IS NOT NULL")
    counts = {"train": {label: 0 for label in labels}, "test": {label: 0 for label in labels}}
    for test, y, n in con.execute(f"SELECT {side}, {Y}, count(*) FROM {TABLE} WHERE {side} IS NOT NULL "
                                  "GROUP BY ALL").fetchall():
        counts["test" if test else "train"][labels[y]] = int(n)
    return counts


def publish(dataset: "Dataset", table: str, labels: list[str], label_sql: str):
    """Replace every earlier split's view (validation slices' too) by ``table``'s view; its rows per
    side and class, and the rows on neither side."""
    for (old,) in dataset.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                      "AND view_name LIKE 'split\\_%' ESCAPE '\\'").fetchall():
        dataset.con.execute(f"DROP VIEW {old}")
    counts = make_view(dataset, table, labels, label_sql)
    return counts, dataset.n_rows - sum(sum(side.values()) for side in counts.values())
