"""Named versions of a dataset's rule list, kept with the workspace in
``<workspace id>/versions/<dataset>.json`` (so they come back after a restart). Every change takes
the file's lock and writes atomically; what is read back is checked again, and a version that does
not hold up is left out, never trusted."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import DataError, RuleSetError
from ..rules.limits import MAX_FILE_BYTES
from ..rules.model import RuleSet
from .workspace import Workspace, _read_json, locked, slug, write_atomically

MAX_VERSIONS = 100
MAX_NAME = 80


@dataclass(frozen=True)
class Version:
    name: str
    saved: str      # when, ISO 8601 in UTC
    rules: RuleSet


def version_name(text) -> str:
    """A version's name: one line of 1 to ``MAX_NAME`` printable characters (DataError otherwise)."""
    name = " ".join(str(text or "").split())
    if not name:
        raise DataError("a version needs a name")
    if len(name) > MAX_NAME:
        raise DataError(f"a version's name has at most {MAX_NAME} characters, not {len(name)}")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise DataError("a version's name cannot hold control characters")
    return name


class Versions:
    """The saved versions of one dataset's rules in a workspace."""

    def __init__(self, workspace: Workspace, key: str):
        self.path = workspace.path / "versions" / f"{slug(key)}.json"

    def _entries(self) -> list[dict]:
        data = _read_json(self.path, MAX_FILE_BYTES * MAX_VERSIONS)
        entries = data.get("versions") if isinstance(data, dict) else None
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def all(self) -> list[Version]:
        """The versions that hold up, oldest first."""
        out = []
        for e in self._entries():
            try:
                name = version_name(e.get("name"))
                saved = e.get("saved") if isinstance(e.get("saved"), str) else ""
                out.append(Version(name, saved[:40], RuleSet.from_dict(e.get("rules"))))
            except (DataError, RuleSetError):
                continue
        return out

    def get(self, name: str) -> Version:
        found = next((v for v in self.all() if v.name == name), None)
        if found is None:
            raise DataError(f"no version named {name!r}")
        return found

    def save(self, name, rules: RuleSet) -> Version:
        """Keep ``rules`` as a new version named ``name`` (names are unique; at most ``MAX_VERSIONS``)."""
        name = version_name(name)
        with locked(self.path):
            entries = self._entries()
            if any(e.get("name") == name for e in entries):
                raise DataError(f"a version named {name!r} exists: choose another name, or delete it first")
            if len(entries) >= MAX_VERSIONS:
                raise DataError(f"at most {MAX_VERSIONS} versions are kept: delete one first")
            saved = datetime.now(timezone.utc).isoformat(timespec="seconds")
            entries.append({"name": name, "saved": saved, "rules": rules.to_dict()})
            write_atomically(self.path, json.dumps({"versions": entries}, indent=1, ensure_ascii=False) + "\n")
        return Version(name, saved, rules)

    def delete(self, name: str) -> None:
        with locked(self.path):
            entries = self._entries()
            kept = [e for e in entries if e.get("name") != name]
            if len(kept) == len(entries):
                raise DataError(f"no version named {name!r}")
            write_atomically(self.path, json.dumps({"versions": kept}, indent=1, ensure_ascii=False) + "\n")
