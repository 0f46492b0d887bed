"""Where the studio keeps data on the server, and which server files a user may open.

- the data folder (``$RULE_STUDIO_DATA``, else the project's ``data/``): bundled files;
- the cache (``$RULE_STUDIO_CACHE``, else ``<data>/.cache``): generated files;
- the spill folder (``$RULE_STUDIO_SPILL``, else ``<cache>/spill``): where DuckDB writes what a query
  cannot keep within its memory limit (a folder per connection, removed when it closes);
- the store (``$RULE_STUDIO_STORE``, else ``<cache>/store``): DuckDB database files of datasets kept
  on disk rather than in memory (a file per dataset, removed when it closes);
- uploads (``$RULE_STUDIO_UPLOADS``, else ``<data>/uploads``): uploaded files, named by content hash;
- the data roots (``$RULE_STUDIO_DATA_ROOTS``, folders separated by ``:``, else the data folder):
  the only places the app opens a server file from, after following links (never the store or the
  spill folder). Every refusal gets the
  same message, so a refusal does not tell whether a file exists. ``RULE_STUDIO_SERVER_FILES=off``
  turns the app's "File on the server" tab off entirely.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import DataError


def data_dir() -> Path:
    """Where bundled files live: ``$RULE_STUDIO_DATA``, else the project's ``data/`` folder."""
    env = os.environ.get("RULE_STUDIO_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2] / "data"
    return here if here.is_dir() else Path.cwd() / "data"


def cache_dir() -> Path:
    """Where generated files go: ``$RULE_STUDIO_CACHE``, else ``data/.cache``."""
    env = os.environ.get("RULE_STUDIO_CACHE")
    return Path(env) if env else data_dir() / ".cache"


def spill_dir() -> Path:
    """Where DuckDB spills to disk: ``$RULE_STUDIO_SPILL``, else ``<cache>/spill``."""
    env = os.environ.get("RULE_STUDIO_SPILL")
    return Path(env) if env else cache_dir() / "spill"


def store_dir() -> Path:
    """Where datasets kept on disk live: ``$RULE_STUDIO_STORE``, else ``<cache>/store``."""
    env = os.environ.get("RULE_STUDIO_STORE")
    return Path(env) if env else cache_dir() / "store"


def uploads_dir() -> Path:
    """Where uploaded files are kept: ``$RULE_STUDIO_UPLOADS``, else ``data/uploads``."""
    env = os.environ.get("RULE_STUDIO_UPLOADS")
    return Path(env) if env else data_dir() / "uploads"


def data_roots() -> list[Path]:
    """The folders the app may open server files from (their own links followed)."""
    env = os.environ.get("RULE_STUDIO_DATA_ROOTS")
    roots = [Path(p) for p in env.split(os.pathsep) if p.strip()] if env else [data_dir()]
    return [r.resolve() for r in roots]


def server_files_enabled() -> bool:
    """Whether the app offers to open files by their path on the server."""
    return os.environ.get("RULE_STUDIO_SERVER_FILES", "on").strip().lower() not in ("off", "0", "false", "no")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 120 else text[:117] + "...")


def available_file(text: str, roots: list[Path] | None = None) -> Path:
    """The regular file ``text`` names under one of the data roots (a relative path is read from
    each root in turn), after following links; otherwise DataError "... is not available", the same
    for a file that is missing, outside the roots, a folder or a special file."""
    refusal = DataError(f"{_shown(str(text))} is not available: open a file under the studio's data folder")
    roots = data_roots() if roots is None else roots
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        raise refusal
    given = Path(text.strip()).expanduser()
    for candidate in ([given] if given.is_absolute() else [root / given for root in roots]):
        try:
            real = candidate.resolve(strict=True)
            mode = real.stat().st_mode
        except (OSError, RuntimeError, ValueError):
            continue
        if (stat.S_ISREG(mode) and any(real.is_relative_to(root) for root in roots)
                and not _studio_own(real)):
            return real
    raise refusal


def _studio_own(real: Path) -> bool:
    """Whether a file is one of the studio's own working files (another dataset's database kept on
    disk, a spill block), which no one opens as data."""
    return any(real.is_relative_to(folder.resolve()) for folder in (store_dir(), spill_dir()))


def is_available(path: str | Path, roots: list[Path] | None = None) -> bool:
    try:
        available_file(str(path), roots)
        return True
    except DataError:
        return False
