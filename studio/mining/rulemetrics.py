"""ruleminer's rule metrics (after Hahsler's "measures for rules"), from four counts.

For a rule ``X -> Y`` on ``n`` rows: ``n_x`` rows satisfy X, ``n_y`` satisfy Y, ``n_xy`` both.
Every metric follows from these; the formulas and their order of operations are ruleminer's,
so the values agree with it to the last digit. Where ruleminer divides by zero the value is
*undefined* (NaN) here, and conviction at confidence 1 is *infinite* (ruleminer 1.0.3 raises
``ZeroDivisionError`` there). Casual support, which ruleminer lists but does not compute, is
Hahsler's ``supp(X and Y) + supp(not X and not Y)``.
"""

from __future__ import annotations

import math

import numpy as np

METRICS = ("abs support", "abs exceptions", "confidence", "support", "added value", "casual confidence",
           "casual support", "conviction", "lift", "rule power factor")


def rule_metrics(n, n_x, n_y, n_xy) -> dict[str, np.ndarray]:
    """The ten metrics, element-wise over arrays of counts: floats, ``inf`` where infinite and
    ``nan`` where undefined."""
    n, n_x, n_y, n_xy = (np.asarray(v, dtype=np.int64) for v in (n, n_x, n_y, n_xy))
    n, n_y = np.broadcast_to(n, n_x.shape), np.broadcast_to(n_y, n_x.shape)
    n_not_x = n - n_x
    n_not_x_not_y = n - n_x - n_y + n_xy
    nf, xf, yf, xyf = (v.astype(float) for v in (n, n_x, n_y, n_xy))
    with np.errstate(divide="ignore", invalid="ignore"):
        confidence = np.where(n_x != 0, xyf / xf, np.nan)
        base = np.where(n != 0, yf / nf, np.nan)  # supp(Y)
        miss = 1 - confidence
        conviction = np.where(n_x == 0, np.nan,
                              np.where(miss != 0, (1 - base) / miss, np.where(1 - base > 0, np.inf, np.nan)))
        out = {
            "abs support": n_xy.astype(float),
            "abs exceptions": (n_x - n_xy).astype(float),
            "confidence": confidence,
            "support": np.where(n != 0, xyf / nf, np.nan),
            "added value": confidence - base,
            "casual confidence": np.where(n_not_x != 0, 0.5 * confidence + 0.5 * n_not_x_not_y / n_not_x.astype(float),
                                          np.nan),
            "casual support": np.where(n != 0, (xyf + n_not_x_not_y) / nf, np.nan),
            "conviction": np.where(n != 0, conviction, np.nan),
            "lift": np.where(n_y != 0, confidence / base, np.nan),
            "rule power factor": np.where(n != 0, xyf / nf, np.nan) * confidence,
        }
    return out


COUNTS = ("abs support", "abs exceptions")


def show(value: float, metric: str = "", digits: int = 4) -> str:
    """A metric as text: counts as whole numbers, ratios with ``digits`` decimals, ``∞`` where
    infinite, ``undefined`` where it has no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "undefined"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{int(value):,}" if metric in COUNTS else f"{value:.{digits}f}"
