"""Every page driven by streamlit.testing's AppTest: what the widgets do, and that the numbers
shown are the library's."""

import json

import pytest
from streamlit.testing.v1 import AppTest

import studio
from studio.data.split import TimeOrder
from studio.rules import rule

from tests.support.app_page import shown
from tests.support.sample_rules import ROOT

TUTORIAL = [("V11", ">", 4, "large V11"), ("V17", "<", -3, "deep V17"), ("V14", "<", -8, "deep V14")]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def app(ws_id: str | None = None) -> AppTest:
    """The studio on the Rules page (a first visit would open the Data page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if ws_id:
        at.query_params["ws"] = ws_id
    at.run()
    return at.switch_page("pages/rules.py").run()


def rule_lines(at) -> list[str]:
    """The rule list's lines, in order."""
    return [m.value for m in at.main.markdown if m.value.startswith("**") and " · `" in m.value
            and not m.value.startswith("**Preview")]


def form_key(at, name: str) -> str:
    """The Data page's split form names its widgets after the split they show."""
    return f"{name}_{at.session_state['studio'].split.id}"


def widget(items, label):
    return next(w for w in items if w.label.startswith(label))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def headline(at) -> str:
    return next(m.body for m in at.sidebar.markdown if 'data-testid="headline"' in m.body)


def expected_headline(ev) -> list[str]:
    p = ev.test.metrics.positive
    return [f'data-metric="precision">{p.precision:.4f}<', f'data-metric="recall">{p.recall:.4f}<',
            f'data-metric="f1">{p.f1:.4f}<']


def add_rule(at, column, op, value, name, label=1):
    widget(at.selectbox, "Column 1").set_value(column).run()
    widget(at.selectbox, "Operator 1").set_value(op).run()
    widget(at.number_input, "Value 1").set_value(value).run()
    widget(at.selectbox, "Label (then)").set_value(label).run()
    at.text_input(key="draft_name").set_value(name).run()
    button(at, "Add rule").click().run()
    assert not at.exception, at.exception


@pytest.fixture(scope="module")
def credit_split():
    return studio.load("creditcard-synthetic").split("Class", positive=1)


def tutorial(n=3):
    return studio.ruleset([rule((c, op, float(v)), then=1, name=name) for c, op, v, name in TUTORIAL[:n]], default=0)


def test_rules_page_form_list_and_metrics(workspace, credit_split):
    at = app()
    assert not at.exception
    assert "Rules" in [t.value for t in at.title]
    for column, op, value, name in TUTORIAL:
        add_rule(at, column, op, value, name)
    ev = studio.evaluate(credit_split, tutorial())
    assert all(part in headline(at) for part in expected_headline(ev))
    test_table = at.table[0].value
    for c in ev.test.metrics.classes:
        assert list(test_table.loc[c.label]) == [f"{c.precision:.4f}", f"{c.recall:.4f}", f"{c.f1:.4f}",
                                                 f"{c.support:,}"]
    assert list(at.dataframe[0].value["fired"]) == [r.fired for r in ev.test.rules]

    # disable rule 2: the numbers follow
    toggles = [t for t in at.toggle if t.key.startswith("on_1_")]
    toggles[0].set_value(False).run()
    assert all(part in headline(at) for part in expected_headline(studio.evaluate(credit_split, tutorial().toggle(1))))

    # undo brings it back; move, duplicate and delete change the order
    button(at, "Undo").click().run()
    assert all(part in headline(at) for part in expected_headline(ev))
    at.button(key="down_0").click().run()
    names = rule_lines(at)
    assert names[0].startswith("**deep V17**") and names[1].startswith("**large V11**")
    at.button(key="dup_0").click().run()
    at.button(key="del_0").click().run()
    at.button(key="del_0").click().run()
    names = rule_lines(at)
    assert [n.split("**")[1] for n in names] == ["large V11", "deep V14"]

    # edit a rule in the form
    at.button(key="edit_1").click().run()
    assert widget(at.selectbox, "Column 1").value == "V14"
    widget(at.number_input, "Value 1").set_value(-9.5).run()
    button(at, "Save rule").click().run()
    assert any("V14 < -9.5" in m.value for m in at.markdown)


