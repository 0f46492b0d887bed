"""Rule lists by a beam search over lists, chosen on a validation slice of train.

The design. The train rows are cut into *fit* rows and a stratified *validation* slice
(:mod:`.validation`); the test rows take no part. From the empty list (or the given rules), every
list in the beam is extended by its ``branch`` best candidates for the rows it leaves undecided —
single thresholds, value sets, paths of trees of depth 2 and 3, the leaves of a small
gradient-boosted ensemble (:mod:`.boosted`) and oblique cuts across two number columns
(:mod:`.oblique`), each counted exactly on the fit rows — that make the
list better on the fit rows, take at least ``min_support`` of them and reach ``min_precision``; the
``beam`` best extended lists (by the objective on the fit rows) go on, up to ``max_rules`` rules.
For the F1 and F-beta objectives a list may also be extended by an *exception* (:mod:`.exceptions`):
a threshold or value set put before the search's rules with the default label, which takes rows back
from all of them at once, say the legitimate look-alikes of several fraud rules, where each rule
would need a condition more. The given rules stay first and untouched.
Lists read off whole trees fitted on the fit rows (:mod:`.treelists`: a shallow tree's richest
leaves, one more at each length, and a deeper tree's positive leaves pruned as a list) compete at
their length with the extended lists, and the beam extends them too; they are judged on validation
however far the beam went: a tree places its leaves together, which a walk choosing one rule at a
time does not.
Unlike a greedy walk the search neither stops at the first step that does not pay nor keeps only one
path: a weaker second rule that opens a better third stays in the beam.

Every list met on the way is then judged on the validation rows; the simplest list within
``tolerance`` of the best one wins, and its rules that do not help on validation are dropped (slivers
and tails that only fit the fit rows). When the winner is a tree's whole list, the validation rows
chose the recipe, and with ``refit`` they then teach it too: the list is read again off the same
tree fitted on every train row (the deep one fitted beside the search, in case). Finally the
thresholds are rounded as a person would write them: the shortest decimal that keeps the same train
rows (:mod:`studio.engine.readable`).

The search stops with the best list so far when ``time_budget`` seconds have passed, or would
have before the next candidate pool is counted (it is expected to take as long as the last; the
first step always runs), or ``should_stop()`` says so, and reports each step to ``progress``.
Same data, settings and seed: the same list.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..data.split import Split
from ..engine.money import MoneySettings
from ..engine.readable import readable_conditions
from ..errors import StudioError
from ..rules.condition import Condition
from ..rules.model import Rule, RuleSet
from ..rules.validate import check_ruleset
from .boosted import boosted_candidates
from .candidates import conjunctions, scan_thresholds
from .counting import count_candidates
from .exceptions import EXCEPTION_OBJECTIVES, exception_candidates
from .oblique import oblique_candidates
from .objectives import OBJECTIVES, improves, score
from .treelists import PRUNED_DEPTH, deep_tree, refit, tree_lists
from .search import _amounts_for, _native_default, _priced, describe
from .validation import drop_unhelpful, side_value, validation_split


@dataclass(frozen=True)
class SearchSettings:
    max_rules: int = 8
    max_conditions: int = 3
    min_precision: float = 0.0
    min_support: int = 0            # fit rows a rule must take (0: 1% of the fit positives, at least 5)
    objective: str = "f1"
    beta: float = 1.0
    min_recall: float = 0.0
    budget: float = 0.0
    money: MoneySettings | None = None
    columns: tuple[str, ...] | None = None
    beam: int = 2
    branch: int = 3
    boosted: bool = True
    oblique: bool = True
    tree_lists: bool = True
    refit: bool = True
    exceptions: bool = True
    validation: float = 0.25
    tolerance: float = 0.002
    time_budget: float = 8.0        # seconds
    seed: int = 0

    def check(self) -> "SearchSettings":
        if self.objective not in OBJECTIVES:
            raise StudioError(f"objective must be one of {', '.join(OBJECTIVES)}, not {self.objective!r}")
        for name, low in (("max_rules", 1), ("max_conditions", 1), ("beam", 1), ("branch", 1), ("min_support", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise StudioError(f"{name.replace('_', ' ')} is a whole number of at least {low}, not {value!r}")
        if not 0.0 <= self.min_precision <= 1.0:
            raise StudioError(f"minimum precision is between 0 and 1, not {self.min_precision!r}")
        if not (isinstance(self.time_budget, (int, float)) and math.isfinite(self.time_budget)
                and self.time_budget > 0):
            raise StudioError(f"the time budget is a positive number of seconds, not {self.time_budget!r}")
        return self


@dataclass(frozen=True)
class Step:
    """Where the search is: the lists of ``depth`` new rules met, the best of them on the fit rows
    (``best``: its raw thresholds; :func:`rounded` writes them as a person would)."""
    depth: int
    lists: int
    best_fit: float
    elapsed: float
    best: RuleSet | None = None


@dataclass(frozen=True)
class SearchResult:
    rules: RuleSet
    validation: float          # the chosen list's objective on the validation rows (refitted: its recipe's)
    fit: float                 # and on the fit rows (refitted: its recipe's)
    lists: int                 # lists met
    stopped: str               # "done", "time" or "asked"
    elapsed: float
    steps: tuple[Step, ...] = field(default=())
    refitted: bool = False     # a tree's list, read again off the tree fitted on every train row


def _pool(inner: Split, rules: RuleSet, s: SearchSettings, learned: list, first: int | None = None) -> pd.DataFrame:
    """The candidates for the rows ``rules`` leave undecided on the fit rows, scored, best first: only
    those that improve the list, take ``min_support`` rows, reach ``min_precision`` and have at most
    ``max_conditions`` conditions. ``learned``: the ensemble's conjunctions and the oblique cuts (learned
    once, for the start rules). With ``first`` (where the search's own rules begin), the exceptions
    too (:func:`.exceptions.exception_candidates`, marked ``exception``)."""
    columns = list(s.columns) if s.columns else None
    amounts = _amounts_for(inner, rules, s.objective, s.money)
    goal = dict(beta=s.beta, min_recall=s.min_recall, budget=s.budget, amounts=amounts)
    scan = scan_thresholds(inner, rules, columns)
    ranked = [score(_priced(scan, inner, rules, amounts), s.objective, min_rows=1, **goal)]
    depths = tuple(d for d in (2, 3) if d <= s.max_conditions)
    counted = conjunctions(inner, rules, columns, depths)
    known = set(counted["when"]) if len(counted) else set()
    found = [w for w in learned if w not in known]
    if found:
        counted = pd.concat([counted, count_candidates(inner, rules, found)], ignore_index=True)
    if len(counted):
        ranked.append(score(_priced(replace(scan, candidates=counted), inner, rules, amounts), s.objective,
                            min_rows=1, **goal))
    out = pd.concat(ranked, ignore_index=True)
    size = out["when"].map(lambda w: len(w) if isinstance(w, tuple) else 1) if "when" in out else 1
    support = _support(s, inner)
    keep = (np.isfinite(out["objective"]) & improves(out, scan, s.objective, s.beta, s.min_recall, s.budget, amounts)
            & (out["train_fired"] >= support) & (out["precision"].fillna(0) >= s.min_precision) & (size <= s.max_conditions))
    out = out[keep].assign(exception=False)
    if (s.exceptions and s.objective in EXCEPTION_OBJECTIVES and first is not None and len(rules.rules) > first
            and inner.class_label(rules.default) != inner.positive):  # an exception gives the default back
        exceptions = exception_candidates(inner, rules, first, columns, support, s.objective, s.beta)
        out = pd.concat([out, exceptions], ignore_index=True)
    named = out.apply(lambda row: describe(_when(row)), axis=1) if len(out) else out.index.astype(str)
    # ties broken by the rule's text: the same list whatever order the candidates were counted in
    return out.assign(__name=named).sort_values(["objective", "train_tp", "__name"], ascending=[False, False, True],
                                                kind="stable").drop(columns="__name")


def _support(s: SearchSettings, fit: Split) -> int:
    """The fit rows a rule must take: ``min_support``, else 1% of the fit positives, at least 5."""
    return s.min_support or max(5, math.ceil(0.01 * fit.counts["train"][fit.positive]))


def _when(row) -> tuple[Condition, ...]:
    when = row.get("when")
    if isinstance(when, tuple):
        return when
    return (Condition(str(row["column"]), str(row["op"]), float(row["threshold"])),)


def _beam(fit: Split, start: RuleSet, s: SearchSettings, learned: list, depths: int, out_of_time, progress=None,
          should_stop=None, seeds: dict | None = None) -> tuple[list[tuple[float, RuleSet]], list[Step], str]:
    """The beam search on the train side of ``fit`` for up to ``depths`` new rules: every list kept in
    the beam on the way (with its objective on those rows), the steps, and why it ended."""
    label = fit.native(fit.positive)
    beam: list[tuple[float, RuleSet]] = [(-math.inf, start)]
    met, steps, stopped, began, last = [(-math.inf, start)], [], "done", time.perf_counter(), 0.0
    for depth in range(1, depths + 1):
        children: dict[RuleSet, float] = {}
        for _, state in beam:
            if should_stop is not None and should_stop():
                stopped = "asked"
                break
            if depth > 1 and out_of_time(last):  # the first step always runs; none that would overrun
                stopped = "time"
                break
            taken, began_pool = 0, time.perf_counter()
            pool = _pool(fit, state, s, learned, len(start.rules))
            last = time.perf_counter() - began_pool
            for _, row in pool.iterrows():
                when = _when(row)
                child = state.add(Rule(when=when, then=start.default, name=describe(when)), len(start.rules)) \
                    if row["exception"] else state.add(Rule(when=when, then=label, name=describe(when)))
                if child not in children:
                    children[child] = float(row["objective"])
                    taken += 1
                if taken >= s.branch:
                    break
        for seed in (seeds or {}).get(depth, []) if stopped == "done" else ():
            if seed not in children:
                children[seed] = side_value(fit, seed, "train", objective=s.objective, beta=s.beta,
                                            min_recall=s.min_recall, budget=s.budget, money=s.money)
        if not children:
            break
        beam = sorted(((v, c) for c, v in children.items()), key=lambda vc: -vc[0])[:s.beam]
        met += beam
        steps.append(Step(depth, len(children), beam[0][0], time.perf_counter() - began, beam[0][1]))
        if progress is not None:
            progress(steps[-1])
        if stopped != "done":
            break
    return met, steps, stopped


def search_rules(split: Split, rules: RuleSet | None = None, settings: SearchSettings | None = None,
                 progress=None, should_stop=None) -> SearchResult:
    """A rule list for the rows ``rules`` leave undecided, by the search the module describes."""
    s = (settings or SearchSettings()).check()
    start_time = time.perf_counter()
    start = rules if rules is not None else RuleSet(default=_native_default(split), target=split.target,
                                                    positive=split.native(split.positive))
    goal = dict(objective=s.objective, beta=s.beta, min_recall=s.min_recall, budget=s.budget, money=s.money)

    def out_of_time(ahead: float = 0.0) -> bool:  # ahead: what the next candidate pool is expected to take
        return time.perf_counter() - start_time + ahead > s.time_budget

    columns = list(s.columns) if s.columns else None
    if s.tree_lists:  # loaded here: two threads importing scikit-learn at once can meet it half loaded
        import sklearn.ensemble  # noqa: F401
        import sklearn.tree  # noqa: F401
    with validation_split(split, s.validation, s.seed) as inner, ThreadPoolExecutor(1) as beside:
        # the deep tree is fitted beside the ensemble and the oblique cuts (scikit-learn and numpy let go of
        # Python while they count; DuckDB's queries still take turns on the dataset's lock)
        deep = beside.submit(deep_tree, inner, start, columns, s.seed) if s.tree_lists else None
        # and on every train row, for the deep tree's list should it be chosen (see refit below)
        whole = beside.submit(deep_tree, split, start, columns, s.seed) if s.tree_lists and s.refit else None
        learned = boosted_candidates(inner, start, columns, depth=min(3, s.max_conditions), seed=s.seed) \
            if s.boosted and s.max_conditions >= 2 else []
        if s.oblique:
            learned += [w for w in oblique_candidates(inner, start, columns) if w not in learned]
        trees = dict(max_conditions=s.max_conditions, seed=s.seed, min_precision=s.min_precision,
                     beta=s.beta if s.objective == "fbeta" else 1.0)
        recipes = tree_lists(inner, start, columns, s.max_rules, min_support=_support(s, inner),
                             fitted=deep.result(), **trees) if s.tree_lists else {}
        seeds: dict[int, list[RuleSet]] = {}
        for r in recipes:
            seeds.setdefault(len(r.rules) - len(start.rules), []).append(r)
        met, steps, stopped = _beam(inner, start, s, learned, s.max_rules, out_of_time, progress, should_stop,
                                    seeds)
        if stopped != "asked":  # the lists read off trees, whole lists of their own however far the beam went
            met += [(math.nan, r) for rs in seeds.values() for r in rs]
        judged = [(side_value(inner, r, "test", **goal), r) for _, r in met]
        best = max(v for v, _ in judged)
        chosen_value, chosen = min(((v, r) for v, r in judged if v >= best - s.tolerance),
                                   key=lambda vr: (len(vr[1].rules), -vr[0]))
        recipe = recipes.get(chosen) if s.refit and stopped != "asked" else None
        deep_chosen = recipe is not None and recipe[0] == PRUNED_DEPTH
        if whole is not None and not deep_chosen:
            whole.cancel()  # not needed (when it has not begun)
        # a tree's whole list: read again off the same tree fitted on every train row (the validation rows
        # chose the recipe; now they teach it too)
        again = refit(split, start, recipe, columns, s.max_rules, min_support=_support(s, split),
                      fitted=whole.result() if deep_chosen else None, **trees) if recipe else None
        if again is None:
            chosen, chosen_value = drop_unhelpful(inner, start, chosen, chosen_value, goal)
        fit_value = side_value(inner, chosen, "train", **goal)
    return SearchResult(rounded(split, start, again or chosen), chosen_value, fit_value, len(met), stopped,
                        time.perf_counter() - start_time, tuple(steps), again is not None)


def rounded(split: Split, start: RuleSet, rules: RuleSet) -> RuleSet:
    """``rules`` (``start`` and the rules the search added) with the added rules' thresholds written
    as the shortest decimals that keep the same train rows, each named after its conditions."""
    added = rules.rules[len(start.rules):]
    final = start
    for when, rule in zip(readable_conditions(split, [r.when for r in added]) if added else [], added):
        final = final.add(Rule(when=when, then=rule.then, name=describe(when)))
    return check_ruleset(final, split.dataset.schema)
