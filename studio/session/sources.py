"""Which dataset sources a saved workspace may reopen, and keeping uploads in use from expiring."""

from __future__ import annotations

import os
from pathlib import Path

from ..data.bundled import BUNDLED
from ..data.folders import available_file, data_roots, uploads_dir


def allowed_source(source) -> str:
    """A saved dataset source the studio may reopen: a bundled dataset, or a file under the data
    roots or the uploads folder (DataError otherwise)."""
    if isinstance(source, str) and source in BUNDLED:
        return source
    return str(available_file(str(source), data_roots() + [uploads_dir().resolve()]))


def touch_if_upload(source) -> None:
    """An uploaded file in use does not expire."""
    try:
        path = Path(str(source)).resolve()
        if path.is_relative_to(uploads_dir().resolve()) and path.is_file():
            os.utime(path)
    except (OSError, ValueError):
        pass
