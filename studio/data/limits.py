"""How much work loading a file, and every later query, may take on a shared server.

A file is checked before DuckDB reads it, cheaply: a CSV's first line (its column count), a Parquet
file's footer (rows and columns); then at most the allowed number of rows is loaded, within a time
limit. The app applies :meth:`LoadLimits.from_env`; the library and the command line, used by one
person on their own data, apply none unless asked.

Settings (environment): ``RULE_STUDIO_MAX_COLUMNS`` (2,000), ``RULE_STUDIO_MAX_CELLS`` (rows x
columns, 300 million), ``RULE_STUDIO_LOAD_SECONDS`` (120), ``RULE_STUDIO_QUERY_SECONDS`` (60, for
every query after loading), ``RULE_STUDIO_MEMORY_LIMIT`` (DuckDB's memory limit per dataset, "4GB"),
``RULE_STUDIO_ON_DISK`` (``on``: every file opened is kept in a database file of its own on disk, for
data larger than memory; off by default).
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..errors import DataError
from .quoting import string_sql
from .sources import PARQUET_SUFFIXES

HEAD_BYTES = 1_000_000  # a CSV's first line must end within this many bytes
SEPARATORS = (",", ";", "\t", "|")


def env_number(name: str, default: float) -> float:
    """A positive number from the environment variable ``name``; ``default`` when unset or not one."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class LoadLimits:
    max_columns: int = 2_000
    max_cells: int = 300_000_000
    load_seconds: float = 120.0
    query_seconds: float | None = 60.0
    memory_limit: str | None = "4GB"
    on_disk: bool = False

    @classmethod
    def from_env(cls) -> "LoadLimits":
        memory = os.environ.get("RULE_STUDIO_MEMORY_LIMIT", cls.memory_limit)
        return cls(int(env_number("RULE_STUDIO_MAX_COLUMNS", cls.max_columns)),
                   int(env_number("RULE_STUDIO_MAX_CELLS", cls.max_cells)),
                   env_number("RULE_STUDIO_LOAD_SECONDS", cls.load_seconds),
                   env_number("RULE_STUDIO_QUERY_SECONDS", cls.query_seconds),
                   memory if memory and all(c.isalnum() or c in ". " for c in memory) else cls.memory_limit,
                   os.environ.get("RULE_STUDIO_ON_DISK", "off").strip().lower() in ("on", "1", "true", "yes"))

    def columns_message(self, name: str, columns: int) -> str:
        return f"{name} has {columns:,} columns; the studio reads at most {self.max_columns:,}"

    def check_columns(self, name: str, columns: int) -> None:
        if columns > self.max_columns:
            raise DataError(self.columns_message(name, columns))

    def max_rows(self, columns: int) -> int:
        return max(1, self.max_cells // max(1, columns))

    def rows_message(self, name: str, rows: int, columns: int) -> str:
        return (f"{name} has {rows:,} rows x {columns:,} columns = {rows * columns:,} values; the studio reads at "
                f"most {self.max_cells:,} values ({self.max_rows(columns):,} rows of {columns:,} columns)")


def csv_head_columns(path: Path, name: str | None = None) -> int:
    """The number of columns a CSV's first line suggests (by its most frequent separator); DataError
    when the first line does not end within ``HEAD_BYTES`` (``name``: the file's name to show)."""
    shown = name or path.name
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            head = f.read(HEAD_BYTES + 1)
    except (OSError, EOFError) as err:
        raise DataError(f"cannot read {shown}: {err}") from None
    end = head.find(b"\n")
    if end < 0 and len(head) > HEAD_BYTES:
        raise DataError(f"the first line of {shown} is longer than {HEAD_BYTES / 1e6:g} MB: is it a table?")
    line = head[:end if end >= 0 else len(head)].decode("utf-8", errors="replace")
    return 1 + max(line.count(sep) for sep in SEPARATORS)


def parquet_shape(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, int]:
    """(rows, columns) of a Parquet file, read from its footer."""
    try:
        rows = con.execute(f"SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata({string_sql(str(path))})"
                           ).fetchone()[0]
        columns = con.execute(f"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet({string_sql(str(path))}))"
                              ).fetchone()[0]
    except duckdb.Error as err:
        raise DataError(f"cannot read {path.name}: {str(err).splitlines()[0]}") from None
    return int(rows), int(columns)


def check_file(con: duckdb.DuckDBPyConnection, path: Path, limits: LoadLimits, name: str | None = None) -> None:
    """Refuse a file that is too wide (or, for Parquet, too large) before DuckDB reads its rows
    (``name``: the file's name as its user knows it, an upload's own, say)."""
    shown = name or path.name
    if str(path).lower().endswith(PARQUET_SUFFIXES):
        rows, columns = parquet_shape(con, path)
        limits.check_columns(shown, columns)
        if rows * columns > limits.max_cells:
            raise DataError(limits.rows_message(shown, rows, columns))
    else:
        limits.check_columns(shown, csv_head_columns(path, shown))