def test_the_form_starts_on_the_best_column_and_remembers_after_add(workspace, credit_split):
    from studio.explore.ranking import separation
    from studio.session.cache import SplitCache
    best = separation(credit_split, SplitCache(credit_split).sample())[0].column
    at = app()
    assert widget(at.selectbox, "Column 1").value == best != credit_split.features[0]
    add_rule(at, "V14", "<", -8, "deep V14")
    assert widget(at.selectbox, "Column 1").value == "V14" and widget(at.selectbox, "Operator 1").value == "<"
    assert at.text_input(key="draft_name").value == ""
    add_rule(at, "V11", ">", 4, "large V11")
    assert widget(at.selectbox, "Column 1").value == "V11" and widget(at.selectbox, "Operator 1").value == ">"


def test_a_rule_the_rules_above_leave_nothing_is_flagged(workspace, credit_split):
    """The tutorial's deep V14 after a brushed V14 < -7.8: it fires on no test row; the list and the
    per-rule table say which rule takes its rows, and no raw None is shown."""
    at = app()
    add_rule(at, "V14", "<", -7.8, "brushed V14")
    add_rule(at, "V14", "<", -8, "deep V14")
    test = credit_split.dataset.fetch(f"SELECT V14 FROM {credit_split.table} WHERE __rs_test = 1")
    inside = int((test["V14"] < -8).sum())
    said = f"matches {inside:,} rows but takes 0: rule 1 (brushed V14) takes {inside:,}"
    assert any(said.replace(" ", " ") in c.value.replace("\\", "") for c in at.main.caption), \
        [c.value for c in at.main.caption]
    table = at.dataframe[0].value
    assert table.loc[2, "left to it by the rules above"] == said and table.loc[1, "left to it by the rules above"] == ""
    assert table.loc[2, "precision"] == "–" and table.loc[2, "fired"] == 0
    assert not table.isna().any().any() and "None" not in table.astype(str).to_numpy()


def test_rules_page_preview_and_default_label(workspace, credit_split):
    at = app()
    widget(at.selectbox, "Column 1").set_value("V11").run()
    widget(at.selectbox, "Operator 1").set_value(">").run()
    widget(at.number_input, "Value 1").set_value(4).run()
    preview = next(m.value for m in at.markdown if m.value.startswith("**Preview"))
    stats = studio.evaluate(credit_split, tutorial(1)).test.rules[0]
    assert f"fires on **{stats.fired:,}** rows" in preview and f"**{stats.correct:,}** of them" in preview
    # the default label is part of the rule set
    at.selectbox(key=next(s.key for s in at.selectbox if s.label.startswith("Default label"))).set_value(1).run()
    assert "default `1`" in "".join(c.value for c in at.sidebar.caption)


def test_rules_come_back_in_a_new_session_with_the_same_workspace(workspace):
    at = app("abc123")
    add_rule(at, "V11", ">", 4, "kept")
    again = app("abc123")
    assert any(m.value.startswith("**kept**") for m in again.markdown)
    fresh = app("other1")
    assert not any(m.value.startswith("**kept**") for m in fresh.markdown)
    saved = json.loads((workspace / "abc123" / "rules" / "creditcard-synthetic--Class.json").read_text())
    assert saved["rules"][0]["name"] == "kept"


def test_data_page_opens_datasets_and_refuses_bad_files(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(tmp_path))  # the server files a user may open
    at = app()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert "Data" in [t.value for t in at.title]
    schema = at.dataframe[0].value
    assert list(schema["column"])[:2] == ["Time", "V1"] and len(schema) == 31

    bad = tmp_path / "bad.csv"
    bad.write_text("")
    at.text_input(key="server_path").set_value(str(bad)).run()
    button(at, "Open file").click().run()
    assert "bad.csv was not opened: bad.csv is empty" in shown(at.error[0].value)
    assert "creditcard-synthetic (synthetic)" in at.sidebar.markdown[0].value

    at.selectbox(key="bundled_choice").set_value("bank-marketing-sample").run()
    button(at, "Open bundled dataset").click().run()
    assert "bank-marketing-sample" in at.sidebar.markdown[0].value
    assert at.selectbox(key=form_key(at, "split_positive")).value == "yes"
    balance = next(t.value for t in at.table if "share" in t.value.columns)
    assert list(balance.index) == ["no", "yes"] and list(balance["rows"]) == ["4,000", "521"]

    at.number_input(key=form_key(at, "split_test_size")).set_value(0.3)  # a form: submitted with Apply
    next(b for b in at.button if b.label == "Apply").click().run()
    assert "test fraction 0.3" in "".join(c.value for c in at.sidebar.caption)


