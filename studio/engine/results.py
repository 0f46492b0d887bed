"""What an evaluation reports: per side of the split, the metrics, the per-rule table and the
overlaps; and the cumulative scores as the rules are applied in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data.split import Split
from ..rules.model import RuleSet
from .metrics import SIDES, Overlaps, RuleStats, SideMetrics


@dataclass(frozen=True)
class SideReport:
    """Everything about one side of the split: metrics, per-rule table, overlaps."""

    metrics: SideMetrics
    rules: list[RuleStats]
    overlaps: Overlaps

    def to_dict(self) -> dict:
        return {**self.metrics.to_dict(), "rules": [r.to_dict() for r in self.rules],
                "overlaps": self.overlaps.to_dict()}


@dataclass(frozen=True)
class Evaluation:
    """A rule set's report on train, test and all rows of a split."""

    split: Split
    ruleset: RuleSet
    sides: dict[str, SideReport]
    broken: dict = field(default_factory=dict)  # rule index -> why it cannot be evaluated (it matched nothing)

    @property
    def train(self) -> SideReport:
        return self.sides["train"]

    @property
    def test(self) -> SideReport:
        return self.sides["test"]

    @property
    def all(self) -> SideReport:
        return self.sides["all"]

    def to_dict(self) -> dict:
        s = self.split
        return {"dataset": s.dataset.label, "target": s.target, "positive": s.positive,
                "split": {"test_size": s.test_size, "seed": s.seed, "excluded_rows": s.excluded,
                          "train_rows": sum(s.counts["train"].values()),
                          "test_rows": sum(s.counts["test"].values()),
                          "kind": "random" if s.time is None else "time", "description": s.describe(),
                          **({"time": s.time.to_dict()} if s.time is not None else {})},
                **{side: self.sides[side].to_dict() for side in SIDES}}


@dataclass(frozen=True)
class CumulativePoint:
    """The positive-class scores once the first ``step`` enabled rules are applied."""

    step: int
    rule: str
    precision: float
    recall: float
    f1: float
