"""An uploaded file is deleted only when no workspace uses it: none lists it among its uploads and
none has it open (an older workspace has no uploads list, only its state naming the file); the
workspace's list changes under its lock, and a list over its cap says what it dropped, the files of
what it dropped kept while another workspace uses them."""

import json
import threading

from studio.session.workspace import MAX_STATE_BYTES, MAX_UPLOADS, Workspace
from studio.session.workspaces import record_upload, remove_upload, uploads_of


def upload(folder, n: int, text: str = "x,y\n1,0\n"):
    path = folder / (f"{n:064x}" + ".csv")
    path.write_text(text)
    return path


def test_a_file_another_workspace_has_open_is_kept_though_it_never_listed_it(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = upload(folder, 1)
    root = tmp_path / "ws"
    mine = Workspace("mine", root)
    record_upload(mine, "data.csv", path)
    older = Workspace("older", root)  # from before uploads were listed: its state names the file alone
    older.save_state({"source": str(folder / ".." / "uploads" / path.name), "name": "data.csv", "target": "y"})
    assert "uploads" not in json.loads((older.path / "state.json").read_text())
    assert remove_upload(mine, path.name, folder) is False and path.exists()
    assert uploads_of(mine, folder) == []  # off this workspace's list all the same
    older.save_state({"source": "creditcard-synthetic", "name": None, "target": "Class"})
    record_upload(mine, "data.csv", path)
    assert remove_upload(mine, path.name, folder) is True and not path.exists()


def test_a_file_open_here_under_another_spelling_is_kept(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = upload(folder, 2)
    ws = Workspace("w", tmp_path / "ws")
    record_upload(ws, "data.csv", path)
    assert remove_upload(ws, path.name, folder, in_use=str(folder / "." / path.name)) is False and path.exists()
    ws.save_state({"source": str(path), "name": "data.csv", "target": "y"})  # another tab has it open
    assert remove_upload(ws, path.name, folder) is False and path.exists()


def test_a_workspace_whose_files_cannot_be_read_keeps_the_file(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = upload(folder, 3)
    root = tmp_path / "ws"
    mine, spoiled = Workspace("mine", root), Workspace("spoiled", root)
    record_upload(mine, "data.csv", path)
    spoiled.path.mkdir(parents=True)
    (spoiled.path / "meta.json").write_text("{not json")  # what it lists cannot be told
    assert remove_upload(mine, path.name, folder) is False and path.exists()


def test_uploads_recorded_at_once_are_all_listed(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    paths = [upload(folder, 100 + k) for k in range(40)]
    root = tmp_path / "ws"
    errors = []
    start = threading.Barrier(8)

    def tab(k: int) -> None:
        ws = Workspace("w", root)
        start.wait()
        for path in paths[k::8]:
            try:
                record_upload(ws, path.name, path)
            except Exception as err:  # noqa: BLE001 -- counted, not raised, to see every failure
                errors.append(repr(err))

    threads = [threading.Thread(target=tab, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(u["file"] for u in uploads_of(Workspace("w", root), folder)) == sorted(p.name for p in paths)


def test_over_the_cap_the_oldest_is_dropped_said_and_its_file_kept_only_while_used(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    root = tmp_path / "ws"
    ws, other = Workspace("w", root), Workspace("other", root)
    paths = [upload(folder, 1000 + k) for k in range(MAX_UPLOADS + 2)]
    record_upload(other, "shared.csv", paths[1])
    for k, path in enumerate(paths[:MAX_UPLOADS]):
        assert record_upload(ws, f"f{k}.csv", path) == []
    dropped = record_upload(ws, "one more.csv", paths[MAX_UPLOADS])
    assert [(d["name"], d["deleted"]) for d in dropped] == [("f0.csv", True)]
    assert not paths[0].exists()  # no workspace used it: deleted, not left behind unlisted
    dropped = record_upload(ws, "and another.csv", paths[MAX_UPLOADS + 1])
    assert [(d["name"], d["deleted"]) for d in dropped] == [("f1.csv", False)]
    assert paths[1].exists()  # the other workspace lists it
    listed = [u["name"] for u in uploads_of(ws, folder)]
    assert len(listed) == MAX_UPLOADS and listed[:2] == ["and another.csv", "one more.csv"]
    assert record_upload(ws, "f50 again.csv", paths[50]) == []  # listed already: moved to the front


def test_the_list_never_grows_past_what_can_be_read_back(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    ws = Workspace("w", tmp_path / "ws")
    markers = ["€" * 19 + str(k) for k in range(10)]
    dropped = []
    for k in range(MAX_UPLOADS):
        dropped += record_upload(ws, "é" * 190 + f"{k:03d}", upload(folder, 5000 + k), missing=markers)
    assert (ws.path / "meta.json").stat().st_size <= MAX_STATE_BYTES
    listed = uploads_of(ws, folder)
    assert listed and len(listed) + len(dropped) == MAX_UPLOADS
    assert listed[0]["name"].endswith(f"{MAX_UPLOADS - 1:03d}")