def test_data_page_splits_out_of_time_and_the_workspace_keeps_it(workspace):
    at = app("timed1")
    at.switch_page("pages/data.py").run()
    at.radio(key=form_key(at, "split_kind")).set_value("out of time")
    at.selectbox(key=form_key(at, "split_time")).set_value("Time")
    at.text_input(key=form_key(at, "split_cutoff")).set_value("100000")
    at.number_input(key=form_key(at, "split_gap")).set_value(600.0)
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception and not at.error
    split = studio.load("creditcard-synthetic").split("Class", positive=1,
                                                     by_time=TimeOrder("Time", 100000, 600.0))
    said = "".join(c.value for c in at.sidebar.caption)
    assert split.describe() in said and "out of time on Time: train before 100000, then 600 left out" in said
    again = app("timed1")  # a new session on the same workspace: the same split
    again.switch_page("pages/data.py").run()
    assert split.describe() in "".join(c.value for c in again.sidebar.caption)
    assert again.radio(key=form_key(again, "split_kind")).value == "out of time"
    again.text_input(key=form_key(again, "split_cutoff")).set_value("noon")
    next(b for b in again.button if b.label == "Apply").click().run()
    assert "The split was not changed: the cutoff on 'Time' must be a number, not 'noon'" in shown(again.error[0].value)
    assert split.describe() in "".join(c.value for c in again.sidebar.caption)


def test_amounts_chosen_on_the_data_page_show_in_the_sidebar_and_per_rule(workspace, credit_split, tutorial_rules):
    from studio.engine.money import MoneySettings, money

    at = app("money1")
    at.switch_page("pages/data.py").run()
    at.selectbox(key="money_column").set_value("V1")
    next(b for b in at.button if b.label == "Apply" and b.key and "money" in b.key).click().run()
    assert "The amounts were not changed: amount column 'V1' has" in shown(at.error[0].value)
    at.selectbox(key="money_column").set_value("Amount")
    at.number_input(key="money_cost").set_value(5.0)
    next(b for b in at.button if b.label == "Apply" and b.key and "money" in b.key).click().run()
    assert not at.error
    s = at.session_state["studio"]
    s.apply(tutorial_rules)
    at.switch_page("pages/rules.py").run()
    expected = money(credit_split, s.rules, MoneySettings("Amount", review_cost=5.0))["test"]
    line = next(m.value for m in at.sidebar.markdown if 'data-testid="amounts"' in m.value)
    assert f"Amount caught <b>{expected.caught:,.2f}</b>" in line
    assert f"net benefit <b>{expected.net_benefit:,.2f}</b>" in line and f"{expected.alerts:,} alerts" in line
    table = next(d.value for d in at.dataframe if "amount caught" in d.value.columns)
    assert list(table["amount caught"]) == [r.caught for r in expected.rules]
    next(b for b in at.selectbox if b.label == "Column 1").set_value("V12").run()
    next(b for b in at.selectbox if b.label == "Operator 1").set_value("<").run()
    next(n for n in at.number_input if n.label.startswith("Value 1")).set_value(-7.0).run()
    then = money(credit_split, s.rules.add(rule(("V12", "<", -7.0), then=1)), MoneySettings("Amount", 5.0))["test"]
    preview = next(m.value for m in at.markdown if m.value.startswith("**Preview"))
    assert (f"amount caught {expected.caught:,.2f} → **{then.caught:,.2f}**, net benefit "
            f"{expected.net_benefit:,.2f} → **{then.net_benefit:,.2f}**") in preview
    assert f"{expected.alerts:,} alerts on test" in " ".join(c.value for c in at.sidebar.caption)
    assert not at.sidebar.warning  # no budget yet
    at.switch_page("pages/data.py").run()
    at.number_input(key="money_budget").set_value(1.0)
    next(b for b in at.button if b.label == "Apply" and b.key and "money" in b.key).click().run()
    assert "Over the alert budget: 1.97 alerts per 1,000 test rows, the team can review 1." in \
        at.sidebar.warning[0].value
    again = app("money1")  # the workspace keeps the choice
    again.switch_page("pages/rules.py").run()
    assert any('data-testid="amounts"' in m.value for m in again.sidebar.markdown)
    assert again.sidebar.warning and "Over the alert budget" in again.sidebar.warning[0].value


