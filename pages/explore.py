"""Explore page: parallel coordinates, scatter and one-column views of the train split; selections
become proposed rules whose effect is measured on the held-out split."""

from __future__ import annotations

import json

import numpy as np
import streamlit as st

from pages.components.frame import page_session
from pages.components.hiplot_chart import hiplot_chart
from pages.components.format import code, fixed
from pages.components.proposal import proposal_panel, propose
from studio.engine.readable import readable_conditions
from studio.mining.counting import count_candidates
from studio.explore import figures
from studio.explore.groups import color_groups
from studio.explore.ranking import default_columns
from studio.explore.sample import DEFAULT_NEGATIVES, MAX_POINTS, drawable_columns
from studio.rules.condition import Condition
from studio.data.schema import NUMERIC
from studio.explore.selection import condition_from_lasso, conditions_from_box, conditions_from_brush, selected_rows

s = page_session()
split, schema = s.split, s.dataset.schema

st.title("Explore")
PARCOORDS_NEGATIVES = 1_000
VIEWS = ("Parallel coordinates (hiplot)", "Parallel coordinates (plotly)", "Scatter", "One column")

# ---------------------------------------------------------------- what is drawn
view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="explore_view") or VIEWS[0]
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
frame = sample.frame
separations = ex.ranking(n_neg, seed)
score = {x.column: x.score for x in separations}
st.caption(sample.describe() + " The held-out split judges every proposed rule.")

by = "rule" if color_mode == "rule fired" else "outcome"
outcome = ex.outcomes(s.rules, n_neg, seed) if color_mode != "class" else None
groups = color_groups(frame, split.positive, outcome, by)

chosen = st.multiselect(
    "Columns (best separating first; add or remove any)", [x.column for x in separations],
    default=default_columns(separations), key=f"explore_columns_{split.id}",
    format_func=lambda c: f"{c} · {score.get(c, 0):.2f}",
    help="The number is |2·AUC − 1| of the column alone on the drawn rows: 0 no separation, 1 perfect.")

categories = sample.categories
numeric = [c for c in drawable_columns(split) if schema.kind(c) == NUMERIC]


