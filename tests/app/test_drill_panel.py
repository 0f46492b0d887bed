"""The Rules page's rows (AppTest): each outcome's and each rule's rows, their counts the confusion
matrix's and the per-rule table's, pages of 100, sorted, and a CSV of the whole selection."""

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import studio
from studio.engine.drill import row_page

from tests.support.app_page import shown
from tests.support.sample_rules import ROOT


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def rules_page(ws: str, rules) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ws"] = ws
    at.run()
    at.session_state["studio"].apply(rules)
    at.switch_page("pages/rules.py").run()
    assert not at.exception, at.exception
    return at


def rows_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns[:2]) == ["outcome", "decided by"])


def test_outcomes_and_rules_paged_sorted_and_downloaded(workspace, credit_split, tutorial_rules):
    at = rules_page("drill1", tutorial_rules)
    at.toggle(key="drill_on").set_value(True).run()
    assert not at.exception, at.exception
    m = studio.evaluate(credit_split, tutorial_rules).test.metrics
    p, n = m.labels.index("1"), m.labels.index("0")
    captions = " ".join(c.value for c in at.main.caption)
    assert f"{m.confusion[n][p]:,} false positives (alerted, not positive) on test" in captions
    table = rows_table(at)
    expected = row_page(credit_split, tutorial_rules, "test", "FP", limit=100)
    assert list(table["V14"]) == list(expected.rows["V14"]) and set(table["outcome"]) == {"FP"}

    at.selectbox(key="drill_which").set_value("missed positives").run()
    assert f"{m.confusion[p][n]:,} missed positives" in " ".join(c.value for c in at.main.caption)
    at.selectbox(key="drill_which").set_value("rule 2: deep V17").run()
    at.radio(key="drill_side").set_value("train").run()
    stats = studio.evaluate(credit_split, tutorial_rules).train.rules[1]
    said = shown(" ".join(c.value for c in at.main.caption))
    assert f"{stats.fired:,} rule 2: deep V17 on train" in said, said
    assert set(rows_table(at)["decided by"]) == {"deep V17"}

    at.selectbox(key="drill_which").set_value("every row").run()
    at.selectbox(key="drill_sort").set_value("Amount").run()
    at.checkbox(key="drill_desc").check().run()
    page_box = next(w for w in at.number_input if w.key.startswith("drill_page_"))
    page_box.set_value(3).run()
    expected = row_page(credit_split, tutorial_rules, "train", order_by="Amount", descending=True, limit=100,
                        offset=200)
    assert list(rows_table(at)["Amount"]) == list(expected.rows["Amount"])

    at.selectbox(key="drill_which").set_value("true positives").run()
    at.radio(key="drill_side").set_value("test").run()
    at.button(key="drill_prepare").click().run()
    assert not at.exception, at.exception
    text = at.session_state["drill_csv"][1]
    csv = pd.read_csv(io.StringIO(text))
    assert len(csv) == m.confusion[p][p] and set(csv["outcome"]) == {"TP"}


def test_a_csv_made_before_a_new_split_is_not_offered_after_it(workspace, tutorial_rules):
    from dataclasses import replace

    at = rules_page("drill2", tutorial_rules)
    at.toggle(key="drill_on").set_value(True).run()
    at.button(key="drill_prepare").click().run()
    assert any(b.label == "Download the CSV" for b in at.get("download_button"))
    s = at.session_state["studio"]
    s.resplit(replace(s.choice, seed=s.choice.seed + 1))  # the same rules and selection, other test rows
    at.run()
    assert not at.exception, at.exception
    assert not any(b.label == "Download the CSV" for b in at.get("download_button"))
