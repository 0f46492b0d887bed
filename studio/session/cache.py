"""One session's exploration and suggestion results, computed once per split and shared by every rerun.

A page reruns its whole script on every interaction; the train sample, the column
ranking, histograms, threshold curves and the hiplot text depend only on the split
and a few settings, so each is computed once per key. When a split is made, the
default sample, ranking and hiplot text are computed in a background thread, so the
Explore page usually finds them ready; a page asking for a value still being computed
waits for that computation instead of repeating it.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any, Callable

from ..data.split import Split
from ..engine.money import MoneySettings
from ..explore import hiplot
from ..explore.groups import color_groups
from ..explore.ranking import Separation, default_columns, separation
from ..explore.sample import DEFAULT_NEGATIVES, Sample, train_sample
from ..explore.views import Histogram, ThresholdCurve, class_histogram, outcomes, threshold_curve
from ..mining.baseline import disagreements, fit_baseline
from ..mining.listsearch import SearchResult, SearchSettings, search_rules
from ..mining.search import greedy_rules, suggestions
from ..mining.templates import template_metrics
from ..rules.model import RuleSet

_LIMIT = 128


class SplitCache:
    """Memoised exploration and suggestion results for one split."""

    def __init__(self, split: Split):
        self.split = split
        self._lock = threading.Lock()
        self._values: dict[Any, Future] = {}

    def memo(self, key, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per ``key``; concurrent callers wait for the first one's result."""
        with self._lock:
            future = self._values.get(key)
            owner = future is None
            if owner:
                if len(self._values) >= _LIMIT:
                    self._values.pop(next(iter(self._values)))
                future = self._values[key] = Future()
        if owner:
            try:
                future.set_result(compute())
            except BaseException as err:
                future.set_exception(err)
                with self._lock:
                    self._values.pop(key, None)
        return future.result()

    # ---- the values the Explore page draws ------------------------------------
    def sample(self, negatives: int = DEFAULT_NEGATIVES, seed: int = 0) -> Sample:
        return self.memo(("sample", negatives, seed), lambda: train_sample(self.split, negatives, seed))

    def ranking(self, negatives: int = DEFAULT_NEGATIVES, seed: int = 0) -> list[Separation]:
        return self.memo(("ranking", negatives, seed), lambda: separation(self.split, self.sample(negatives, seed)))

    def outcomes(self, rules: RuleSet, negatives: int = DEFAULT_NEGATIVES, seed: int = 0):
        return self.memo(("outcomes", negatives, seed, rules),
                         lambda: outcomes(self.split, rules, self.sample(negatives, seed).frame["__rs_row"]))

    def hiplot_text(self, columns: tuple[str, ...], rules: RuleSet | None = None, by: str = "outcome",
                    negatives: int = DEFAULT_NEGATIVES, seed: int = 0) -> str:
        """hiplot's experiment as text, coloured by class, or under ``rules`` by outcome or by the
        rule that fired (``by``: "outcome" or "rule")."""
        def build() -> str:
            frame = self.sample(negatives, seed).frame
            if rules is None:
                groups, name = color_groups(frame, self.split.positive), "class"
            else:
                groups = color_groups(frame, self.split.positive, self.outcomes(rules, negatives, seed), by)
                name = "outcome" if by == "outcome" else "rule fired"
            return hiplot.hiplot_json(hiplot.hiplot_experiment(frame, list(columns), groups, name))
        return self.memo(("hiplot", tuple(columns), rules, by, negatives, seed), build)

    def histogram(self, column: str) -> Histogram:
        return self.memo(("histogram", column), lambda: class_histogram(self.split, column))

    def curve(self, column: str, direction: str) -> ThresholdCurve:
        return self.memo(("curve", column, direction), lambda: threshold_curve(self.split, column, direction))

    # ---- the values the Suggest page shows ----------------------------------
    def suggestions(self, rules: RuleSet, objective: str = "f1", beta: float = 1.0, min_recall: float = 0.0,
                    min_rows: int = 5, top: int = 20, budget: float = 0.0, money: MoneySettings | None = None):
        return self.memo(("suggestions", rules, objective, beta, min_recall, min_rows, top, budget, money),
                         lambda: suggestions(self.split, rules, objective, top, beta, min_recall, min_rows, budget,
                                             money=money))

    def rule_list(self, rules: RuleSet, max_rules: int = 8, objective: str = "f1", beta: float = 1.0,
                  min_rows: int = 5, min_recall: float = 0.0, budget: float = 0.0,
                  money: MoneySettings | None = None) -> RuleSet:
        return self.memo(("rule list", rules, max_rules, objective, beta, min_rows, min_recall, budget, money),
                         lambda: greedy_rules(self.split, rules, max_rules, objective, beta, min_rows,
                                              min_recall=min_recall, budget=budget, money=money))

    def searched_list(self, rules: RuleSet, settings: SearchSettings, progress=None) -> SearchResult:
        """The list search's result for ``rules`` and ``settings`` (``progress`` hears each step of a
        search that runs; a result kept from before has none)."""
        return self.memo(("searched list", rules, settings),
                         lambda: search_rules(self.split, rules, settings, progress=progress))

    def templates(self, texts: tuple[str, ...], rules: RuleSet):
        return self.memo(("templates", texts, rules), lambda: template_metrics(self.split, list(texts), rules))

    def baseline(self, model_name: str, columns: tuple[str, ...] | None = None):
        return self.memo(("baseline", model_name, columns),
                         lambda: fit_baseline(self.split, model_name, list(columns) if columns else None))

    def disagreements(self, rules: RuleSet, model_name: str, threshold: float):
        return self.memo(("disagreements", rules, model_name, threshold),
                         lambda: disagreements(self.split, rules, self.baseline(model_name), threshold))

    def warm(self) -> threading.Thread:
        """Compute the Explore page's defaults in a background thread."""
        def run():
            try:
                self.hiplot_text(tuple(default_columns(self.ranking())))
            except Exception:  # the page computes (and reports) it again when it is opened
                pass
        thread = threading.Thread(target=run, name="explore-warm", daemon=True)
        thread.start()
        return thread
