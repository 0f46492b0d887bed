"""The classification report and the confusion matrix of one side of the split, as tables."""

from __future__ import annotations

import pandas as pd


def class_table(side) -> pd.DataFrame:
    m = side.metrics
    rows = [[c.label, f"{c.precision:.4f}", f"{c.recall:.4f}", f"{c.f1:.4f}", f"{c.support:,}"] for c in m.classes]
    rows.append(["accuracy", "", "", f"{m.accuracy:.4f}", f"{m.n:,}"])
    rows.append(["macro avg", f"{m.macro.precision:.4f}", f"{m.macro.recall:.4f}", f"{m.macro.f1:.4f}", f"{m.n:,}"])
    rows.append(["weighted avg", f"{m.weighted.precision:.4f}", f"{m.weighted.recall:.4f}", f"{m.weighted.f1:.4f}",
                 f"{m.n:,}"])
    return pd.DataFrame(rows, columns=["class", "precision", "recall", "f1-score", "support"]).set_index("class")


def confusion_table(side) -> pd.DataFrame:
    m = side.metrics
    return pd.DataFrame([[f"{v:,}" for v in row] for row in m.confusion],
                        index=[f"true {l}" for l in m.labels], columns=[f"predicted {l}" for l in m.labels])
