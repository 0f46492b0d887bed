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
from .workspace import Workspace, _read_json, locked, new_id, write_atomically

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


def record_upload(workspace: Workspace, name: str, path: Path, missing=()) -> None:
    """Remember an uploaded file in the workspace's list (newest first, once per file), with the
    missing markers it is read with."""
    entry = {"name": str(name)[:200], "file": path.name, "size": path.stat().st_size,
             "added": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "missing": list(missing)}
    kept = [u for u in workspace.load_meta()["uploads"] if u.get("file") != path.name]
    workspace.update_meta(uploads=[entry] + kept)


def uploads_of(workspace: Workspace, folder: Path) -> list[dict]:
    """The workspace's uploads whose file is still in ``folder``, with their path."""
    out = []
    for u in workspace.load_meta()["uploads"]:
        name = u.get("file")
        if isinstance(name, str) and re.fullmatch(r"[0-9a-f]{64}(\.[a-z]+)+", name) and (folder / name).is_file():
            out.append({**u, "path": folder / name})
    return out


def remove_upload(workspace: Workspace, file_name: str, folder: Path, in_use: str = "") -> bool:
    """Take an upload off the workspace's list; its file is deleted unless another workspace lists it
    or it is ``in_use`` (the dataset open). True when the file was deleted."""
    workspace.update_meta(uploads=[u for u in workspace.load_meta()["uploads"] if u.get("file") != file_name])
    path = folder / file_name
    if not re.fullmatch(r"[0-9a-f]{64}(\.[a-z]+)+", file_name) or str(path) == str(in_use):
        return False
    for other in workspace.path.parent.iterdir():
        try:
            if other.is_dir() and any(u.get("file") == file_name for u in Workspace(other.name, other.parent)
                                      .load_meta()["uploads"]):
                return False
        except ValueError:
            continue
    if path.is_file():
        path.unlink()
        return True
    return False
