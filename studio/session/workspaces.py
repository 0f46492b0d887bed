"""The workspaces a browser has used: which they are (kept server side, under ``browsers/<browser
id>.json``, the browser holding only its random id in a cookie), the last one used (the bare URL
reopens it), and what a person does with them — see, rename, duplicate, delete.

Ids are checked before any path is made of them: a workspace id and a browser id are 1 to 64 letters,
digits, ``_`` or ``-`` (new ones are 128 random bits), so nothing a browser sends reaches another
folder.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import DataError
from .workspace import (MAX_STATE_BYTES, MAX_UPLOADS, Workspace, _read_json, locked, meta_text, new_id,
                        write_atomically)

MAX_REMEMBERED = 50
_BROWSER = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Summary:
    id: str
    name: str          # the name given, or "" (none yet)
    dataset: str       # what it last had open
    rules: int         # rules of that dataset and target
    changed: str       # last change, "YYYY-MM-DD HH:MM UTC"


def summary(workspace: Workspace) -> Summary:
    """What a list of workspaces shows of one."""
    state = workspace.load_state() or {}
    dataset = str(state.get("name") or state.get("source") or "")
    files = [p for p in workspace.path.rglob("*.json") if p.is_file()] if workspace.path.is_dir() else []
    newest = max((p.stat().st_mtime for p in files), default=None)
    rules = 0
    key_files = sorted((workspace.path / "rules").glob("*.json"), key=lambda p: p.stat().st_mtime)
    if key_files:
        saved = _read_json(key_files[-1], 5_000_000)
        rules = len(saved.get("rules", [])) if isinstance(saved, dict) and isinstance(saved.get("rules"), list) else 0
    when = datetime.fromtimestamp(newest, timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if newest else ""
    return Summary(workspace.id, workspace.load_meta().get("name", ""), Path(dataset).name if dataset else "",
                   rules, when)


def rename(workspace: Workspace, name: str) -> str:
    """Give the workspace a name (one line, 1 to 80 printable characters)."""
    text = " ".join(str(name or "").split())
    if not text or len(text) > 80 or not text.isprintable():
        raise DataError("a workspace's name is one line of 1 to 80 printable characters")
    workspace.update_meta(name=text)
    return text


def duplicate(workspace: Workspace) -> Workspace:
    """A copy under a new id (its rules, versions, history, dataset and split), named "copy of …"."""
    copy = Workspace(new_id(), workspace.path.parent)
    shutil.copytree(workspace.path, copy.path, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    name = workspace.load_meta().get("name") or workspace.id[:8]
    copy.update_meta(name=f"copy of {name}"[:80])
    return copy


def delete(workspace: Workspace) -> None:
    """Remove the workspace's folder and everything in it."""
    if workspace.path.is_dir():
        shutil.rmtree(workspace.path)


class BrowserIndex:
    """The workspaces one browser has used, newest first, and the last one."""

    def __init__(self, root: Path, browser_id: str):
        if not isinstance(browser_id, str) or not _BROWSER.match(browser_id):
            raise ValueError("bad browser id")
        self.root = Path(root)
        self.path = self.root / ".browsers" / f"{browser_id}.json"  # no workspace id holds a dot

    def ids(self) -> list[str]:
        """The workspaces this browser used that still exist, newest first."""
        data = _read_json(self.path, 100_000)
        ids = data.get("workspaces") if isinstance(data, dict) else None
        out = []
        for i in ids if isinstance(ids, list) else []:
            try:
                if Workspace(i, self.root).path.is_dir() and i not in out:
                    out.append(i)
            except ValueError:
                continue
        return out

    def last(self) -> str | None:
        ids = self.ids()
        return ids[0] if ids else None

    def remember(self, workspace_id: str) -> None:
        """``workspace_id`` is now the last used (the front of the list)."""
        Workspace(workspace_id, self.root)  # a bad id raises
        with locked(self.path):
            ids = [workspace_id] + [i for i in self.ids() if i != workspace_id]
            write_atomically(self.path, json.dumps({"workspaces": ids[:MAX_REMEMBERED]}))

    def forget(self, workspace_id: str) -> None:
        with locked(self.path):
            write_atomically(self.path, json.dumps({"workspaces": [i for i in self.ids() if i != workspace_id]}))


_UPLOAD = re.compile(r"[0-9a-f]{64}(\.[a-z]+)+")  # how the studio names a stored upload


def _uploads_locked(root: Path):
    """One lock for every change of an uploads list under ``root`` and every deletion of an upload,
    so no file is deleted while another workspace is putting it on its list."""
    return locked(root / ".uploads")  # no workspace id holds a dot


