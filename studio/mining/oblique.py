"""Oblique cuts across two number columns, as the ``in polygon`` a lasso draws on their scatter.

Some classes follow a mix of two columns, not either alone: a ratio (``kappa / lambda``), a sum, a
difference. Single thresholds and tree paths only cut along the axes and need a staircase of rules
for it. Here each number column's best single cut is found on the rows a tree learns from
(:func:`.candidates.tree_frame`), the ``COLUMNS`` best columns are paired, and for each pair the
direction whose best cut beats both columns' own cuts the most is looked for (``ANGLES`` directions
over the columns scaled by their spread, then a finer look around the best one). The ``PAIRS`` pairs
that gain most each give ``LINES`` lines (the best one, then the best one for the rows its best cut
leaves: a ratio that is either too high or too low), each with a few cuts (the best one by F1 and
cuts that take a given share of the positives left), each cut the half-plane ``a*x + b*y >= c``
clipped to the columns' train range widened by its width on every side and written with a few
significant digits: a polygon of 3 to 5 vertices.
A candidate is one condition; :func:`.counting.count_candidates` counts it exactly, as the rule reads.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from ..data.split import Split
from ..rules.condition import Condition
from ..rules.model import RuleSet
from ..rules.polygon import MAX_COORDINATE, Polygon
from .candidates import tree_frame

COLUMNS, PAIRS, ANGLES, LINES = 5, 1, 24, 2
SHARES = (0.7,)                # besides the best cut, cuts taking these shares of the positives
MIN_GAIN = 0.02               # weighted F1 a pair's cut must add to its columns' own best cuts
DIGITS = 3                     # significant digits of a vertex, relative to the widened range


def best_cut(score: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(best weighted F1, its threshold) of ``score >= t`` over every distinct score (NaN never passes)."""
    keep = ~np.isnan(score)
    s, yy, ww = score[keep], y[keep], w[keep]
    positives = float(w[y].sum())
    if len(s) == 0 or positives == 0:
        return 0.0, math.nan
    order = np.argsort(-s, kind="stable")
    s, yy, ww = s[order], yy[order], ww[order]
    tp, fired = np.cumsum(ww * yy), np.cumsum(ww)
    last = np.r_[s[1:] != s[:-1], True]  # the last row of each run of equal scores
    f1 = np.where(last, 2 * tp / (fired + positives), -1.0)
    k = int(np.argmax(f1))
    return float(f1[k]), float(s[k])


def oblique_candidates(split: Split, rules: RuleSet | None = None, columns: list[str] | None = None,
                       ) -> list[tuple[Condition, ...]]:
    """One-condition candidates ``x in polygon`` for the rows ``rules`` leave undecided (see the module)."""
    found = tree_frame(split, rules, columns)
    if found is None:
        return []
    X, y, weights, features = found
    numeric = [j for j, (_, value) in enumerate(features) if value is None]
    if len(numeric) < 2:
        return []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column: no spread, left out
        centre, spread = np.nanmedian(X[:, numeric], axis=0), np.nanstd(X[:, numeric], axis=0)
    scaled = {j: (X[:, j] - centre[k]) / spread[k] for k, j in enumerate(numeric)
              if np.isfinite(spread[k]) and spread[k] > 0}
    single = {j: max(best_cut(z, y, weights)[0], best_cut(-z, y, weights)[0]) for j, z in scaled.items()}
    top = sorted(single, key=lambda j: (-single[j], j))[:COLUMNS]
    gains = []
    for a, b in itertools.combinations(sorted(top), 2):
        angle, f1 = _best_angle(scaled[a], scaled[b], y, weights)
        gain = f1 - max(single[a], single[b])
        if gain >= MIN_GAIN:
            gains.append((gain, a, b, angle))
    gains.sort(key=lambda g: (-g[0], g[1], g[2]))
    out: list[tuple[Condition, ...]] = []
    for _, a, b, angle in gains[:PAIRS]:
        box = _box(X[:, a], X[:, b])
        if max(abs(v) for corner in box for v in corner) > MAX_COORDINATE:  # not a polygon the rules take
            continue
        ka, kb = numeric.index(a), numeric.index(b)
        rest = np.ones(len(y), dtype=bool)
        for line in range(LINES):
            if line:  # the next line: the best one for the rows the first cut leaves
                angle, _ = _best_angle(scaled[a][rest], scaled[b][rest], y[rest], weights[rest])
            ca, cb = math.cos(angle) / spread[ka], math.sin(angle) / spread[kb]
            # the score in the columns' own units: ca * x + cb * y (the centres only shift the threshold)
            score = ca * X[:, a] + cb * X[:, b]
            _, best = best_cut(score[rest], y[rest], weights[rest])
            positive = np.sort(score[rest & y & ~np.isnan(score)])[::-1]
            cuts = [best] + [float(positive[min(len(positive) - 1, int(share * len(positive)))])
                             for share in SHARES if len(positive)]
            for cut in dict.fromkeys(c for c in cuts if math.isfinite(c)):
                vertices = _clip(box, ca, cb, cut)
                if len(vertices) >= 3:
                    when = (Condition(features[a][0], "in polygon", Polygon(features[b][0], vertices)),)
                    if when not in out:
                        out.append(when)
            if not math.isfinite(best):
                break
            rest &= ~(score >= best)
            if not (rest & y).any():
                break
    return out


