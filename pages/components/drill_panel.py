"""The Rules page's rows: the false positives, the missed positives, the true positives or the rows
of one rule, on test or train, a page at a time, sortable, with a CSV of the whole selection."""

from __future__ import annotations

import streamlit as st

from studio.engine.drill import MAX_DOWNLOAD, OUTCOMES, count_rows, row_page
from studio.session.studio import StudioSession

from .format import literal
from .frame import one_line_errors

PAGE_ROWS = 100
ROW_ORDER = "(row order)"
CHOICES = {"false positives": "FP", "missed positives": "FN", "true positives": "TP", "every row": None}


@st.fragment
def drill_panel(s: StudioSession) -> None:
    """A fragment: choosing rows, order or page reruns it alone."""
    with one_line_errors("rules rows"):
        _panel(s)


def _panel(s: StudioSession) -> None:
    if not st.toggle("Show the rows", key="drill_on", help="The rows behind the numbers: which transactions "
                                                            "are the false positives, the missed ones, a rule's."):
        return
    rules = s.rules
    names = rules.names()
    options = list(CHOICES) + [f"rule {i + 1}: {n}" for i, n in enumerate(names)]
    c_which, c_side, c_sort, c_desc = st.columns([2.2, 1.2, 1.8, 1], vertical_alignment="bottom")
    which = c_which.selectbox("Rows", options, key="drill_which")
    side = c_side.radio("Side", ("test", "train"), horizontal=True, key="drill_side")
    order = c_sort.selectbox("Sort by", [ROW_ORDER] + s.dataset.columns, key="drill_sort")
    descending = c_desc.checkbox("largest first", key="drill_desc")
    outcome = CHOICES.get(which)
    rule = options.index(which) - len(CHOICES) if which not in CHOICES else None
    selection = dict(side=side, outcome=outcome, rule=rule, order_by=None if order == ROW_ORDER else order,
                     descending=descending)
    what = OUTCOMES[outcome] if outcome else ("rows" if rule is None else literal(which))
    rows_table(s, rules, selection, what, key_prefix="drill")


def rows_table(s: StudioSession, rules, selection: dict, what: str, key_prefix: str) -> None:
    """The count of a selection (:func:`studio.engine.drill.row_page`'s arguments), a page of its rows
    with the page chooser, and a CSV of the whole selection; ``what`` names the rows (markdown)."""
    side = selection["side"]
    total = count_rows(s.split, rules, side, selection.get("outcome"), selection.get("rule"), selection.get("when"))
    if not total:
        st.caption(f"No {what} on {side}.")
        return
    pages = (total + PAGE_ROWS - 1) // PAGE_ROWS
    key = f"{key_prefix}_page_{hash((s.split.id, rules, repr(selection))) & 0xffffffff}"  # a new selection
    # (or a new split) starts on page 1, and a CSV made for another one is not offered
    page = int(st.number_input(f"Page (of {pages:,})", 1, pages, key=key)) if pages > 1 else 1
    shown = row_page(s.split, rules, limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS, **selection)
    st.caption(f"{total:,} {what} on {side}; rows {shown.offset + 1:,} to {shown.offset + len(shown.rows):,}, "
               "each with its outcome under the rules now and the rule that decides it.")
    st.dataframe(shown.rows, hide_index=True, key=f"{key_prefix}_rows", width="stretch")
    if st.button(f"Prepare a CSV of these {min(total, MAX_DOWNLOAD):,} rows", key=f"{key_prefix}_prepare",
                 icon=":material/download:"):  # one CSV kept at a time, for the selection it was made for
        st.session_state["drill_csv"] = (key, row_page(s.split, rules, limit=MAX_DOWNLOAD, **selection)
                                         .rows.to_csv(index=False))
    made_for, text = st.session_state.get("drill_csv", (None, None))
    if made_for == key:
        st.download_button("Download the CSV", text, file_name=f"rows-{side}.csv", mime="text/csv",
                           key=f"{key_prefix}_download")
    if total > MAX_DOWNLOAD:
        st.caption(f"The CSV holds the first {MAX_DOWNLOAD:,} rows of the selection.")
