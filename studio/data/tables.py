"""Names of the studio's own tables and columns in a dataset's DuckDB connection, and how a split's
compact key table becomes the view every query reads.

A dataset is the table (or view) ``data``. A split stores only a key table ``split_keys_<n>``: one
row per row of ``data``, in the same order, holding the class index and the side (NULL: the row is
in neither side). The view ``split_<n>`` puts them beside the data's columns (DuckDB's positional
join, no copy of the data) with the studio's columns below (names starting ``__rs_`` are reserved, a
dataset may not use them).
"""

from __future__ import annotations

TABLE = "data"
ROW = "__rs_row"      # the row's number in ``data`` (its rowid)
LABEL = "__rs_label"  # the canonical target label
Y = "__rs_y"          # that label's index in ``Split.labels``
TEST = "__rs_test"    # 0 train, 1 test
RESERVED = (ROW, LABEL, Y, TEST)
RESERVED_PREFIX = "__rs_"


def split_table(split_id: int) -> str:
    """The view a split's queries read."""
    return f"split_{split_id}"


def keys_table(split_id: int) -> str:
    """The split's own stored rows: class index and side per row of ``data``."""
    return f"split_keys_{split_id}"


def split_view_sql(split_id: int, labels: list[str]) -> str:
    """``CREATE VIEW`` of a split: the data's columns, its row number, label, class index and side,
    for the rows on either side. ``labels`` go in as quoted literals (the one quoting path)."""
    from .quoting import string_sql

    names = "[" + ", ".join(string_sql(label) for label in labels) + "]"
    return (f"CREATE VIEW {split_table(split_id)} AS "
            f"SELECT d.*, d.rowid AS {ROW}, {names}[k.{Y} + 1] AS {LABEL}, k.{Y}, k.{TEST} "
            f"FROM {TABLE} d POSITIONAL JOIN {keys_table(split_id)} k WHERE k.{TEST} IS NOT NULL")


def drop_split_sql(split_id: int) -> list[str]:
    """The statements that remove a split's view and key table."""
    return [f"DROP VIEW IF EXISTS {split_table(split_id)}", f"DROP TABLE IF EXISTS {keys_table(split_id)}"]
