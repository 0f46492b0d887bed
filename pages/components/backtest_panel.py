"""The Rules page's backtest: the rule set and each rule period by period on a time column, with
the rules whose latest period fell below all their earlier ones flagged."""

from __future__ import annotations

import streamlit as st

from studio.data.schema import NUMERIC, TEMPORAL
from studio.engine.backtest import backtest
from studio.explore import figures
from studio.session.studio import StudioSession

from .format import code, literal
from .frame import one_line_errors

UNITS = {"auto": "auto", "day": "day", "week": "week", "month": "month", "4 buckets": "4", "8 buckets": "8",
         "12 buckets": "12", "24 buckets": "24"}


@st.fragment
def backtest_panel(s: StudioSession) -> None:
    """A fragment: choosing the column, the periods or the rows reruns it alone."""
    with one_line_errors("rules backtest"):
        _panel(s)


def _panel(s: StudioSession) -> None:
    split, schema = s.split, s.dataset.schema
    times = [c for c in s.dataset.columns if c != split.target and schema.kind(c) in (NUMERIC, TEMPORAL)]
    if not times or not s.rules.rules:
        return
    if not st.toggle("Show the rules period by period", key="backtest_on",
                     help="Precision and recall of the rule set and of each rule per period of a time column."):
        s.amounts.period = None  # the refresh need not count periods
        return
    first = split.time.column if split.time else next((c for c in times if c.lower() in ("time", "date")), times[0])
    c_col, c_unit, c_side = st.columns([2, 1.2, 1.6], vertical_alignment="bottom")
    column = c_col.selectbox("Time column", times, index=times.index(first), key="backtest_column")
    unit = c_unit.selectbox("Periods", list(UNITS), key="backtest_unit")
    side = c_side.radio("Rows", ("all", "test"), horizontal=True, key="backtest_side",
                        help="All rows: the whole history. Test: the held-out rows alone.")
    amount = s.amounts.settings.column if s.amounts.settings else None
    s.amounts.period = (column, UNITS[unit])  # the next refresh counts its periods in the same query
    bt = s.cache.memo(("backtest", s.rules, column, UNITS[unit], side, amount),
                      lambda: backtest(split, s.rules, column, UNITS[unit], side, amount))
    st.plotly_chart(figures.period_figure(bt), key="rules_backtest", width="stretch", config={"scrollZoom": False})
    shown = min(len(bt.rules), figures.PANELS - 1)
    st.caption(f"{len(bt.periods)} periods ({bt.unit}) of {code(column)}, from {literal(bt.periods[0])} to "
               f"{literal(bt.periods[-1])}" + (f"; the first {shown} rules are drawn" if shown < len(bt.rules) else "")
               if bt.periods else "No rows with a time.")
    decaying = [t.name for t in (bt.total,) + bt.rules if t.decaying]
    if decaying:
        st.warning("Decaying (latest period's precision below every earlier one): "
                   + ", ".join(literal(n) for n in decaying))
