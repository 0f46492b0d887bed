"""SQL: a ``SELECT`` adding the prediction and the fired rule's name, for DuckDB and, through sqlglot,
Spark, PostgreSQL, BigQuery, Snowflake and T-SQL."""

from __future__ import annotations

from sqlglot import exp

from ..data.schema import STRING, Schema
from ..data.sources import missing_markers
from ..engine.compile import fired_rule_sql, prediction_sql
from ..rules.model import RuleSet
from .errors import ExportError
from .registry import ExportFormat, register

DIALECTS = {"duckdb": "DuckDB", "spark": "Apache Spark", "postgres": "PostgreSQL", "bigquery": "BigQuery",
            "snowflake": "Snowflake", "tsql": "T-SQL (SQL Server)"}


def table_ref(name: str) -> exp.Table:
    """``catalog.schema.table`` (dots separate the parts), every part a quoted identifier."""
    parts = [p for p in name.split(".")]
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise ExportError(f"table name {name!r} must be table, schema.table or catalog.schema.table")
    ids = [exp.Identifier(this=p, quoted=True) for p in parts]
    return exp.Table(this=ids[-1], db=ids[-2] if len(ids) > 1 else None, catalog=ids[0] if len(ids) > 2 else None)


def read_missing(expr: exp.Expression, missing, schema: Schema | None) -> exp.Expression:
    """``expr`` with each column it reads seen through the data's missing markers: a marker is NULL,
    and a column the studio reads as a number, date or flag is cast to that type (the table may hold
    the file's text as it was written)."""
    markers = missing_markers(missing)
    if not markers:
        return expr
    if schema is None:
        raise ExportError("SQL reading missing markers needs the dataset's column types (give the data)")

    def clean(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Column):
            return node
        text = exp.Cast(this=node.copy(), to=exp.DataType.build("TEXT"))
        value = node.copy()
        if node.name in schema and schema.kind(node.name) != STRING:
            value = exp.Cast(this=value, to=exp.DataType.build(schema.type_of(node.name), dialect="duckdb"))
        marked = exp.In(this=text, expressions=[exp.Literal.string(m) for m in markers])
        return exp.Case(ifs=[exp.If(this=marked, true=exp.Null())], default=value)

    return expr.transform(clean)


def to_sql(rules: RuleSet, dialect: str = "duckdb", schema: Schema | None = None, table: str = "data",
           prediction: str = "prediction", rule: str = "rule", missing=()) -> str:
    """``SELECT *, <CASE> AS prediction, <CASE> AS rule FROM table`` in the chosen dialect; with
    ``missing`` (the texts the data writes for a missing value) the conditions read those as NULL."""
    if dialect not in DIALECTS:
        raise ExportError(f"unknown SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    query = exp.select(
        exp.Star(),
        exp.alias_(read_missing(prediction_sql(rules, schema), missing, schema), prediction, quoted=True),
        exp.alias_(read_missing(fired_rule_sql(rules, schema), missing, schema), rule, quoted=True),
    ).from_(table_ref(table))
    if dialect == "tsql":  # SQL Server floats hold no NaN, and CAST('NaN' AS FLOAT) would fail there
        query = query.transform(lambda node: node.this if _is_nan_guard(node) else node)
        query = query.transform(_double_precision)
    return query.sql(dialect=dialect, pretty=True) + ";\n"


def _double_precision(node: exp.Expression) -> exp.Expression:
    """DOUBLE spelled DOUBLE PRECISION, SQL Server's synonym of FLOAT(53): a bare FLOAT reads as
    single precision in other dialects and tools."""
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.DOUBLE:
        return exp.DataType(this=exp.DataType.Type.USERDEFINED, kind="DOUBLE PRECISION")
    return node


def _is_nan_guard(node: exp.Expression) -> bool:
    """``NULLIF(col, CAST('NaN' AS DOUBLE))``, which the compiler puts around floating columns."""
    return (isinstance(node, exp.Nullif) and isinstance(node.expression, exp.Cast)
            and node.expression.this.is_string and node.expression.this.name == "NaN")


register(ExportFormat(
    "sql", "SQL SELECT", ".sql", "sql",
    "A SELECT that adds `prediction` and `rule`. Point it at a warehouse table with the table name.", to_sql,
    options=("dialect", "table", "schema", "missing")))
