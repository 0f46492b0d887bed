"""Rules evaluated with numpy/pandas on an in-memory frame (no DuckDB), with the studio's semantics.

Used by the scikit-learn estimator and the scoring API. The sources of
:func:`condition_mask` and :func:`polygon_mask` are also copied verbatim into
exported Python modules, so the studio, the estimator and the exported code share
one implementation.
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


def polygon_mask(x, y, vertices):
    """Rows where the point (x, y) lies inside the closed polygon ``vertices`` ([(x, y), ...],
    the last joined to the first) or on its boundary, as a boolean array.

    A missing x or y never satisfies it. Self-crossing polygons follow the even-odd rule.
    The arithmetic is the studio's SQL, operation for operation in double precision, so
    both agree on every point, including those on or next to an edge.
    """
    import numpy as np
    import pandas as pd

    def doubles(values):
        s = values if isinstance(values, pd.Series) else pd.Series(values)
        return s.to_numpy(dtype="float64", na_value=np.nan)

    px, py = doubles(x), doubles(y)
    points = [(float(a), float(b)) for a, b in vertices]
    xs, ys = [a for a, _ in points], [b for _, b in points]
    out = (px >= min(xs)) & (px <= max(xs)) & (py >= min(ys)) & (py <= max(ys))  # false on NaN
    rows = np.flatnonzero(out)
    px, py = px[rows], py[rows]
    on_edge = np.zeros(len(rows), dtype=bool)
    odd = np.zeros(len(rows), dtype=bool)
    for (xi, yi), (xj, yj) in zip(points, points[1:] + points[:1]):
        dx, dy = xj - xi, yj - yi
        cross = dx * (py - yi) - (px - xi) * dy
        on_edge |= ((cross == 0) & (px >= min(xi, xj)) & (px <= max(xi, xj))
                    & (py >= min(yi, yj)) & (py <= max(yi, yj)))
        if yi < yj:
            odd ^= (py >= yi) & (py < yj) & (cross > 0)
        elif yi > yj:
            odd ^= (py >= yj) & (py < yi) & (cross < 0)
    out[rows] = on_edge | odd
    return out


def rule_mask(frame: pd.DataFrame, rule: dict) -> np.ndarray:
    """Where all the conditions of one rule (a ``rule-studio/1`` dict) hold."""
    mask = np.ones(len(frame), dtype=bool)
    for c in rule["when"]:
        if c["op"] == "in polygon":
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
