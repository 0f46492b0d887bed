"""Rules evaluated with numpy/pandas on an in-memory frame (no DuckDB), with the studio's semantics.

Used by the scikit-learn estimator and the scoring API. Each operator's test is the registry's
(:mod:`studio.rules.operators`): ``TESTS`` and ``SHAPES`` are live views of it. The sources of
:func:`condition_mask`, :func:`polygon_mask` and of the operators' tests are also copied verbatim
into exported Python modules (where ``TESTS`` and ``SHAPES`` are plain dicts), so the studio, the
estimator and the exported code share one implementation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..rules import operators
from ..rules.polygon import polygon_mask

__all__ = ["SHAPES", "TESTS", "condition_mask", "fired_index", "polygon_mask", "rule_mask"]


class _RegistryView(Mapping):
    """One attribute of every registered operator, by name (aliases included)."""

    def __init__(self, attribute: str):
        self._attribute = attribute

    def __getitem__(self, name):
        if not operators.known(name):
            raise KeyError(name)
        return getattr(operators.get(name), self._attribute)

    def __iter__(self):
        return iter(operators.names())

    def __len__(self) -> int:
        return len(operators.names())


TESTS = _RegistryView("numpy")
SHAPES = _RegistryView("shape")


def condition_mask(values, op, value=None):
    """Rows where ``values <op> value`` holds, as a boolean array.

    A missing value (None, NaN, NaT, pd.NA) never satisfies a condition, whatever
    the operator, except the null tests. ``value`` is a (low, high) pair for
    ``between`` and a list for ``in`` / ``not in``.
    """
    import numpy as np
    import pandas as pd

    if op not in SHAPES:
        raise ValueError(f"unknown operator {op!r}")
    test = TESTS[op]
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = s.isna().to_numpy()
    if SHAPES[op] == "none":  # the null tests look at missingness itself
        return np.asarray(test(missing, value), dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
    elif pd.api.types.is_datetime64_any_dtype(s.dtype):
        x = s.to_numpy()
        value = [pd.Timestamp(v).to_datetime64() for v in value] if isinstance(value, (list, tuple)) \
            else pd.Timestamp(value).to_datetime64()
    elif pd.api.types.is_timedelta64_dtype(s.dtype):  # a time of day
        x = s.to_numpy()
        value = [pd.Timedelta(v).to_timedelta64() for v in value] if isinstance(value, (list, tuple)) \
            else pd.Timedelta(value).to_timedelta64()
    else:
        x = s.to_numpy(dtype=object)
    out = np.zeros(len(s), dtype=bool)
    present = ~missing
    out[present] = np.asarray(test(x[present], value), dtype=bool)
    return out


def read_missing(values, markers=(), like=None):
    """``values`` with every text equal to one of ``markers`` missing (as a CSV reader told those
    markers reads them); text compared with a number (``like``, a condition's value) read as numbers,
    a text that is no number then missing too. Values that are not text are left as they are."""
    import numpy as np
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if not markers or not (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)):
        return s
    s = s.astype(object)
    s = s.where(~s.isin(list(markers)), np.nan)
    items = like if isinstance(like, (list, tuple)) else [like]
    if any(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
           for v in items):
        return pd.to_numeric(s, errors="coerce")
    return s


def rule_mask(frame: pd.DataFrame, rule: dict) -> np.ndarray:
    """Where all the conditions of one rule (a ``rule-studio/1`` dict) hold."""
    mask = np.ones(len(frame), dtype=bool)
    for c in rule["when"]:
        if SHAPES[c["op"]] == "polygon":
            mask &= polygon_mask(frame[c["column"]], frame[c["value"]["y"]], c["value"]["vertices"])
        else:
            mask &= condition_mask(frame[c["column"]], c["op"], c.get("value"))
    return mask


def fired_index(frame: pd.DataFrame, rules: dict) -> np.ndarray:
    """Index of the first enabled rule that holds for each row, -1 where the default applies.
    Disabled rules are not evaluated (their columns need not exist)."""
    fired = np.full(len(frame), -1, dtype=np.int64)
    for i, r in enumerate(rules.get("rules", [])):
        if r.get("enabled", True):
            fired[(fired < 0) & rule_mask(frame, r)] = i
    return fired
