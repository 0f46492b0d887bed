"""One spelling per class label.

Targets come as ints, floats, booleans or strings (``"yes"``, OpenML's quoted
``"'1'"``), and rule labels come from JSON. Both sides are brought to one
canonical string so that ``1``, ``1.0``, ``"1"`` and ``"'1'"`` are the same
class, and ``True`` is ``"true"``. Metrics compare canonical labels.
"""

from __future__ import annotations

import math

from sqlglot import exp

from .schema import BOOLEAN, NUMERIC, kind_of

_TRUE_WORDS = {"true", "yes", "1", "t", "y"}
_FALSE_WORDS = {"false", "no", "0", "f", "n"}


def canonical(value) -> str:
    """The canonical string of a label value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 9e15:
            return str(int(value))
        return repr(value)
    text = str(value).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


WHOLE_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                      "UBIGINT", "UHUGEINT")


def canonical_sql(column: exp.Expression, duckdb_type: str) -> exp.Expression:
    """A DuckDB expression giving the canonical label of ``column`` (NULL stays NULL)."""
    kind = kind_of(duckdb_type)
    if kind == BOOLEAN:
        return exp.Case().when(column, exp.Literal.string("true")).when(
            exp.Not(this=column), exp.Literal.string("false"))
    if kind == NUMERIC and duckdb_type.upper().startswith(("FLOAT", "DOUBLE", "REAL", "DECIMAL")):
        value = exp.cast(column, "DOUBLE")
        integral = exp.and_(exp.func("isfinite", value.copy()),
                            exp.EQ(this=value.copy(), expression=exp.func("trunc", value.copy())),
                            exp.LT(this=exp.func("abs", value.copy()), expression=exp.Literal.number("9e15")))
        as_int = exp.cast(exp.cast(value.copy(), "BIGINT"), "VARCHAR")
        return (exp.Case().when(exp.func("isnan", value.copy()), exp.Null())  # NaN: no label, like NULL
                .when(integral, as_int).else_(exp.cast(value.copy(), "VARCHAR")))
    if duckdb_type.upper() in WHOLE_NUMBER_TYPES:  # their text has no spaces or quotes: the cast is the label
        return exp.cast(column, "VARCHAR")
    text = exp.func("trim", exp.cast(column, "VARCHAR"))
    quoted = exp.or_(*[
        exp.and_(exp.func("starts_with", text.copy(), exp.Literal.string(q)),
                 exp.func("ends_with", text.copy(), exp.Literal.string(q)))
        for q in ("'", '"')])
    long_enough = exp.GTE(this=exp.func("length", text.copy()), expression=exp.Literal.number(2))
    inner = exp.func("substr", text.copy(), exp.Literal.number(2),
                     exp.Sub(this=exp.func("length", text.copy()), expression=exp.Literal.number(2)))
    return exp.Case().when(exp.and_(long_enough, quoted), inner).else_(text.copy())


def label_sort_key(label: str):
    """Numbers in numeric order, then strings: how scikit-learn would order the native labels."""
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def resolve(value, labels: list[str]) -> str | None:
    """The canonical label among ``labels`` that ``value`` names, or None.

    Booleans stored as ``true``/``false`` also answer to yes/no and 1/0.
    """
    key = canonical(value)
    if key in labels:
        return key
    lowered = {label.lower(): label for label in labels}
    if key.lower() in lowered:
        return lowered[key.lower()]
    if set(labels) <= {"true", "false"}:
        if key.lower() in _TRUE_WORDS and "true" in labels:
            return "true"
        if key.lower() in _FALSE_WORDS and "false" in labels:
            return "false"
    return None


def native(label: str, duckdb_type: str):
    """The JSON value a rule should use for a canonical label of a target of this type."""
    kind = kind_of(duckdb_type)
    if kind == BOOLEAN:
        return label == "true"
    if kind == NUMERIC:
        try:
            number = float(label)
        except ValueError:
            return label
        return int(number) if number == int(number) else number
    return label


def class_label(value, labels: list[str]) -> str:
    """A rule's label as one of the classes ``labels`` when it names one (``1`` is ``true`` for a
    boolean target), else its canonical spelling."""
    key = canonical(value)
    if key in labels or not set(labels) <= {"true", "false"}:
        return key
    return resolve(value, labels) or key
