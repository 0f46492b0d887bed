"""Records scored with a fixed rule set: JSON records checked against the rules' columns, read into
a frame by each column's type, and scored with numpy (:mod:`.pyeval`). No HTTP here: :mod:`.serve`.

Column types come from the dataset when given, else from the values the rules compare with; dates,
times and timestamps are parsed as such either way (ISO 8601), so ``"3:00:00" < "20:00:00"`` holds
as times do, not as text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import numpy as np
import pandas as pd

from ..data.schema import BOOLEAN, EMPTY, NUMERIC, STRING, TEMPORAL, Schema
from ..rules.model import RuleSet
from ..rules.validate import rule_column_kinds
from .pyeval import fired_index

MAX_RECORDS = 100_000


class BadRequest(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


_EXPECTED = {NUMERIC: "a number", STRING: "a string", BOOLEAN: "true or false", TEMPORAL: "an ISO date/time string",
             "TIME": "an ISO time (HH:MM:SS)", "DATE": "an ISO date (YYYY-MM-DD)",
             "TIMESTAMP": "an ISO timestamp (YYYY-MM-DD HH:MM:SS)"}


def temporal_type(duckdb_type: str | None = None, values=()) -> str | None:
    """TIME, DATE or TIMESTAMP: from a column's DuckDB type when known, else from the ISO strings the
    rules compare it with (None when they are not all dates or all times)."""
    if duckdb_type is not None:
        t = duckdb_type.upper()
        return "TIMESTAMP" if t.startswith("TIMESTAMP") else "DATE" if t == "DATE" else \
            "TIME" if t.startswith("TIME") else None
    texts = [v for v in values if isinstance(v, str)]
    if not texts or len(texts) != len(values):
        return None
    for kind, parse in (("TIME", dt.time.fromisoformat), ("DATE", dt.date.fromisoformat),
                        ("TIMESTAMP", dt.datetime.fromisoformat)):
        try:
            [parse(v) for v in texts]
            return kind
        except ValueError:
            continue
    return None


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")


def _time_of_day(value: str) -> pd.Timedelta:
    """``H:MM[:SS[.ffffff]]`` (one or two digits for the hour) as the time since midnight."""
    m = _TIME.match(value.strip())
    if not m:
        raise ValueError(value)
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(value)
    return pd.Timedelta(hours=hour, minutes=minute, seconds=second, microseconds=int((m[4] or "0").ljust(6, "0")))


def _temporal(kind: str, value):
    """An ISO string as pandas reads it for comparison: a Timedelta for a time of day, a Timestamp for a
    date or a timestamp (an offset converted to UTC); ValueError when it is not one."""
    if kind == "TIME":
        return _time_of_day(value)
    stamp = pd.Timestamp(dt.date.fromisoformat(value) if kind == "DATE" else dt.datetime.fromisoformat(value))
    return stamp.tz_convert(None) if stamp.tzinfo is not None else stamp


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
        self.times = {}  # column -> TIME / DATE / TIMESTAMP
        for name, kind in self.kinds.items():
            values = [v for _, r in rules.enabled_rules for c in r.when if c.column == name for v in c.values()]
            found = temporal_type(schema.type_of(name) if schema is not None and name in schema else None, values)
            if found and (kind in (TEMPORAL, STRING)):
                self.times[name] = found
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
                time_kind = self.times.get(name)
                if time_kind and value is not None:
                    try:
                        if not isinstance(value, str):
                            raise ValueError("not a string")
                        value = _temporal(time_kind, value)
                    except ValueError:
                        raise BadRequest(f"record {i}, column {name!r}: expected {_EXPECTED[time_kind]}, "
                                         f"got {_shown(value)}") from None
                elif not _fits(kind, value):
                    raise BadRequest(f"record {i}, column {name!r}: expected {_EXPECTED.get(kind, 'a value')}, "
                                     f"got {_shown(value)}")
                values.append(value)
            if name in self.times:
                columns[name] = pd.Series([pd.NaT if v is None else v for v in values],
                                          dtype="timedelta64[ns]" if self.times[name] == "TIME" else "datetime64[ns]")
            elif kind == NUMERIC:
                columns[name] = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
            else:
                columns[name] = pd.Series(values, dtype=object)
        return pd.DataFrame(columns, index=range(len(records)))

    def score(self, records: list) -> dict:
        fired = fired_index(self.frame(records), self.spec)
        return {"predictions": self.labels[fired].tolist(), "rules": self.names[fired].tolist()}


def _shown(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= 200 else text[:197] + "..."


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
