"""Reading data files through DuckDB: the table function for a path, and a file's columns.

CSV (delimiter, quoting and types sniffed by DuckDB) and Parquet, chosen by the file's suffix.
A new file format is one more ``*_source`` function and a suffix in :func:`file_source`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import DataError
from .connection import duckdb_message
from .quoting import string_sql
from .regular import regular_file_size
from .schema import Schema

# Types the CSV sniffer may choose. BOOLEAN is left out on purpose: DuckDB reads
# yes/no as booleans, and a user who sees "yes" in the file expects "yes" in a rule.
CSV_TYPES = ["BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "TIME", "VARCHAR"]

CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".csv.zst")
PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")


MISSING_MARKERS = ("?", "NA", "N/A", "-", "null", "NULL", "None")  # offered on the Data page (an empty field
# is always missing)
MAX_MARKERS, MAX_MARKER_LENGTH = 10, 20


def missing_markers(values) -> tuple[str, ...]:
    """Text values a CSV writes for a missing value (DuckDB's ``nullstr``): at most ``MAX_MARKERS``
    strings of at most ``MAX_MARKER_LENGTH`` printable characters, kept in order without repeats
    (DataError otherwise)."""
    if values is None:
        return ()
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise DataError(f"missing markers are a list of texts, not {values!r}")
    out: list[str] = []
    for v in values:
        if not isinstance(v, str) or len(v) > MAX_MARKER_LENGTH or not (v.isprintable() or v == ""):
            raise DataError(f"a missing marker is a text of at most {MAX_MARKER_LENGTH} printable characters, "
                            f"not {v!r}")
        if v not in out:
            out.append(v)
    if len(out) > MAX_MARKERS:
        raise DataError(f"at most {MAX_MARKERS} missing markers, not {len(out)}")
    return tuple(out)


def csv_source(path: str | Path, missing: tuple[str, ...] = ()) -> str:
    """A ``read_csv`` call for ``path`` with the studio's sniffing options (literals safely quoted);
    ``missing``: the texts read as missing values (besides an empty field)."""
    types = ", ".join(string_sql(t) for t in CSV_TYPES)
    nulls = f", nullstr=[{', '.join(string_sql(m) for m in missing_markers(missing) + ('',))}]" if missing else ""
    return f"read_csv({string_sql(str(path))}, auto_type_candidates=[{types}]{nulls})"


def parquet_source(path: str | Path) -> str:
    return f"read_parquet({string_sql(str(path))})"


def file_source(path: str | Path, missing: tuple[str, ...] = ()) -> str:
    """The DuckDB table function that reads ``path``, chosen by its suffix (CSV by default; Parquet
    knows its missing values, so ``missing`` is for CSV)."""
    name = str(path).lower()
    if name.endswith(PARQUET_SUFFIXES):
        return parquet_source(path)
    return csv_source(path, missing)


def check_readable(path: str | Path) -> Path:
    """A regular, non-empty file (a folder, a pipe or a device is refused before it is opened)."""
    p = Path(path)
    if regular_file_size(p, "data file", DataError) == 0:
        raise DataError(f"{p.name} is empty")
    return p


def ragged_line(path: str | Path, lines: int = 10_000) -> str | None:
    """Where a CSV's rows stop having the header's number of fields (the first such line), or None."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            head = f.readline()
            delimiter = max((",", ";", "\t", "|"), key=head.count)
            f.seek(0)
            reader = csv.reader(f, delimiter=delimiter)
            width = len(next(reader, []))
            for number, row in enumerate(reader, start=2):
                if number > lines:
                    break
                if row and len(row) != width:
                    return f"line {number} has {len(row)} fields where the header has {width}"
    except (OSError, csv.Error):
        return None
    return None


def file_schema(con, path: str | Path, missing: tuple[str, ...] = ()) -> Schema:
    """The columns and types of a CSV/Parquet file (``missing``: a CSV's missing markers), read by
    DuckDB without loading its rows."""
    source = file_source(check_readable(path), missing)
    try:
        return Schema.of(con, f"SELECT * FROM {source}")
    except duckdb.Error as err:
        raise DataError(f"cannot read {Path(path).name}: {duckdb_message(err)}") from None
