"""The Data page as a data page (AppTest): the first rows and a seeded sample from DuckDB, each
column's distribution, and missing markers chosen at load — the same CSV read with other markers has
other missing counts, and the choice is kept with the workspace."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import studio
from studio.data.preview import distributions, first_rows, sample_rows
from studio.data.profile import profile
from studio.errors import DataError

from tests.support.app_page import open_app_page, shown


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def census(path):
    n = 200
    pd.DataFrame({"age": [str(20 + i % 50) if i % 9 else "?" for i in range(n)],
                  "workclass": ["?" if i % 7 == 0 else ("NA" if i % 11 == 0 else "Private") for i in range(n)],
                  "class": [">50K" if i % 4 == 0 else "<=50K" for i in range(n)]}).to_csv(path, index=False)
    return path


def data_page(ws: str) -> AppTest:
    return open_app_page("data", ws)


def columns_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "distribution" in d.value.columns)


def test_markers_change_the_missing_counts_and_are_kept(workspace, tmp_path, monkeypatch):
    path = census(tmp_path / "census.csv")
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(tmp_path))
    plain = studio.load(str(path))
    marked = studio.load(str(path), missing=["?", "NA"])
    p0, p1 = ({p.name: p for p in profile(d)} for d in (plain, marked))
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    marked_rows = int(raw["workclass"].isin(["?", "NA"]).sum())
    assert p0["workclass"].missing == 0 and p1["workclass"].missing == marked_rows > 0
    assert p0["age"].kind != p1["age"].kind == "numeric"  # "?" kept age as text before
    assert p1["age"].missing == int((raw["age"] == "?").sum())

    at = data_page("markers1")
    s = at.session_state["studio"]
    s.open(str(path), name="census.csv")
    at.run()
    assert columns_table(at).set_index("column").loc["workclass", "missing"] == 0
    at.multiselect(key=f"missing_markers_{s.split.id}").set_value(["?", "NA"]).run()
    next(b for b in at.button if b.label == "Read the file again").click().run()
    assert not at.exception, at.exception
    marked_rows = int(pd.read_csv(path, dtype=str, keep_default_na=False)["workclass"].isin(["?", "NA"]).sum())
    assert columns_table(at).set_index("column").loc["workclass", "missing"] == marked_rows
    assert any("Read as missing: `?`, `NA`" in shown(c.value) for c in at.caption)
    again = data_page("markers1")  # a new session on the same workspace reads the file the same way
    assert again.session_state["studio"].dataset.missing == ("?", "NA")
    assert columns_table(again).set_index("column").loc["workclass", "missing"] == marked_rows


def test_rows_pages_and_a_seeded_sample(workspace):
    at = data_page("rows1")
    s = at.session_state["studio"]
    rows = next(d.value for d in at.dataframe if d.value.columns[0] == "Time")
    assert rows.equals(first_rows(s.dataset, 50)) and len(rows) == 50
    at.radio(key="preview_order").set_value("random sample").run()
    at.number_input(key="preview_seed").set_value(5).run()
    at.number_input(key=f"preview_page_{s.split.id}").set_value(3).run()
    rows = next(d.value for d in at.dataframe if d.value.columns[0] == "row")
    assert rows.equals(sample_rows(s.dataset, 5, 50, 100))
    assert list(sample_rows(s.dataset, 5, 10)["row"]) != list(sample_rows(s.dataset, 6, 10)["row"])
    table = columns_table(at).set_index("column")
    expected = distributions(s.dataset, s.profiles())
    assert list(table.loc["V14", "distribution"]) == expected["V14"] and sum(expected["V14"]) == s.dataset.n_rows


def test_bad_page_and_marker_requests_get_one_line(credit, tmp_path):
    with pytest.raises(DataError, match="a page holds 1 to 1,000 rows"):
        first_rows(credit, 0)
    with pytest.raises(DataError, match="the seed is a whole number"):
        sample_rows(credit, -1)
    with pytest.raises(DataError, match="at most 20 printable characters"):
        studio.load(str(census(tmp_path / "c.csv")), missing=["x" * 21])
    with pytest.raises(DataError, match="a list of texts"):
        studio.data.sources.missing_markers("?")


def test_distinct_and_missing_counts_are_exact(credit):
    frame = credit.con.execute("SELECT * FROM data").df()
    for p in profile(credit):
        assert p.missing == int(frame[p.name].isna().sum()), p.name
        assert p.distinct == int(frame[p.name].nunique()), p.name


def test_a_typed_marker_stays_among_the_choices(workspace, tmp_path, monkeypatch):
    path = tmp_path / "typed.csv"
    pd.DataFrame({"x": ["1", "unknown", "3"] * 30, "class": ["a", "b", "b"] * 30}).to_csv(path, index=False)
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(tmp_path))
    at = data_page("typed1")
    s = at.session_state["studio"]
    s.open(str(path), name="typed.csv")
    at.run()
    at.multiselect(key=f"missing_markers_{s.split.id}").set_value(["unknown"]).run()
    next(b for b in at.button if b.label == "Read the file again").click().run()
    at.run()
    assert not at.exception, at.exception
    assert s.dataset.missing == ("unknown",)
    assert "unknown" in at.multiselect(key=f"missing_markers_{s.split.id}").options
    assert columns_table(at).set_index("column").loc["x", "missing"] == 30
    again = data_page("typed1")  # a new session opens the file the same way, the marker among the choices
    assert not again.exception, again.exception
    assert again.session_state["studio"].dataset.missing == ("unknown",)


def test_the_export_page_carries_the_markers(workspace, tmp_path, monkeypatch):
    path = census(tmp_path / "census.csv")
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(tmp_path))
    at = data_page("markers2")
    s = at.session_state["studio"]
    s.open(str(path), name="census.csv", missing=["?", "NA"])
    s.apply(studio.ruleset([studio.rule(("age", ">", 40), ("workclass", "=", "Private"), then=">50K")],
                           default="<=50K", target="class", positive=">50K"))
    at.switch_page("pages/export.py").run()
    assert not at.exception, at.exception
    assert any("read `?`, `NA` as a missing value" in shown(c.value) for c in at.caption)
    texts = [c.value for c in at.code]
    assert any("MISSING = ('?', 'NA')" in t for t in texts)  # the Python, estimator and human-learn modules
    assert any("IN ('?', 'NA') THEN NULL" in t for t in texts)  # the SQL
    assert any('<Value value="?" property="missing" />' in t for t in texts)  # the PMML
