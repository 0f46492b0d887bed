"""Opening DuckDB connections the studio's way, and DuckDB errors as one line for users.

Every connection the studio opens comes from :func:`connect`: DuckDB's progress bar, which it
otherwise draws on standard output for any query slower than two seconds, is turned off (drawing
it, too: a later ``SET progress_bar_time`` turns the bar back on, but not its printing), so the
output of a command (JSON, say) is only what the command prints; and what a query cannot keep within
DuckDB's memory limit spills to a folder of the connection's own under the studio's spill folder
(:func:`studio.data.folders.spill_dir`; DuckDB makes it when it first spills and removes it on close),
never to the working directory. An ASOF join is always planned as one (DuckDB turns it into a nested
loop when it expects a side of a few rows, as it does for a rule's filter it cannot estimate: the
amounts of 15,000 bounds over the credit-card table's train rows took 82 s instead of one).

A dataset larger than memory is kept in a database file of its own under the store folder
(:func:`connect_on_disk`): DuckDB compresses it there and reads what a query needs through its
buffer pool, within the memory limit; the file goes when the dataset closes or is dropped, or the
process ends (:func:`remove_database`), and files left by a process that was killed are removed by the
next one that opens a file (no DuckDB holds their lock).
"""

from __future__ import annotations

import fcntl
import itertools
import os
import secrets
import time

import duckdb

from pathlib import Path

from ..errors import DataError
from .folders import spill_dir, store_dir
from .quoting import string_sql

_connections = itertools.count(1)
SETTINGS = {"enable_progress_bar": False, "enable_progress_bar_print": False,
            "asof_loop_join_threshold": 0}


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


class StoreUnavailable(DataError):
    """The store folder cannot hold a database file (a read-only data folder, say)."""


def connect_on_disk() -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A connection to a new database file under the store folder, and the file; a store folder that
    cannot be written is said in one line (DataError)."""
    root = store_dir().resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreUnavailable(f"the store folder for data kept on disk cannot be made ({err.strerror})") from None
    _remove_orphans(root)
    path = root / f"{os.getpid()}-{next(_connections)}-{secrets.token_hex(4)}.duckdb"
    _OWN.add(path)  # before the file exists: a sweep in another thread leaves it alone
    try:
        return connect(str(path)), path
    except duckdb.Error as err:
        _OWN.discard(path)
        remove_database(path)
        raise StoreUnavailable(f"a database file cannot be made in the store folder: {duckdb_message(err)}") from None


_OWN: set[Path] = set()  # this process's database files in use
SWEEP_AFTER_SECONDS = 60  # a younger file may be one another process is opening


def _remove_orphans(root: Path) -> None:
    """Remove the database files no connection holds: DuckDB locks the file it opens (an ``fcntl``
    lock, seen from any process on this machine), so a file whose lock can be taken was left by a
    process that died. This process's own files are never touched (taking a lock on a file the
    process holds would release DuckDB's)."""
    now = time.time()
    for path in root.glob("*.duckdb"):
        try:
            if path in _OWN or now - path.stat().st_mtime < SWEEP_AFTER_SECONDS:
                continue
            fd = os.open(path, os.O_RDWR)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # held: in use
            finally:
                os.close(fd)
            remove_database(path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove: a sweep never stops a load


def release(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
    """Close ``con`` and remove its database file (for a dataset dropped or left at exit)."""
    try:
        con.close()
    except duckdb.Error:
        pass
    remove_database(path)


def remove_database(path: Path | None) -> None:
    """Remove a closed database file and its write-ahead log (what cannot be removed is left)."""
    if path is not None:
        for leftover in (path, path.with_name(path.name + ".wal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        _OWN.discard(path)


_PREFIXES = ("Invalid Input Error: ", "IO Error: ", "Conversion Error: ", "Binder Error: ",
             "Parser Error: ", "Catalog Error: ")


def duckdb_message(err: Exception) -> str:
    """The first line of a DuckDB error, without its category prefix."""
    text = str(err).strip().splitlines()
    first = text[0] if text else type(err).__name__
    for prefix in _PREFIXES:
        first = first.removeprefix(prefix)
    return first
