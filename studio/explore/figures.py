"""The plotly figures of the exploration views and the Suggest page (the one module importing plotly).

Every figure carries row ids, never positions: scatter points hold their ``__rs_row`` in
``customdata``, so a selection maps back to rows whatever the colour grouping does to trace order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..data.schema import NUMERIC
from ..data.tables import ROW
from .groups import COLORS, OTHER, POSITIVE, color_of, ordered
from .views import Histogram, ThresholdCurve


def _marginal(values: np.ndarray, groups: np.ndarray, names: list[str], bins: int = 40):
    finite = values[np.isfinite(values)]
    if not len(finite):
        return None, {}
    edges = np.histogram_bin_edges(finite, bins=bins)
    out = {}
    for g in names:
        v = values[(groups == g) & np.isfinite(values)]
        counts, _ = np.histogram(v, bins=edges)
        out[g] = counts / max(len(v), 1)  # share of the group: rare classes stay visible
    return edges, out


def scatter(frame: pd.DataFrame, x: str, y: str, groups: pd.Series, marginals: bool = True,
            height: int = 560) -> go.Figure:
    """A WebGL scatter of two columns, one trace per group, row ids in ``customdata``; with
    ``marginals``, each axis gets the per-group distribution (shares of the group, pre-binned)."""
    fig = go.Figure()
    names = ordered(groups)
    g = groups.to_numpy()
    for name in names:
        part = frame[g == name]
        fig.add_trace(go.Scattergl(
            x=part[x], y=part[y], mode="markers", name=f"{name} ({len(part):,} drawn)",
            customdata=part[ROW].to_numpy(), marker=dict(color=color_of(name, names), size=5, opacity=0.75),
            hovertemplate=f"{x}=%{{x}}<br>{y}=%{{y}}<br>row %{{customdata}}<extra>{name}</extra>"))
    main_domain = [0.0, 0.84] if marginals else [0.0, 1.0]
    fig.update_layout(
        height=height, dragmode="select", margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", y=1.08 if marginals else 1.02, x=0),
        xaxis=dict(domain=main_domain, title=x), yaxis=dict(domain=main_domain, title=y))
    if marginals:
        for axis, col in (("x", x), ("y", y)):
            edges, shares = _marginal(pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float), g, names)
            if edges is None:
                continue
            mids, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
            for name in names:
                bar = dict(marker_color=color_of(name, names), opacity=0.6, showlegend=False, hoverinfo="skip")
                if axis == "x":
                    fig.add_trace(go.Bar(x=mids, y=shares[name], width=widths, xaxis="x", yaxis="y2", **bar))
                else:
                    fig.add_trace(go.Bar(y=mids, x=shares[name], width=widths, orientation="h",
                                         xaxis="x2", yaxis="y", **bar))
        fig.update_layout(barmode="overlay",
                          xaxis2=dict(domain=[0.86, 1.0], showticklabels=False, fixedrange=True),
                          yaxis2=dict(domain=[0.86, 1.0], showticklabels=False, fixedrange=True))
    return fig


def points_in(fig: go.Figure) -> int:
    """How many data points a figure sends to the browser (markers and parcoords lines)."""
    total = 0
    for trace in fig.data:
        if isinstance(trace, (go.Scattergl, go.Scatter)) and trace.x is not None:
            total += len(trace.x)
        elif isinstance(trace, go.Parcoords) and trace.dimensions:
            total += len(trace.dimensions[0].values)
    return total


def thin_negatives(frame: pd.DataFrame, positive: str, negatives: int, seed: int = 0) -> pd.DataFrame:
    """Every positive row of ``frame`` and at most ``negatives`` of the others (seeded)."""
    is_pos = frame["__rs_label"] == positive
    others = frame[~is_pos]
    if len(others) > negatives:
        others = others.sample(n=negatives, random_state=seed)
    return frame[is_pos | frame.index.isin(others.index)]


TICK_TEXT = 14  # characters of a text value on a parcoords axis (the first axis has this much room on its left)


def _cut(text: str, width: int = TICK_TEXT) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def parcoords(frame: pd.DataFrame, columns: list[str], groups: pd.Series, height: int = 520) -> go.Figure:
    """plotly's parallel coordinates, one line per sampled row, coloured by group. Text and boolean
    columns become ordinal axes with their values as tick labels (cut to :data:`TICK_TEXT`
    characters with "…", so none is clipped); long column names are drawn slanted."""
    names = ordered(groups)
    codes = groups.map({n: i for i, n in enumerate(names)}).to_numpy()
    scale = []
    for i, n in enumerate(names):
        lo, hi = i / len(names), (i + 1) / len(names)
        scale += [[lo, color_of(n, names)], [hi, color_of(n, names)]]
    dims = []
    for col in columns:
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            dims.append(dict(label=col, values=values.to_numpy(dtype=float)))
        else:
            cats = sorted(values.dropna().astype(str).unique())
            index = {c: k for k, c in enumerate(cats)}
            dims.append(dict(label=col, values=values.astype(str).map(index).to_numpy(dtype=float),
                             tickvals=list(range(len(cats))), ticktext=[_cut(c) for c in cats]))
    slanted = any(len(col) > 8 for col in columns)
    fig = go.Figure(go.Parcoords(
        line=dict(color=codes, colorscale=scale, cmin=0, cmax=max(len(names), 1)), dimensions=dims,
        labelangle=-20 if slanted else 0))
    fig.update_layout(height=height, margin=dict(l=100, r=60, t=90 if slanted else 50, b=20))
    return fig


def histogram(hist: Histogram) -> go.Figure:
    """Class-conditional histogram: each group as a share of its own rows."""
    fig = go.Figure()
    bins = hist.bins
    for group in (OTHER, POSITIVE):
        part = bins[bins["group"] == group]
        total = part["rows"].sum() or 1
        if hist.kind == NUMERIC:
            x = (part["low"] + part["high"]) / 2
            width = (part["high"] - part["low"])
        else:
            x, width = part["bin"], None
        fig.add_trace(go.Bar(x=x, y=part["rows"] / total, width=width, name=f"{group} ({int(part['rows'].sum()):,})",
                             marker_color=COLORS[group], opacity=0.65,
                             customdata=part["rows"], hovertemplate="%{x}<br>%{y:.2%} of the group"
                                                                    " (%{customdata:,} rows)"))
    fig.update_layout(barmode="overlay", height=300, margin=dict(l=10, r=10, t=30, b=10),
                      yaxis=dict(title="share of the group", tickformat=".0%"), xaxis=dict(title=hist.column),
                      legend=dict(orientation="h", y=1.12, x=0))
    return fig


def threshold_figure(curve: ThresholdCurve, chosen: float | None = None) -> go.Figure:
    """Train precision and recall of ``column <direction> t`` against t, with the chosen t marked."""
    p = curve.points
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=p["threshold"], y=p["precision"], name="precision (train)", mode="lines",
                             line=dict(color="#1f77b4", shape="hv")))
    fig.add_trace(go.Scatter(x=p["threshold"], y=p["recall"], name="recall (train)", mode="lines",
                             line=dict(color="#d62728", shape="hv")))
    if chosen is not None:
        fig.add_vline(x=chosen, line=dict(color="#333", dash="dash"))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), yaxis=dict(range=[0, 1.02]),
                      xaxis=dict(title=f"{curve.column} {curve.direction} t"),
                      legend=dict(orientation="h", y=1.12, x=0))
    return fig


def pr_figure(curve: pd.DataFrame, points: dict[str, tuple[float, float]], height: int = 420) -> go.Figure:
    """A model's test precision-recall curve (``curve``: precision, recall, threshold) with named
    (recall, precision) points drawn on it, such as the rule set's."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=curve["recall"], y=curve["precision"], mode="lines", name="model (every threshold)",
                             line={"color": COLORS[OTHER], "shape": "hv"},
                             customdata=curve["threshold"],
                             hovertemplate="recall %{x:.4f}<br>precision %{y:.4f}<br>threshold %{customdata:.4f}"
                                           "<extra></extra>"))
    symbols = ("star", "circle", "diamond", "square")
    palette = (COLORS[POSITIVE], "#1f77b4", "#2ca02c", "#9467bd")
    for k, (name, (recall, precision)) in enumerate(points.items()):
        fig.add_trace(go.Scatter(x=[recall], y=[precision], mode="markers", name=name,
                                 marker={"size": 16 if k == 0 else 11, "symbol": symbols[k % 4],
                                         "color": palette[k % 4], "line": {"width": 1, "color": "white"}},
                                 hovertemplate=f"{name}<br>recall %{{x:.4f}}<br>precision %{{y:.4f}}<extra></extra>"))
    fig.update_layout(height=height, margin={"l": 50, "r": 10, "t": 30, "b": 40},
                      xaxis={"title": "recall (test)", "range": [0, 1.02]},
                      yaxis={"title": "precision (test)", "range": [0, 1.02]},
                      legend={"orientation": "h", "y": 1.08})
    return fig


