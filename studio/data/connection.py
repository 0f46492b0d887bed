"""Opening DuckDB connections the studio's way, and DuckDB errors as one line for users.

Every connection the studio opens comes from :func:`connect`: DuckDB's progress bar, which it
otherwise draws on standard output for any query slower than two seconds, is turned off (drawing
it, too: a later ``SET progress_bar_time`` turns the bar back on, but not its printing), so the
output of a command (JSON, say) is only what the command prints; and what a query cannot keep within
DuckDB's memory limit spills to a folder of the connection's own under the studio's spill folder
(:func:`studio.data.folders.spill_dir`; DuckDB makes it when it first spills and removes it on close),
never to the working directory.
"""

from __future__ import annotations

import itertools
import os
import secrets

import duckdb

from .folders import spill_dir
from .quoting import string_sql

_connections = itertools.count(1)
SETTINGS = {"enable_progress_bar": False, "enable_progress_bar_print": False}


def connect(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A new DuckDB connection with the studio's settings."""
    con = duckdb.connect(database)
    for name, value in SETTINGS.items():
        con.execute(f"SET {name} = {str(value).lower()}")
    root = spill_dir().resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)  # DuckDB makes the connection's folder, not its parents
    except OSError:
        pass  # a query that must spill then fails with a one-line message; the others are unaffected
    own = root / f"{os.getpid()}-{next(_connections)}-{secrets.token_hex(4)}"
    con.execute(f"SET temp_directory = {string_sql(str(own))}")
    return con


_PREFIXES = ("Invalid Input Error: ", "IO Error: ", "Conversion Error: ", "Binder Error: ",
             "Parser Error: ", "Catalog Error: ")


def duckdb_message(err: Exception) -> str:
    """The first line of a DuckDB error, without its category prefix."""
    text = str(err).strip().splitlines()
    first = text[0] if text else type(err).__name__
    for prefix in _PREFIXES:
        first = first.removeprefix(prefix)
    return first
