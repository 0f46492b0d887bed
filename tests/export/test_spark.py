"""The exported Spark SQL runs unchanged on Apache Spark (local mode) and gives the studio's predictions."""

import numpy as np
import pandas as pd
import pytest

import studio
from studio.export import export
from studio.rules import Condition, Polygon, rule
from studio.runtime.scoring import scoring_select


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
    lasso = Condition("V14", "in polygon", Polygon(y="V17", vertices=(
        (-20.0, -25.0), (-4.1, -19.7), (-3.3, -2.45), (-8.25, 1.1), (-1e-3, 0.1), (-15.0, -3.0))))
    rules = rules.add(rule(lasso, then=1, name="lasso"), 0)
    expected, schema = studio_answer(frame, rules)
    assert sum(r[1] == "lasso" for r in expected) > 10
    assert spark_answer(spark, frame, rules, schema) == [tuple(r) for r in expected]


def test_polygon_boundary_and_missing_values_on_spark(spark):
    """Points on vertices and edges are inside, a missing coordinate is not; integer x column."""
    points = [(0, 0), (2, 0), (4, 1.5), (3, 3), (0, 2), (2, 1.5), (5, 1), (2, 3.25), (None, 1), (1, None),
              (3, 0.1), (1, 2.9999999999999996)]
    frame = pd.DataFrame({"n": pd.array([p[0] for p in points], dtype="Int64"),
                          "v": pd.array([p[1] for p in points], dtype="Float64").astype("float64"),
                          "y": [0, 1] * 6})
    rules = studio.ruleset([rule(Condition("n", "in polygon", Polygon(y="v", vertices=(
        (0, 0), (4, 0), (4, 3), (0.1, 3), (0.1, 2.5), (0, 2.5)))), then=1, name="box")], default=0)
    expected, schema = studio_answer(frame, rules)
    assert [r[0] for r in expected] == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]
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
