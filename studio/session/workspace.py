"""A folder that keeps a user's work: the chosen dataset and split, and every dataset's rules.

Layout under the root: ``<workspace id>/state.json`` and ``<workspace id>/rules/<dataset>.json``.
A rules file is a rule-studio/1 rule file with one more key, ``"revision": n``; every change goes
through :meth:`Workspace.update_rules`, which takes the file's lock, reads the latest revision,
applies the change to it and writes revision n + 1, so two tabs (or threads, or processes) on one
workspace never lose each other's work. Writes are atomic: a uniquely named temporary file, then
``os.replace``. Everything read back is checked again: a bad file is set aside, never trusted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import RuleSetError
from ..rules.model import RuleSet
from ..rules.rulefile import json_depth
from ..rules.limits import MAX_DEPTH, MAX_FILE_BYTES
from ..rules.salvage import Salvaged, salvage

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_STATE_BYTES = 100_000
MAX_HISTORY_BYTES = 50_000_000
MAX_UPLOADS = 100  # entries of a workspace's list of uploads


def default_root() -> Path:
    """``$RULE_STUDIO_WORKSPACE``, else ``workspace/`` beside the project."""
    env = os.environ.get("RULE_STUDIO_WORKSPACE")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "workspace"


def new_id() -> str:
    """A new workspace id: 128 random bits, so an id cannot be guessed."""
    return secrets.token_hex(16)


def slug(name: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return text[:80] or "dataset"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a uniquely named temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextlib.contextmanager
def locked(path: Path):
    """An exclusive lock on ``<path>.lock`` (across threads and processes) while the block runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def meta_text(meta: dict) -> str:
    """What ``meta.json`` holds for ``meta`` (its UTF-8 length is read back up to ``MAX_STATE_BYTES``)."""
    return json.dumps(meta, indent=1, ensure_ascii=False)


def _read_json(path: Path, limit: int):
    """Parsed JSON of a small regular file, or None (missing, too large, too deep, not JSON)."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        text = path.read_text(encoding="utf-8")
        if json_depth(text) > MAX_DEPTH:
            return None
        return json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None


@dataclass(frozen=True)
class SavedRules:
    """A dataset's saved rules: what could be used, what was set aside and why, and the revision."""

    salvaged: Salvaged
    revision: int

    @property
    def rules(self) -> RuleSet | None:
        return self.salvaged.rules


