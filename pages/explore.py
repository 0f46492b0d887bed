"""Explore page: parallel coordinates, scatter and one-column views of the train split; selections
become proposed rules whose effect is measured on the held-out split.

The chart takes the page's full width; a proposal opens a panel beside it. The chart stays first in
the same block either way, so opening or closing the panel resizes it without redrawing it (a hiplot
brush stays where it was drawn)."""

from __future__ import annotations

import streamlit as st

from pages.components.explore_views import VIEWS, ViewContext
from pages.components.frame import page_session
from pages.components.proposal import proposal_panel, show_notices
from studio.data.schema import NUMERIC
from studio.explore.groups import color_groups
from studio.explore.ranking import default_columns
from studio.explore.sample import DEFAULT_NEGATIVES, MAX_POINTS, drawable_columns

s = page_session()
split, schema = s.split, s.dataset.schema

st.title("Explore")
NAMES = tuple(VIEWS)

# ---------------------------------------------------------------- what is drawn (every view)
view = st.segmented_control("View", NAMES, default=NAMES[0], key="explore_view") or NAMES[0]
c_neg, c_seed, c_color, _ = st.columns([1.2, 0.8, 2.6, 2], vertical_alignment="bottom")
negatives = c_neg.number_input("Negatives drawn", min_value=0, max_value=MAX_POINTS, value=DEFAULT_NEGATIVES,
                               step=1000, key="explore_negatives",
                               help="Every positive train row is drawn, plus this many others (seeded).")
seed = c_seed.number_input("Sample seed", min_value=0, value=0, step=1, key="explore_seed")
color_mode = c_color.radio("Colour by", ("class", "rule outcome", "rule fired"), horizontal=True, key="explore_color",
                           help="Rule outcome: TP / FP / FN / TN of the current rules on each drawn row. "
                                "Rule fired: the rule that decided each drawn row (or the default).")

ex = s.cache
n_neg, seed = int(negatives), int(seed)
sample = ex.sample(n_neg, seed)
separations = ex.ranking(n_neg, seed)
score = {x.column: x.score for x in separations}
st.caption(sample.describe() + " The held-out split judges every proposed rule.")

by = "rule" if color_mode == "rule fired" else "outcome"
outcome = ex.outcomes(s.rules, n_neg, seed) if color_mode != "class" else None
chosen = st.multiselect(
    "Columns (best separating first; add or remove any)", [x.column for x in separations],
    default=default_columns(separations), key=f"explore_columns_{split.id}",
    format_func=lambda c: f"{c} · {score.get(c, 0):.2f}",
    help="The number is |2·AUC − 1| of the column alone on the drawn rows: 0 no separation, 1 perfect.")

ctx = ViewContext(s=s, sample=sample, groups=color_groups(sample.frame, split.positive, outcome, by),
                  chosen=tuple(chosen), numeric=tuple(c for c in drawable_columns(split) if schema.kind(c) == NUMERIC),
                  separations=tuple(separations), coloured=outcome is not None, by=by, negatives=n_neg, seed=seed)

# ---------------------------------------------------------------- the chart, and the proposal beside it
proposal_open = bool(st.session_state.get("explore_proposal"))
with st.container():  # one element whatever it holds: the chart's place in the page never moves
    show_notices("explore")
    if not proposal_open:
        st.caption("Brush an axis, drag a box or a lasso, or set a threshold: the proposed rule opens beside "
                   "the chart.")
areas = st.columns([3, 2], gap="medium") if proposal_open else st.columns(1)
with areas[0]:
    VIEWS[view](ctx)
if proposal_open:
    with areas[1]:
        proposal_panel(s, sample.categories)
st.caption("Exploration views draw train rows only; every figure of a proposed rule's effect is also "
           "given on the held-out test split.")
