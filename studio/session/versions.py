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
from ..rules.model import RuleSet
from .workspace import Workspace, _read_json, locked, slug, write_atomically

MAX_VERSIONS = 100
MAX_VERSIONS_BYTES = 20_000_000  # the file of one dataset's versions
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

    def _entries(self, strict: bool = False) -> list[dict]:
        """The file's entries. Lenient by default (an unreadable file reads as none); ``strict`` for a
        change: a file that is there but cannot be read raises, so saving never drops the others."""
        data = _read_json(self.path, MAX_VERSIONS_BYTES)
        entries = data.get("versions") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            if strict and self.path.exists():
                raise DataError(f"the saved versions of this dataset cannot be read ({self.path.name}): "
                                "nothing was changed (move that file aside to start a new list)")
            return []
        return [e for e in entries if isinstance(e, dict)]

    @staticmethod
    def _text(entries: list[dict]) -> str:
        text = json.dumps({"versions": entries}, indent=1, ensure_ascii=False) + "\n"
        if len(text.encode("utf-8")) > MAX_VERSIONS_BYTES:
            raise DataError(f"the versions would take over {MAX_VERSIONS_BYTES // 1_000_000} MB: delete one first")
        return text

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
            entries = self._entries(strict=True)
            if any(e.get("name") == name for e in entries):
                raise DataError(f"a version named {name!r} exists: choose another name, or delete it first")
            if len(entries) >= MAX_VERSIONS:
                raise DataError(f"at most {MAX_VERSIONS} versions are kept: delete one first")
            saved = datetime.now(timezone.utc).isoformat(timespec="seconds")
            entries.append({"name": name, "saved": saved, "rules": rules.to_dict()})
            write_atomically(self.path, self._text(entries))
        return Version(name, saved, rules)

    def delete(self, name: str) -> None:
        with locked(self.path):
            entries = self._entries(strict=True)
            kept = [e for e in entries if e.get("name") != name]
            if len(kept) == len(entries):
                raise DataError(f"no version named {name!r}")
            write_atomically(self.path, self._text(kept))
