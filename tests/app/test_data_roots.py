"""The Data page on a shared server: no file outside the data roots opens, every refusal reads the
same, the server-file tab can be turned off, and a hostile path saved in a workspace is not reopened."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.app_page import open_app_page, shown as as_read
from tests.support.sample_rules import ROOT


@pytest.fixture
def roots(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.csv").write_text("x,y\n1,a\n2,b\n3,a\n4,b\n")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "creds.csv").write_text("user,password\nroot,hunter2\nadmin,swordfish\n")
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(data))
    return data, secret


def data_page(ws: str = "roots1") -> AppTest:
    return open_app_page("data", ws)


def test_server_files_outside_the_roots_never_open(roots):
    data, secret = roots
    at = data_page()
    errors = []
    for text in ("/etc/passwd", "../secret/creds.csv", str(secret / "creds.csv"), str(data / "missing.csv"),
                 str(data)):
        at.text_input(key="server_path").set_value(text).run()
        next(b for b in at.button if b.label == "Open file").click().run()
        assert not at.exception
        errors.append(as_read(at.error[0].value).replace(repr(text), "<path>"))
        shown = " ".join(m.value for m in at.sidebar.markdown)
        assert "creditcard-synthetic" in shown and "hunter2" not in shown and "root" not in shown
    assert set(errors) == {"<path> is not available: open a file under the studio's data folder. "
                           "The current dataset and rules are unchanged."}
    at.text_input(key="server_path").set_value("ok.csv").run()
    next(b for b in at.button if b.label == "Open file").click().run()
    assert "ok.csv" in at.sidebar.markdown[0].value


def test_the_server_file_tab_can_be_turned_off(roots, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_SERVER_FILES", "off")
    at = data_page()
    assert [t.label for t in at.tabs] == ["Bundled", "Upload a file"]
    assert not [w for w in at.text_input if w.key == "server_path"]


def test_a_hostile_source_saved_in_a_workspace_is_not_reopened(roots, tmp_path):
    _, secret = roots
    state = tmp_path / "ws" / "poisoned1" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"source": str(secret / "creds.csv"), "target": "password", "positive": "hunter2",
                                 "test_size": 0.5, "seed": 0}))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ws"] = "poisoned1"
    at.run()
    assert not at.exception, at.exception
    assert "creditcard-synthetic" in at.sidebar.markdown[0].value
    assert any("The last dataset was not reopened" in w.value and "is not available" in w.value for w in at.warning)
    assert "hunter2" not in json.dumps([m.value for m in at.markdown]) + json.dumps(at.session_state["studio"].source)


def _slow_sql(operands, value, lit):
    from sqlglot import exp, parse_one
    slow = parse_one("(SELECT max(hash(x)) FROM range(40000000000) AS t(x))", read="duckdb")
    return exp.GT(this=operands[0], expression=slow)


def _never(x, value):
    return x != x


def test_a_query_past_its_time_limit_is_said_and_the_page_stays_usable(tmp_path, monkeypatch):
    from studio.data.schema import NUMERIC
    from studio.rules import operators, rule
    from studio.rules.operators import Operator

    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("RULE_STUDIO_QUERY_SECONDS", "1")
    operators.register(Operator("slowly above", operators.SCALAR, frozenset({NUMERIC}), _slow_sql, _never,
                                "{column} is slowly above {value}"))
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        s = at.session_state["studio"]
        s.apply(s.rules.add(rule(("V14", "slowly above", 0), then=1)))
        at.switch_page("pages/rules.py").run()  # a first visit opens on the Data page
        assert not at.exception, at.exception
        said = " ".join(e.value for e in at.error) + " ".join(e.value for e in at.sidebar.error)
        assert "took longer than 1 s and was stopped" in said
        next(b for b in at.button if b.label == "Undo").click().run()   # the page is still usable
        assert not at.exception and not at.error and s.rules.rules == ()
        assert 'data-testid="headline"' in " ".join(m.body for m in at.sidebar.markdown)
    finally:
        operators.unregister("slowly above")
