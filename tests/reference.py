"""An independent, row-by-row reference evaluator (plain Python over numpy/pandas values).

It shares no code with studio's SQL path: it reads the rule set's fields and
applies the documented semantics literally — first enabled hit wins, a condition
on a missing value is false (except ``is null``), ``between`` is inclusive.
"""

import math

import numpy as np
import pandas as pd


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


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
        if rule.enabled and all(condition_holds(c.op, c.value, row[c.column]) for c in rule.when):
            return i
    return -1


def predict(rules, frame: pd.DataFrame) -> tuple[list, list]:
    """(labels, fired rule index or -1) per row."""
    records = frame.to_dict("records")
    fired = [fired_index(rules, r) for r in records]
    labels = [rules.rules[i].then if i >= 0 else rules.default for i in fired]
    return labels, fired


def matches(rule, frame) -> np.ndarray:
    return np.array([all(condition_holds(c.op, c.value, r[c.column]) for c in rule.when)
                     for r in frame.to_dict("records")], dtype=bool)