def _signature(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _take(source: str, value, conditions_of) -> None:
    """Turn a new selection into the proposal (the same selection seen again changes nothing)."""
    sig = f"{source}:{_signature(value)}"
    if st.session_state.get("explore_last_selection") == sig:
        return
    st.session_state["explore_last_selection"] = sig
    conditions = conditions_of()
    if conditions:  # bounds as a person would write them, taking the same train rows
        propose(list(readable_conditions(split, [tuple(conditions)])[0]), source)


def selection_caption(verb: str, picked) -> str:
    """What a selection holds: the drawn rows (a sample, so their share of positives is not the
    rule's precision) and, for the proposed rule, the exact counts over every train row."""
    n_pos = int((picked["__rs_label"] == split.positive).sum())
    text = (f"{verb}: {len(picked):,} drawn rows ({n_pos:,} positive; every positive is drawn, only "
            f"{sample.negatives:,} of {sample.train_negatives:,} negatives).")
    proposal = st.session_state.get("explore_proposal")
    if proposal and proposal["conditions"]:
        counts = count_candidates(split, None, [tuple(proposal["conditions"])], "train").iloc[0]
        fired, tp = int(counts["train_fired"]), int(counts["train_tp"])
        text += (f" The proposed rule on all train rows: {fired:,} rows, {tp:,} positive"
                 f" (precision {fixed(tp / fired if fired else None)}).")
    return text


# ---------------------------------------------------------------- views
chart_col, proposal_col = st.columns([3, 2], gap="medium")
with chart_col:
    if view == VIEWS[0]:
        if not chosen:
            st.info("Choose at least one column.")
        else:
            text = ex.hiplot_text(tuple(chosen), s.rules if outcome is not None else None, by, n_neg, seed)
            st.caption(f"{len(frame):,} lines. Drag along an axis to brush a range; brushes on several axes "
                       "combine into one rule.")
            result = hiplot_chart(text, key="explore_hiplot")
            extents = result["brush_extents"]
            if extents:
                _take("hiplot brush", extents,
                      lambda: conditions_from_brush(extents, schema, sample.ranges, categories))
            uids = result["selected_uids"]
            if uids is not None and extents:
                picked = frame[frame["__rs_row"].astype(str).isin(set(uids))]
                st.caption(selection_caption("Brushed", picked))
    elif view == VIEWS[1]:
        if not chosen:
            st.info("Choose at least one column.")
        else:
            lines = st.number_input("Negative lines in this view", min_value=0, max_value=n_neg,
                                    value=min(PARCOORDS_NEGATIVES, n_neg), step=500, key="explore_parcoords_lines",
                                    help="plotly draws these lines with WebGL, which is slow without a graphics card.")
            shown = figures.thin_negatives(frame, split.positive, int(lines), seed)
            fig = figures.parcoords(shown, chosen, groups.loc[shown.index])
            st.caption(f"{len(shown):,} lines (every drawn positive, {int(lines):,} negatives). plotly's brushing is "
                       "for looking only (it is not reported back): brush in the hiplot view to make a rule.")
            st.plotly_chart(fig, key="explore_parcoords", width="stretch")
    elif view == VIEWS[2]:
        first = [c for c in chosen if c in numeric] + [c for c in numeric if c not in chosen]
        x_col, y_col, m_col = st.columns([2, 2, 1], vertical_alignment="bottom")
        x = x_col.selectbox("x", numeric, index=numeric.index(first[0]) if first else 0, key="explore_x")
        y = y_col.selectbox("y", numeric, index=numeric.index(first[1]) if len(first) > 1 else 0, key="explore_y")
        marginals = m_col.checkbox("Marginals", value=True, key="explore_marginals")
        fig = figures.scatter(frame, x, y, groups, marginals=marginals)
        st.caption(f"{figures.points_in(fig):,} points. Drag a box (or pick the lasso in the toolbar) to select.")
        event = st.plotly_chart(fig, key=f"explore_scatter_{x}_{y}", on_select="rerun",
                                selection_mode=("box", "lasso"), width="stretch")
        selection = event.selection if event else None
        if selection:
            spans = tuple((sample.ranges[c][1] - sample.ranges[c][0]) or 1.0 if c in sample.ranges else 1.0
                          for c in (x, y))
            boxes = [b for b in selection.get("box", []) if b.get("xref", "x") == "x" and b.get("yref", "y") == "y"]
            lassos = [b for b in selection.get("lasso", []) if b.get("xref", "x") == "x" and b.get("yref", "y") == "y"]
            if lassos:
                _take("scatter lasso", lassos[-1], lambda: [condition_from_lasso(lassos[-1], x, y, spans)])
            elif boxes:
                _take("scatter box", boxes[-1], lambda: conditions_from_box(boxes[-1], x, y, spans))
            rows = selected_rows(selection.get("points", []))
            if rows:
                picked = frame[frame["__rs_row"].isin(rows)]
                st.caption(selection_caption("Selected", picked))
    else:
        first = [c for c in chosen if c in numeric] + [c for c in numeric if c not in chosen]
        col_col, dir_col = st.columns([3, 2], vertical_alignment="bottom")
        name = col_col.selectbox("Column", first or numeric, key="explore_column")
        auc = next((x.auc for x in separations if x.column == name), None)
        direction = dir_col.radio("Rule", (">", "<"), horizontal=True, key=f"explore_direction_{name}",
                                  index=1 if auc is not None and auc < 0.5 else 0,  # where the positives lie
                                  format_func=lambda d: f"{name} {d} t")
        hist = ex.histogram(name)
        st.plotly_chart(figures.histogram(hist), key="explore_histogram", width="stretch")
        curve = ex.curve(name, direction)
        points = curve.points
        if len(points) >= 2:
            f1 = (2 * points["precision"] * points["recall"] / (points["precision"] + points["recall"])).fillna(0)
            best = float(points["threshold"].iloc[int(f1.to_numpy().argmax())])
            lo, hi = float(points["threshold"].min()), float(points["threshold"].max())
            step = (hi - lo) / 1000 or 1.0
            digits = max(0, -int(np.floor(np.log10(step))))
            t = st.slider(f"Threshold t (train F1 is highest at {best:.{digits}f})", lo, hi,
                          value=round(best, digits), step=round(step, digits) or step,
                          key=f"explore_t_{name}_{direction}", format=f"%.{digits}f")
            st.plotly_chart(figures.threshold_figure(curve, t), key="explore_curve", width="stretch")
            value = round(t, digits)
            _take("threshold", [name, direction, value],
                  lambda: [Condition(name, direction, int(value) if digits == 0 else value)])
        else:
            st.info(f"{code(name)} has fewer than two distinct train values.")

with proposal_col:
    proposal_panel(s, categories)

st.caption("Exploration views draw train rows only; every figure of a proposed rule's effect is also "
           "given on the held-out test split.")
