"""Colour groups of drawn rows (class, rule outcome, or the rule that fired) and their colours,
shared by the plotly figures and hiplot."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.tables import ROW

POSITIVE, OTHER = "positive", "other"
COLORS = {POSITIVE: "#d62728", OTHER: "#8c9bab",
          "TP": "#2ca02c", "FP": "#ff7f0e", "FN": "#d62728", "TN": "#b8c2cc"}
DRAW_ORDER = (OTHER, "TN", "FP", "FN", "TP", POSITIVE)  # the rare groups are drawn last, on top


def color_groups(frame: pd.DataFrame, positive: str, outcome: pd.DataFrame | None = None,
                 by: str = "outcome") -> pd.Series:
    """The group of every sampled row: positive/other; or, given ``outcome`` (from
    :func:`studio.explore.outcomes`), its ``"outcome"`` (TP/FP/FN/TN) or the ``"rule"`` that fired."""
    if outcome is None:
        return pd.Series(np.where(frame["__rs_label"] == positive, POSITIVE, OTHER), index=frame.index)
    by_row = outcome.set_index(ROW)[by]
    return frame[ROW].map(by_row).fillna("TN" if by == "outcome" else "default").set_axis(frame.index)


RULE_PALETTE = ("#1f77b4", "#9467bd", "#2ca02c", "#ff7f0e", "#e377c2", "#17becf", "#bcbd22", "#8c564b")


def color_of(group: str, names: list[str]) -> str:
    """A group's colour: fixed for classes and outcomes, a palette colour per rule, grey for the default."""
    if group in COLORS:
        return COLORS[group]
    if group == "default":
        return "#b8c2cc"
    rules = [n for n in names if n not in COLORS and n != "default"]
    return RULE_PALETTE[rules.index(group) % len(RULE_PALETTE)]


def ordered(groups: pd.Series) -> list[str]:
    present = set(groups.unique())
    first = [g for g in ("default",) + DRAW_ORDER if g in present]
    return first + sorted(present - set(first))
