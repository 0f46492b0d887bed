"""A scoring API over HTTP (starlette + uvicorn, the ``serve`` extra): POST records, get predictions
and the rules that fired.

    python -m studio serve rules.json --port 8000

- ``POST /predict`` with a JSON list of records (or ``{"records": [...]}``, or one record):
  ``{"predictions": [...], "rules": [...]}`` (rule: the name of the rule that fired, null for the default);
- ``GET /rules``: the rule set; ``GET /health``: liveness.

Every bad request gets a 4xx and a JSON message (malformed or too deeply nested JSON, a body too
large or too slow, a missing column, a value of the wrong type); the server keeps serving. Scoring
runs in worker threads, at most ``SCORING_THREADS`` at once, never on the event loop, so ``/health``
answers while heavy requests are scored; slow or idle connections are closed (:mod:`.http_guard`).
"""

from __future__ import annotations

import asyncio
import json
import resource

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..data.schema import Schema
from ..rules.limits import MAX_DEPTH
from ..rules.model import RuleSet
from ..rules.rulefile import json_depth
from .records import BadRequest, Scorer, records_of

MAX_BODY_BYTES = 50_000_000
BODY_SECONDS = 30.0
SCORING_THREADS = 4


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


def _parse(body: bytes):
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


def create_app(rules: RuleSet, schema: Schema | None = None) -> Starlette:
    """The HTTP application for one rule set."""
    scorer = Scorer(rules, schema)
    limiter = anyio.CapacityLimiter(SCORING_THREADS)

    def answer(body: bytes) -> JSONResponse:
        """Parsing, scoring and writing the answer: all off the event loop, which keeps serving."""
        return JSONResponse(scorer.score(records_of(_parse(body))))

    async def predict(request: Request) -> JSONResponse:
        try:
            body = await _body(request)
            async with limiter:
                return await run_in_threadpool(answer, body)
        except BadRequest as err:
            return JSONResponse({"error": str(err)}, status_code=err.status)
        except ClientDisconnect:
            return JSONResponse({"error": "the client went away"}, status_code=400)
        except (TypeError, ValueError, KeyError) as err:
            return JSONResponse({"error": f"cannot score these records: {str(err)[:300]}"}, status_code=422)

    async def get_rules(request: Request) -> JSONResponse:
        return JSONResponse(scorer.spec)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "rules": len(scorer.rules.enabled_rules),
                             "columns": sorted(scorer.kinds)})

    return Starlette(routes=[Route("/predict", predict, methods=["POST"]), Route("/rules", get_rules),
                             Route("/health", health)])


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
