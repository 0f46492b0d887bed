"""A scoring API over HTTP (starlette + uvicorn): POST records, get predictions and fired rules.

    python -m studio serve rules.json --port 8000

- ``POST /predict`` with a JSON list of records (or ``{"records": [...]}``, or one record):
  ``{"predictions": [...], "rules": [...]}`` (rule: the name of the rule that fired, null for the default);
- ``GET /rules``: the rule set; ``GET /health``: liveness.

Bad requests get a 4xx and a message (malformed JSON, a missing column, a value of the wrong
type); the server keeps serving. Column types come from the dataset when given, else from the
values the rules compare with.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..data.schema import BOOLEAN, EMPTY, NUMERIC, STRING, TEMPORAL, Schema
from ..rules.model import RuleSet
from ..rules.validate import rule_column_kinds
from .pyeval import fired_index

MAX_RECORDS = 100_000


class BadRequest(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


_EXPECTED = {NUMERIC: "a number", STRING: "a string", BOOLEAN: "true or false", TEMPORAL: "an ISO date/time string"}


def _fits(kind: str, value) -> bool:
    if value is None or kind == EMPTY:
        return True
    if kind == NUMERIC:
        try:
            return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        except OverflowError:  # an integer too large for a float
            return False
    if kind == BOOLEAN:
        return isinstance(value, bool)
    return isinstance(value, str)


class Scorer:
    """Scores records with a fixed rule set; thread-safe (no shared mutable state)."""

    def __init__(self, rules: RuleSet, schema: Schema | None = None):
        self.rules = rules.check()
        self.spec = rules.to_dict()
        self.kinds = rule_column_kinds(rules, schema)
        self.labels = np.array([r.then for r in rules.rules] + [rules.default], dtype=object)
        self.names = np.array(rules.names() + [None], dtype=object)

    def frame(self, records: list) -> pd.DataFrame:
        columns = {}
        for name, kind in self.kinds.items():
            values = []
            for i, record in enumerate(records):
                if not isinstance(record, dict):
                    raise BadRequest(f"record {i} is not a JSON object")
                if name not in record:
                    raise BadRequest(f"record {i} has no column {name!r}")
                value = record[name]
                if not _fits(kind, value):
                    raise BadRequest(f"record {i}, column {name!r}: expected {_EXPECTED.get(kind, 'a value')}, "
                                     f"got {json.dumps(value)}")
                values.append(value)
            if kind == NUMERIC:
                columns[name] = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
            elif kind == TEMPORAL:
                columns[name] = pd.to_datetime(pd.Series(values, dtype=object), errors="raise", format="ISO8601")
            else:
                columns[name] = pd.Series(values, dtype=object)
        return pd.DataFrame(columns, index=range(len(records)))

    def score(self, records: list) -> dict:
        fired = fired_index(self.frame(records), self.spec)
        return {"predictions": self.labels[fired].tolist(), "rules": self.names[fired].tolist()}


def records_of(payload) -> list:
    if isinstance(payload, dict) and "records" in payload:
        payload = payload["records"]
    elif isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise BadRequest("send a JSON list of records, {\"records\": [...]}, or one record")
    if len(payload) > MAX_RECORDS:
        raise BadRequest(f"at most {MAX_RECORDS:,} records per request", status=413)
    return payload


def create_app(rules: RuleSet, schema: Schema | None = None) -> Starlette:
    """The HTTP application for one rule set."""
    scorer = Scorer(rules, schema)

    async def predict(request: Request) -> JSONResponse:
        try:
            body = await request.body()
            try:
                payload = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                raise BadRequest(f"malformed JSON: {err}", status=400) from None
            records = records_of(payload)
            result = scorer.score(records) if len(records) <= 64 else await run_in_threadpool(scorer.score, records)
            return JSONResponse(result)
        except BadRequest as err:
            return JSONResponse({"error": str(err)}, status_code=err.status)
        except (TypeError, ValueError) as err:
            return JSONResponse({"error": f"cannot score these records: {err}"}, status_code=422)

    async def get_rules(request: Request) -> JSONResponse:
        return JSONResponse(scorer.spec)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "rules": len(scorer.rules.enabled_rules),
                             "columns": sorted(scorer.kinds)})

    return Starlette(routes=[Route("/predict", predict, methods=["POST"]), Route("/rules", get_rules),
                             Route("/health", health)])


def serve(rules: RuleSet, host: str = "127.0.0.1", port: int = 8000, schema: Schema | None = None) -> None:
    import uvicorn
    uvicorn.run(create_app(rules, schema), host=host, port=port, log_level="warning")
