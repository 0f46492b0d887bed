"""A plain-text rendering of an :class:`~studio.evaluate.Evaluation` for the terminal."""

from __future__ import annotations

from .evaluate import Evaluation, SideReport


def _num(value, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def classification_table(side: SideReport, digits: int = 4) -> str:
    """The same layout as ``sklearn.metrics.classification_report``."""
    m = side.metrics
    width = max([len(l) for l in m.labels] + [len("weighted avg")])
    lines = [f"{'':>{width}}  {'precision':>9} {'recall':>9} {'f1-score':>9} {'support':>9}", ""]
    for c in m.classes:
        lines.append(f"{c.label:>{width}}  {c.precision:>9.{digits}f} {c.recall:>9.{digits}f} "
                     f"{c.f1:>9.{digits}f} {c.support:>9}")
    lines.append("")
    lines.append(f"{'accuracy':>{width}}  {'':>9} {'':>9} {m.accuracy:>9.{digits}f} {m.n:>9}")
    for name, s in (("macro avg", m.macro), ("weighted avg", m.weighted)):
        lines.append(f"{name:>{width}}  {s.precision:>9.{digits}f} {s.recall:>9.{digits}f} "
                     f"{s.f1:>9.{digits}f} {m.n:>9}")
    return "\n".join(lines)


def confusion_table(side: SideReport) -> str:
    m = side.metrics
    width = max([len(l) for l in m.labels] + [len(str(v)) for row in m.confusion for v in row] + [6])
    corner = "true \\ predicted"
    head = f"{corner:>16} " + " ".join(f"{l:>{width}}" for l in m.labels)
    rows = [f"{l:>16} " + " ".join(f"{v:>{width}}" for v in row) for l, row in zip(m.labels, m.confusion)]
    return "\n".join([head, *rows])


def rules_table(side: SideReport) -> str:
    head = (f"{'#':>3} {'rule':<24} {'->':>6} {'on':>3} {'reached':>9} {'fired':>8} {'correct':>8} "
            f"{'precision':>9} {'pos.share':>9} {'dF1 off':>8}")
    lines = [head]
    for r in side.rules:
        lines.append(f"{r.index + 1:>3} {r.name[:24]:<24} {r.label[:6]:>6} {'yes' if r.enabled else 'no':>3} "
                     f"{r.reached:>9} {r.fired:>8} {r.correct:>8} {_num(r.precision):>9} "
                     f"{_num(r.positive_share):>9} {r.delta_f1:>+8.4f}")
    return "\n".join(lines)


def render(ev: Evaluation, sides=("train", "test")) -> str:
    """The human-readable report printed by ``python -m studio evaluate``."""
    s = ev.split
    out = [f"dataset {s.dataset.label}, target {s.target!r}, positive label {s.positive!r}",
           f"split: {s.describe()}" + (f", {s.excluded} rows without a target left out" if s.excluded else ""),
           f"rules: {len(ev.ruleset.enabled_rules)} enabled of {len(ev.ruleset.rules)}, "
           f"default {ev.ruleset.default!r}"]
    for name in sides:
        side = ev.sides[name]
        pos = side.metrics.positive
        out += ["", f"== {name} ({side.metrics.n:,} rows) ==",
                f"positive class {s.positive!r}: precision {pos.precision:.4f}  recall {pos.recall:.4f}  "
                f"F1 {pos.f1:.4f}", "", classification_table(side), "", confusion_table(side), "",
                rules_table(side), "",
                f"overlaps: {side.overlaps.rows} rows matched by more than one rule, "
                f"{side.overlaps.conflicts} by rules with different labels"]
    return "\n".join(out)
