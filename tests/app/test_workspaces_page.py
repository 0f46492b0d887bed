"""First visit and the workspaces on the Data page (AppTest): a new workspace opens on the Data page
with a how-to, a later visit on the page last shown; the workspace can be renamed, duplicated (the
copy opens), left for another and another deleted; uploads are listed with their size."""

import io

import pytest
from streamlit.testing.v1 import AppTest

from studio.session.workspace import Workspace
from studio.session.workspaces import BrowserIndex

from tests.support.app_page import shown
from tests.support.sample_rules import ROOT


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def start(ws: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if ws:
        at.query_params["ws"] = ws
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_first_visit_explains_itself_and_a_later_one_opens_where_it_left(workspace):
    at = start()
    assert [t.value for t in at.title] == ["Data"]
    assert any("How this works" in i.value for i in at.info)
    ws = at.session_state["workspace_id"]
    at.switch_page("pages/explore.py").run()
    later = start(ws)
    assert [t.value for t in later.title] == ["Explore"] and not any("How this works" in i.value for i in later.info)


def test_rename_duplicate_open_and_delete(workspace, tutorial_rules):
    at = start("wsa")
    at.session_state["studio"].apply(tutorial_rules)
    at.switch_page("pages/data.py").run()
    at.text_input(key="ws_name_wsa").set_value("fraud rules")
    at.button(key="ws_rename").click().run()
    assert not at.exception, at.exception
    assert Workspace("wsa", workspace).load_meta()["name"] == "fraud rules"
    listed = next(t.value for t in at.table if "last change" in t.value.columns)
    assert shown(listed.index[0]) == "fraud rules (open)" and listed.iloc[0]["rules"] == 3

    at.button(key="ws_duplicate").click().run()
    assert not at.exception, at.exception
    copy = at.session_state["workspace_id"]
    assert copy != "wsa" and at.session_state["studio"].workspace.id == copy
    assert at.session_state["studio"].rules.rules == tutorial_rules.rules
    assert Workspace(copy, workspace).load_meta()["name"] == "copy of fraud rules"
    browser = BrowserIndex(workspace, at.session_state["browser_id"])
    assert browser.ids() == [copy, "wsa"]

    at.selectbox(key="ws_other").select_index(0).run()  # the only other one: the original
    at.button(key="ws_open").click().run()
    assert at.session_state["workspace_id"] == "wsa" and at.query_params["ws"] == "wsa"
    at.selectbox(key="ws_other").select_index(0).run()
    at.button(key="ws_delete").click().run()
    assert not at.exception, at.exception
    assert not Workspace(copy, workspace).path.exists() and browser.ids() == ["wsa"]


def test_uploads_are_listed_and_removed(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_UPLOADS", str(tmp_path / "uploads"))
    at = start("wsu")
    at.switch_page("pages/data.py").run()
    data = io.BytesIO(b"x,is_fraud\n" + b"".join(f"{i},{int(i % 5 == 0)}\n".encode() for i in range(60)))
    data.name = "mine.csv"
    from studio.data.uploads import store_upload
    from studio.session.workspaces import record_upload
    path = store_upload("mine.csv", data.getvalue())
    record_upload(at.session_state["studio"].workspace, "mine.csv", path, missing=["?"])
    at.run()
    table = next(t.value for t in at.table if "uploaded" in t.value.columns)
    assert list(table.index) == ["mine.csv"] and table.iloc[0]["size"] == f"{path.stat().st_size / 1e6:,.2f} MB"
    at.button(key="upload_open").click().run()
    assert at.session_state["studio"].dataset.label.startswith("mine.csv")
    assert at.session_state["studio"].dataset.missing == ("?",)  # read as it was when uploaded
    assert table.iloc[0]["read as missing"] == "?"
    at.button(key="upload_remove").click().run()
    assert path.exists()  # open now: kept
    assert any("still in use" in shown(s.value) for s in at.success)
