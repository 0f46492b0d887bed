"""Exact metrics from aggregated counts.

DuckDB reduces a split to a few rows: (side, true label, which rules match, rows).
Everything here is integer arithmetic on those counts, then the same float64
divisions and numpy reductions scikit-learn performs, so the numbers equal
``sklearn.metrics.classification_report`` / ``confusion_matrix`` to the last bit
(zero-division cases give 0.0, scikit-learn's default).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..data.labels import label_sort_key

SIDES = ("train", "test", "all")


def _divide(num, den) -> float:
    return float(np.float64(num) / np.float64(den)) if den else 0.0


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one class (or an average)."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, tp: int, predicted: int, actual: int) -> "Scores":
        return cls(_divide(tp, predicted), _divide(tp, actual), _divide(2.0 * tp, actual + predicted))


@dataclass(frozen=True)
class ClassMetrics:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class SideMetrics:
    """Classification metrics of one side (train, test or all) of the split."""

    n: int
    labels: list[str]
    confusion: list[list[int]]  # rows: true label, columns: predicted label (labels order)
    classes: list[ClassMetrics]
    accuracy: float
    macro: Scores
    weighted: Scores
    positive: Scores
    positive_label: str

    def by_label(self, label: str) -> ClassMetrics:
        return next(c for c in self.classes if c.label == label)

    def to_dict(self) -> dict:
        """The shape of ``classification_report(output_dict=True)`` plus the confusion matrix."""
        out: dict = {"n": self.n, "labels": self.labels, "confusion_matrix": self.confusion}
        out["classes"] = {c.label: {"precision": c.precision, "recall": c.recall, "f1-score": c.f1,
                                    "support": c.support} for c in self.classes}
        out["accuracy"] = self.accuracy
        for name, s in (("macro avg", self.macro), ("weighted avg", self.weighted)):
            out[name] = {"precision": s.precision, "recall": s.recall, "f1-score": s.f1, "support": self.n}
        out["positive"] = {"label": self.positive_label, **asdict(self.positive)}
        return out


def side_metrics(pairs: dict[tuple[str, str], int], positive: str) -> SideMetrics:
    """Metrics from ``{(true label, predicted label): rows}``."""
    pairs = {k: v for k, v in pairs.items() if v}
    labels = sorted({t for t, _ in pairs} | {p for _, p in pairs}, key=label_sort_key)
    index = {l: i for i, l in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for (t, p), n in pairs.items():
        cm[index[t], index[p]] += n
    tp = np.diag(cm)
    predicted = cm.sum(axis=0)
    actual = cm.sum(axis=1)
    n = int(cm.sum())
    # The same float64 operations scikit-learn performs.
    p_arr = np.array([_divide(a, b) for a, b in zip(tp, predicted)], dtype=np.float64)
    r_arr = np.array([_divide(a, b) for a, b in zip(tp, actual)], dtype=np.float64)
    f_arr = np.array([_divide(2.0 * a, b + c) for a, b, c in zip(tp, actual, predicted)], dtype=np.float64)
    classes = [ClassMetrics(l, float(p_arr[i]), float(r_arr[i]), float(f_arr[i]), int(actual[i]))
               for i, l in enumerate(labels)]
    if labels:
        macro = Scores(float(np.nanmean(p_arr)), float(np.nanmean(r_arr)), float(np.nanmean(f_arr)))
        weighted = Scores(*(float(np.average(a, weights=actual)) if actual.sum() else 0.0
                            for a in (p_arr, r_arr, f_arr)))
    else:
        macro = weighted = Scores(0.0, 0.0, 0.0)
    pos_tp = pairs.get((positive, positive), 0)
    pos_pred = sum(v for (_, p), v in pairs.items() if p == positive)
    pos_true = sum(v for (t, _), v in pairs.items() if t == positive)
    return SideMetrics(n=n, labels=labels, confusion=cm.tolist(), classes=classes,
                       accuracy=_divide(int(tp.sum()), n), macro=macro, weighted=weighted,
                       positive=Scores.of(pos_tp, pos_pred, pos_true), positive_label=positive)


@dataclass(frozen=True)
class RuleStats:
    """What one rule does, in first-hit order, on one side of the split.

    ``reached``: rows no earlier enabled rule took. ``fired``: rows it takes
    (for a disabled rule: would take if enabled). ``matched``: rows meeting its
    conditions regardless of order. ``toggled``: the positive-class scores of the
    whole set with this rule disabled (or, for a disabled rule, enabled), and
    ``delta_*`` the change that toggling makes.
    """

    index: int
    name: str
    label: str
    enabled: bool
    matched: int
    reached: int
    fired: int
    correct: int
    precision: float | None
    positives: int
    positive_share: float
    toggled: Scores
    delta_precision: float
    delta_recall: float
    delta_f1: float

    def to_dict(self) -> dict:
        out = asdict(self)
        out["toggled"] = asdict(self.toggled)
        return out


@dataclass(frozen=True)
class Overlaps:
    """Rows matched by more than one enabled rule, and by enabled rules with different labels.

    ``pairs``: every pair of enabled rules matching the same rows (i, j, rows), counted for rule sets
    of up to 60 rules (None beyond); ``shadowed``: (the rule that fired, the next enabled rule that also
    held, rows), for any number of rules, most rows first."""

    rows: int
    conflicts: int
    pairs: list[tuple[int, int, int]] | None = field(default_factory=list)  # 0-based rule indexes
    shadowed: list[tuple[int, int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"rows": self.rows, "conflict_rows": self.conflicts,
                "pairs": None if self.pairs is None else [{"rules": [i, j], "rows": n} for i, j, n in self.pairs],
                "shadowed": [{"rules": [i, j], "rows": n} for i, j, n in self.shadowed]}


def pair_counts(true: np.ndarray, pred: np.ndarray, rows: np.ndarray) -> dict[tuple[str, str], int]:
    """``{(true label, predicted label): rows}`` of grouped rows."""
    if not len(rows):
        return {}
    t_codes, t_labels = pd.factorize(pd.Series(true, dtype=object))
    p_codes, p_labels = pd.factorize(pd.Series(pred, dtype=object))
    sums = np.bincount(t_codes * len(p_labels) + p_codes, np.asarray(rows, dtype=np.float64),
                       minlength=len(t_labels) * len(p_labels))
    return {(t_labels[k // len(p_labels)], p_labels[k % len(p_labels)]): int(np.rint(v))
            for k, v in enumerate(sums) if v}