def _best_angle(za: np.ndarray, zb: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """The direction (radians) of the best cut of ``cos * za + sin * zb`` and its weighted F1."""
    both = ~(np.isnan(za) | np.isnan(zb))
    za, zb, y, w = za[both], zb[both], y[both], w[both]

    def f1(theta: float) -> float:
        return best_cut(math.cos(theta) * za + math.sin(theta) * zb, y, w)[0]

    step = 2 * math.pi / ANGLES
    angle = max((k * step for k in range(ANGLES)), key=f1)
    finer = [angle + k * step / 6 for k in range(-3, 4)]
    values = [f1(t) for t in finer]
    k = int(np.argmax(values))
    return finer[k], values[k]


def _box(x: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """The rectangle of the train range of x and y widened by its width each way, its corners rounded
    outwards to ``DIGITS`` significant digits of its width (counter-clockwise)."""
    (x0, x1), (y0, y1) = (_widened(v) for v in (x, y))
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _widened(v: np.ndarray) -> tuple[float, float]:
    low, high = float(np.nanmin(v)), float(np.nanmax(v))
    width = (high - low) or max(abs(high), 1.0)
    e = _exponent(3 * width)
    return _snap(low - width, e, math.floor), _snap(high + width, e, math.ceil)


def _exponent(span: float) -> int:
    """The power of ten of the last of ``DIGITS`` significant digits of ``span``."""
    return math.floor(math.log10(span)) - DIGITS + 1


def _snap(value: float, e: int, to=round) -> float:
    """``value`` on the grid of ``10**e``, written as the shortest decimal (``12.3``, not ``12.300000001``)."""
    return float(f"{int(to(value / 10.0 ** e))}e{e}")


def _clip(box: list[tuple[float, float]], a: float, b: float, c: float) -> tuple[tuple[float, float], ...]:
    """The part of the rectangle ``box`` where ``a*x + b*y >= c``, the vertices the line makes on its
    sides on the box's grid (Sutherland-Hodgman against one line)."""
    ex, ey = _exponent(box[1][0] - box[0][0]), _exponent(box[2][1] - box[1][1])
    out: list[tuple[float, float]] = []
    for (px, py), (qx, qy) in zip(box, box[1:] + box[:1]):
        inside_p, inside_q = a * px + b * py >= c, a * qx + b * qy >= c
        if inside_p:
            out.append((px, py))
        if inside_p != inside_q:
            t = (c - a * px - b * py) / (a * (qx - px) + b * (qy - py))
            out.append((_snap(px + t * (qx - px), ex), _snap(py + t * (qy - py), ey)))
    return tuple(dict.fromkeys(out))


def line_text(condition: Condition) -> str | None:
    """A clipped half-plane with the line a person reads (``(kappa, lambda) in polygon: lambda <= 0.624 *
    kappa``), from the polygon's one edge that is not along an axis; None for any other condition."""
    if condition.op != "in polygon" or not isinstance(condition.value, Polygon):
        return None
    vertices = condition.value.vertices
    edges = list(zip(vertices, vertices[1:] + vertices[:1]))
    slanted = [(p, q) for p, q in edges if p[0] != q[0] and p[1] != q[1]]
    if len(slanted) != 1 or any(p == q for p, q in edges):
        return None
    (x0, y0), (x1, y1) = slanted[0]
    cx, cy = next(v for v in vertices if v not in slanted[0])
    slope = (y1 - y0) / (x1 - x0)
    intercept = y0 - slope * x0
    side = ">=" if cy > slope * cx + intercept else "<="
    ys = [y for _, y in vertices]
    x, y = condition.column, condition.value.y
    text = f"({x}, {y}) in polygon: {y} {side} {_short(slope)} * {x}"
    if abs(intercept) < 10.0 ** _exponent(max(ys) - min(ys)):  # through the origin, to the digits shown
        return text
    return f"{text} {'-' if intercept < 0 else '+'} {_short(abs(intercept))}"


def _short(value: float) -> str:
    return f"{value:.{DIGITS}g}"
