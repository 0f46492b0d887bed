"""Datasets in DuckDB: CSV and Parquet files go straight into DuckDB; DataFrames are registered.

Every :class:`Dataset` owns its own in-process DuckDB connection, so two users
never share a table and no connection is used from two threads at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from sqlglot import exp

from .compile import column
from .errors import DataError
from .labels import canonical_sql
from .schema import Schema

TABLE = "data"
RESERVED = ("__rs_row", "__rs_label", "__rs_y", "__rs_test")
RESERVED_PREFIX = "__rs_"  # the studio's own columns in split tables and queries

# Types the CSV sniffer may choose. BOOLEAN is left out on purpose: DuckDB reads
# yes/no as booleans, and a user who sees "yes" in the file expects "yes" in a rule.
CSV_TYPES = ["BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "TIME", "VARCHAR"]

CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".csv.zst")
PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")


def _duckdb_message(err: Exception) -> str:
    text = str(err).strip().splitlines()
    first = text[0] if text else type(err).__name__
    for prefix in ("Invalid Input Error: ", "IO Error: ", "Conversion Error: ", "Binder Error: ",
                   "Parser Error: ", "Catalog Error: "):
        first = first.removeprefix(prefix)
    return first


def csv_source(path: str | Path) -> str:
    """A ``read_csv`` call for ``path`` with the studio's sniffing options (literal safely quoted)."""
    types = ", ".join(exp.Literal.string(t).sql() for t in CSV_TYPES)
    return f"read_csv({exp.Literal.string(str(path)).sql('duckdb')}, auto_type_candidates=[{types}])"


def parquet_source(path: str | Path) -> str:
    return f"read_parquet({exp.Literal.string(str(path)).sql('duckdb')})"


def file_source(path: str | Path) -> str:
    """The DuckDB table function that reads ``path``, chosen by its suffix (CSV by default)."""
    name = str(path).lower()
    if name.endswith(PARQUET_SUFFIXES):
        return parquet_source(path)
    return csv_source(path)


def check_readable(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise DataError(f"file not found: {path}")
    if p.is_dir():
        raise DataError(f"{path} is a folder, not a data file")
    if p.stat().st_size == 0:
        raise DataError(f"{p.name} is empty")
    return p


def file_schema(con, path: str | Path) -> Schema:
    """The columns and types of a CSV/Parquet file, read by DuckDB without loading its rows."""
    source = file_source(check_readable(path))
    try:
        return Schema.of(con, f"SELECT * FROM {source}")
    except duckdb.Error as err:
        raise DataError(f"cannot read {Path(path).name}: {_duckdb_message(err)}") from None


@dataclass
class Dataset:
    """A table named ``data`` in a DuckDB connection of its own, with where it came from."""

    con: duckdb.DuckDBPyConnection
    name: str
    source: str = ""
    synthetic: bool = False
    description: str = ""
    suggested_target: str | None = None
    suggested_positive: object = None
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    _schema: Schema | None = field(default=None, repr=False, compare=False)
    _n_rows: int | None = field(default=None, repr=False, compare=False)
    _class_counts: dict = field(default_factory=dict, repr=False, compare=False)

    # ---- loading ---------------------------------------------------------
    @classmethod
    def _create(cls, select_sql: str, name: str, source: str, params=None, **kwargs) -> "Dataset":
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"CREATE TABLE {TABLE} AS {select_sql}", params or [])
        except duckdb.Error as err:
            con.close()
            raise DataError(f"cannot read {name}: {_duckdb_message(err)}") from None
        ds = cls(con=con, name=name, source=source, **kwargs)
        ds._check_loaded()
        return ds

    @classmethod
    def from_file(cls, path: str | Path, name: str | None = None, **kwargs) -> "Dataset":
        """Load a CSV (delimiter, quoting and types sniffed) or Parquet file into DuckDB."""
        p = check_readable(path)
        return cls._create(f"SELECT * FROM {file_source(p)}", name or p.name, str(p), **kwargs)

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None, **kwargs) -> "Dataset":
        p = check_readable(path)
        return cls._create(f"SELECT * FROM {csv_source(p)}", name or p.name, str(p), **kwargs)

    @classmethod
    def from_parquet(cls, path: str | Path, name: str | None = None, **kwargs) -> "Dataset":
        p = check_readable(path)
        return cls._create(f"SELECT * FROM {parquet_source(p)}", name or p.name, str(p), **kwargs)

    @classmethod
    def from_dataframe(cls, frame, name: str = "dataframe", **kwargs) -> "Dataset":
        """Copy a pandas DataFrame into DuckDB."""
        con = duckdb.connect(":memory:")
        try:
            con.register("__rs_frame", frame)
            con.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM __rs_frame")
            con.unregister("__rs_frame")
        except (duckdb.Error, ValueError, TypeError) as err:
            con.close()
            raise DataError(f"cannot load {name}: {_duckdb_message(err)}") from None
        ds = cls(con=con, name=name, source=kwargs.pop("source", "DataFrame"), **kwargs)
        ds._check_loaded()
        return ds

    def _check_loaded(self) -> None:
        schema = self.schema
        if self.n_rows == 0:
            raise DataError(f"{self.name} has no rows")
        clash = [c for c in schema.names if c in RESERVED or c.lower().startswith(RESERVED_PREFIX)]
        if clash:
            raise DataError(f"{self.name} uses reserved column name {clash[0]!r} (names starting with "
                            f"{RESERVED_PREFIX!r} are the studio's own)")

    # ---- facts -----------------------------------------------------------
    @property
    def schema(self) -> Schema:
        if self._schema is None:
            with self.lock:
                self._schema = Schema.of(self.con, TABLE)
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
        sql = (f"SELECT l, count(*) AS n FROM (SELECT {label} AS l FROM {TABLE}) "
               f"WHERE l IS NOT NULL GROUP BY l ORDER BY n DESC, l")
        with self.lock:
            counts = [(str(l), int(n)) for l, n in self.con.execute(sql).fetchall()]
        self._class_counts[target] = counts
        return counts

    def fetch(self, sql: str, params=None):
        """Run a query on this dataset's connection and return a pandas DataFrame (small results)."""
        with self.lock:
            return self.con.execute(sql, params or []).df()

    def split(self, target: str, positive=None, test_size: float = 0.5, seed: int = 0):
        """Make the held-out split (see :func:`studio.split.make_split`)."""
        from .split import make_split
        return make_split(self, target, positive=positive, test_size=test_size, seed=seed)

    def close(self) -> None:
        self.con.close()
