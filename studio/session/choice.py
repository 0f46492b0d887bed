"""What the user chose for the held-out split: target, positive label, and random (test fraction,
seed) or out of time (time column, cutoff, gap)."""

from __future__ import annotations

from dataclasses import dataclass

from ..data.split import TimeOrder


@dataclass(frozen=True)
class SplitChoice:
    target: str
    positive: object = None
    test_size: float = 0.5
    seed: int = 0
    time_column: str | None = None  # an out-of-time split on this column (None: random, stratified)
    cutoff: object = None           # None: the last test_size share of rows in time order test
    gap: float = 0.0

    @property
    def by_time(self) -> TimeOrder | None:
        return None if self.time_column is None else TimeOrder(self.time_column, self.cutoff, self.gap)

    @classmethod
    def from_state(cls, state: dict) -> "SplitChoice":
        return cls(state["target"], state.get("positive"), state.get("test_size", 0.5), state.get("seed", 0),
                   state.get("time_column"), state.get("cutoff"), state.get("gap", 0.0))
