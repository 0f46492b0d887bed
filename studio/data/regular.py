"""The one check before a file given by name is opened: it must be a regular file (a folder, a pipe or
a device is refused before it is opened, so nothing blocks or reads without end)."""

from __future__ import annotations

import os
import stat

from ..errors import StudioError


def regular_file_size(path, kind: str, error: type[StudioError]) -> int:
    """The size of the regular file ``path``; otherwise ``error`` with one line naming the problem.
    ``kind`` says what the file should be ("data file", "rule file")."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{kind} not found: {path}") from None
    except (OSError, ValueError) as err:
        raise error(f"cannot read {kind} {path}: {getattr(err, 'strerror', None) or err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path} is a folder, not a {kind}")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path} is not a regular file (a pipe or a device?): give a {kind}")
    return info.st_size
