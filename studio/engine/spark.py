"""A rule set's evaluation on Apache Spark: the studio's counting query, rendered for Spark SQL by
sqlglot, on the split a key column defines (``md5(seed:key)`` ranks the rows within each class, as
:func:`studio.data.split.make_split` does with ``key``), read back into the studio's usual report.

On the same data, the report equals DuckDB's exactly: the same split, the same counts, the same
metrics code. PySpark is optional: it is imported only here, when a Spark evaluation runs."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import sqlglot

from ..data.labels import canonical_sql, label_sort_key, resolve
from ..data.quoting import column, string_sql
from ..data.schema import NUMERIC, Schema
from ..data.split import KEY_TYPES, Split
from ..errors import DataError
from ..rules.model import RuleSet
from ..rules.validate import check_ruleset
from .compile import mask_words
from .evaluate import Extras, MatchCounts, evaluate
from .sums import EXACT, amount_sql

SPARK_TYPES = {"tinyint": "TINYINT", "byte": "TINYINT", "smallint": "SMALLINT", "short": "SMALLINT", "int": "INTEGER",
               "integer": "INTEGER", "bigint": "BIGINT", "long": "BIGINT", "float": "FLOAT", "double": "DOUBLE",
               "string": "VARCHAR", "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP",
               "timestamp_ntz": "TIMESTAMP"}
_views = itertools.count(1)


@dataclass
class SparkData:
    """Where a Spark evaluation's rows live, standing for a dataset in its report."""
    label: str
    schema: Schema
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def columns(self) -> list[str]:
        return self.schema.names


def spark_schema(frame) -> Schema:
    """A Spark DataFrame's columns with the DuckDB types the rule compiler knows."""
    out = []
    for name, kind in frame.dtypes:
        kind = kind.lower()
        if kind.startswith("decimal"):
            out.append((name, kind.upper()))
        elif kind.startswith("varchar") or kind.startswith("char"):
            out.append((name, "VARCHAR"))
        else:
            out.append((name, SPARK_TYPES.get(kind, kind.upper())))
    return Schema(tuple(out))


def _spark_sql(duckdb_sql: str) -> str:
    return sqlglot.transpile(duckdb_sql, read="duckdb", write="spark")[0]


def evaluate_spark(spark, source, rules: RuleSet, key: str, target: str | None = None, positive=None,
                   test_size: float = 0.5, seed: int = 0, amount: str | None = None):
    """``rules`` evaluated on ``source`` (a Spark table name or DataFrame) with the split ``key``
    defines: the studio's report (:class:`~studio.engine.results.Evaluation`). With ``amount`` (a
    column) the same query sums it exactly, and :func:`studio.engine.money.money` on the report's
    split gives the amount-weighted figures without another query."""
    frame = spark.table(source) if isinstance(source, str) else source
    schema = spark_schema(frame)
    target = target or rules.target
    if not target or target not in schema:
        raise DataError(f"unknown target column {target!r}" + (schema.suggest(target) if target else ""))
    if key not in schema:
        raise DataError(f"unknown key column {key!r}{schema.suggest(key)}")
    if key == target:
        raise DataError(f"the key {key!r} is the target")
    if schema.type_of(key) not in KEY_TYPES:
        raise DataError(f"the key {key!r} is {schema.type_of(key)}: a key is a whole number or a text")
    if not 0.0 < float(test_size) < 1.0:
        raise DataError(f"test fraction must be between 0 and 1, got {test_size}")
    check_ruleset(rules, schema)
    if amount is not None and amount not in schema:
        raise DataError(f"amount column {amount!r} is not in the data{schema.suggest(amount)}")
    if amount is not None and schema.kind(amount) != NUMERIC:
        raise DataError(f"amount column {amount!r} is not numeric ({schema.type_of(amount)})")
    view = f"rule_studio_source_{next(_views)}"
    frame.createOrReplaceTempView(view)
    try:
        if amount is not None:
            _check_amounts(spark, view, amount)
        return _evaluate(spark, view, schema, rules, key, target, positive, float(test_size), seed,
                         source if isinstance(source, str) else "a Spark DataFrame", amount)
    finally:
        spark.catalog.dropTempView(view)


def _check_amounts(spark, view: str, amount: str) -> None:
    """The messages of :func:`studio.engine.money.check_amount_column`, from Spark's rows."""
    x = amount_sql(amount)
    row = spark.sql(_spark_sql(f"SELECT count_if({x} < 0) AS negative, "
                               f"count_if(abs({x}) = CAST('Infinity' AS DOUBLE)) AS infinite FROM {view}")).collect()[0]
    if row["negative"]:
        raise DataError(f"amount column {amount!r} has {row['negative']:,} negative values: amounts must be ≥ 0 "
                        "(refunds and reversals are not amounts at risk)")
    if row["infinite"]:
        raise DataError(f"amount column {amount!r} has {row['infinite']:,} infinite values")


