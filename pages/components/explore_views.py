"""The Explore page's views, one fragment each: a change inside a view (an axis, the lines drawn, a
slider) reruns that view alone. A new selection becomes the page's proposal and reruns the page, so
the proposal panel opens beside the chart. To add a view: write a function drawing it from a
:class:`ViewContext` and register it in :data:`VIEWS`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import streamlit as st

from studio.engine.readable import readable_conditions
from studio.explore import figures
from studio.explore.selection import condition_from_lasso, conditions_from_box, conditions_from_brush, selected_rows
from studio.mining.counting import count_candidates
from studio.rules.condition import Condition
from studio.session.studio import StudioSession

from .format import code, fixed
from .frame import one_line_errors
from .hiplot_chart import hiplot_chart
from .proposal import propose

PARCOORDS_NEGATIVES = 1_000


@dataclass(frozen=True)
class ViewContext:
    """What every view draws from: the drawn sample, its colour groups and the chosen columns."""
    s: StudioSession
    sample: object          # studio.explore.sample.Sample
    groups: pd.Series
    chosen: tuple[str, ...]
    numeric: tuple[str, ...]
    separations: tuple
    coloured: bool          # coloured by the current rules (outcome or rule fired), not by class
    by: str                 # "outcome" or "rule"
    negatives: int
    seed: int

    @property
    def frame(self) -> pd.DataFrame:
        return self.sample.frame

    def numeric_first(self) -> list[str]:
        """Numeric columns, the chosen ones first (in their order)."""
        return [c for c in self.chosen if c in self.numeric] + [c for c in self.numeric if c not in self.chosen]


def _signature(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def take(ctx: ViewContext, source: str, value, conditions_of: Callable[[], list]) -> None:
    """Turn a new selection into the page's proposal and rerun the page (the proposal panel opens);
    the same selection seen again changes nothing."""
    sig = f"{source}:{_signature(value)}"
    if st.session_state.get("explore_last_selection") == sig:
        return
    st.session_state["explore_last_selection"] = sig
    conditions = conditions_of()
    if conditions:  # bounds as a person would write them, taking the same train rows
        propose(list(readable_conditions(ctx.s.split, [tuple(conditions)])[0]), source)
        st.rerun()


def selection_caption(ctx: ViewContext, verb: str, picked: pd.DataFrame) -> str:
    """What a selection holds: the drawn rows (a sample, so their share of positives is not the
    rule's precision) and, for the proposed rule, the exact counts over every train row."""
    split, sample = ctx.s.split, ctx.sample
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


def _follow_other_tabs(ctx: ViewContext) -> None:
    """Another tab changed the rules: rerun the page, whose colours and sidebar depend on them."""
    if ctx.s.refresh():
        st.rerun()


@st.fragment
def hiplot_view(ctx: ViewContext) -> None:
    with one_line_errors("explore hiplot"):
        _follow_other_tabs(ctx)
        if not ctx.chosen:
            st.info("Choose at least one column.")
            return
        rules = ctx.s.rules if ctx.coloured else None
        text = ctx.s.cache.hiplot_text(ctx.chosen, rules, ctx.by, ctx.negatives, ctx.seed)
        st.caption(f"{len(ctx.frame):,} lines. Drag along an axis to brush a range; brushes on several axes "
                   "combine into one rule.")
        result = hiplot_chart(text, key="explore_hiplot")
        extents = result["brush_extents"]
        if extents:
            take(ctx, "hiplot brush", extents,
                 lambda: conditions_from_brush(extents, ctx.s.dataset.schema, ctx.sample.ranges, ctx.sample.categories))
        uids = result["selected_uids"]
        if uids is not None and extents:
            picked = ctx.frame[ctx.frame["__rs_row"].astype(str).isin(set(uids))]
            st.caption(selection_caption(ctx, "Brushed", picked))


@st.fragment
def parcoords_view(ctx: ViewContext) -> None:
    with one_line_errors("explore parcoords"):
        _follow_other_tabs(ctx)
        if not ctx.chosen:
            st.info("Choose at least one column.")
            return
        lines = st.number_input("Negative lines in this view", min_value=0, max_value=ctx.negatives,
                                value=min(PARCOORDS_NEGATIVES, ctx.negatives), step=500,
                                key="explore_parcoords_lines",
                                help="plotly draws these lines with WebGL, which is slow without a graphics card.")
        shown = figures.thin_negatives(ctx.frame, ctx.s.split.positive, int(lines), ctx.seed)
        fig = figures.parcoords(shown, list(ctx.chosen), ctx.groups.loc[shown.index])
        st.caption(f"{len(shown):,} lines (every drawn positive, {int(lines):,} negatives). plotly's brushing is "
                   "for looking only (it is not reported back): brush in the hiplot view to make a rule.")
        st.plotly_chart(fig, key="explore_parcoords", width="stretch")


@st.fragment
def scatter_view(ctx: ViewContext) -> None:
    with one_line_errors("explore scatter"):
        _follow_other_tabs(ctx)
        numeric, first = list(ctx.numeric), ctx.numeric_first()
        if not numeric:
            st.info("The table has no numeric column to draw.")
            return
        x_col, y_col, m_col = st.columns([2, 2, 1], vertical_alignment="bottom")
        x = x_col.selectbox("x", numeric, index=numeric.index(first[0]), key="explore_x")
        y = y_col.selectbox("y", numeric, index=numeric.index(first[min(1, len(first) - 1)]), key="explore_y")
        marginals = m_col.checkbox("Marginals", value=True, key="explore_marginals")
        fig = figures.scatter(ctx.frame, x, y, ctx.groups, marginals=marginals)
        st.caption(f"{figures.points_in(fig):,} points. Drag a box (or pick the lasso in the toolbar) to select.")
        event = st.plotly_chart(fig, key=f"explore_scatter_{x}_{y}", on_select="rerun",
                                selection_mode=("box", "lasso"), width="stretch")
        selection = event.selection if event else None
        if not selection:
            return
        ranges = ctx.sample.ranges
        spans = tuple((ranges[c][1] - ranges[c][0]) or 1.0 if c in ranges else 1.0 for c in (x, y))
        boxes = [b for b in selection.get("box", []) if b.get("xref", "x") == "x" and b.get("yref", "y") == "y"]
        lassos = [b for b in selection.get("lasso", []) if b.get("xref", "x") == "x" and b.get("yref", "y") == "y"]
        if lassos:
            take(ctx, "scatter lasso", lassos[-1], lambda: [condition_from_lasso(lassos[-1], x, y, spans)])
        elif boxes:
            take(ctx, "scatter box", boxes[-1], lambda: conditions_from_box(boxes[-1], x, y, spans))
        rows = selected_rows(selection.get("points", []))
        if rows:
            picked = ctx.frame[ctx.frame["__rs_row"].isin(rows)]
            st.caption(selection_caption(ctx, "Selected", picked))


@st.fragment
def column_view(ctx: ViewContext) -> None:
    with one_line_errors("explore column"):
        _follow_other_tabs(ctx)
        first = ctx.numeric_first()
        if not first:
            st.info("The table has no numeric column to draw.")
            return
        col_col, dir_col = st.columns([3, 2], vertical_alignment="bottom")
        name = col_col.selectbox("Column", first, key="explore_column")
        auc = next((x.auc for x in ctx.separations if x.column == name), None)
        direction = dir_col.radio("Rule", (">", "<"), horizontal=True, key=f"explore_direction_{name}",
                                  index=1 if auc is not None and auc < 0.5 else 0,  # where the positives lie
                                  format_func=lambda d: f"{name} {d} t")
        ex = ctx.s.cache
        st.plotly_chart(figures.histogram(ex.histogram(name)), key="explore_histogram", width="stretch")
        curve = ex.curve(name, direction)
        points = curve.points
        if len(points) < 2:
            st.info(f"{code(name)} has fewer than two distinct train values.")
            return
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
        take(ctx, "threshold", [name, direction, value],
             lambda: [Condition(name, direction, int(value) if digits == 0 else value)])


VIEWS: dict[str, Callable[[ViewContext], None]] = {
    "Parallel coordinates (hiplot)": hiplot_view,
    "Parallel coordinates (plotly)": parcoords_view,
    "Scatter": scatter_view,
    "One column": column_view,
}
