"""Old work is cleaned away: workspaces not used for ``RULE_STUDIO_EXPIRE_DAYS`` days (30; 0 keeps
everything) and uploads no workspace opened for as long. Run when a session starts, at most once an
hour per process."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

_last_run = 0.0
_lock = threading.Lock()
EVERY = 3600.0


def max_age_days() -> float:
    try:
        return max(0.0, float(os.environ.get("RULE_STUDIO_EXPIRE_DAYS", 30)))
    except ValueError:
        return 30.0


def _last_used(folder: Path) -> float:
    """The newest modification time of anything in a workspace folder."""
    newest = folder.stat().st_mtime
    for path in folder.rglob("*"):
        try:
            newest = max(newest, path.stat().st_mtime)
        except OSError:
            continue
    return newest


def expire(workspaces: Path, uploads: Path, days: float | None = None, now: float | None = None) -> list[Path]:
    """Remove workspaces and uploads unused for ``days``; returns what was removed."""
    days = max_age_days() if days is None else days
    if days <= 0:
        return []
    cutoff = (time.time() if now is None else now) - days * 86_400
    removed = []
    if workspaces.is_dir():
        for folder in workspaces.iterdir():
            try:
                if folder.is_dir() and not folder.is_symlink() and _last_used(folder) < cutoff:
                    shutil.rmtree(folder)
                    removed.append(folder)
            except OSError:
                continue
    if uploads.is_dir():
        for upload in uploads.iterdir():
            try:
                if upload.is_file() and upload.stat().st_mtime < cutoff:
                    upload.unlink()
                    removed.append(upload)
            except OSError:
                continue
    return removed


def expire_now_and_then(workspaces: Path, uploads: Path) -> None:
    """:func:`expire`, unless it ran in this process within the last hour."""
    global _last_run
    with _lock:
        if time.monotonic() - _last_run < EVERY and _last_run:
            return
        _last_run = time.monotonic()
    expire(workspaces, uploads)
