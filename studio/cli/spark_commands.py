"""The CLI's ``--engine spark``: ``evaluate`` and ``score`` on a Spark table or file (a local Spark
session by default, a cluster with ``--master``, Spark Connect with ``--remote``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ..engine.money import money, render_money
from ..engine.report import render
from ..engine.spark import evaluate_spark, spark_schema
from ..errors import StudioError
from ..export.sql import to_sql
from ..rules.model import RuleSet
from ..rules.validate import check_ruleset


def spark_session(args):
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise StudioError("--engine spark needs pyspark (pip install pyspark)") from None
    builder = SparkSession.builder.appName("rule-studio")
    builder = builder.remote(args.remote) if args.remote else builder.master(args.master)
    return builder.getOrCreate()


def spark_source(spark, args):
    """The Spark table named by ``--table``, else the Parquet or CSV file given as the data."""
    if args.table:
        try:
            return spark.table(args.table)
        except Exception as err:  # Spark's AnalysisException, said in one line
            raise StudioError(f"Spark has no table {args.table!r}: {str(err).splitlines()[0][:200]}") from None
    if not args.data:
        raise StudioError("give the data: --table NAME (a Spark table) or a Parquet or CSV file")
    if args.data.lower().endswith((".parquet", ".pq", ".parq")) or Path(args.data).is_dir():
        return spark.read.parquet(args.data)
    return spark.read.csv(args.data, header=True, inferSchema=True)


def _refuse(args, *names: str) -> None:
    for name in names:
        value = getattr(args, name, None)
        if value not in (None, False, [], 0.0):
            raise StudioError(f"--{name.replace('_', '-')} is not available with --engine spark")


def evaluate_on_spark(args, money_settings) -> str:
    """``evaluate --engine spark`` (``money_settings``: reads the amount options into settings)."""
    _refuse(args, "by_period", "split", "gap", "missing", "on_disk", "memory_limit")
    if not args.key:
        raise StudioError("--engine spark needs --key COLUMN: Spark keeps no row order, a key column draws the split")
    rules = RuleSet.load(args.rules)
    settings = money_settings(args)  # bad options said before Spark starts
    spark = spark_session(args)
    report = evaluate_spark(spark, spark_source(spark, args), rules, key=args.key, target=args.target,
                            positive=args.positive if args.positive is not None else rules.positive,
                            test_size=args.test_size if args.test_size is not None else 0.5, seed=args.seed,
                            amount=args.amount)
    amounts = money(report.split, rules, settings) if settings is not None else None
    if args.json:
        out = report.to_dict()
        if amounts is not None:
            out["amounts"] = {"settings": asdict(settings), **{side: m.to_dict() for side, m in amounts.items()}}
        return json.dumps(out, indent=2, ensure_ascii=False)
    return "\n\n".join([render(report)] + ([render_money(amounts, settings)] if amounts is not None else []))


def score_on_spark(args) -> str:
    """Every row with its prediction and deciding rule, written by Spark as a folder of Parquet files
    (partitioned by ``--partition-by`` columns when given)."""
    _refuse(args, "missing", "keep")
    rules = RuleSet.load(args.rules)
    spark = spark_session(args)
    frame = spark_source(spark, args)
    schema = spark_schema(frame)
    check_ruleset(rules, schema)
    view = "rule_studio_scored_input"
    frame.createOrReplaceTempView(view)
    try:
        scored = spark.sql(to_sql(rules, "spark", schema, view, args.prediction_column, args.rule_column)
                           .rstrip().rstrip(";"))
        writer = scored.write.mode("errorifexists")
        if args.partition_by:
            writer = writer.partitionBy(*args.partition_by)
        writer.parquet(args.out)
        rows = scored.count()
    except StudioError:
        raise
    except Exception as err:
        raise StudioError(f"Spark could not score the rows: {str(err).strip().splitlines()[0][:300]}") from None
    finally:
        spark.catalog.dropTempView(view)
    return f"wrote {rows:,} rows to {args.out} (Parquet, written by Spark)"