class Workspace:
    """One user's saved work."""

    def __init__(self, workspace_id: str, root: Path | None = None):
        if not isinstance(workspace_id, str) or not _ID.match(workspace_id):
            raise ValueError("bad workspace id")
        self.id = workspace_id
        self.path = Path(root or default_root()) / workspace_id
        self._revisions: dict[str, tuple[tuple, int]] = {}  # key -> (file signature, revision)

    # ---- the current dataset and split ------------------------------------
    def load_state(self) -> dict | None:
        """The saved dataset and split choice, or None when there is none or it is not well formed."""
        state = _read_json(self.path / "state.json", MAX_STATE_BYTES)
        if not isinstance(state, dict) or not isinstance(state.get("source"), str) \
                or not isinstance(state.get("target"), str):
            return None
        return state

    def save_state(self, state: dict) -> None:
        write_atomically(self.path / "state.json", json.dumps(state, indent=2))

    # ---- rules, one file per dataset and target ------------------------------
    def rules_path(self, key: str) -> Path:
        return self.path / "rules" / f"{slug(key)}.json"

    def load_rules(self, key: str) -> RuleSet | None:
        """The saved rules of ``key`` that hold up (None when there are none)."""
        return self.read_rules(key).rules

    def read_rules(self, key: str, check=None) -> SavedRules:
        """The saved rules of ``key`` (read leniently: rules that do not hold up, or for which ``check``
        finds problems, are set aside)."""
        data = _read_json(self.rules_path(key), MAX_FILE_BYTES)
        if data is None:
            missing = not self.rules_path(key).exists()
            return SavedRules(Salvaged(None, problems=[] if missing else ["the saved rules file cannot be read"]), 0)
        revision = data.pop("revision", 0) if isinstance(data, dict) else 0
        revision = revision if isinstance(revision, int) and not isinstance(revision, bool) and revision >= 0 else 0
        return SavedRules(salvage(data, check), revision)

    def revision(self, key: str) -> int:
        """The revision of ``key``'s saved rules (0 when there are none); read again only when the file
        changed (every change replaces it, so its inode changes)."""
        try:
            st = self.rules_path(key).stat()
        except OSError:
            return 0
        signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        known = self._revisions.get(key)
        if known is not None and known[0] == signature:
            return known[1]
        revision = self.read_rules(key).revision
        self._revisions[key] = (signature, revision)
        return revision

    def update_rules(self, key: str, change: Callable[[RuleSet | None, int], RuleSet]) -> tuple[RuleSet, int]:
        """Under the file's lock: ``change(latest rules, their revision)`` saved as the next revision."""
        path = self.rules_path(key)
        with locked(path):
            saved = self.read_rules(key)
            rules = change(saved.rules, saved.revision)
            revision = saved.revision + 1
            write_atomically(path, json.dumps({**rules.to_dict(), "revision": revision}, indent=1,
                                              ensure_ascii=False) + "\n")
            return rules, revision

    def save_rules(self, key: str, rules: RuleSet) -> int:
        """Save ``rules`` as the next revision, whatever is saved (use :meth:`update_rules` to build on it)."""
        return self.update_rules(key, lambda latest, revision: rules)[1]

    # ---- what a person sees of it: a name, the last page, the files uploaded ----
    def load_meta(self) -> dict:
        """``name`` (str), ``page`` (the last page shown) and ``uploads`` (list of dicts), each only when
        well formed."""
        data = _read_json(self.path / "meta.json", MAX_STATE_BYTES)
        data = data if isinstance(data, dict) else {}
        out = {k: data[k] for k in ("name", "page") if isinstance(data.get(k), str) and len(data[k]) <= 200}
        uploads = data.get("uploads")
        out["uploads"] = [u for u in uploads if isinstance(u, dict)] if isinstance(uploads, list) else []
        return out

    def change_meta(self, change: Callable[[dict], dict]) -> dict:
        """Under the file's lock: ``change(the latest meta fields)`` saved, and returned (so two tabs
        changing them at once both count)."""
        path = self.path / "meta.json"
        with locked(path):
            meta = change(self.load_meta())
            write_atomically(path, meta_text(meta))
        return meta

    def update_meta(self, **fields) -> dict:
        """Change some of the meta fields (under the file's lock) and return them all."""
        return self.change_meta(lambda meta: {**meta, **fields})

    # ---- undo history, one file per dataset and target ------------------------
    def load_history(self, key: str) -> dict | None:
        """The saved undo/redo lists of ``key`` (None when there are none or they cannot be read)."""
        data = _read_json(self.path / "history" / f"{slug(key)}.json", MAX_HISTORY_BYTES)
        return data if isinstance(data, dict) else None

    def save_history(self, key: str, history: dict) -> bool:
        """Keep the undo/redo lists of ``key``. One too large to keep (over ``MAX_HISTORY_BYTES`` in
        UTF-8) is not kept, and the older file goes too, so a reload never replays a stale history (the
        rules themselves are saved apart). True when kept."""
        path = self.path / "history" / f"{slug(key)}.json"
        text = json.dumps(history, ensure_ascii=False)
        if len(text.encode("utf-8")) <= MAX_HISTORY_BYTES:
            write_atomically(path, text)
            return True
        path.unlink(missing_ok=True)
        return False

    def set_aside_file(self, key: str) -> Path | None:
        """Move an unreadable rules file out of the way (kept beside it), so a fresh start can be saved."""
        path = self.rules_path(key)
        if not path.exists():
            return None
        aside = path.with_name(f"{path.stem}.unreadable-{secrets.token_hex(4)}.json")
        os.replace(path, aside)
        return aside


__all__ = ["RuleSetError", "SavedRules", "Workspace", "default_root", "locked", "meta_text", "new_id", "slug", "write_atomically"]
