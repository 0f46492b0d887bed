"""Thresholds as a person would write them: a proposed bound becomes the shortest decimal that takes
exactly the same train rows (``V12 > -3.5106735229492188`` reads ``V12 > -3.51``; a brush at
``education_num > 12.85`` on whole numbers reads ``education_num >= 13``).

For ``column > t`` the train values split into those at or below t (the largest is ``lo``) and those
above (the smallest is ``hi``); every bound between ``lo`` and ``hi`` takes the same rows, with ``>``
up to ``lo`` and ``>=`` at ``hi`` (and mirrored for ``<`` / ``<=``; each bound of ``between`` stays
inclusive). Among the numbers with the fewest decimals in that gap, the one nearest the raw bound
wins. A final count with the engine's own SQL checks that every rounded condition takes the same
train rows as the raw one; a condition that does not is kept as it was."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from ..data.split import Split
from ..rules.condition import Condition
from .compile import condition_sql
from .thresholds import value_sql

UPPER, LOWER = (">", ">="), ("<", "<=")  # comparisons that take the values above / below a bound


def simplest(lo: float, hi: float, near: float, with_lo: bool = True, with_hi: bool = True) -> float:
    """The number with the fewest decimals between ``lo`` and ``hi`` (an
    end itself only where ``with_lo`` / ``with_hi``), nearest ``near`` among those; ``near`` itself
    when no shorter number fits."""
    with localcontext() as ctx:
        ctx.prec = 1_000  # a double's exact decimal expansion, divided by powers of ten, stays exact
        return _simplest(lo, hi, near, with_lo, with_hi)


def _simplest(lo, hi, near, with_lo, with_hi) -> float:
    low, high, target = Decimal(lo), Decimal(hi), Decimal(near)
    for places in range(0, 18):
        step = Decimal(1).scaleb(-places)
        first = (low / step).to_integral_value(ROUND_CEILING)
        last = (high / step).to_integral_value(ROUND_FLOOR)
        first += not with_lo and first * step == low
        last -= not with_hi and last * step == high
        if first > last:
            continue
        k = min(max((target / step).to_integral_value(), first), last)
        nearest = min({k, min(k + 1, last), max(k - 1, first)}, key=lambda m: (abs(m * step - target), abs(m)))
        value = float(nearest * step)
        if lo <= value <= hi and (with_lo or value != lo) and (with_hi or value != hi):
            return value
    return near


def _typed(value: float, whole: bool) -> int | float:
    """An int on a whole-number column (``>= 13``, not ``>= 13.0``), a float otherwise."""
    return int(value) if whole and float(value).is_integer() and abs(value) < 2 ** 53 else float(value)


def _bound(op: str, t: float, lo: float | None, hi: float | None) -> tuple[str, float]:
    """The readable comparison taking the same values as ``op t``, given the gap ``lo``..``hi``."""
    if lo is None and hi is None:
        return op, t
    x = simplest(t if lo is None else lo, t if hi is None else hi, t)  # an open side ends at the raw bound
    if op in UPPER:
        new_op = ">=" if hi is not None and x == hi else ">" if lo is not None and x == lo else op
    else:
        new_op = "<" if hi is not None and x == hi else "<=" if lo is not None and x == lo else op
    return new_op, x


def _gap_sql(name: str, op: str, t: float) -> tuple[str, str]:
    """Two aggregates over train: the largest value below the bound's cut and the smallest above."""
    v = value_sql(name)
    takes = f"{v} {op} {t!r}::DOUBLE"
    below, above = (f"NOT ({takes})", takes) if op in UPPER else (takes, f"NOT ({takes})")
    return f"max({v}) FILTER (WHERE {below})", f"min({v}) FILTER (WHERE {above})"


def _bounds(cond: Condition) -> list[tuple[str, float]]:
    """The (operator, bound) pairs a condition holds: one for a comparison, two for ``between``."""
    if cond.op in UPPER + LOWER:
        return [(cond.op, float(cond.value))]
    low, high = cond.value
    return [(">=", float(low)), ("<=", float(high))]


def _roundable(cond: Condition, split: Split) -> bool:
    schema = split.dataset.schema
    values = cond.value if cond.op == "between" else (cond.value,)
    return (cond.op in UPPER + LOWER + ("between",) and cond.column in schema and schema.kind(cond.column) == "numeric"
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values))


def readable_conditions(split: Split, whens: list[tuple[Condition, ...]]) -> list[tuple[Condition, ...]]:
    """Every number comparison of every rule in ``whens`` with its bound as a person would write it,
    taking exactly the same train rows (two queries for the lot); other conditions as they are."""
    todo = [(i, j, c) for i, when in enumerate(whens) for j, c in enumerate(when) if _roundable(c, split)]
    if not todo:
        return list(whens)
    aggregates = [a for _, _, c in todo for op, t in _bounds(c) for a in _gap_sql(c.column, op, t)]
    with split.dataset.lock:
        gaps = split.dataset.con.execute(
            f"SELECT {', '.join(aggregates)} FROM {split.table} WHERE __rs_test = 0").fetchone()
    at, rounded = 0, []
    for _, _, c in todo:
        parts = []
        for op, t in _bounds(c):
            lo, hi = gaps[at], gaps[at + 1]
            at += 2
            if c.op == "between":  # stays inclusive: the low bound in (lo, hi], the high one in [lo, hi)
                ends = (False, True) if op == ">=" else (True, False)
                x = simplest(t if lo is None else lo, t if hi is None else hi, t,
                             lo is None or ends[0], hi is None or ends[1])
                parts.append((op, x))
            else:
                parts.append(_bound(op, t, lo, hi))
        whole = "INT" in split.dataset.schema.type_of(c.column).upper()
        rounded.append(Condition(c.column, "between", (_typed(parts[0][1], whole), _typed(parts[1][1], whole)))
                       if c.op == "between" else Condition(c.column, parts[0][0], _typed(parts[0][1], whole)))
    schema = split.dataset.schema
    checks = [f"count(*) FILTER (WHERE ({condition_sql(c, schema).sql('duckdb')}) IS NOT DISTINCT FROM "
              f"({condition_sql(r, schema).sql('duckdb')}))" for (_, _, c), r in zip(todo, rounded)]
    with split.dataset.lock:
        same = split.dataset.con.execute(
            f"SELECT count(*), {', '.join(checks)} FROM {split.table} WHERE __rs_test = 0").fetchone()
    out = [list(when) for when in whens]
    for (i, j, c), r, n in zip(todo, rounded, same[1:]):
        out[i][j] = r if n == same[0] else c
    return [tuple(when) for when in out]


def readable_condition(split: Split, cond: Condition) -> Condition:
    """One condition with its bound as a person would write it (see :func:`readable_conditions`)."""
    return readable_conditions(split, [(cond,)])[0][0]
