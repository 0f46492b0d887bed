"""A browser's workspaces: remembered server side by a random browser id (the last one first),
listed with their name, dataset, rules and last change, renamed, duplicated and deleted; uploads
listed per workspace and their files deleted only when no other workspace uses them."""

import pytest

from studio.errors import DataError
from studio.rules import rule
from studio.session.studio import StudioSession
from studio.session.versions import Versions
from studio.session.workspace import Workspace, new_id
from studio.session.workspaces import (BrowserIndex, delete, duplicate, record_upload, remove_upload, rename,
                                       summary, uploads_of)


def started(root, ws_id):
    s = StudioSession.start(Workspace(ws_id, root))
    return s


def test_a_browser_remembers_its_workspaces_last_first(tmp_path):
    index = BrowserIndex(tmp_path, new_id())
    assert index.last() is None
    for ws in ("a1", "b2", "c3"):
        started(tmp_path, ws).close()
        index.remember(ws)
    index.remember("a1")
    assert index.ids() == ["a1", "c3", "b2"] and index.last() == "a1"
    delete(Workspace("c3", tmp_path))
    assert index.ids() == ["a1", "b2"]  # a deleted folder is not listed
    index.forget("a1")
    assert index.last() == "b2"
    other = BrowserIndex(tmp_path, new_id())
    assert other.ids() == []  # another browser sees none of them
    for bad in ("../x", "", "A" * 32, 5):
        with pytest.raises(ValueError):
            BrowserIndex(tmp_path, bad)
    with pytest.raises(ValueError):
        index.remember("../../etc")


def test_summary_rename_duplicate_and_delete(tmp_path, tutorial_rules):
    s = started(tmp_path, "w1")
    s.apply(tutorial_rules)
    Versions(s.workspace, s.rules_key).save("first", tutorial_rules)
    got = summary(s.workspace)
    assert (got.id, got.name, got.dataset, got.rules) == ("w1", "", "creditcard-synthetic", 3) and got.changed
    assert rename(s.workspace, "  fraud   rules ") == "fraud rules"
    assert summary(s.workspace).name == "fraud rules"
    for bad in ("", " ", "x" * 81, "a\x07b"):
        with pytest.raises(DataError, match="1 to 80 printable characters"):
            rename(s.workspace, bad)
    copy = duplicate(s.workspace)
    assert copy.id != "w1" and len(copy.id) == 32 and summary(copy).name == "copy of fraud rules"
    again = started(tmp_path, copy.id)
    assert again.rules.rules == tutorial_rules.rules and again.history.can_undo
    assert [v.name for v in Versions(again.workspace, again.rules_key).all()] == ["first"]
    again.apply(again.rules.remove(0))
    assert started(tmp_path, "w1").rules.rules == tutorial_rules.rules  # the copy is a copy
    delete(copy)
    assert not copy.path.exists()


def test_uploads_are_listed_per_workspace_and_shared_files_kept(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = folder / ("ab" * 32 + ".csv")
    path.write_text("x,y\n1,0\n2,1\n")
    one, two = Workspace("u1", tmp_path / "ws"), Workspace("u2", tmp_path / "ws")
    record_upload(one, "mine.csv", path)
    record_upload(two, "theirs.csv", path)
    assert [u["name"] for u in uploads_of(one, folder)] == ["mine.csv"]
    assert uploads_of(one, folder)[0]["size"] == path.stat().st_size
    assert remove_upload(one, path.name, folder) is False and path.exists()  # the other workspace uses it
    assert uploads_of(one, folder) == []
    assert remove_upload(two, path.name, folder, in_use=str(path)) is False and path.exists()  # open now
    record_upload(two, "theirs.csv", path)
    assert remove_upload(two, path.name, folder) is True and not path.exists()
    assert remove_upload(two, "../../etc/passwd", folder) is False
