"""Uploaded files kept as data: stored once under the uploads folder, named by the hash of their
content, so a workspace that used one reopens it after a restart."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..errors import DataError
from .folders import uploads_dir
from .sources import CSV_SUFFIXES, PARQUET_SUFFIXES

CHUNK = 1 << 20


def upload_suffix(filename: str) -> str:
    """The data suffix of an uploaded file's name (``.csv`` when it has none the studio reads)."""
    name = str(filename).lower()
    for suffix in sorted(CSV_SUFFIXES + PARQUET_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return ".csv"


def store_upload(filename: str, data, folder: Path | None = None, max_bytes: int | None = None) -> Path:
    """Store an uploaded file (bytes or a binary file object) as ``<sha256>.<suffix>`` and return its
    path; the same content is stored once. Refuses files over ``max_bytes``."""
    folder = Path(folder or uploads_dir())
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            chunks = [bytes(data)] if isinstance(data, (bytes, bytearray, memoryview)) else iter(
                lambda: data.read(CHUNK), b"")
            for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise DataError(f"{Path(filename).name} is larger than {max_bytes / 1e6:,.0f} MB")
                digest.update(chunk)
                out.write(chunk)
        path = folder / f"{digest.hexdigest()}{upload_suffix(filename)}"
        os.replace(tmp, path)
        os.utime(path)  # last use: uploads unused for long expire
        return path
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
