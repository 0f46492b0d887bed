"""Bounded work on a dataset's connection: every query holds the dataset's lock, and a watchdog
interrupts the connection when the lock has been held past the dataset's deadline. The query then
ends with a :class:`~studio.errors.DataError` saying so, and the connection stays usable.

One daemon thread watches every guarded connection of the process (it wakes a few times a second,
and ends when no query is being watched); no thread is started per query.
"""

from __future__ import annotations

import threading
import time
import weakref

import duckdb

from ..errors import DataError

TICK = 0.1  # seconds between the watchdog's looks


class TimeLimitExceeded(DataError):
    """A query ran past its dataset's deadline and was stopped."""


class QueryGuard:
    """A re-entrant lock for one connection whose outermost hold may last at most ``seconds``
    (None: no limit). Use it as ``with guard:`` around every query on the connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float | None = None):
        self.con = con
        self.seconds = seconds
        self._lock = threading.RLock()
        self._depth = 0
        self._deadline: float | None = None
        self._interrupted = False

    def __enter__(self) -> "QueryGuard":
        self._lock.acquire()
        self._depth += 1
        if self._depth == 1 and self.seconds:
            self._interrupted = False
            self._deadline = time.monotonic() + self.seconds
            _watch(self)
        return self

    def __exit__(self, kind, err, tb) -> None:
        outermost = self._depth == 1
        interrupted = self._interrupted
        if outermost:
            self._deadline = None
        self._depth -= 1
        self._lock.release()
        if outermost and interrupted and err is not None and isinstance(err, (duckdb.Error, RuntimeError)):
            raise TimeLimitExceeded(f"the work took longer than {self.seconds:g} s and was stopped; "
                                    "try fewer rows, columns or rules") from None

    # the RLock API, for code that takes the lock without ``with``
    def acquire(self, *args, **kwargs):
        return self._lock.acquire(*args, **kwargs)

    def release(self) -> None:
        self._lock.release()

    def _check(self, now: float) -> bool:
        """Interrupt the connection if the deadline passed; False once nothing is being watched."""
        deadline = self._deadline
        if deadline is None:
            return False
        if now > deadline and not self._interrupted:
            self._interrupted = True
            try:
                self.con.interrupt()
            except duckdb.Error:
                pass
        return True


_watched: "weakref.WeakSet[QueryGuard]" = weakref.WeakSet()
_watch_lock = threading.Lock()
_thread: threading.Thread | None = None


def _watch(guard: QueryGuard) -> None:
    global _thread
    with _watch_lock:
        _watched.add(guard)
        if _thread is None:
            _thread = threading.Thread(target=_run, name="rule-studio-watchdog", daemon=True)
            _thread.start()


def _run() -> None:
    """Look at every watched guard a few times a second; stop when none is left to watch."""
    global _thread
    while True:
        time.sleep(TICK)
        now = time.monotonic()
        with _watch_lock:
            guards = list(_watched)
        done = [guard for guard in guards if not guard._check(now)]
        with _watch_lock:
            for guard in done:
                _watched.discard(guard)
            if not _watched:
                _thread = None
                return