def test_rules_page_backtests_the_rules_period_by_period(workspace, credit_split, tutorial_rules):
    from studio.engine.backtest import backtest

    at = app("periods1")
    at.session_state["studio"].apply(tutorial_rules)
    at.switch_page("pages/rules.py").run()
    assert not at.exception
    assert not any("periods (" in c.value for c in at.main.caption)  # drawn on demand
    at.toggle(key="backtest_on").set_value(True).run()
    bt = backtest(credit_split, tutorial_rules, "Time")
    said = " ".join(c.value for c in at.main.caption)
    assert f"{len(bt.periods)} periods (8 buckets) of `Time`, from {bt.periods[0]} to {bt.periods[-1]}" in said
    at.selectbox(key="backtest_unit").set_value("4 buckets").run()
    assert "4 periods (4 buckets) of `Time`" in " ".join(c.value for c in at.main.caption)


@pytest.mark.parametrize("page, title", [("pages/explore.py", "Explore"), ("pages/export.py", "Export")])
def test_other_pages_render(workspace, page, title):
    at = app()
    at.switch_page(page).run()
    assert not at.exception and title in [t.value for t in at.title]
    assert headline(at)


def test_export_page_shows_every_format(workspace):
    at = app()
    add_rule(at, "V11", ">", 4, "large V11")
    at.switch_page("pages/export.py").run()
    assert not at.exception
    codes = [c.value for c in at.code]
    assert "('large V11', 1, c('V11', '>', 4.0))" in codes[0]
    assert "class RuleSetClassifier" in codes[1] and "ruler.add_rule" in codes[2]
    assert "NULLIF(\"V11\", CAST('NaN' AS DOUBLE)) > 4.0 THEN 1" in codes[3] and "<RuleSetModel" in codes[4] and '"format": "rule-studio/1"' in codes[5]
    at.selectbox(key="sql_dialect").set_value("tsql").run()
    assert "[V11] > 4.0" in at.code[3].value


def test_editing_survives_changes_to_the_list(workspace):
    at = app()
    add_rule(at, "V11", ">", 4, "a")
    add_rule(at, "V17", "<", -3, "b")
    at.button(key="edit_1").click().run()
    assert "Edit rule 2" in [h.value for h in at.subheader]
    at.button(key="del_1").click().run()  # the rule being edited goes away
    assert not at.exception
    assert "Add a rule" in [h.value for h in at.subheader]
    assert [line.split("**")[1] for line in rule_lines(at)] == ["a"]


def test_editing_keeps_conditions_the_form_cannot_edit(workspace):
    """A polygon drawn on the Explore page, or a text ordering from an imported file, survives an
    edit of the rule in the form (the form has no widget for them)."""
    from studio.rules import Condition, Polygon, RuleSet, Rule
    from studio.session.workspace import Workspace

    polygon = Condition("V14", "in polygon", Polygon(y="V17", vertices=((-20.0, -20.0), (-5.0, -20.0), (-5.0, -2.0))))
    rules = RuleSet(rules=(Rule(when=(polygon, Condition("V11", ">", 2.0)), then=1, name="drawn"),), default=0,
                    target="Class", positive=1)
    Workspace("keep", workspace).save_rules("creditcard-synthetic--Class", rules)
    at = app("keep")
    at.button(key="edit_0").click().run()
    assert not at.exception, at.exception
    assert any("(V14, V17) in polygon of 3 vertices" in m.value for m in at.markdown)
    at.text_input(key="draft_name").set_value("drawn, renamed").run()
    button(at, "Save rule").click().run()
    assert not at.exception, at.exception
    saved = Workspace("keep", workspace).load_rules("creditcard-synthetic--Class")
    assert saved.rules[0].when == (polygon, Condition("V11", ">", 2.0))
    assert saved.rules[0].name == "drawn, renamed"
