"""Rules evaluated with numpy/pandas on an in-memory frame (no DuckDB), with the studio's semantics.

Used by the scikit-learn estimator and the scoring API. The source of
:func:`condition_mask` is also copied verbatim into exported Python modules, so
the studio, the estimator and the exported code share one implementation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def condition_mask(values, op, value=None):
    """Rows where ``values <op> value`` holds, as a boolean array.

    A missing value (None, NaN, NaT, pd.NA) never satisfies a condition, whatever
    the operator, except ``is null``. ``between`` is inclusive; ``value`` is a
    (low, high) pair for it and a list for ``in`` / ``not in``.
    """
    import numpy as np
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = s.isna().to_numpy()
    if op == "is null":
        return missing
    if op == "is not null":
        return ~missing
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
    elif pd.api.types.is_datetime64_any_dtype(s.dtype):
        x = s.to_numpy()
        value = [pd.Timestamp(v).to_datetime64() for v in value] if isinstance(value, (list, tuple)) \
            else pd.Timestamp(value).to_datetime64()
    else:
        x = s.to_numpy(dtype=object)
    out = np.zeros(len(s), dtype=bool)
    present = ~missing
    x = x[present]
    if op == "<":
        hit = x < value
    elif op == "<=":
        hit = x <= value
    elif op == ">":
        hit = x > value
    elif op == ">=":
        hit = x >= value
    elif op == "==":
        hit = x == value
    elif op == "!=":
        hit = x != value
    elif op == "between":
        hit = (x >= value[0]) & (x <= value[1])
    elif op in ("in", "not in"):
        hit = pd.Series(x, dtype=object if x.dtype == object else None).isin(list(value)).to_numpy()
        if op == "not in":
            hit = ~hit
    else:
        raise ValueError(f"unknown operator {op!r}")
    out[present] = np.asarray(hit, dtype=bool)
    return out


def rule_mask(frame: pd.DataFrame, rule: dict) -> np.ndarray:
    """Where all the conditions of one rule (a ``rule-studio/1`` dict) hold."""
    mask = np.ones(len(frame), dtype=bool)
    for c in rule["when"]:
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
