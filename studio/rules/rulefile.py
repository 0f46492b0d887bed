"""Reading a rule file safely: only a regular file, at most ``MAX_FILE_BYTES`` read (a FIFO, a device
or a folder is refused before it is opened, so nothing blocks or reads without end), and the depth
of its JSON measured before it is parsed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..data.regular import regular_file_size
from ..errors import RuleSetError
from .limits import MAX_FILE_BYTES


def read_rule_file(path: str | Path) -> str:
    """A rule file's text: a regular file of at most ``MAX_FILE_BYTES``, read with that cap (a FIFO,
    a device or a folder is refused before it is opened, so nothing blocks or reads without end)."""
    where = str(path)
    regular_file_size(path, "rule file", RuleSetError)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise RuleSetError(f"cannot read rule file {where}: {err.strerror or err}") from None
    if len(data) > MAX_FILE_BYTES:
        raise RuleSetError(f"{where} is larger than {MAX_FILE_BYTES / 1e6:g} MB: a rule file holds at most that")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RuleSetError(f"cannot read rule file {where}: not UTF-8 text ({err.reason} at byte {err.start})") from None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings do not count)."""
    codes = np.frombuffer(_STRING.sub('""', text).encode("utf-8", "replace"), dtype=np.uint8)
    steps = (np.isin(codes, (91, 123)).astype(np.int64) - np.isin(codes, (93, 125)).astype(np.int64))
    return int(np.cumsum(steps).max()) if len(steps) else 0
