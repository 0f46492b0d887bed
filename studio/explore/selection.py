"""Chart selections become rule conditions: hiplot brush extents, plotly box and lasso selections.

Bounds are rounded outward to a readable precision (a thousandth of the axis span),
so a proposed condition still holds for every point inside the selection and reads
like something a person would type. The user edits the proposal before adding it.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from ..data.schema import BOOLEAN, NUMERIC, STRING, Schema
from ..rules.condition import Condition
from ..rules.polygon import Polygon

RESOLUTION = 1000  # bounds are rounded to 1/RESOLUTION of the axis span
EDGE = 0.005       # a brush that ends this close to an axis end (share of the span) is open there


def _decimals(span: float) -> int:
    if not math.isfinite(span) or span <= 0:
        return 6
    return max(0, -math.floor(math.log10(span / RESOLUTION)))


def _tidy(value: float, decimals: int) -> int | float:
    value = round(value, decimals)
    return int(value) if decimals == 0 and float(value).is_integer() else float(value)


def round_down(value: float, span: float) -> int | float:
    """``value`` rounded down to 1/RESOLUTION of ``span`` (never above ``value``: where that grid is
    finer than a double holds at this magnitude, ``value`` itself)."""
    d = _decimals(span)
    out = _tidy(math.floor(value * 10 ** d) / 10 ** d, d)
    return out if out <= value else value


def round_up(value: float, span: float) -> int | float:
    """``value`` rounded up to 1/RESOLUTION of ``span`` (never below ``value``: where that grid is
    finer than a double holds at this magnitude, ``value`` itself)."""
    d = _decimals(span)
    out = _tidy(math.ceil(value * 10 ** d) / 10 ** d, d)
    return out if out >= value else value


def range_condition(name: str, low: float | None, high: float | None, span: float) -> Condition | None:
    """``between`` for a closed range, ``>`` / ``<`` when one side is open, None when both are."""
    if low is not None and high is not None:
        return Condition(name, "between", (round_down(low, span), round_up(high, span)))
    if low is not None:
        return Condition(name, ">", round_down(low, span))
    if high is not None:
        return Condition(name, "<", round_up(high, span))
    return None


def conditions_from_brush(extents: Mapping[str, Any], schema: Schema,
                          ranges: Mapping[str, tuple[float, float]],
                          categories: Mapping[str, Iterable] | None = None) -> list[Condition]:
    """Conditions from hiplot's ``brush_extents``.

    A numeric axis gives ``between`` its brushed range, or ``>`` / ``<`` when the brush
    reaches the top or the bottom of the axis (within :data:`EDGE` of its span) (``ranges`` holds each axis's drawn min and
    max); a categorical axis gives ``in`` its brushed values, mapped back to the column's
    own values through ``categories`` (their text is what hiplot shows)."""
    out = []
    for name, extent in extents.items():
        if name not in schema or not isinstance(extent, Mapping):
            continue
        kind = schema.kind(name)
        if kind == NUMERIC and "range" in extent and name in ranges:
            a, b = (float(v) for v in extent["range"])
            low, high = min(a, b), max(a, b)
            lo_axis, hi_axis = ranges[name]
            span = (hi_axis - lo_axis) or abs(hi_axis) or 1.0
            edge = EDGE * span  # a brush within this of an axis end is open on that side
            cond = range_condition(name, None if low <= lo_axis + edge else low,
                                   None if high >= hi_axis - edge else high, span)
            if cond is not None:
                out.append(cond)
        elif kind in (STRING, BOOLEAN) and "values" in extent:
            known = {str(v).lower() if kind == BOOLEAN else str(v): v for v in (categories or {}).get(name, ())}
            picked = []
            for v in extent["values"]:
                key = str(v).lower() if kind == BOOLEAN else str(v)
                if key in known and known[key] not in picked:
                    picked.append(known[key])
            if picked and len(picked) < len(known):
                out.append(Condition(name, "in", tuple(picked)))
    return out


def conditions_from_box(box: Mapping[str, Any], x: str, y: str,
                        spans: tuple[float, float]) -> list[Condition]:
    """``between`` on x and y from a plotly box selection (``{"x": [x0, x1], "y": [y0, y1]}``)."""
    out = []
    for name, key, span in ((x, "x", spans[0]), (y, "y", spans[1])):
        a, b = (float(v) for v in box[key][:2])
        out.append(Condition(name, "between", (round_down(min(a, b), span), round_up(max(a, b), span))))
    return out


def condition_from_lasso(lasso: Mapping[str, Any], x: str, y: str, spans: tuple[float, float],
                         max_vertices: int = 32) -> Condition:
    """A polygon condition from a plotly lasso selection (``{"x": [...], "y": [...]}``): vertices rounded
    to 1/RESOLUTION of each axis span, repeats dropped, thinned to at most ``max_vertices``."""
    dx, dy = _decimals(spans[0]), _decimals(spans[1])
    points: list[tuple[float, float]] = []
    for px, py in zip(lasso["x"], lasso["y"]):
        p = (float(round(float(px), dx)), float(round(float(py), dy)))
        if not points or points[-1] != p:
            points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) > max_vertices:
        step = len(points) / max_vertices
        points = [points[int(i * step)] for i in range(max_vertices)]
    if len(points) < 3:
        raise ValueError("a lasso selection needs at least three distinct points")
    return Condition(x, "in polygon", Polygon(y=y, vertices=tuple(points)))


def selected_rows(points: Iterable[Mapping[str, Any]]) -> list[int]:
    """Row ids of selected points, read from their ``customdata`` (first element), not from
    point indices, which restart in every trace when colour splits the points."""
    out = []
    for p in points:
        data = p.get("customdata")
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if data is not None:
            out.append(int(data))
    return sorted(set(out))
