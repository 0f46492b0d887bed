"""One user's studio: dataset, split, rules with history, autosave. No UI code.

Each session owns its own :class:`~studio.datasets.Dataset` (and so its own DuckDB
connection): two users never see each other's data or rules.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..data.bundled import DEFAULT_DATASET, load
from ..data.folders import uploads_dir
from ..data.limits import LoadLimits
from ..data.dataset import Dataset
from ..data.profile import profile
from ..data.split import Split
from ..data.target import opening_target
from ..engine.evaluate import Evaluation, cumulative, evaluate
from ..rules.history import History
from ..rules.merge import rebase
from ..rules.model import Rule, RuleSet
from ..rules.validate import check_ruleset
from .amounts import Amounts
from .restore import empty_rules, restored_history
from .choice import SplitChoice
from .cache import SplitCache
from .sources import allowed_source, touch_if_upload
from .expiry import expire_now_and_then
from .workspace import Workspace


class StudioSession:
    """The state behind every page. Every change of the rules is validated, recorded for
    undo/redo and autosaved to the workspace."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.dataset: Dataset | None = None
        self.source: str = ""
        self.source_name: str | None = None
        self.notices: list[str] = []  # things the user should be told once (the app shows and clears them)
        self.revision = 0  # of the saved rules this session last saw
        self.limits = LoadLimits.from_env()  # a shared server's bounds on loading and on every query
        self.split: Split | None = None
        self.history: History | None = None
        self._evaluations: dict = {}
        self._profiles: tuple | None = None
        self._cache: SplitCache | None = None
        self.amounts = Amounts()  # the money settings and amount-weighted figures

    # ---- start ----------------------------------------------------------------
    @classmethod
    def start(cls, workspace: Workspace) -> "StudioSession":
        """Restore the workspace's last dataset and rules, else open the default dataset. What the
        workspace stores is checked again: a source that is no longer available (or never was: only
        bundled datasets and files under the data roots or the uploads folder are) is not opened."""
        expire_now_and_then(workspace.path.parent, uploads_dir())
        session = cls(workspace)
        state = workspace.load_state()
        if state:
            try:
                source = allowed_source(state["source"])
                choice = SplitChoice.from_state(state)
                session.open(source, choice, name=state.get("name"), missing=state.get("missing") or ())
                session.choose_amounts(state.get("money"), state.get("alert_budget"))
                return session
            except Exception as err:  # a file that moved, no longer loads, or is not allowed
                session.notices.append(f"The last dataset was not reopened ({err}); the default dataset is open.")
        session.open(DEFAULT_DATASET)
        return session

    # ---- dataset and split ----------------------------------------------------
    def open(self, source: str | Path, choice: SplitChoice | None = None, name: str | None = None,
             missing=()) -> None:
        """Load a dataset and split it (``name``: the name to show, an uploaded file's own, say;
        ``missing``: texts a CSV writes for a missing value). On any error the current dataset, split
        and rules stay."""
        dataset = load(source, name=name, limits=self.limits, missing=missing)
        touch_if_upload(source)
        try:
            target, note = opening_target(dataset) if choice is None else (choice.target, None)
            choice = choice or SplitChoice(target, dataset.suggested_positive)
            split = dataset.split(choice.target, positive=choice.positive,
                                  test_size=choice.test_size, seed=choice.seed, by_time=choice.by_time)
        except Exception:
            dataset.close()
            raise
        old = self.dataset
        self.dataset, self.source, self.split, self.source_name = dataset, str(source), split, name
        self._evaluations.clear()
        self.history = restored_history(self)
        self.notices.extend([note] if note else [])
        self._split_changed()
        if old is not None and old is not dataset:
            old.close()
        self.warm_cache()

    def resplit(self, choice: SplitChoice) -> None:
        """A new target, positive label, test fraction or seed on the current dataset."""
        split = self.dataset.split(choice.target, positive=choice.positive,
                                   test_size=choice.test_size, seed=choice.seed, by_time=choice.by_time)
        target_changed, self.split = split.target != self.split.target, split
        self._evaluations.clear()
        if target_changed:
            self.history = restored_history(self)
        else:  # the same rules, saved with the new positive label
            self._commit(lambda latest: latest)
        self._split_changed()
        self.warm_cache()

    @property
    def choice(self) -> SplitChoice:
        s, t = self.split, self.split.time
        return SplitChoice(s.target, self.native_label(s.positive), s.test_size, s.seed,
                           *((t.column, t.cutoff, t.gap) if t else ()))

    def native_label(self, label: str):
        """A canonical class label as the JSON value rules use (1, "yes", true)."""
        return self.split.native(label)

    @property
    def classes(self) -> list:
        return [self.native_label(l) for l in self.split.labels]

    @property
    def rules_key(self) -> str:
        return f"{self.dataset.name}--{self.split.target}"

    def choose_amounts(self, settings, budget=None) -> None:
        """Money settings (a :class:`MoneySettings`, their saved dict, or None) and the alert budget
        (alerts per 1,000 rows, None or 0: none); a bad saved entry is dropped with a notice, bad new
        ones raise."""
        if isinstance(settings, dict) or settings is None and self.amounts.settings is None:
            note = self.amounts.restore(settings, self.split, budget)
            self.notices.extend([note] if note else [])
        else:
            self.amounts.choose(self.split, settings, budget)
        self._save_state()

    def _split_changed(self) -> None:
        note = self.amounts.follow(self.split)  # the amount column may not be in the new data
        self.notices.extend([note] if note else [])
        self._save_state()

    def _save_state(self) -> None:
        s = self.split
        self.workspace.save_state({"source": self.source, "name": self.source_name, "target": s.target,
                                   **({"missing": list(self.dataset.missing)} if self.dataset.missing else {}),
                                   "positive": self.native_label(s.positive),
                                   "test_size": s.test_size, "seed": s.seed,
                                   **({"time_column": s.time.column, "cutoff": s.time.cutoff, "gap": s.time.gap}
                                      if s.time is not None else {}), **self.amounts.state()})

    # ---- rules ----------------------------------------------------------------
    @property
    def rules(self) -> RuleSet:
        return self.history.current

    def _commit(self, change: Callable[[RuleSet], RuleSet]) -> tuple[RuleSet, RuleSet]:
        """``change`` applied to the latest saved rules under the workspace's lock (another tab may have
        saved since this one last looked) and saved; returns (the rules it was applied to, the result).
        A result that does not fit the table raises and saves nothing."""
        seen = {}

        def step(latest: RuleSet | None, revision: int) -> RuleSet:
            latest = latest if latest is not None else empty_rules(self.split)
            after = replace(change(latest), target=self.split.target,
                            positive=self.native_label(self.split.positive))
            check_ruleset(after, self.dataset.schema)
            if revision != self.revision:
                self.notices.append("The rules were changed in another tab or window: your change was made "
                                    "on the latest rules.")
            seen["before"] = latest
            return after

        after, self.revision = self.workspace.update_rules(self.rules_key, step)
        self.history.current = after
        return seen["before"], after

    def apply(self, rules: RuleSet) -> bool:
        """Make the change from the current rules to ``rules`` (validated, recorded for undo, saved on top
        of the latest saved rules). False if ``rules`` changes nothing."""
        check_ruleset(rules, self.dataset.schema)
        rules = replace(rules, target=self.split.target, positive=self.native_label(self.split.positive))
        base = self.rules
        if rules == base and rules.meta == base.meta:
            return False
        before, after = self._commit(lambda latest: rebase(base, rules, latest))
        self.history.push(before, after)
        self._keep_history()
        return True

    def _keep_history(self) -> None:
        """Save the undo and redo lists with the workspace (they survive a reload and a restart)."""
        self.workspace.save_history(self.rules_key, self.history.to_dict())

    def undo(self) -> None:
        """Take back this editor's newest change (only it, whatever other tabs did since)."""
        change = self.history.take_undo()
        if change is not None:
            before, after = change
            self._commit(lambda latest: rebase(after, before, latest))
            self._keep_history()

    def redo(self) -> None:
        change = self.history.take_redo()
        if change is not None:
            before, after = change
            self._commit(lambda latest: rebase(before, after, latest))
            self._keep_history()

    def refresh(self) -> bool:
        """Show the latest saved rules if another tab or window saved since (True when it did)."""
        if self.workspace.revision(self.rules_key) == self.revision:
            return False
        saved = self.workspace.read_rules(self.rules_key)
        if saved.rules is None:
            return False
        self.history.current, self.revision = saved.rules, saved.revision
        self.notices.append("These rules were changed in another tab or window: the latest are shown.")
        return True

    def import_json(self, text: str) -> RuleSet:
        """Replace the rules with a rule file's; an invalid file raises and changes nothing."""
        rules = RuleSet.from_json(text)
        check_ruleset(rules, self.dataset.schema)
        self.apply(rules)
        return self.rules

    # ---- numbers --------------------------------------------------------------
    def evaluation(self, rules: RuleSet | None = None) -> Evaluation:
        """The report of ``rules`` (default: the current ones), memoised per split and rule set."""
        current = rules is None
        rules = self.rules if current else rules
        key = (self.split.id, rules)
        ev = self._evaluations.get(key)
        if ev is None:
            if len(self._evaluations) > 64:
                self._evaluations.clear()
            ev = self._evaluations[key] = evaluate(self.split, rules, extras=self.amounts.extras(self.split))
        stuck = [i for i in ev.broken if rules.rules[i].enabled]
        if current and stuck:  # rules DuckDB cannot evaluate are disabled and named, never an error page
            names = rules.names()
            self.notices += [f"Rule {i + 1} ({names[i]!r}) cannot be evaluated ({ev.broken[i]}); it was disabled."
                             for i in stuck]
            fixed = rules
            for i in stuck:
                fixed = fixed.toggle(i, False)
            self.apply(fixed)
            return self.evaluation()
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
