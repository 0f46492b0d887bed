"""Exports of a rule set: standalone Python, a scikit-learn estimator module, a human-learn snippet,
SQL for DuckDB and other engines, PMML 4.4, and the rules JSON. Each reproduces the studio's
predictions exactly; a rule a format cannot express is refused with a message (ExportError)."""

from __future__ import annotations

from ..rules import RuleSet
from ..schema import Schema
from .errors import ExportError
from .hulearn import to_hulearn
from .pmml import to_pmml
from .python import to_python, to_sklearn
from .sql import DIALECTS, to_sql

FORMATS = {
    "python": ("Python module (numpy/pandas)", ".py"),
    "sklearn": ("scikit-learn estimator module", ".py"),
    "human-learn": ("human-learn snippet", ".py"),
    "sql": ("SQL SELECT", ".sql"),
    "pmml": ("PMML 4.4 RuleSetModel", ".pmml"),
    "json": ("rules JSON (rule-studio/1)", ".json"),
}


def export(rules: RuleSet, fmt: str, *, dialect: str = "duckdb", schema: Schema | None = None,
           table: str = "data") -> str:
    """The rule set rendered in ``fmt`` (one of FORMATS)."""
    rules.check()
    if fmt == "python":
        return to_python(rules)
    if fmt == "sklearn":
        return to_sklearn(rules)
    if fmt == "human-learn":
        return to_hulearn(rules)
    if fmt == "sql":
        return to_sql(rules, dialect=dialect, schema=schema, table=table)
    if fmt == "pmml":
        return to_pmml(rules, schema=schema)
    if fmt == "json":
        return rules.to_json() + "\n"
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["DIALECTS", "FORMATS", "ExportError", "export", "to_hulearn", "to_pmml", "to_python", "to_sklearn",
           "to_sql"]
