"""Versions of the rule list on the Rules page (AppTest) and in the workspace: saved under a name,
compared with the rules now (figures, the diff, the rows decided differently, all the library's),
restored with Undo, refused with one line for a bad name, and back after a restart."""

import pytest
from streamlit.testing.v1 import AppTest

from studio.engine.compare import disagreements, rule_diff
from studio.engine.money import MoneySettings
from studio.errors import DataError
from studio.rules import rule
from studio.session.versions import MAX_NAME, Versions
from studio.session.workspace import Workspace

from tests.support.app_page import open_app_page, shown

KEY = "creditcard-synthetic--Class"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def rules_page(ws: str) -> AppTest:
    at = open_app_page("rules", ws)
    at.toggle(key="versions_on").set_value(True).run()
    assert not at.exception, at.exception
    return at


def save(at, name: str) -> None:
    at.text_input(key="version_name").set_value(name)
    at.button(key="version_save").click().run()
    assert not at.exception, at.exception


def test_save_compare_restore_and_come_back_after_a_restart(workspace, credit_split, tutorial_rules):
    at = rules_page("versions1")
    s = at.session_state["studio"]
    s.apply(tutorial_rules)
    at.run()
    assert any("No saved versions yet" in c.value for c in at.main.caption)
    save(at, "three rules")
    assert any("Saved version 'three rules' (3 rules)" in m.value for m in at.success)

    changed = tutorial_rules.remove(0).replace_rule(0, rule(("V17", "<", -2.5), then=1, name="deep V17"))
    s.choose_amounts(MoneySettings("Amount", review_cost=5.0))
    s.apply(changed)
    at.run()
    assert not at.exception, at.exception
    figures = next(t for t in at.table if "test precision" in t.value.columns)
    assert list(figures.value.index) == ["A · three rules", "B · the rules now"]
    for label, rules in (("A · three rules", tutorial_rules), ("B · the rules now", changed)):
        m = s.evaluation(rules).test.metrics.positive
        assert figures.value.loc[label, "test precision"] == f"{m.precision:.4f}"
        assert figures.value.loc[label, "F1"] == f"{m.f1:.4f}"
        assert figures.value.loc[label, "net benefit"] == f"{s.amounts.report(s.split, rules)['test'].net_benefit:,.2f}"
    diff = next(t for t in at.table if "change" in t.value.columns).value
    expected = [c for c in rule_diff(tutorial_rules, changed) if c.kind != "unchanged"]
    assert list(diff["change"]) == [c.kind for c in expected] == ["changed", "removed"]
    assert [shown(h) for h in diff["how"]] == [c.describe() for c in expected]
    d = disagreements(credit_split, tutorial_rules, changed)["test"]
    said = shown(" ".join(m.value for m in at.main.markdown))
    assert (f"**Test rows they decide differently**: {d.differ:,} of {d.rows:,} · only A alerts: {d.only_first:,} "
            f"({d.only_first_positive:,} positives) · only B alerts: {d.only_second:,}") in said
    rows = next(f.value for f in at.dataframe if list(f.value.columns[:4]) == ["A says", "A's rule", "B says",
                                                                                "B's rule"])
    assert len(rows) == min(100, d.differ) > 0

    at.button(key="version_restore").click().run()
    assert not at.exception, at.exception
    assert s.rules == tutorial_rules
    s.undo()
    assert s.rules == changed  # restoring is one step Undo takes back

    again = rules_page("versions1")  # a new session on the same workspace: the version is there
    assert again.selectbox(key="versions_a").value == "three rules"
    assert [v.name for v in Versions(Workspace("versions1", workspace), KEY).all()] == ["three rules"]


def test_bad_names_are_refused_in_one_line_and_nothing_is_saved(workspace, tutorial_rules):
    at = rules_page("versions2")
    at.session_state["studio"].apply(tutorial_rules)
    at.run()
    for name, message in (("   ", "Not saved: a version needs a name"),
                          ("a\x07b", "control characters")):
        save(at, name)
        assert any(message in shown(e.value) for e in at.error), [e.value for e in at.error]
    save(at, "<b>mine</b> `x`")
    save(at, "<b>mine</b> `x`")
    assert any("a version named '<b>mine</b> `x`' exists" in shown(e.value) for e in at.error)
    assert [v.name for v in Versions(Workspace("versions2", workspace), KEY).all()] == ["<b>mine</b> `x`"]


def test_the_store_keeps_versions_and_leaves_out_what_does_not_hold_up(tmp_path, tutorial_rules):
    store = Versions(Workspace("w1", tmp_path), KEY)
    store.save("one", tutorial_rules)
    with pytest.raises(DataError, match=f"at most {MAX_NAME} characters"):  # the page's box cuts names there
        store.save("x" * (MAX_NAME + 1), tutorial_rules)
    store.save("two", tutorial_rules.remove(0))
    text = store.path.read_text().replace('"op": "<"', '"op": "<<<"', 1)  # one version spoiled on disk
    store.path.write_text(text)
    names = [v.name for v in store.all()]
    assert len(names) == 1
    with pytest.raises(DataError, match="no version named 'three'"):
        store.get("three")
    store.delete(names[0])
    assert store.all() == []
    store.save("kept", tutorial_rules)
    spoiled = store.path.read_text()[:-40]  # cut short on disk: the versions in it cannot be read
    store.path.write_text(spoiled)
    assert store.all() == []
    with pytest.raises(DataError, match="cannot be read .* nothing was changed"):
        store.save("fresh", tutorial_rules)  # saving would drop what the file holds
    with pytest.raises(DataError, match="cannot be read"):
        store.delete("kept")
    assert store.path.read_text() == spoiled
    store.path.rename(store.path.with_suffix(".aside"))
    store.save("fresh", tutorial_rules)
    assert store.get("fresh").rules == tutorial_rules


def test_a_versions_file_past_its_size_is_refused_not_written(tmp_path, tutorial_rules, monkeypatch):
    import studio.session.versions as versions

    store = Versions(Workspace("w2", tmp_path), KEY)
    store.save("one", tutorial_rules)
    size = store.path.stat().st_size
    monkeypatch.setattr(versions, "MAX_VERSIONS_BYTES", size + 100)
    with pytest.raises(DataError, match="delete one first"):
        store.save("two", tutorial_rules)
    assert [v.name for v in store.all()] == ["one"] and store.path.stat().st_size == size
