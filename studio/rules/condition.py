"""A condition: ``column op value``, one AND-term of a rule.

What each operator means (its value's shape, SQL, numpy test, PMML form, wording) is in
:mod:`.operators`; a condition checks its own structure against that, without any data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import operators
from .limits import MAX_INTEGER_DIGITS, MAX_TEXT, MAX_VALUES
from .operators import LIST, NONE, PAIR, POLYGON
from .polygon import Polygon

Scalar = bool | int | float | str


def is_scalar(value: Any) -> bool:
    """A number, string or boolean the studio can compare with: finite, a whole number of at most
    ``MAX_INTEGER_DIGITS`` digits, a string of at most ``MAX_TEXT`` characters."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < 10 ** MAX_INTEGER_DIGITS
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    return isinstance(value, bool)


def shown(value: Any, limit: int = 500) -> str:
    """``repr(value)``, cut to ``limit`` characters (a message must stay one readable line)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


_SCALAR = (f"one number (at most {MAX_INTEGER_DIGITS} digits), string (at most {MAX_TEXT:,} characters) "
           "or boolean")


@dataclass(frozen=True)
class Condition:
    """``column op value``; the operator (see :mod:`.operators`) fixes the value's shape: a scalar,
    a ``(low, high)`` pair for ``between`` (inclusive), a tuple for ``in``/``not in``, None for the
    null tests, and a :class:`Polygon` for ``in polygon`` (``column`` is then the x column).
    An operator's alias is read as its name."""

    column: str
    op: str
    value: Any = None

    def __post_init__(self):
        object.__setattr__(self, "op", operators.canonical(self.op))
        if self.shape == POLYGON:
            object.__setattr__(self, "value", Polygon.from_value(self.value))
        elif isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))

    @property
    def operator(self) -> operators.Operator:
        """The registered operator (KeyError for an unknown one)."""
        return operators.get(self.op)

    @property
    def shape(self) -> str | None:
        """The shape of the operator's value, None for an unknown operator."""
        return operators.get(self.op).shape if operators.known(self.op) else None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns this condition reads: ``(x, y)`` for a polygon, else ``(column,)``."""
        if self.shape == POLYGON and isinstance(self.value, Polygon) and isinstance(self.value.y, str):
            return (self.column, self.value.y)
        return (self.column,)

    def problems(self) -> list[str]:
        """Structural problems (without looking at any data)."""
        if not isinstance(self.column, str) or not self.column:
            return ["a condition has no column"]
        if len(self.column) > MAX_TEXT:
            return [f"a condition's column name is longer than {MAX_TEXT:,} characters"]
        where = f"condition on {shown(self.column)}"
        if not operators.known(self.op):
            hint = operators.closest(self.op)
            tip = f" (did you mean {hint!r}?)" if hint else ""
            return [f"{where}: unknown operator {shown(self.op)}{tip}; use one of {', '.join(operators.names())}"]
        shape, op = self.shape, self.op
        if shape == NONE:
            return [f"{where}: {op!r} takes no value"] if self.value is not None else []
        if shape == POLYGON:
            if not isinstance(self.value, Polygon):
                return [f'{where}: {op!r} needs {{"y": <column>, "vertices": [[x, y], ...]}}, got {shown(self.value)}']
            return [f"{where}: {p}" for p in self.value.problems(self.column)]
        if shape == PAIR:
            if not (isinstance(self.value, tuple) and len(self.value) == 2
                    and all(is_scalar(v) and not isinstance(v, bool) for v in self.value)):
                return [f"{where}: {op!r} needs a [low, high] pair of numbers or strings"]
            if isinstance(self.value[0], str) != isinstance(self.value[1], str):
                return [f"{where}: {op!r} bounds must be of one type"]
            if self.value[0] > self.value[1]:
                return [f"{where}: {op!r} low {self.value[0]!r} is above high {self.value[1]!r}"]
            return []
        if shape == LIST:
            if not isinstance(self.value, tuple) or not self.value:
                return [f"{where}: {op!r} needs a non-empty list of values"]
            if len(self.value) > MAX_VALUES:
                return [f"{where}: {op!r} takes at most {MAX_VALUES:,} values, got {len(self.value):,}"]
            if not all(is_scalar(v) for v in self.value):
                return [f"{where}: {op!r} values must be numbers, strings or booleans (no null; {_SCALAR})"]
            return []
        if not is_scalar(self.value):
            return [f"{where}: {op!r} needs {_SCALAR}, got {shown(self.value)}"]
        return []

    def values(self) -> tuple:
        """The literal values this condition compares with."""
        if self.value is None or self.shape == POLYGON:
            return ()
        return self.value if isinstance(self.value, tuple) else (self.value,)

    def describe(self) -> str:
        """The condition in the studio's compact notation (``V14 < -8``)."""
        return self.operator.describe(self.column, self.value)

    def sentence(self) -> str:
        """The condition in plain words (``V14 is below -8``)."""
        return self.operator.read(self.column, self.value)

    def to_dict(self) -> dict:
        out = {"column": self.column, "op": self.op}
        if isinstance(self.value, Polygon):
            out["value"] = self.value.to_dict()
        elif self.value is not None:
            out["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return out
