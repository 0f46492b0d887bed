"""Datasets in DuckDB: CSV and Parquet files go straight into DuckDB; DataFrames are registered.

Every :class:`Dataset` owns its own in-process DuckDB connection, so two users
never share a table and no connection is used from two threads at once.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import DataError
from .connection import connect, connect_on_disk, duckdb_message, release, remove_database
from .guard import QueryGuard
from .limits import LoadLimits, check_file, csv_head_columns
from .labels import canonical_sql
from .quoting import column, string_sql
from .schema import Schema
from .sources import (PARQUET_SUFFIXES, check_readable, csv_source, file_source, missing_markers, parquet_source,
                      ragged_line)
from .split import TimeOrder, make_split
from .tables import RESERVED, RESERVED_PREFIX, TABLE



@dataclass
class Dataset:
    """A table named ``data`` in a DuckDB connection of its own, with where it came from."""

    con: duckdb.DuckDBPyConnection
    name: str
    source: str = ""
    synthetic: bool = False
    description: str = ""
    suggested_target: str | None = None
    missing: tuple[str, ...] = ()  # the texts a CSV was read with as missing values
    suggested_positive: object = None
    limits: LoadLimits | None = field(default=None, repr=False, compare=False)
    lock: QueryGuard = field(default=None, repr=False, compare=False)  # every query on ``con`` holds it
    _schema: Schema | None = field(default=None, repr=False, compare=False)
    _n_rows: int | None = field(default=None, repr=False, compare=False)
    _class_counts: dict = field(default_factory=dict, repr=False, compare=False)
    split_columns: dict = field(default_factory=dict, repr=False, compare=False)  # what they hold (split_store)
    database: Path | None = field(default=None, repr=False, compare=False)  # the file of a dataset kept on disk

    def __post_init__(self):
        if self.lock is None:
            self.lock = QueryGuard(self.con, self.limits.query_seconds if self.limits else None)
        if self.database is not None:  # a file on disk goes with the dataset, at the latest when the process ends
            weakref.finalize(self, release, self.con, self.database)

    # ---- loading ---------------------------------------------------------
    @classmethod
    def _create(cls, select_sql: str, name: str, source: str, params=None, path: Path | None = None,
                limits: LoadLimits | None = None, on_disk: bool = False, memory_limit: str | None = None,
                **kwargs) -> "Dataset":
        """``CREATE TABLE data AS select_sql``; with ``limits``, the file is checked first and at most
        the allowed rows are loaded, within the load time limit and the memory limit. ``on_disk``: the
        table is kept in a database file of its own (see :mod:`.connection`), for data larger than
        memory; ``memory_limit``: DuckDB's, e.g. ``"6GB"``."""
        con, database = connect_on_disk() if on_disk else (connect(), None)
        try:
            if memory_limit:
                try:
                    con.execute(f"SET memory_limit = {string_sql(str(memory_limit))}")
                except duckdb.Error:
                    raise DataError(f"memory limit {str(memory_limit)[:40]!r} is not a size such as 6GB") from None
            with QueryGuard(con, limits.load_seconds if limits else None):
                if limits is not None:
                    if limits.memory_limit:
                        con.execute(f"SET memory_limit = {string_sql(limits.memory_limit)}")
                    if path is not None:
                        check_file(con, path, limits, name)
                    columns = len(Schema.of(con, select_sql).columns)
                    limits.check_columns(name, columns)
                    select_sql = f"SELECT * FROM ({select_sql}) LIMIT {limits.max_rows(columns) + 1}"
                elif path is not None and not str(path).lower().endswith(PARQUET_SUFFIXES):
                    csv_head_columns(path, name)  # a first line too long for a header is said before a long read
                con.execute(f"CREATE TABLE {TABLE} AS {select_sql}", params or [])
        except DataError:
            con.close()
            remove_database(database)
            raise
        except duckdb.Error as err:
            con.close()
            remove_database(database)
            raise DataError(f"cannot read {name}: {duckdb_message(err)}") from None
        ds = cls(con=con, name=name, source=source, limits=limits, database=database, **kwargs)
        try:
            if limits is not None and ds.n_rows > limits.max_rows(len(ds.columns)):
                raise DataError(limits.rows_message(name, ds.n_rows, len(ds.columns)).replace(
                    f"has {ds.n_rows:,} rows", f"has more than {ds.n_rows - 1:,} rows"))
            ds._check_loaded()
        except DataError:
            ds.close()
            raise
        return ds

    @classmethod
    def from_file(cls, path: str | Path, name: str | None = None, missing=(), **kwargs) -> "Dataset":
        """Load a CSV (delimiter, quoting and types sniffed; ``missing``: texts read as missing values)
        or Parquet file into DuckDB."""
        p = check_readable(path)
        markers = missing_markers(missing)
        return cls._create(f"SELECT * FROM {file_source(p, markers)}", name or p.name, str(p), path=p,
                           missing=markers, **kwargs)

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None, **kwargs) -> "Dataset":
        p = check_readable(path)
        return cls._create(f"SELECT * FROM {csv_source(p)}", name or p.name, str(p), path=p, **kwargs)

    @classmethod
    def from_parquet(cls, path: str | Path, name: str | None = None, **kwargs) -> "Dataset":
        p = check_readable(path)
        return cls._create(f"SELECT * FROM {parquet_source(p)}", name or p.name, str(p), path=p, **kwargs)

    @classmethod
    def from_dataframe(cls, frame, name: str = "dataframe", **kwargs) -> "Dataset":
        """Copy a pandas DataFrame into DuckDB."""
        con = connect()
        try:
            con.register("__rs_frame", frame)
            con.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM __rs_frame")
            con.unregister("__rs_frame")
        except (duckdb.Error, ValueError, TypeError) as err:
            con.close()
            raise DataError(f"cannot load {name}: {duckdb_message(err)}") from None
        ds = cls(con=con, name=name, source=kwargs.pop("source", "DataFrame"), **kwargs)
        ds._check_loaded()
        return ds

    def bound(self, limits: LoadLimits) -> "Dataset":
        """Apply ``limits``' query time and memory limits to this dataset's later queries."""
        self.limits = limits
        self.lock.seconds = limits.query_seconds
        if limits.memory_limit:
            with self.lock:
                self.con.execute(f"SET memory_limit = {string_sql(limits.memory_limit)}")
        return self

    def _check_loaded(self) -> None:
        schema = self.schema
        if self.n_rows == 0:
            raise DataError(f"{self.name} has no rows")
        if len(schema.names) == 1 and self.source and not self.source.lower().endswith(PARQUET_SUFFIXES):
            ragged = ragged_line(self.source)
            if ragged or any(sep in schema.names[0] for sep in (",", ";", "\t", "|")):
                raise DataError(f"{self.name} was read as one column ({schema.names[0][:60]!r})"
                                + (f": its rows are ragged ({ragged})" if ragged else
                                   ": are its delimiter and quotes regular?"))
        names = Schema.of(self.con, TABLE).names
        clash = [c for c in names if c in RESERVED or c.lower().startswith(RESERVED_PREFIX)]
        if clash:
            raise DataError(f"{self.name} uses reserved column name {clash[0]!r} (names starting with "
                            f"{RESERVED_PREFIX!r} are the studio's own)")
        hides = [c for c in names if c.lower() == "rowid"]
        if hides:  # it would hide DuckDB's row number, which the split and the row pages are built on
            raise DataError(f"{self.name} has a column named {hides[0]!r}, the name DuckDB gives each row's number: "
                            "rename that column and open the file again")

    # ---- facts -----------------------------------------------------------
    @property
    def schema(self) -> Schema:
        if self._schema is None:
            with self.lock:
                every = Schema.of(self.con, TABLE)  # less the split's own columns (see split_store)
                self._schema = Schema(tuple(c for c in every.columns if not c[0].startswith(RESERVED_PREFIX)))
        return self._schema

    @property
    def columns(self) -> list[str]:
        return self.schema.names

    @property
    def n_rows(self) -> int:
        if self._n_rows is None:  # the table does not change once loaded
            with self.lock:
                self._n_rows = self.con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        return self._n_rows

    @property
    def label(self) -> str:
        """The name shown to users, marked when the data is synthetic."""
        return f"{self.name} (synthetic)" if self.synthetic else self.name

    def class_counts(self, target: str) -> list[tuple[str, int]]:
        """(canonical label, rows) for the target column, largest class first; NULLs left out
        (computed once per column)."""
        if target in self._class_counts:
            return self._class_counts[target]
        if target not in self.schema:
            raise DataError(f"unknown target column {target!r}{self.schema.suggest(target)}")
        label = canonical_sql(column(target), self.schema.type_of(target)).sql("duckdb")
        raw = column(target).sql("duckdb")  # each distinct value labelled once, not each row
        sql = (f"SELECT l, sum(__rs_n)::BIGINT AS n FROM (SELECT {label} AS l, __rs_n FROM "
               f"(SELECT {raw}, count(*) AS __rs_n FROM {TABLE} GROUP BY ALL)) "
               f"WHERE l IS NOT NULL GROUP BY l ORDER BY n DESC, l")
        with self.lock:
            counts = [(str(l), int(n)) for l, n in self.con.execute(sql).fetchall()]
        self._class_counts[target] = counts
        return counts

    def fetch(self, sql: str, params=None):
        """Run a query on this dataset's connection and return a pandas DataFrame (small results)."""
        with self.lock:
            return self.con.execute(sql, params or []).df()

    def split(self, target: str, positive=None, test_size: float = 0.5, seed: int = 0, by_time=None,
              key: str | None = None):
        """Make the held-out split (see :func:`studio.data.split.make_split`; ``by_time``: a
        :class:`~studio.data.split.TimeOrder`, or a column name for the default cutoff; ``key``: a
        column that ranks the rows instead of their order in the file)."""
        if isinstance(by_time, str):
            by_time = TimeOrder(by_time)
        return make_split(self, target, positive=positive, test_size=test_size, seed=seed, by_time=by_time, key=key)

    def close(self) -> None:
        """Stop whatever runs on the connection (a background computation, say), then close it."""
        try:
            self.con.interrupt()
        except duckdb.Error:
            pass
        with self.lock:
            self.con.close()
        remove_database(self.database)
