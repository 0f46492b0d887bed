"""Names of the studio's own tables and columns in a dataset's DuckDB connection.

A dataset is the table ``data``; a split is a view ``split_<n>`` of it with every column plus the
studio's columns below (names starting ``__rs_`` are reserved, a dataset may not use them); ``data``
holds the split's own columns (see :mod:`.split_store`).
"""

TABLE = "data"
ROW = "__rs_row"      # the row's number in ``data`` (its rowid)
LABEL = "__rs_label"  # the canonical target label
Y = "__rs_y"          # that label's index in ``Split.labels``
TEST = "__rs_test"    # 0 train, 1 test
HASH = "__rs_h"       # the first 32 bits of the row's md5 (a random split's ranking)
RESERVED = (ROW, LABEL, Y, TEST)
RESERVED_PREFIX = "__rs_"


def split_table(split_id: int) -> str:
    return f"split_{split_id}"