def _evaluate(spark, view, schema, rules, key, target, positive, test_size, seed, name, amount=None):
    k = column(key).sql("duckdb")
    label = canonical_sql(column(target), schema.type_of(target)).sql("duckdb")
    checks = spark.sql(_spark_sql(f"SELECT count(*) AS total, count(*) - count({k}) AS nulls, "
                                  f"count({k}) - count(DISTINCT {k}) AS repeats FROM {view}")).collect()[0]
    if checks["nulls"] or checks["repeats"]:
        what = f"{checks['nulls']:,} rows without a key" if checks["nulls"] else f"{checks['repeats']:,} repeated values"
        raise DataError(f"the key {key!r} must name every row once: it has {what}")
    classes = {r["l"]: int(r["n"]) for r in spark.sql(_spark_sql(
        f"SELECT {label} AS l, count(*) AS n FROM {view} GROUP BY 1")).collect() if r["l"] is not None}
    if len(classes) < 2:
        raise DataError(f"target {target!r} has fewer than two classes: nothing to classify")
    labels = sorted(classes, key=label_sort_key)
    largest_first = sorted(classes, key=lambda l: (-classes[l], l))  # as Dataset.class_counts orders them
    positive_label = largest_first[-1] if positive is None else resolve(positive, labels)
    if positive_label is None:
        raise DataError(f"positive label {positive!r} is not a class of {target!r}")
    fraction = Decimal(str(test_size))
    held = {l: int(classes[l] * fraction + Decimal("0.5")) for l in labels}
    index = " ".join(f"WHEN {string_sql(l)} THEN {i}" for i, l in enumerate(labels))
    limit = " ".join(f"WHEN {string_sql(l)} THEN {held[l]}" for l in labels)
    low = (2 * len(labels) - 1).bit_length()
    bits = 62 - low
    words = mask_words(list(rules.rules), bits, schema)
    cols = [f"{words[0]} * {1 << low} + __rs_y * 2 + __rs_test AS k0"]
    cols += [f"{w} AS m{i}" for i, w in enumerate(words[1:], start=1)]
    if amount is not None:  # exact: decimals, read back as text (as the DuckDB counting query does)
        cols.append(f"CAST(sum(CAST({amount_sql(amount)} AS {EXACT})) AS VARCHAR) AS a")
    sql = f"""
        SELECT {', '.join(cols)}, count(*) AS n FROM (
            SELECT *, CASE __rs_label {index} END AS __rs_y,
                   CAST(row_number() OVER (PARTITION BY __rs_label ORDER BY md5({string_sql(f'{seed}:')} ||
                        CAST({k} AS VARCHAR)), {k}) <= CASE __rs_label {limit} END AS INTEGER) AS __rs_test
            FROM (SELECT *, {label} AS __rs_label FROM {view}) WHERE __rs_label IS NOT NULL
        ) GROUP BY ALL"""
    try:
        rows = spark.sql(_spark_sql(sql)).collect()
    except Exception as err:  # Spark's own errors, said in one line
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DataError(f"Spark could not evaluate the rules: {first[:300]}") from None
    k0 = np.array([r["k0"] for r in rows], dtype=np.int64)
    matched = np.zeros((len(rows), len(rules.rules)), dtype=bool)
    masks = [k0 >> low] + [np.array([r[f"m{i}"] for r in rows], dtype=np.int64) for i in range(1, len(words))]
    for w, mask in enumerate(masks):
        for b in range(min(bits, len(rules.rules) - w * bits)):
            matched[:, w * bits + b] = (mask >> b) & 1 == 1
    counts = MatchCounts(test=(k0 & 1).astype(np.int8), label=(k0 & ((1 << low) - 1)) >> 1, matched=matched,
                         rows=np.array([r["n"] for r in rows], dtype=np.int64),
                         amount=np.array([Decimal(0) if r["a"] is None else Decimal(r["a"]) for r in rows] + [None],
                                         dtype=object)[:-1] if amount is not None else None)
    n = {side: {l: 0 for l in labels} for side in ("train", "test")}
    for t, y, rows_n in zip(counts.test, counts.label, counts.rows):
        n["test" if t else "train"][labels[y]] += int(rows_n)
    split = Split(dataset=SparkData(f"{name} (Spark)", schema), target=target, positive=positive_label,
                  labels=labels, test_size=test_size, seed=seed, counts=n, key=key,
                  excluded=int(checks["total"]) - sum(classes.values()))
    split.cache[tuple(r.when for r in rules.rules)] = counts  # the report reads these counts
    if amount is not None:  # and so do the amount-weighted figures (the column checked above)
        split.cache[tuple(r.when for r in rules.rules) + (Extras(amount=amount),)] = counts
        split.cache[("amount column", amount)] = True
    return evaluate(split, rules, grouped=True)