def cumulative_figure(curve: pd.DataFrame, height: int = 300) -> go.Figure:
    """Scores (columns of ``curve``) as the enabled rules are applied in order (its index: rules
    applied). Scrolling over it scrolls the page: plotly zooms on the wheel only where asked to."""
    fig = go.Figure()
    for name, color in zip(curve.columns, ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")):
        fig.add_trace(go.Scatter(x=curve.index, y=curve[name], name=name, mode="lines+markers",
                                 line={"color": color}, hovertemplate=f"{name} %{{y:.4f}}<extra></extra>"))
    fig.update_layout(height=height, margin={"l": 50, "r": 10, "t": 30, "b": 40}, hovermode="x unified",
                      xaxis={"title": curve.index.name or "", "dtick": 1 if len(curve) <= 20 else None},
                      yaxis={"title": "test score", "range": [0, 1.02]}, legend={"orientation": "h", "y": 1.1})
    return fig


PANELS = 9  # the rule set and up to 8 rules side by side


def period_figure(bt, height: int = 260) -> go.Figure:
    """A backtest (:class:`studio.engine.backtest.Backtest`) as small multiples: the rule set and
    each rule, precision and recall period by period; a decaying one is titled so."""
    from plotly.subplots import make_subplots

    trends = ((bt.total,) + bt.rules)[:PANELS]
    titles = [("⚠ " if t.decaying else "") + (t.name if len(t.name) <= 24 else t.name[:23] + "…") for t in trends]
    fig = make_subplots(rows=1, cols=len(trends), shared_yaxes=True, subplot_titles=titles,
                        horizontal_spacing=0.02)
    for k, trend in enumerate(trends, start=1):
        x = [f.period for f in trend.periods]
        for name, color, values in (("precision", "#1f77b4", [f.precision for f in trend.periods]),
                                    ("recall", "#d62728", [f.recall for f in trend.periods])):
            fig.add_trace(go.Scatter(x=x, y=values, mode="lines+markers", name=name, legendgroup=name,
                                     showlegend=k == 1, line=dict(color=color), connectgaps=False,
                                     hovertemplate=f"{trend.name}<br>%{{x}}<br>{name} %{{y:.4f}}<extra></extra>"),
                          row=1, col=k)
        fig.update_xaxes(showticklabels=False, row=1, col=k)
    fig.update_yaxes(range=[0, 1.02])
    fig.update_annotations(font_size=11)
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.05))
    return fig
