"""A scoring API over HTTP (starlette + uvicorn, the ``serve`` extra): POST records, get predictions
and the rules that fired.

    python -m studio serve rules.json --port 8000

- ``POST /predict`` with a JSON list of records (or ``{"records": [...]}``, or one record):
  ``{"predictions": [...], "rules": [...]}`` (rule: the name of the rule that fired, null for the default);
- ``GET /rules``: the rule set; ``GET /health``: liveness.

Every bad request gets a 4xx and a JSON message (malformed or too deeply nested JSON, a body too
large or too slow, a missing column, a value of the wrong type); the server keeps serving. Parsing,
scoring and writing an answer run in worker processes (:mod:`.workers`), at most
``SCORING_PROCESSES`` at once, never on the event loop, so ``/health`` answers while heavy requests
are scored; slow or idle connections are closed (:mod:`.http_guard`).
"""

from __future__ import annotations

import asyncio
import os
import resource
from contextlib import asynccontextmanager
from concurrent.futures.process import BrokenProcessPool

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..data.schema import Schema
from ..rules.model import RuleSet
from .records import BadRequest, Scorer
from .workers import ScoringPool, answer_in_worker, answer

MAX_BODY_BYTES = 50_000_000
BODY_SECONDS = 30.0
SCORING_PROCESSES = max(1, min(4, os.cpu_count() or 1))


async def _body(request: Request) -> bytes:
    """The request body, at most ``MAX_BODY_BYTES``, within ``BODY_SECONDS``."""
    async def read() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise BadRequest(f"the body is larger than {MAX_BODY_BYTES / 1e6:g} MB", status=413)
            chunks.append(chunk)
        return b"".join(chunks)
    try:
        return await asyncio.wait_for(read(), BODY_SECONDS)
    except asyncio.TimeoutError:
        raise BadRequest(f"the body did not arrive within {BODY_SECONDS:g} s", status=408) from None


def create_app(rules: RuleSet, schema: Schema | None = None, processes: int = SCORING_PROCESSES) -> Starlette:
    """The HTTP application for one rule set (``processes``: scoring worker processes; 0 scores in a
    thread of the server, as an embedding application may prefer)."""
    scorer = Scorer(rules, schema)
    pool = ScoringPool(rules, schema, processes) if processes else None
    limiter = anyio.CapacityLimiter(max(1, processes))

    async def score(body: bytes) -> tuple[int, bytes]:
        if pool is None:
            return await run_in_threadpool(answer, scorer, body)
        try:
            return await asyncio.wrap_future(pool.executor().submit(answer_in_worker, body))
        except BrokenProcessPool:
            pool.restart()
            return 503, b'{"error":"a scoring worker stopped; try again"}'

    async def predict(request: Request) -> Response:
        try:
            body = await _body(request)
        except BadRequest as err:
            return JSONResponse({"error": str(err)}, status_code=err.status)
        except ClientDisconnect:
            return JSONResponse({"error": "the client went away"}, status_code=400)
        async with limiter:
            status, content = await score(body)
        return Response(content, status_code=status, media_type="application/json")

    async def get_rules(request: Request) -> JSONResponse:
        return JSONResponse(scorer.spec)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "rules": len(scorer.rules.enabled_rules),
                             "columns": sorted(scorer.kinds)})

    @asynccontextmanager
    async def lifespan(app):
        if pool is not None:  # the workers start now, not on the first request
            for _ in range(processes):
                pool.executor().submit(answer_in_worker, b"[]")
        yield
        if pool is not None:
            pool.close()

    return Starlette(routes=[Route("/predict", predict, methods=["POST"]), Route("/rules", get_rules),
                             Route("/health", health)], lifespan=lifespan)


def _raise_file_limit() -> None:
    """As many open connections as the system allows this process (its hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65_536) if hard != resource.RLIM_INFINITY
                                                        else 65_536, hard))
        except (ValueError, OSError):
            pass


def serve(rules: RuleSet, host: str = "127.0.0.1", port: int = 8000, schema: Schema | None = None) -> None:
    import uvicorn

    from .http_guard import GuardedH11Protocol

    _raise_file_limit()
    config = uvicorn.Config(create_app(rules, schema), host=host, port=port, log_level="warning",
                            http=GuardedH11Protocol, timeout_keep_alive=5, backlog=4096)
    uvicorn.Server(config).run()
