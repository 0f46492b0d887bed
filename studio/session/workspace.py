"""A folder that keeps a user's work: the chosen dataset and split, every dataset's rules, uploads.

Layout under the root: ``<workspace id>/state.json``, ``<workspace id>/rules/<dataset>.json``
and ``<workspace id>/uploads/<file>``. Writes are atomic (temp file, then rename).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

from ..errors import RuleSetError
from ..rules.model import RuleSet

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def default_root() -> Path:
    """``$RULE_STUDIO_WORKSPACE``, else ``workspace/`` beside the project."""
    env = os.environ.get("RULE_STUDIO_WORKSPACE")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "workspace"


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def slug(name: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return text[:80] or "dataset"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


class Workspace:
    """One user's saved work."""

    def __init__(self, workspace_id: str, root: Path | None = None):
        if not _ID.match(workspace_id or ""):
            raise ValueError(f"bad workspace id {workspace_id!r}")
        self.id = workspace_id
        self.path = Path(root or default_root()) / workspace_id

    # ---- the current dataset and split ------------------------------------
    def load_state(self) -> dict | None:
        try:
            return json.loads((self.path / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_state(self, state: dict) -> None:
        _write(self.path / "state.json", json.dumps(state, indent=2))

    # ---- rules, one file per dataset ----------------------------------------
    def rules_path(self, dataset_name: str) -> Path:
        return self.path / "rules" / f"{slug(dataset_name)}.json"

    def load_rules(self, dataset_name: str) -> RuleSet | None:
        """The autosaved rules of a dataset, or None (also when the file is unreadable)."""
        path = self.rules_path(dataset_name)
        if not path.exists():
            return None
        try:
            return RuleSet.load(path)
        except RuleSetError:
            return None

    def save_rules(self, dataset_name: str, rules: RuleSet) -> None:
        _write(self.rules_path(dataset_name), rules.to_json() + "\n")

    # ---- uploaded files ---------------------------------------------------
    def upload_path(self, filename: str) -> Path:
        name = Path(filename).name
        stem, dot, ext = name.rpartition(".")
        safe = slug(stem if dot else name) + (f".{slug(ext)}" if dot else "")
        return self.path / "uploads" / safe

    def save_upload(self, filename: str, data) -> Path:
        """Store an uploaded file (bytes or a file-like object) and return its path."""
        path = self.upload_path(filename)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as out:
            if isinstance(data, (bytes, bytearray, memoryview)):
                out.write(data)
            else:
                while chunk := data.read(1 << 20):
                    out.write(chunk)
        tmp.replace(path)
        return path
