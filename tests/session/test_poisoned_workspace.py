"""A workspace whose saved rules cannot all be used still opens: the usable rules are shown, the others
are set aside (kept in the file) or disabled, each named with its reason; nothing is lost silently."""

import json
import math

import pytest
from sqlglot import exp
from streamlit.testing.v1 import AppTest

from studio.data.schema import NUMERIC
from studio.rules import operators, rule
from studio.rules.operators import Operator
from studio.rules.salvage import SET_ASIDE
from studio.session.studio import StudioSession
from studio.session.workspace import Workspace
from tests.support.sample_rules import ROOT

KEY = "creditcard-synthetic--Class"
GOOD = {"name": "deep V14", "when": [{"column": "V14", "op": "<", "value": -8}], "then": 1}
HOSTILE = [
    {"name": "lasso", "when": [{"column": "V14", "op": "in polygon", "value": {"y": "V17", "vertices": [
        [math.cos(k / 159) * 5, math.sin(k / 159) * 5] for k in range(1000)]}}], "then": 1},
    {"name": "huge", "when": [{"column": "V11", "op": ">", "value": 10 ** 400}], "then": 1},
    {"name": "typo", "when": [{"column": "V11", "op": "gte", "value": 4}], "then": 1},
    {"name": "gone", "when": [{"column": "V99", "op": ">", "value": 4}], "then": 1},
]


def write_rules(ws: Workspace, rules: list, text: str | None = None) -> None:
    path = ws.rules_path(KEY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else json.dumps(
        {"format": "rule-studio/1", "target": "Class", "positive": 1, "default": 0, "rules": rules}))


def test_hostile_rules_are_set_aside_and_named_and_the_rest_work(tmp_path):
    ws = Workspace("w", tmp_path)
    write_rules(ws, [GOOD] + HOSTILE)
    s = StudioSession.start(ws)
    assert [r.name for r in s.rules.rules] == ["deep V14"]
    notices = " | ".join(s.notices)
    for i, (name, why) in enumerate([("lasso", "takes at most 500 vertices"), ("huge", "at most 38 digits"),
                                     ("typo", "unknown operator 'gte'"), ("gone", "unknown column 'V99'")], start=2):
        assert f"rule {i} ('{name}') was set aside" in notices and why in notices
    assert s.evaluation().test.metrics.positive.recall > 0
    saved = json.loads(ws.rules_path(KEY).read_text())
    assert [entry["rule"]["name"] for entry in saved[SET_ASIDE]] == ["lasso", "huge", "typo", "gone"]
    again = StudioSession.start(Workspace("w", tmp_path))  # reopened: the same rules, nothing lost
    assert again.rules.rules == s.rules.rules and len(again.rules.meta[SET_ASIDE]) == 4


@pytest.mark.parametrize("text", ["{nope", "[" * 100_000 + "]" * 100_000, json.dumps({"rules": 5}), "\x00\x01"])
def test_an_unreadable_rules_file_is_kept_beside_a_fresh_start(tmp_path, text):
    ws = Workspace("w", tmp_path)
    write_rules(ws, [], text=text)
    s = StudioSession.start(ws)
    assert s.rules.rules == () and s.evaluation()
    kept = list(ws.rules_path(KEY).parent.glob("*.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == text
    assert any(kept[0].name in n for n in s.notices)


def test_a_bad_saved_state_opens_the_default_dataset(tmp_path):
    ws = Workspace("w", tmp_path)
    ws.path.mkdir(parents=True)
    for state in ('{"source": "/etc/passwd", "target": "root"}', "not json", '{"source": 5}', "[" * 50_000):
        (ws.path / "state.json").write_text(state)
        s = StudioSession.start(ws)
        assert s.dataset.name == "creditcard-synthetic"


def _no_such_function(operands, value, lit):
    return exp.Anonymous(this="no_such_function", expressions=[operands[0], lit(value)])


def _never(x, value):
    return x != x


@pytest.fixture
def unevaluable():
    op = operators.register(Operator("resembles", operators.SCALAR, frozenset({NUMERIC}), _no_such_function, _never,
                                     "{column} resembles {value}", offers=frozenset({NUMERIC})))
    yield op
    operators.unregister(op.name)


def test_a_rule_duckdb_cannot_evaluate_is_disabled_and_named(tmp_path, unevaluable):
    s = StudioSession.start(Workspace("w", tmp_path))
    good = rule(("V14", "<", -8), then=1, name="deep V14")
    s.apply(s.rules.add(good).add(rule(("V11", "resembles", 4), then=1, name="odd")))
    ev = s.evaluation()
    assert [r.enabled for r in s.rules.rules] == [True, False]
    assert any("Rule 2 ('odd') cannot be evaluated" in n and "no_such_function" in n for n in s.notices)
    alone = StudioSession.start(Workspace("x", tmp_path))
    alone.apply(alone.rules.add(good))
    assert ev.test.metrics.positive == alone.evaluation().test.metrics.positive
    assert s.history.can_undo


def test_the_rules_page_of_a_poisoned_workspace_is_usable(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    write_rules(Workspace("poisoned", tmp_path), [GOOD] + HOSTILE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ws"] = "poisoned"
    at.run()
    assert not at.exception, at.exception
    assert "Rules" in [t.value for t in at.title]
    warnings = " ".join(w.value for w in at.warning)
    assert "rule 2 ('lasso') was set aside" in warnings and "rule 5 ('gone') was set aside" in warnings
    assert 'data-testid="headline"' in " ".join(m.body for m in at.sidebar.markdown)
    assert any(b.label == "Undo" for b in at.button)
