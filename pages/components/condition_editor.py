"""The one condition editor, shared by the Rules form and the Explore/Suggest proposals: an operator
(from those the registry offers for the column's kind) and the widgets its value's shape needs.

The widgets follow the operator's shape (:mod:`studio.rules.operators`): none for the null tests,
one input for a scalar, two for a pair, a multiselect for a list; a polygon is shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from studio.data.profile import ColumnProfile
from studio.data.schema import BOOLEAN, NUMERIC, STRING, TEMPORAL
from studio.rules import operators
from studio.rules.condition import Condition

from .format import code


@dataclass(frozen=True)
class Labels:
    """Widget labels: the Rules form numbers its conditions ("Value 1 (range …)"), a proposal names
    the column ("V14 value")."""

    operator: str
    value: str
    low: str
    high: str
    values: str

    @classmethod
    def numbered(cls, n: int) -> "Labels":
        return cls(f"Operator {n}", f"Value {n} ({{hint}})", f"Low {n} ({{hint}})", f"High {n}",
                   f"Values {n} ({{hint}})")

    @classmethod
    def named(cls, column: str) -> "Labels":
        return cls(f"{column} operator", f"{column} value", f"{column} from", f"{column} to", f"{column} values")


def _decimals(value) -> int:
    text = repr(float(value))
    return 0 if "e" in text else max(1, len(text.split(".")[1])) if "." in text else 0


def _number(label: str, key: str, value: float, start) -> float:
    """A number input: printed with the start value's own digits when there is one, else ``%g``."""
    if start is None:
        return st.number_input(label, value=value, key=key, format="%g")
    d = min(_decimals(start), 10)
    return st.number_input(label, value=float(start), key=key, format=f"%.{d}f", step=10.0 ** -d if d else 1.0)


def _as_column_number(value: float, prof: ColumnProfile, start) -> int | float:
    integral = prof.type.upper().endswith("INT") or prof.type.upper() in ("BIGINT", "INTEGER", "SMALLINT")
    if start is not None:
        integral = isinstance(start, int) and not isinstance(start, bool)
    return int(value) if integral and float(value).is_integer() else float(value)


def condition_widgets(key: str, labels: Labels, column: str, prof: ColumnProfile, ops: tuple[str, ...],
                      op_area, value_area, start: Condition | None = None,
                      categories: dict | None = None) -> Condition | str:
    """Draw the operator (in ``op_area``) and value widgets (in ``value_area``) of a condition on
    ``column``; returns the condition, or a message when it is incomplete. ``start`` gives the first
    operator and value (a proposal); without it the widgets start from the column's profile."""
    if start is not None and start.shape == operators.POLYGON:
        value_area.markdown(code(start.describe()))
        return start
    if not ops:
        return f"column {column!r} cannot be compared"
    op_key = f"{key}_op"
    if st.session_state.get(op_key) not in ops:
        first = start.op if start is not None and start.op in ops else (">" if prof.kind == NUMERIC else ops[0])
        st.session_state[op_key] = first if first in ops else ops[0]
    op = op_area.selectbox(labels.operator, ops, key=op_key) if len(ops) > 1 else ops[0]
    shape = operators.get(op).shape
    same = start is not None and start.shape == shape
    vkey = f"{key}_{column}"
    with value_area:
        if shape == operators.NONE:
            st.caption(f"{prof.missing:,} missing values in {code(column)}")
            return Condition(column, op)
        if prof.kind == NUMERIC:
            rng = f"range {prof.min:g} … {prof.max:g}" if prof.min is not None else "no values"
            default = round(float(prof.mean or 0.0), 2)
            if shape == operators.PAIR:
                lo_start, hi_start = start.value if same else (None, None)
                lo_col, hi_col = st.columns(2)
                with lo_col:
                    lo = _number(labels.low.format(hint=rng), f"{vkey}_lo", default, lo_start)
                with hi_col:
                    hi = _number(labels.high.format(hint=rng), f"{vkey}_hi", default, hi_start)
                if lo > hi:
                    return "the low bound is above the high bound"
                return Condition(column, op, (_as_column_number(lo, prof, lo_start), _as_column_number(hi, prof, hi_start)))
            if shape == operators.SCALAR:
                first = start.value if same else None
                value = _number(labels.value.format(hint=rng), f"{vkey}_v", default, first)
                return Condition(column, op, _as_column_number(value, prof, first))
        if prof.kind in (STRING, NUMERIC) and shape in (operators.LIST, operators.SCALAR):
            counts = dict(prof.top)
            started = list(start.values()) if same else []
            options = list(dict.fromkeys(started + [v for v, _ in prof.top] + list((categories or {}).get(column, ()))))
            hint = f"{prof.distinct:,} distinct values" + (", the most frequent shown" if prof.distinct > len(counts) else "")
            shown = (lambda v: f"{v} ({counts[v]:,})" if v in counts else str(v))
            if shape == operators.LIST:
                if started and f"{vkey}_vals" not in st.session_state:
                    st.session_state[f"{vkey}_vals"] = started
                values = st.multiselect(labels.values.format(hint=hint), options, key=f"{vkey}_vals",
                                        format_func=shown, accept_new_options=True)
                return Condition(column, op, tuple(values)) if values else "choose at least one value"
            index = options.index(started[0]) if started else 0
            value = st.selectbox(labels.value.format(hint=hint), options, index=index if options else None,
                                 key=f"{vkey}_v", format_func=shown, accept_new_options=True)
            return Condition(column, op, value) if value is not None else "choose a value"
        if prof.kind == BOOLEAN and shape == operators.SCALAR:
            return Condition(column, op, st.selectbox(labels.value.format(hint="true or false"), [True, False],
                                                      key=f"{vkey}_v"))
        if prof.kind == TEMPORAL and shape in (operators.PAIR, operators.SCALAR):
            hint = f"{prof.min} … {prof.max}"
            if shape == operators.PAIR:
                lo_start, hi_start = start.value if same else (prof.min or "", prof.max or "")
                lo_col, hi_col = st.columns(2)
                lo = lo_col.text_input(labels.low.format(hint=hint), value=str(lo_start), key=f"{vkey}_lo")
                hi = hi_col.text_input(labels.high.format(hint=hint), value=str(hi_start), key=f"{vkey}_hi")
                return Condition(column, op, (lo, hi))
            first = start.value if same else (prof.min or "")
            return Condition(column, op, st.text_input(labels.value.format(hint=hint), value=str(first),
                                                       key=f"{vkey}_v"))
    if start is not None:
        value_area.markdown(code(start.describe()))
        return start
    return f"{op!r} on column {column!r} has no editor"


def form_state(key: str, cond: Condition, kind: str) -> dict:
    """The widget values that make :func:`condition_widgets` start from ``cond`` (for editing a rule)."""
    shape = cond.shape
    state = {f"{key}_col": cond.column, f"{key}_op": cond.op}
    vkey = f"{key}_{cond.column}"
    if shape == operators.PAIR:
        state[f"{vkey}_lo"], state[f"{vkey}_hi"] = cond.value
    elif shape == operators.LIST:
        state[f"{vkey}_vals"] = list(cond.value)
    elif shape == operators.SCALAR:
        state[f"{vkey}_v"] = float(cond.value) if kind == NUMERIC else cond.value
    return state
