"""One user's studio: dataset, split, rules with history, autosave. No UI code.

Each session owns its own :class:`~studio.datasets.Dataset` (and so its own DuckDB
connection): two users never see each other's data or rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..data.bundled import DEFAULT_DATASET, load
from ..data.dataset import Dataset
from ..data.profile import profile
from ..data.split import Split
from ..engine.evaluate import Evaluation, cumulative, evaluate
from ..errors import RuleSetError
from ..rules.history import History
from ..rules.model import Rule, RuleSet
from ..rules.validate import check_ruleset
from .cache import SplitCache
from .workspace import Workspace


@dataclass(frozen=True)
class SplitChoice:
    target: str
    positive: object = None
    test_size: float = 0.5
    seed: int = 0


class StudioSession:
    """The state behind every page. Every change of the rules is validated, recorded for
    undo/redo and autosaved to the workspace."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.dataset: Dataset | None = None
        self.source: str = ""
        self.split: Split | None = None
        self.history: History | None = None
        self._evaluations: dict = {}
        self._profiles: tuple | None = None
        self._cache: SplitCache | None = None

    # ---- start ----------------------------------------------------------------
    @classmethod
    def start(cls, workspace: Workspace) -> "StudioSession":
        """Restore the workspace's last dataset and rules, else open the default dataset."""
        session = cls(workspace)
        state = workspace.load_state()
        if state:
            try:
                session.open(state["source"], SplitChoice(state["target"], state.get("positive"),
                                                          state.get("test_size", 0.5), state.get("seed", 0)))
                return session
            except Exception:  # a file that moved or no longer loads: fall back to the default
                pass
        session.open(DEFAULT_DATASET)
        return session

    # ---- dataset and split ----------------------------------------------------
    def open(self, source: str | Path, choice: SplitChoice | None = None) -> None:
        """Load a dataset and split it. On any error the current dataset, split and rules stay."""
        dataset = load(source)
        try:
            if choice is None:
                choice = SplitChoice(dataset.suggested_target or dataset.columns[-1], dataset.suggested_positive)
            split = dataset.split(choice.target, positive=choice.positive,
                                  test_size=choice.test_size, seed=choice.seed)
        except Exception:
            dataset.close()
            raise
        old = self.dataset
        self.dataset, self.source, self.split = dataset, str(source), split
        self._evaluations.clear()
        self.history = History(self._restored_rules())
        self._save_state()
        if old is not None and old is not dataset:
            old.close()
        self.warm_cache()

    def resplit(self, choice: SplitChoice) -> None:
        """A new target, positive label, test fraction or seed on the current dataset."""
        split = self.dataset.split(choice.target, positive=choice.positive,
                                   test_size=choice.test_size, seed=choice.seed)
        target_changed = split.target != self.split.target
        self.split = split
        self._evaluations.clear()
        if target_changed:
            self.history = History(self._restored_rules())
        else:
            self._autosave()
        self._save_state()
        self.warm_cache()

    @property
    def choice(self) -> SplitChoice:
        s = self.split
        return SplitChoice(s.target, self.native_label(s.positive), s.test_size, s.seed)

    def native_label(self, label: str):
        """A canonical class label as the JSON value rules use (1, "yes", true)."""
        return self.split.native(label)

    @property
    def classes(self) -> list:
        return [self.native_label(l) for l in self.split.labels]

    @property
    def rules_key(self) -> str:
        return f"{self.dataset.name}--{self.split.target}"

    def _restored_rules(self) -> RuleSet:
        saved = self.workspace.load_rules(self.rules_key)
        if saved is not None:
            try:
                return check_ruleset(saved, self.dataset.schema)
            except RuleSetError:
                pass
        counts = self.split.counts
        majority = max(self.split.labels, key=lambda l: counts["train"][l] + counts["test"][l])
        return RuleSet(default=self.native_label(majority), target=self.split.target,
                       positive=self.native_label(self.split.positive))

    def _save_state(self) -> None:
        s = self.split
        self.workspace.save_state({"source": self.source, "target": s.target,
                                   "positive": self.native_label(s.positive),
                                   "test_size": s.test_size, "seed": s.seed})

    # ---- rules ----------------------------------------------------------------
    @property
    def rules(self) -> RuleSet:
        return self.history.current

    def apply(self, rules: RuleSet) -> bool:
        """Validate and make ``rules`` current (recorded for undo, autosaved). False if unchanged."""
        check_ruleset(rules, self.dataset.schema)
        rules = replace(rules, target=self.split.target, positive=self.native_label(self.split.positive))
        changed = self.history.push(rules)
        if changed:
            self._autosave()
        return changed

    def undo(self) -> None:
        self.history.undo()
        self._autosave()

    def redo(self) -> None:
        self.history.redo()
        self._autosave()

    def import_json(self, text: str) -> RuleSet:
        """Replace the rules with a rule file's; an invalid file raises and changes nothing."""
        rules = RuleSet.from_json(text)
        check_ruleset(rules, self.dataset.schema)
        self.apply(rules)
        return self.rules

    def _autosave(self) -> None:
        self.workspace.save_rules(self.rules_key, self.rules)

    # ---- numbers --------------------------------------------------------------
    def evaluation(self, rules: RuleSet | None = None) -> Evaluation:
        """The report of ``rules`` (default: the current ones), memoised per split and rule set."""
        rules = self.rules if rules is None else rules
        key = (self.split.id, rules)
        ev = self._evaluations.get(key)
        if ev is None:
            if len(self._evaluations) > 64:
                self._evaluations.clear()
            ev = self._evaluations[key] = evaluate(self.split, rules)
        return ev

    def preview(self, rule: Rule, index: int | None = None) -> Evaluation:
        """The report of the rules with ``rule`` added (or replacing rule ``index``)."""
        rules = self.rules.add(rule) if index is None else self.rules.replace_rule(index, rule)
        return self.evaluation(rules)

    def profiles(self) -> dict:
        """Column profiles of the current dataset (computed once per dataset)."""
        if self._profiles is None or self._profiles[0] is not self.dataset:
            self._profiles = (self.dataset, {p.name: p for p in profile(self.dataset)})
        return self._profiles[1]

    @property
    def cache(self) -> SplitCache:
        """Exploration data of the current split (its defaults start computing when the split is made)."""
        if self._cache is None or self._cache.split is not self.split:
            self._cache = SplitCache(self.split)
        return self._cache

    def warm_cache(self) -> None:
        """Start computing the Explore page's defaults for the current split in the background."""
        self.cache.warm()

    def cumulative(self, side: str = "test"):
        return cumulative(self.split, self.rules, side)

    def close(self) -> None:
        if self.dataset is not None:
            self.dataset.close()
