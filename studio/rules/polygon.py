"""The ``in polygon`` condition: its value, and its one point-in-polygon test in SQL and numpy.

``in polygon`` holds when the point (x, y) of two numeric columns lies inside a
closed polygon (the edge from the last vertex back to the first is implied) or on
its boundary: a point on an edge or a vertex is inside, as ``between`` includes its
bounds. A missing x or y (NULL, NaN) makes it false. Self-crossing polygons follow
the even-odd rule. The test is this IEEE double arithmetic, the same in SQL and numpy,
so every rendering agrees bit for bit. For each edge (xi, yi) -> (xj, yj), with
``xj - xi`` and ``yj - yi`` computed once as doubles:

    cross   = (xj - xi) * (py - yi) - (px - xi) * (yj - yi)
    on_edge = cross == 0 and min(xi, xj) <= px <= max(xi, xj) and min(yi, yj) <= py <= max(yi, yj)
    crosses = yi <= py < yj and cross > 0     when yi < yj
              yj <= py < yi and cross < 0     when yi > yj  (a horizontal edge never crosses)

and the point is inside when it lies in the polygon's bounding box and either some
``on_edge`` holds or the number of edges it ``crosses`` is odd. Coordinates are
finite numbers within +-1e150, so that none of these products overflows.

Both renderings live here, side by side: :func:`polygon_sql` (sqlglot, every constant written as
``CAST('<shortest decimal>' AS DOUBLE)`` so each engine reads the same double) and
:func:`polygon_mask` (numpy; its source is copied into the Python exports).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from ..data.quoting import double
from .limits import MAX_VERTICES

# Largest polygon coordinate: within it, no product of the point-in-polygon test overflows.
MAX_COORDINATE = 1e150


def _is_coordinate(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value) and abs(value) <= MAX_COORDINATE
    except OverflowError:  # an integer too large for a float
        return False


@dataclass(frozen=True)
class Polygon:
    """The value of an ``in polygon`` condition: the y column and the vertices ``((x, y), ...)``
    of a closed polygon (the last vertex joins the first)."""

    y: str
    vertices: tuple[tuple[float, float], ...]

    def __post_init__(self):
        if isinstance(self.vertices, (list, tuple)):
            object.__setattr__(self, "vertices", tuple(tuple(v) if isinstance(v, (list, tuple)) else v
                                                       for v in self.vertices))

    @classmethod
    def from_value(cls, value: Any) -> Any:
        """A Polygon from its JSON form ``{"y": ..., "vertices": [[x, y], ...]}``; anything
        else is returned as it is (for :meth:`Condition.problems` to report)."""
        if (isinstance(value, dict) and set(value) == {"y", "vertices"}
                and isinstance(value["vertices"], (list, tuple))):
            return cls(y=value["y"], vertices=value["vertices"])
        return value

    def problems(self, column: str) -> list[str]:
        if not isinstance(self.y, str) or not self.y:
            return ["'in polygon' needs the name of its y column ('y')"]
        if self.y == column:
            return [f"'in polygon' needs two different columns, got {column!r} for both x and y"]
        if not isinstance(self.vertices, tuple):
            return [f"'in polygon' needs a list of [x, y] vertices, got {type(self.vertices).__name__}"]
        if len(self.vertices) < 3:
            return [f"'in polygon' needs at least 3 vertices, got {len(self.vertices)}"]
        if len(self.vertices) > MAX_VERTICES:
            return [f"'in polygon' takes at most {MAX_VERTICES} vertices, got {len(self.vertices):,}"]
        for k, vertex in enumerate(self.vertices, start=1):
            if not (isinstance(vertex, tuple) and len(vertex) == 2 and all(_is_coordinate(v) for v in vertex)):
                shown = repr(list(vertex) if isinstance(vertex, tuple) else vertex)
                shown = shown if len(shown) <= 500 else shown[:497] + "..."
                return [f"'in polygon' vertex {k} must be an [x, y] pair of finite numbers within "
                        f"±{MAX_COORDINATE:g}, got {shown}"]
        return []

    def to_dict(self) -> dict:
        return {"y": self.y, "vertices": [list(v) if isinstance(v, tuple) else v for v in self.vertices]}


def polygon_sql(px: exp.Expression, py: exp.Expression, poly: Polygon) -> exp.Expression:
    """Whether (px, py) (DOUBLE expressions, NULL where missing) lies inside the polygon or on its
    boundary: the bounding box, then any edge holding the point, or an odd number of edges crossing
    the ray from the point towards +x. NULL when x or y is missing, so the rule does not fire."""
    points = [(float(a), float(b)) for a, b in poly.vertices]

    def within(value: exp.Expression, a: float, b: float) -> exp.Expression:
        return exp.Between(this=value.copy(), low=double(min(a, b)), high=double(max(a, b)))

    xs, ys = [a for a, _ in points], [b for _, b in points]
    box = exp.and_(within(px, min(xs), max(xs)), within(py, min(ys), max(ys)), copy=False)
    on_edges, crossings = [], []
    for (xi, yi), (xj, yj) in zip(points, points[1:] + points[:1]):
        dx, dy = xj - xi, yj - yi
        cross = exp.Sub(
            this=exp.Mul(this=double(dx), expression=exp.Paren(this=exp.Sub(this=py.copy(), expression=double(yi)))),
            expression=exp.Mul(this=exp.Paren(this=exp.Sub(this=px.copy(), expression=double(xi))),
                               expression=double(dy)))
        on_edges.append(exp.and_(exp.EQ(this=cross, expression=double(0.0)), within(px, xi, xj), within(py, yi, yj),
                                 copy=False))
        if yi != yj:
            low, high = min(yi, yj), max(yi, yj)
            side = exp.GT if yi < yj else exp.LT
            crossings.append(exp.and_(exp.GTE(this=py.copy(), expression=double(low)),
                                      exp.LT(this=py.copy(), expression=double(high)),
                                      side(this=cross.copy(), expression=double(0.0)), copy=False))
    tests = on_edges
    if crossings:
        terms = [exp.Case(ifs=[exp.If(this=c, true=exp.Literal.number(1))], default=exp.Literal.number(0))
                 for c in crossings]
        count = _balanced(terms, exp.Add)
        odd = exp.Mod(this=exp.Paren(this=count), expression=exp.Literal.number(2))
        tests = tests + [exp.EQ(this=odd, expression=exp.Literal.number(1))]
    return exp.and_(box, exp.Paren(this=_balanced([exp.Paren(this=t) for t in tests], exp.Or)), copy=False)


def _balanced(nodes: list[exp.Expression], join: type[exp.Expression]) -> exp.Expression:
    """``nodes`` joined pairwise into a balanced, parenthesised tree: a polygon of n vertices nests
    about 2 log2(n) deep in SQL, not n deep (engines cap expression depth; DuckDB at 1,000)."""
    while len(nodes) > 1:
        nodes = [exp.Paren(this=join(this=nodes[i], expression=nodes[i + 1])) if i + 1 < len(nodes) else nodes[i]
                 for i in range(0, len(nodes), 2)]
    return nodes[0]


def polygon_mask(x, y, vertices):
    """Rows where the point (x, y) lies inside the closed polygon ``vertices`` ([(x, y), ...],
    the last joined to the first) or on its boundary, as a boolean array.

    A missing x or y never satisfies it. Self-crossing polygons follow the even-odd rule.
    The arithmetic is the studio's SQL, operation for operation in double precision, so
    both agree on every point, including those on or next to an edge.
    """
    import numpy as np
    import pandas as pd

    def doubles(values):
        s = values if isinstance(values, pd.Series) else pd.Series(values)
        return s.to_numpy(dtype="float64", na_value=np.nan)

    px, py = doubles(x), doubles(y)
    points = [(float(a), float(b)) for a, b in vertices]
    xs, ys = [a for a, _ in points], [b for _, b in points]
    out = (px >= min(xs)) & (px <= max(xs)) & (py >= min(ys)) & (py <= max(ys))  # false on NaN
    rows = np.flatnonzero(out)
    px, py = px[rows], py[rows]
    on_edge = np.zeros(len(rows), dtype=bool)
    odd = np.zeros(len(rows), dtype=bool)
    for (xi, yi), (xj, yj) in zip(points, points[1:] + points[:1]):
        dx, dy = xj - xi, yj - yi
        cross = dx * (py - yi) - (px - xi) * dy
        on_edge |= ((cross == 0) & (px >= min(xi, xj)) & (px <= max(xi, xj))
                    & (py >= min(yi, yj)) & (py <= max(yi, yj)))
        if yi < yj:
            odd ^= (py >= yi) & (py < yj) & (cross > 0)
        elif yi > yj:
            odd ^= (py >= yj) & (py < yi) & (cross < 0)
    out[rows] = on_edge | odd
    return out
