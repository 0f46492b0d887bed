"""Names of the studio's own tables and columns in a dataset's DuckDB connection.

A dataset is the table ``data``; a split is a table ``split_<n>`` with every column plus the
studio's columns below (names starting ``__rs_`` are reserved, a dataset may not use them).
"""

TABLE = "data"
ROW = "__rs_row"      # the row's number in ``data`` (its rowid)
LABEL = "__rs_label"  # the canonical target label
Y = "__rs_y"          # that label's index in ``Split.labels``
TEST = "__rs_test"    # 0 train, 1 test
RESERVED = (ROW, LABEL, Y, TEST)
RESERVED_PREFIX = "__rs_"


def split_table(split_id: int) -> str:
    return f"split_{split_id}"
