"""The Explore page under AppTest: every view renders, a threshold becomes an editable proposal, and
adding it changes the rules and the headline to the library's numbers. (Brushing and box
selections are mouse gestures: tests/e2e/test_explore_browser.py drives them in Chromium.)"""

import pytest
from streamlit.testing.v1 import AppTest

import studio
from studio.rules import Condition
from studio.session.workspace import Workspace

from tests.support.app_page import open_app_page

VIEWS = ("Parallel coordinates (hiplot)", "Parallel coordinates (plotly)", "Scatter", "One column")


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def explore() -> AppTest:
    return open_app_page("explore", "explore1")


def headline(at) -> str:
    return next(m.body for m in at.sidebar.markdown if 'data-testid="headline"' in m.body)


def test_every_view_renders_in_both_colourings(workspace):
    at = explore()
    captions = " ".join(c.value for c in at.caption)
    assert "5,246 train rows drawn: all 246 positives and 5,000 of 142,157 negatives (seed 0)" in captions
    assert "Test rows are never shown" in captions
    for colour in ("class", "rule outcome", "rule fired"):
        at.radio(key="explore_color").set_value(colour).run()
        for view in VIEWS:
            at.session_state["explore_view"] = view
            at.run()
            assert not at.exception, (view, colour, at.exception)
    (columns,) = [m for m in at.multiselect if m.label.startswith("Columns")]
    assert len(columns.value) == 8 and "Class" not in columns.options


def test_a_threshold_becomes_an_editable_rule_judged_on_the_test_split(workspace):
    at = explore()
    at.session_state["explore_view"] = "One column"
    at.run()
    at.selectbox(key="explore_column").set_value("V14").run()
    assert at.radio(key="explore_direction_V14").value == "<"  # V14 is low for the positives
    at.radio(key="explore_direction_V14").set_value(">").run()
    at.radio(key="explore_direction_V14").set_value("<").run()
    at.slider(key="explore_t_V14_<").set_value(-8.0).run()
    assert not at.exception, at.exception
    assert "from threshold" in " ".join(m.value for m in at.markdown)
    value = next(n for n in at.number_input if n.label == "V14 value")
    assert value.value == -8.0
    value.set_value(-9.0).run()                       # edit the proposal before adding it
    tables = [t.value for t in at.table]
    assert list(tables[0].columns) == ["train", "test"] and list(tables[0].index) == ["precision", "recall", "F1"]
    next(b for b in at.button if b.label == "Add as rule 1").click().run()
    assert not at.exception, at.exception

    rules = Workspace("explore1", workspace).load_rules("creditcard-synthetic--Class")
    assert [r.when for r in rules.rules] == [(Condition("V14", "<", -9.0),)]
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    pos = studio.evaluate(split, rules).test.metrics.positive
    assert f'data-metric="precision">{pos.precision:.4f}<' in headline(at)
    assert f'data-metric="recall">{pos.recall:.4f}<' in headline(at)
    assert [m.value for m in at.success] == ["Added rule 1: `V14 < -9.0 -> 1`"]


def test_hiplot_adapter_draws_hiplots_own_component_without_patching():
    """The adapter declares hiplot's bundled component itself: nothing in hiplot or streamlit is
    changed, and before the chart reports anything it answers 'nothing brushed'."""
    import streamlit

    from pages.components import hiplot_chart as adapter

    assert (adapter.BUILD_DIR / "index.html").is_file()
    assert not hasattr(streamlit, "_is_running_with_streamlit")
    served = adapter.serving_dir()   # our page, and hiplot's own script copied unchanged beside it
    assert (served / adapter.BUNDLE).read_bytes() == (adapter.BUILD_DIR / adapter.BUNDLE).read_bytes()
    page = (served / "index.html").read_text()
    assert page == adapter.FRAME_PAGE.read_text() and f'src="{adapter.BUNDLE}"' in page
    assert page.index('defineProperty(window, "parent"') < page.index(f'src="{adapter.BUNDLE}"')

    def script():
        import hiplot as hip
        import streamlit as st

        from pages.components.hiplot_chart import hiplot_chart
        from studio.explore.hiplot import hiplot_json

        exp = hip.Experiment.from_iterable([{"uid": "1", "a": 1.0}, {"uid": "2", "a": 2.0}])
        st.session_state["answer"] = hiplot_chart(hiplot_json(exp), key="hp")

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["answer"] == {"brush_extents": {}, "selected_uids": None}
    assert not hasattr(streamlit, "_is_running_with_streamlit")
    assert adapter.component() is adapter.component()  # declared once


def test_a_proposal_shows_its_amounts_when_the_workspace_has_them(workspace):
    from studio.engine.money import MoneySettings, money

    at = explore()
    at.session_state["studio"].choose_amounts(MoneySettings("Amount", review_cost=5.0))
    at.session_state["explore_view"] = "One column"
    at.run()
    at.selectbox(key="explore_column").set_value("V14").run()
    at.slider(key="explore_t_V14_<").set_value(-8.0).run()
    table = at.table[0].value
    assert list(table.index) == ["precision", "recall", "F1", "amount caught", "net benefit"]
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    rules = at.session_state["studio"].rules
    now = money(split, rules, MoneySettings("Amount", review_cost=5.0))["test"]
    then = money(split, rules.add(studio.rule(("V14", "<", -8.0), then=1)),
                 MoneySettings("Amount", review_cost=5.0))["test"]
    assert table.loc["amount caught", "test"] == f"{then.caught:,.2f} ({then.caught - now.caught:+,.2f})"
    assert table.loc["net benefit", "test"] == f"{then.net_benefit:,.2f} ({then.net_benefit - now.net_benefit:+,.2f})"


def test_a_proposal_lists_the_train_rows_inside_the_selection(workspace):
    at = explore()
    at.session_state["explore_view"] = "One column"
    at.run()
    at.selectbox(key="explore_column").set_value("V14").run()
    at.slider(key="explore_t_V14_<").set_value(-8.0).run()
    assert not at.exception, at.exception
    assert not any("rows where the conditions hold" in c.value for c in at.caption)  # shown on demand
    next(t for t in at.toggle if t.label == "Show the train rows inside the selection").set_value(True).run()
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    train = split.dataset.con.execute(f"SELECT * FROM {split.table} WHERE __rs_test = 0 ORDER BY __rs_row").df()
    inside = train[train["V14"] < -8.0]
    assert any(f"{len(inside):,} rows where the conditions hold on train" in c.value for c in at.caption)
    rows = next(d.value for d in at.dataframe if list(d.value.columns[:2]) == ["outcome", "decided by"])
    assert list(rows["V14"]) == list(inside["V14"].head(100))
    assert set(rows["outcome"]) <= {"FN", "TN"} and set(rows["decided by"]) == {"default"}  # no rules yet
