"""The Data page's look at the rows: the first rows or a seeded random sample, a page at a time."""

from __future__ import annotations

import streamlit as st

from studio.data.preview import first_rows, sample_rows
from studio.session.studio import StudioSession

from .frame import one_line_errors

PAGE_ROWS = 50
ORDERS = ("first rows", "random sample")


@st.fragment
def rows_preview(s: StudioSession) -> None:
    """A fragment: choosing the order, seed or page reruns it alone."""
    with one_line_errors("data rows"):
        n = s.dataset.n_rows
        c_order, c_seed, c_page = st.columns([2, 1, 1], vertical_alignment="bottom")
        order = c_order.radio("Rows", ORDERS, horizontal=True, key="preview_order")
        seed = int(c_seed.number_input("Seed", 0, 2 ** 31 - 1, 0, key="preview_seed",
                                       disabled=order == ORDERS[0], help="The same seed, the same sample."))
        pages = max(1, (n + PAGE_ROWS - 1) // PAGE_ROWS)
        page = int(c_page.number_input(f"Page (of {pages:,})", 1, pages, 1, key=f"preview_page_{s.split.id}"))
        offset = (page - 1) * PAGE_ROWS
        frame = (first_rows(s.dataset, PAGE_ROWS, offset) if order == ORDERS[0]
                 else sample_rows(s.dataset, seed, PAGE_ROWS, offset))
        st.dataframe(frame, hide_index=True, key="preview_rows", width="stretch", height=38 + 35 * min(len(frame), 10))
        st.caption(f"Rows {offset + 1:,} to {offset + len(frame):,} of {n:,}"
                   + (f" in a random order drawn with seed {seed}" if order == ORDERS[1] else " in file order")
                   + "; missing values are empty cells.")
