"""The rules checked on the full data: a larger source the server is configured with — a Parquet or
CSV file read by DuckDB, or a Spark table — evaluated in the background with the same split rule (a
key column: ``md5(seed:key)`` within each class), its figures and the time they took. A file is loaded
once per version into a DuckDB database file of its own (within the memory limit of
``RULE_STUDIO_MEMORY_LIMIT``) and shared by every check, one check at a time.

Configured by whoever runs the studio, never by the browser: ``RULE_STUDIO_FULL_DATA`` (a file path,
or ``spark:TABLE``), ``RULE_STUDIO_FULL_KEY`` (the key column) and, for Spark,
``RULE_STUDIO_SPARK_MASTER`` (default ``local[*]``) or ``RULE_STUDIO_SPARK_REMOTE`` (Spark Connect)."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from ..errors import StudioError
from ..rules.model import RuleSet

FULL_DATA, FULL_KEY = "RULE_STUDIO_FULL_DATA", "RULE_STUDIO_FULL_KEY"
_LOADED: dict = {"version": None, "data": None}  # the full data as last loaded
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class FullSource:
    kind: str     # "duckdb" or "spark"
    where: str    # the file, or the Spark table
    key: str

    def describe(self) -> str:
        return f"Spark table {self.where}" if self.kind == "spark" else os.path.basename(self.where)


def configured_source() -> FullSource | None:
    """The full data the server names, or None; a configuration that cannot work says why."""
    where, key = os.environ.get(FULL_DATA, "").strip(), os.environ.get(FULL_KEY, "").strip()
    if not where:
        return None
    if not key:
        raise StudioError(f"{FULL_DATA} is set but {FULL_KEY} is not: the full data is split by a key column")
    if where.startswith("spark:"):
        return FullSource("spark", where[len("spark:"):], key)
    if not os.path.isfile(where):
        raise StudioError(f"{FULL_DATA} names {where!r}, which is not a file")
    return FullSource("duckdb", where, key)


def spark_session():
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName("rule-studio")
    remote = os.environ.get("RULE_STUDIO_SPARK_REMOTE")
    builder = builder.remote(remote) if remote else builder.master(os.environ.get("RULE_STUDIO_SPARK_MASTER",
                                                                                  "local[*]"))
    return builder.getOrCreate()


def check(source: FullSource, rules: RuleSet, target: str, positive, test_size: float, seed: int):
    """The rules' report on the full data (an :class:`~studio.engine.results.Evaluation`)."""
    if source.kind == "spark":
        try:
            from .spark import evaluate_spark
            spark = spark_session()
        except ImportError:
            raise StudioError("checking on Spark needs pyspark installed on the server") from None
        return evaluate_spark(spark, source.where, rules, key=source.key, target=target, positive=positive,
                              test_size=test_size, seed=seed)
    from .evaluate import evaluate
    with _ONE_AT_A_TIME:  # a split replaces the last one's view
        split = _full_data(source.where).split(target, positive=positive, test_size=test_size, seed=seed,
                                               key=source.key)
        return evaluate(split, rules)


def _full_data(path: str):
    """The file on disk in DuckDB, loaded again only when the file changed."""
    from ..data.bundled import load
    from ..data.connection import StoreUnavailable
    from ..data.limits import LoadLimits
    info = os.stat(path)
    version = (path, info.st_mtime_ns, info.st_size)
    if _LOADED["version"] != version:
        if _LOADED["data"] is not None:
            _LOADED["data"].close()
        _LOADED.update(version=None, data=None)
        memory = LoadLimits.from_env().memory_limit
        try:
            _LOADED["data"] = load(path, on_disk=True, memory_limit=memory)
        except StoreUnavailable:  # a read-only data folder: in memory, as before
            _LOADED["data"] = load(path, memory_limit=memory)
        _LOADED["version"] = version
    return _LOADED["data"]


@dataclass
class FullCheck:
    """One check, running or done."""
    rules: RuleSet
    source: FullSource
    started: float = field(default_factory=time.perf_counter)
    seconds: float | None = None   # how long it took, once done
    report: object = None
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.seconds is not None

    def elapsed(self) -> float:
        return self.seconds if self.done else time.perf_counter() - self.started


def start_check(source: FullSource, rules: RuleSet, target: str, positive, test_size: float, seed: int) -> FullCheck:
    """Run :func:`check` in a background thread; the returned record fills in when it ends."""
    job = FullCheck(rules, source)

    def run() -> None:
        try:
            job.report = check(source, rules, target, positive, test_size, seed)
        except StudioError as err:
            job.error = str(err)
        except Exception as err:  # the engine's own failure, said in one line
            job.error = f"{type(err).__name__}: {str(err).strip().splitlines()[0][:300] if str(err).strip() else ''}"
        finally:
            job.seconds = time.perf_counter() - job.started

    threading.Thread(target=run, name="full-data-check", daemon=True).start()
    return job