def _same_file(given, target: Path) -> bool:
    """Whether the path ``given`` names ``target`` (resolved) once resolved too."""
    try:
        return Path(given).resolve() == target
    except (OSError, ValueError, RuntimeError):
        return False


def _used(root: Path, folder: Path, path: Path) -> bool:
    """Whether a workspace under ``root`` uses ``path``: lists it among its uploads (kept in ``folder``)
    or has it open (its state's source: older workspaces have no list). One whose meta or state file is
    there but cannot be read counts as using it: what it uses cannot be told."""
    target = path.resolve()
    for other in root.iterdir() if root.is_dir() else []:
        try:
            Workspace(other.name, root)
        except ValueError:
            continue
        if not other.is_dir():
            continue
        meta = _read_json(other / "meta.json", MAX_STATE_BYTES)
        state = _read_json(other / "state.json", MAX_STATE_BYTES)
        if (meta is None and (other / "meta.json").exists()) or (state is None and (other / "state.json").exists()):
            return True
        uploads = meta.get("uploads") if isinstance(meta, dict) else None
        for u in uploads if isinstance(uploads, list) else []:
            if isinstance(u, dict) and isinstance(u.get("file"), str) and _same_file(folder / u["file"], target):
                return True
        source = state.get("source") if isinstance(state, dict) else None
        if isinstance(source, str) and _same_file(source, target):
            return True
    return False


def _delete_unused(root: Path, folder: Path, file_name) -> bool:
    """Delete the upload ``file_name`` of ``folder`` unless a workspace uses it (call under the uploads
    lock). True when deleted."""
    if not isinstance(file_name, str) or not _UPLOAD.fullmatch(file_name):
        return False
    path = folder / file_name
    if not path.is_file() or _used(root, folder, path):
        return False
    path.unlink(missing_ok=True)
    return True


def record_upload(workspace: Workspace, name: str, path: Path, missing=()) -> list[dict]:
    """Put an uploaded file at the front of the workspace's list (newest first, once per file), with
    the missing markers it is read with; nothing is recorded when the file is gone (removed meanwhile).

    The list keeps at most ``MAX_UPLOADS`` entries, and no more than its file is read back with
    (``MAX_STATE_BYTES``): over that, the oldest entries are dropped from it and returned (newest
    first), each with ``"deleted"``: its file is deleted unless a workspace still lists it or has it
    open, so no file is left that no list shows, and none that is used is deleted. The caller says
    what was dropped."""
    root = workspace.path.parent
    with _uploads_locked(root):
        try:
            size = path.stat().st_size
        except OSError:
            return []
        entry = {"name": str(name)[:200], "file": path.name, "size": size,
                 "added": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "missing": list(missing)}
        dropped: list[dict] = []

        def change(meta: dict) -> dict:
            kept = [entry] + [u for u in meta["uploads"] if u.get("file") != path.name]
            dropped[:] = kept[MAX_UPLOADS:]
            kept = kept[:MAX_UPLOADS]
            while len(kept) > 1 and len(meta_text({**meta, "uploads": kept}).encode("utf-8")) > MAX_STATE_BYTES:
                dropped.insert(0, kept.pop())
            return {**meta, "uploads": kept}

        workspace.change_meta(change)
        return [{**u, "deleted": _delete_unused(root, path.parent, u.get("file"))} for u in dropped]


def uploads_of(workspace: Workspace, folder: Path) -> list[dict]:
    """The workspace's uploads whose file is still in ``folder``, with their path."""
    out = []
    for u in workspace.load_meta()["uploads"]:
        name = u.get("file")
        if isinstance(name, str) and _UPLOAD.fullmatch(name) and (folder / name).is_file():
            out.append({**u, "path": folder / name})
    return out


def remove_upload(workspace: Workspace, file_name: str, folder: Path, in_use: str = "") -> bool:
    """Take an upload off the workspace's list; its file is deleted unless it is ``in_use`` (the dataset
    open here) or a workspace still uses it — lists it among its uploads, or has it open (its state's
    source) — paths compared once resolved. True when the file was deleted."""
    root = workspace.path.parent
    with _uploads_locked(root):
        workspace.change_meta(lambda meta: {**meta, "uploads": [u for u in meta["uploads"]
                                                                if u.get("file") != file_name]})
        if not isinstance(file_name, str) or not _UPLOAD.fullmatch(file_name):
            return False
        if in_use and _same_file(in_use, (folder / file_name).resolve()):
            return False
        return _delete_unused(root, folder, file_name)
