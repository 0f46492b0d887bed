"""An independent, row-by-row reference evaluator (plain Python over numpy/pandas values).

It shares no code with studio's SQL path: it reads the rule set's fields and
applies the documented semantics literally — first enabled hit wins, a condition
on a missing value is false (except ``is null``), ``between`` is inclusive, and
``in polygon`` holds inside a closed polygon or on its boundary (even-odd rule).

Polygons are decided in exact rational arithmetic (``Fraction``) by another
algorithm than the studio's ray crossing: an exact on-segment test for the
boundary, then the winding number counted in quarter turns (its parity is the
even-odd rule).
"""

import math
from fractions import Fraction

import numpy as np
import pandas as pd


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _on_segment(p, a, b) -> bool:
    """Exactly: p is collinear with a and b, and between them ((p - a) . (p - b) <= 0)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    if (bx - ax) * (py - ay) != (by - ay) * (px - ax):
        return False
    return (px - ax) * (px - bx) + (py - ay) * (py - by) <= 0


def _quadrant(dx, dy) -> int:
    """Quadrant 0-3 (counter-clockwise) of a vector that is not zero."""
    if dx > 0 and dy >= 0:
        return 0
    if dx <= 0 and dy > 0:
        return 1
    if dx < 0 and dy <= 0:
        return 2
    return 3


def winding_number(point, vertices) -> int:
    """How many times the closed polygon winds around ``point`` (which is not on it), counted in
    quarter turns: a straight edge turns less than half a turn, so adjacent quadrants are one
    quarter either way and opposite ones two, the side given by the sign of the cross product."""
    px, py = point
    quarters = 0
    for k, (ax, ay) in enumerate(vertices):
        bx, by = vertices[(k + 1) % len(vertices)]
        ax, ay, bx, by = ax - px, ay - py, bx - px, by - py
        step = (_quadrant(bx, by) - _quadrant(ax, ay)) % 4
        if step == 1:
            quarters += 1
        elif step == 3:
            quarters -= 1
        elif step == 2:
            quarters += 2 if ax * by - ay * bx > 0 else -2
    assert quarters % 4 == 0
    return quarters // 4


def in_polygon(x, y, vertices) -> bool:
    """The point (x, y) lies on the polygon's boundary, or inside it by the even-odd rule; exact."""
    if _missing(x) or _missing(y):
        return False
    point = (Fraction(x), Fraction(y))
    corners = [(Fraction(a), Fraction(b)) for a, b in vertices]
    if any(_on_segment(point, a, corners[(k + 1) % len(corners)]) for k, a in enumerate(corners)):
        return True
    return winding_number(point, corners) % 2 == 1


def holds(cond, row) -> bool:
    """One condition on one row (a dict of column values)."""
    if cond.op == "in polygon":
        return in_polygon(row[cond.column], row[cond.value.y], cond.value.vertices)
    return condition_holds(cond.op, cond.value, row[cond.column])


def condition_holds(op, value, x) -> bool:
    if op == "is null":
        return _missing(x)
    if op == "is not null":
        return not _missing(x)
    if _missing(x):
        return False
    if op == "<":
        return x < value
    if op == "<=":
        return x <= value
    if op == ">":
        return x > value
    if op == ">=":
        return x >= value
    if op == "==":
        return x == value
    if op == "!=":
        return x != value
    if op == "between":
        return value[0] <= x <= value[1]
    if op == "in":
        return any(x == v for v in value)
    if op == "not in":
        return all(x != v for v in value)
    raise ValueError(op)


def fired_index(rules, row) -> int:
    for i, rule in enumerate(rules.rules):
        if rule.enabled and all(holds(c, row) for c in rule.when):
            return i
    return -1


def predict(rules, frame: pd.DataFrame) -> tuple[list, list]:
    """(labels, fired rule index or -1) per row."""
    records = frame.to_dict("records")
    fired = [fired_index(rules, r) for r in records]
    labels = [rules.rules[i].then if i >= 0 else rules.default for i in fired]
    return labels, fired


def matches(rule, frame) -> np.ndarray:
    return np.array([all(holds(c, r) for c in rule.when)
                     for r in frame.to_dict("records")], dtype=bool)
