"""The exported Spark SQL runs unchanged on Apache Spark (local mode) and gives the studio's predictions."""

import numpy as np
import pandas as pd
import pytest

import studio
from studio.export import export
from studio.rules import rule
from studio.scoring import scoring_select


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark", reason="the test command installs pyspark")
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[1]").appName("rule-studio-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    yield session
    session.stop()


def studio_answer(frame, rules):
    data = studio.Dataset.from_dataframe(frame)
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    return data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall(), data.schema


def spark_answer(spark, frame, rules, schema):
    frame = frame.assign(row_number=np.arange(len(frame)))
    view = spark.createDataFrame(frame.astype(object).where(frame.notna(), None))
    view.createOrReplaceTempView("scored_input")
    sql = export(rules, "sql", dialect="spark", schema=schema, table="scored_input").rstrip().rstrip(";")
    rows = spark.sql(sql).orderBy("row_number").select("prediction", "rule").collect()
    return [(r["prediction"], r["rule"]) for r in rows]


def test_credit_card_rules_on_spark(spark, credit_split, tutorial_rules):
    frame = credit_split.dataset.fetch(f"SELECT V11, V14, V17, Amount, Class FROM {credit_split.table} "
                                       "WHERE __rs_test = 1 ORDER BY __rs_row LIMIT 20000")
    rules = tutorial_rules.add(rule(("Amount", "between", [100, 500]), ("V14", "<", -4), then=1, name="mid amount"))
    expected, schema = studio_answer(frame, rules)
    assert spark_answer(spark, frame, rules, schema) == [tuple(r) for r in expected]


def test_odd_names_nulls_and_sets_on_spark(spark):
    frame = pd.DataFrame({'a"; DROP TABLE t; --': [1.0, None, 5.0, 3.0],
                          "Montant (€)": ["x", None, "it's", "y"], "y": [0, 1, 1, 0]})
    rules = studio.ruleset([
        rule(('a"; DROP TABLE t; --', "!=", 5.0), ("Montant (€)", "in", ["x", "it's"]), then=1, name="n'1"),
        rule(("Montant (€)", "not in", ["y"]), then=2, name="not y"),
        rule(('a"; DROP TABLE t; --', "is null"), then=3, name="missing")], default=0)
    expected, schema = studio_answer(frame, rules)
    assert expected == [(1, "n'1"), (3, "missing"), (2, "not y"), (0, None)]
    assert spark_answer(spark, frame, rules, schema) == [tuple(r) for r in expected]
