"""Checking the rules on the full data (AppTest): the larger source the server names is evaluated in
the background, split by its key the same way, and its figures shown beside this data's; a source
that cannot work is said in one line."""

import time

import numpy as np
import pandas as pd
import pytest

import studio
from pages.components.format import fixed, literal
from studio.engine.full_check import FullSource, configured_source
from studio.errors import StudioError

from tests.support.app_page import open_app_page


def transactions(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"id": np.arange(n) * 3 + 1, "amount": np.round(rng.gamma(2, 50, n), 2),
                          "hour": rng.integers(0, 24, n)})
    frame["fraud"] = (rng.random(n) < 0.03 + 0.3 * (frame.amount > 200) * (frame.hour < 6)).astype(int)
    return frame


@pytest.fixture
def setup(tmp_path, monkeypatch):
    from studio.engine import full_check
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    monkeypatch.setattr(full_check, "_LOADED", {"version": None, "data": None})
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(tmp_path))
    full = tmp_path / "full.parquet"
    transactions(30_000, 1).to_parquet(full)
    sample = tmp_path / "sample.csv"
    transactions(3_000, 2).to_csv(sample, index=False)
    monkeypatch.setenv("RULE_STUDIO_FULL_DATA", str(full))
    monkeypatch.setenv("RULE_STUDIO_FULL_KEY", "id")
    yield full, sample
    if full_check._LOADED["data"] is not None:
        full_check._LOADED["data"].close()


RULES = studio.ruleset([studio.rule(("amount", ">", 200.0), ("hour", "<", 6), then=1, name="big at night")],
                       default=0, target="fraud", positive=1)


def test_the_rules_are_checked_on_the_full_data_in_the_background(setup):
    full, sample = setup
    at = open_app_page("rules", "full1")
    s = at.session_state["studio"]
    s.open(str(sample), name="sample.csv")
    s.apply(RULES)
    at.run()
    at.toggle(key="full_check_on").set_value(True).run()
    assert not at.exception, at.exception
    at.button(key="full_check_run").click().run()
    job = at.session_state["full_check_job"]
    for _ in range(600):  # wait for the background check (not timed: it ends when it ends)
        if job.done:
            break
        time.sleep(0.1)
    at.run()
    assert not at.exception, at.exception
    assert job.error is None, job.error
    expected = studio.evaluate(studio.load(str(full)).split("fraud", positive=1, test_size=s.split.test_size,
                                                            seed=s.split.seed, key="id"), RULES)
    table = next(t.value for t in at.table if "full data, test" in t.value.columns)
    m = expected.test.metrics.positive
    assert list(table["full data, test"][["precision", "recall", "F1"]]) == [fixed(m.precision), fixed(m.recall),
                                                                              fixed(m.f1)]
    assert table.loc["rows", "full data, all rows"] == "30,000"
    here = s.evaluation().test.metrics.positive
    assert table.loc["F1", "this data, test"] == fixed(here.f1)
    assert any("Checked on full.parquet in" in c.value for c in at.caption)


def test_the_rules_are_checked_on_a_spark_table_from_the_page(setup, spark, monkeypatch):
    """The page's check on a configured Spark table (a local session, the one the server would start when
    none is running): the same figures as DuckDB's on the same rows split by the same key."""
    full, sample = setup
    frame = pd.read_parquet(full)
    spark.createDataFrame(frame).createOrReplaceTempView("full_transactions")
    monkeypatch.setenv("RULE_STUDIO_FULL_DATA", "spark:full_transactions")
    at = open_app_page("rules", "full-spark")
    s = at.session_state["studio"]
    s.open(str(sample), name="sample.csv")
    s.apply(RULES)
    at.run()
    at.toggle(key="full_check_on").set_value(True).run()
    at.button(key="full_check_run").click().run()
    job = at.session_state["full_check_job"]
    for _ in range(3000):  # wait for the background check (not timed: it ends when it ends)
        if job.done:
            break
        time.sleep(0.1)
    at.run()
    assert not at.exception, at.exception
    assert job.error is None, job.error
    assert job.source == FullSource("spark", "full_transactions", "id")
    expected = studio.evaluate(studio.Dataset.from_dataframe(frame).split(
        "fraud", positive=1, test_size=s.split.test_size, seed=s.split.seed, key="id"), RULES)
    assert job.report.to_dict() | {"dataset": None} == expected.to_dict() | {"dataset": None}
    table = next(t.value for t in at.table if "full data, test" in t.value.columns)
    m = expected.test.metrics.positive
    assert list(table["full data, test"][["precision", "recall", "F1"]]) == [fixed(m.precision), fixed(m.recall),
                                                                              fixed(m.f1)]
    assert table.loc["rows", "full data, all rows"] == "30,000"
    assert any(f"Checked on {literal('Spark table full_transactions')} in" in c.value for c in at.caption)


def test_a_source_that_cannot_work_says_why(setup, monkeypatch):
    monkeypatch.delenv("RULE_STUDIO_FULL_KEY")
    with pytest.raises(StudioError, match="RULE_STUDIO_FULL_KEY is not"):
        configured_source()
    monkeypatch.setenv("RULE_STUDIO_FULL_KEY", "id")
    monkeypatch.setenv("RULE_STUDIO_FULL_DATA", "/no/such/file.parquet")
    with pytest.raises(StudioError, match="which is not a file"):
        configured_source()
    monkeypatch.setenv("RULE_STUDIO_FULL_DATA", "spark:warehouse.tx")
    assert configured_source() == FullSource("spark", "warehouse.tx", "id")
    monkeypatch.setenv("RULE_STUDIO_FULL_DATA", "/no/such/file.parquet")
    at = open_app_page("rules", "full2")
    at.session_state["studio"].apply(studio.ruleset([studio.rule(("V14", "<", -5), then=1)], default=0))
    at.run()
    assert not at.exception, at.exception
    assert any("The full data is misconfigured" in c.value for c in at.caption)


def test_the_full_file_is_loaded_on_disk_once_per_version(setup, tmp_path, monkeypatch):
    from studio.engine import full_check
    full, _ = setup
    source = FullSource("duckdb", str(full), "id")
    first = full_check.check(source, RULES, "fraud", 1, 0.5, 0)
    data = full_check._LOADED["data"]
    assert data.database.parent == (tmp_path / "store").resolve()
    second = full_check.check(source, RULES, "fraud", 1, 0.3, 2)
    assert full_check._LOADED["data"] is data  # not loaded again
    in_memory = studio.Dataset.from_parquet(full)
    for report, (share, seed) in ((first, (0.5, 0)), (second, (0.3, 2))):
        split = in_memory.split("fraud", positive=1, test_size=share, seed=seed, key="id")
        assert report.to_dict() | {"dataset": None} == studio.evaluate(split, RULES).to_dict() | {"dataset": None}
    transactions(20_000, 5).to_parquet(full)  # a new version of the file
    full_check.check(source, RULES, "fraud", 1, 0.5, 0)
    assert full_check._LOADED["data"] is not data and not data.database.exists()


def test_the_full_check_loads_in_memory_when_the_store_cannot_be_written(setup, tmp_path, monkeypatch):
    from studio.engine import full_check
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "file" / "store"))
    full, _ = setup
    report = full_check.check(FullSource("duckdb", str(full), "id"), RULES, "fraud", 1, 0.5, 0)
    assert full_check._LOADED["data"].database is None and report.test.metrics.to_dict()["n"] > 0
