"""Scoring in worker processes. Parsing a large body, scoring it and writing the answer are CPU work
that holds Python's interpreter lock: in a thread of the server they still delay the event loop
(``/health`` waited up to seconds while large batches were scored); in separate processes they do
not. Each worker builds its own :class:`Scorer` once; a request travels as bytes and comes back as
``(status, JSON bytes)``."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from ..data.schema import Schema
from ..rules.limits import MAX_DEPTH
from ..rules.model import RuleSet
from ..rules.rulefile import json_depth
from .records import BadRequest, Scorer, records_of

_scorer: Scorer | None = None


def parse_body(body: bytes):
    """A request body as JSON: UTF-8, nested at most ``MAX_DEPTH`` levels (BadRequest otherwise)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(f"the body is not UTF-8 text: {err.reason} at byte {err.start}", status=400) from None
    if json_depth(text) > MAX_DEPTH:
        raise BadRequest(f"the JSON is nested more than {MAX_DEPTH} levels deep", status=400)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise BadRequest(f"malformed JSON: {err}", status=400) from None
    except RecursionError:
        raise BadRequest(f"the JSON is nested more than {MAX_DEPTH} levels deep", status=400) from None


def _json(content) -> bytes:
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def answer(scorer: Scorer, body: bytes) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for one ``/predict`` request body."""
    try:
        return 200, _json(scorer.score(records_of(parse_body(body))))
    except BadRequest as err:
        return err.status, _json({"error": str(err)})
    except (TypeError, ValueError, KeyError) as err:
        return 422, _json({"error": f"cannot score these records: {str(err)[:300]}"})


def _start(rules: RuleSet, schema: Schema | None, parent: int) -> None:
    global _scorer
    _scorer = Scorer(rules, schema)
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker once the server that started it is gone (killed, say, with no time to stop
    its workers): a worker never outlives its server."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def answer_in_worker(body: bytes) -> tuple[int, bytes]:
    return answer(_scorer, body)


class ScoringPool:
    """At most ``processes`` worker processes scoring for one rule set, started on first use (and again
    after a worker died)."""

    def __init__(self, rules: RuleSet, schema: Schema | None, processes: int):
        self.rules, self.schema, self.processes = rules, schema, processes
        self._pool: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start, initargs=(self.rules, self.schema, os.getpid()))
        return self._pool

    def restart(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.restart()
