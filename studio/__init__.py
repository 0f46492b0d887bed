"""Rule Studio: CaseWhen rule sets evaluated in DuckDB against a held-out split.

    >>> import studio
    >>> data = studio.load("creditcard-synthetic")
    >>> split = data.split(target="Class", positive=1, test_size=0.5, seed=0)
    >>> rules = studio.RuleSet.load("rules.json")
    >>> report = studio.evaluate(split, rules)
    >>> report.test.metrics.positive
"""

from .data.bundled import BUNDLED, DEFAULT_DATASET, load, load_openml
from .data.dataset import Dataset
from .data.split import Split, make_split
from .engine.evaluate import Evaluation, evaluate
from .errors import DataError, RuleSetError, StudioError
from .rules import FORMAT, OPERATORS, Condition, Polygon, Rule, RuleSet, rule, ruleset

__all__ = ["BUNDLED", "DEFAULT_DATASET", "FORMAT", "OPERATORS", "Condition", "DataError", "Dataset",
           "Evaluation", "Polygon", "Rule", "RuleSet", "RuleSetError", "Split", "StudioError", "evaluate", "load",
           "load_openml", "make_split", "rule", "ruleset"]
