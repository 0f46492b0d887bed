"""The same evaluation on Apache Spark (local mode) as in DuckDB: the split a key column defines
and the whole report, equal exactly, with NULLs, odd column names, text labels and missing labels."""

import json
import time

import numpy as np
import pandas as pd
import pytest

import studio
from studio.engine.spark import evaluate_spark
from studio.errors import DataError
from studio.rules import Condition, Polygon, rule


def frame(n: int = 3000, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    out = pd.DataFrame({
        "tx id": rng.permutation(n * 7)[:n].astype("int64"),  # a unique key, not in row order
        "montant (€)": np.round(rng.gamma(2, 50, n), 2),
        'a"b': rng.normal(size=n),
        "shop": rng.choice(["web", "pos", "atm"], n),
        "hour": rng.integers(0, 24, n).astype(float),
    })
    out.loc[rng.random(n) < 0.1, "montant (€)"] = np.nan
    out.loc[rng.random(n) < 0.05, "shop"] = None
    out.loc[rng.random(n) < 0.03, "hour"] = np.nan
    risk = 0.05 + 0.4 * (out["montant (€)"].fillna(0) > 150) + 0.2 * (out["shop"] == "atm")
    out["label"] = np.where(rng.random(n) < risk, "fraud", "ok").astype(object)
    out.loc[rng.random(n) < 0.02, "label"] = None  # rows without a label are left out on both sides
    return out


RULES = studio.ruleset([
    rule(("montant (€)", ">", 150.0), ("shop", "in", ["atm", "web"]), then="fraud", name="big at atm/web"),
    rule(('a"b', "between", (1.5, 3.0)), then="fraud", name="odd b"),
    rule(("hour", "<", 5), ("montant (€)", "is null"), then="fraud", name="night, no amount"),
    rule(("shop", "=", "pos"), then="ok", name="pos is fine", enabled=True),
    rule(Condition("hour", "in polygon", Polygon(y='a"b', vertices=((0.0, -1.0), (6.0, -1.0), (6.0, 0.0)))),
         then="fraud", name="triangle"),
    rule(("hour", ">", 22), then="fraud", name="late", enabled=False),
], default="ok", target="label", positive="fraud")


def spark_frame(spark, data: pd.DataFrame):
    return spark.createDataFrame(data.astype(object).where(data.notna(), None))


@pytest.mark.parametrize("seed, test_size", [(0, 0.5), (7, 0.3)])
def test_the_report_on_spark_equals_duckdbs(spark, seed, test_size):
    data = frame()
    split = studio.Dataset.from_dataframe(data).split("label", positive="fraud", test_size=test_size, seed=seed,
                                                      key="tx id")
    expected = studio.evaluate(split, RULES).to_dict()
    got = evaluate_spark(spark, spark_frame(spark, data), RULES, key="tx id", test_size=test_size, seed=seed).to_dict()
    assert got.pop("dataset") == "a Spark DataFrame (Spark)"
    expected.pop("dataset")
    assert got == expected
    assert expected["split"]["excluded_rows"] == int(data["label"].isna().sum()) > 0
    assert expected["test"]["confusion_matrix"] != expected["train"]["confusion_matrix"]


def test_a_spark_table_by_name_and_the_minority_as_positive(spark):
    data = frame(800, seed=5)
    spark_frame(spark, data).createOrReplaceTempView("transactions")
    split = studio.Dataset.from_dataframe(data).split("label", key="tx id")
    got = evaluate_spark(spark, "transactions", RULES.remove(4), key="tx id", target="label")
    assert got.split.positive == split.positive == "fraud"
    assert got.to_dict()["test"] == studio.evaluate(split, RULES.remove(4)).to_dict()["test"]


def test_the_key_must_name_every_row_once(spark):
    data = frame(300)
    data.loc[3, "tx id"] = data.loc[4, "tx id"]
    with pytest.raises(DataError, match="must name every row once: it has 1 repeated values"):
        evaluate_spark(spark, spark_frame(spark, data), RULES, key="tx id")
    with pytest.raises(DataError, match="must name every row once"):
        studio.Dataset.from_dataframe(data).split("label", key="tx id")
    with pytest.raises(DataError, match="a key is a whole number or a text"):
        evaluate_spark(spark, spark_frame(spark, frame(300)), RULES, key="hour")
    with pytest.raises(DataError, match="unknown key column"):
        evaluate_spark(spark, spark_frame(spark, frame(300)), RULES, key="nope")


def test_the_cli_evaluates_and_scores_on_spark_as_on_duckdb(spark, tmp_path, capsys):
    import duckdb

    from studio.cli import main

    data = frame(1200, seed=9)
    spark_frame(spark, data).createOrReplaceTempView("cli_transactions")
    path = tmp_path / "tx.parquet"
    data.to_parquet(path)
    rules = tmp_path / "rules.json"
    rules.write_text(RULES.to_json())
    assert main(["evaluate", str(path), "--rules", str(rules), "--key", "tx id", "--json"]) == 0
    on_duckdb = json.loads(capsys.readouterr().out)
    assert main(["evaluate", "--engine", "spark", "--master", "local[1]", "--table", "cli_transactions",
                 "--rules", str(rules), "--key", "tx id", "--json"]) == 0
    on_spark = json.loads(capsys.readouterr().out)
    for side in ("train", "test", "all"):
        assert on_spark[side] == on_duckdb[side]
    assert on_spark["split"] == on_duckdb["split"]
    money = ["--amount", "montant (€)", "--review-cost", "2.5", "--caught-share", "0.8"]
    assert main(["evaluate", str(path), "--rules", str(rules), "--key", "tx id", "--json", *money]) == 0
    on_duckdb = json.loads(capsys.readouterr().out)["amounts"]
    assert main(["evaluate", "--engine", "spark", "--master", "local[1]", "--table", "cli_transactions",
                 "--rules", str(rules), "--key", "tx id", "--json", *money]) == 0
    on_spark = json.loads(capsys.readouterr().out)["amounts"]
    assert on_spark == on_duckdb and on_spark["test"]["caught"] > 0
    assert main(["evaluate", "--engine", "spark", "--master", "local[1]", "--table", "cli_transactions",
                 "--rules", str(rules), "--key", "tx id", "--amount", "montant"]) == 2
    assert "amount column 'montant' is not in the data" in capsys.readouterr().err

    out = tmp_path / "scored"
    assert main(["score", "--engine", "spark", "--master", "local[1]", "--table", "cli_transactions",
                 "--rules", str(rules), "--out", str(out)]) == 0
    assert "wrote 1,200 rows" in capsys.readouterr().out
    local = tmp_path / "scored.parquet"
    assert main(["score", str(path), "--rules", str(rules), "--out", str(local)]) == 0
    q = 'SELECT "tx id", prediction, rule FROM read_parquet(?) ORDER BY "tx id"'
    assert duckdb.execute(q, [f"{out}/*.parquet"]).fetchall() == duckdb.execute(q, [str(local)]).fetchall()

    capsys.readouterr()
    assert main(["evaluate", "--engine", "spark", "--master", "local[1]", "--table", "cli_transactions",
                 "--rules", str(rules)]) == 2
    assert "needs --key COLUMN" in capsys.readouterr().err
    assert main(["evaluate", str(path), "--table", "x", "--rules", str(rules)]) == 2
    assert "--table goes with --engine spark" in capsys.readouterr().err
    assert main(["evaluate", "--engine", "spark", "--master", "local[1]", "--table", "no_such_table",
                 "--rules", str(rules), "--key", "tx id"]) == 2
    assert "Spark has no table 'no_such_table'" in capsys.readouterr().err


def test_the_full_data_check_runs_on_a_spark_table(spark):
    from studio.engine.full_check import FullSource, start_check

    data = frame(900, seed=12)
    spark_frame(spark, data).createOrReplaceTempView("full_transactions")
    job = start_check(FullSource("spark", "full_transactions", "tx id"), RULES, "label", "fraud", 0.5, 0)
    for _ in range(1200):  # waits for the background check to end; nothing is timed
        if job.done:
            break
        time.sleep(0.1)
    assert job.error is None, job.error
    expected = studio.evaluate(studio.Dataset.from_dataframe(data).split("label", positive="fraud", key="tx id"),
                               RULES).to_dict()
    assert job.report.to_dict()["test"] == expected["test"] and job.report.to_dict()["all"] == expected["all"]
