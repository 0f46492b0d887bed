"""Undo and redo survive a reload and a server restart: a new session on the same workspace takes
back the last changes; the kept history is bounded, and a spoiled history file is ignored."""

from studio.rules import rule
from studio.session.studio import StudioSession
from studio.session.workspace import Workspace


def test_a_new_session_undoes_and_redoes_the_last_changes(tmp_path):
    s = StudioSession.start(Workspace("h1", tmp_path))
    steps = [s.rules]
    for column, value in (("V14", -8), ("V17", -3), ("V11", 4)):
        s.apply(s.rules.add(rule((column, "<" if value < 0 else ">", value), then=1, name=column)))
        steps.append(s.rules)
    s.undo()
    again = StudioSession.start(Workspace("h1", tmp_path))  # a restart: a new process on the same folder
    assert again.rules == steps[2]
    again.undo()
    assert again.rules == steps[1]
    again.redo()
    again.redo()
    assert again.rules == steps[3]
    third = StudioSession.start(Workspace("h1", tmp_path))
    third.undo(), third.undo(), third.undo()
    assert third.rules == steps[0]
    assert not third.history.can_undo


def test_the_kept_history_is_bounded_and_a_spoiled_file_is_ignored(tmp_path):
    s = StudioSession.start(Workspace("h2", tmp_path))
    s.history.limit = 5
    for k in range(8):
        s.apply(s.rules.add(rule(("V14", "<", -k - 1), then=1, name=f"r{k}")))
    again = StudioSession.start(Workspace("h2", tmp_path))
    assert len(again.history.to_dict()["undo"]) == 5
    path = tmp_path / "h2" / "history"
    (next(path.iterdir())).write_text('{"undo": [[{"rules": "nonsense"}, 3]], "redo": 7}')
    third = StudioSession.start(Workspace("h2", tmp_path))
    assert not third.history.can_undo and len(third.rules.rules) == 8
    (next(path.iterdir())).write_text("not json at all")
    assert not StudioSession.start(Workspace("h2", tmp_path)).history.can_redo


def test_a_history_too_large_to_keep_removes_the_older_file(tmp_path, monkeypatch):
    import studio.session.workspace as workspace

    s = StudioSession.start(Workspace("h3", tmp_path))
    s.apply(s.rules.add(rule(("V14", "<", -8), then=1, name="first")))
    kept = next((tmp_path / "h3" / "history").iterdir())
    monkeypatch.setattr(workspace, "MAX_HISTORY_BYTES", kept.stat().st_size + 10)
    s.apply(s.rules.add(rule(("V17", "<", -3), then=1, name="second")))
    assert not kept.exists()  # a reload must not replay the history from before this change
    again = StudioSession.start(Workspace("h3", tmp_path))
    assert again.rules == s.rules and not again.history.can_undo


def test_the_history_limit_counts_bytes_not_characters(tmp_path, monkeypatch):
    import json

    import studio.session.workspace as workspace

    history = {"undo": [{"name": "é" * 100}], "redo": []}
    characters = len(json.dumps(history, ensure_ascii=False))
    ws = Workspace("h4", tmp_path)
    monkeypatch.setattr(workspace, "MAX_HISTORY_BYTES", characters)  # fits in characters, not in bytes
    assert ws.save_history("k", history) is False and ws.load_history("k") is None
    monkeypatch.setattr(workspace, "MAX_HISTORY_BYTES", characters + 100)
    assert ws.save_history("k", history) is True and ws.load_history("k") == history
