"""Rule Studio: CaseWhen rule sets evaluated in DuckDB against a held-out split.

    >>> import studio
    >>> data = studio.load("creditcard-synthetic")
    >>> split = data.split(target="Class", positive=1, test_size=0.5, seed=0)
    >>> rules = studio.RuleSet.load("rules.json")
    >>> report = studio.evaluate(split, rules)
    >>> report.test.metrics.positive
"""

from .bundled import BUNDLED, DEFAULT_DATASET, load, load_openml
from .datasets import Dataset
from .errors import DataError, RuleSetError, StudioError
from .evaluate import Evaluation, evaluate
from .rules import FORMAT, OPERATORS, Condition, Polygon, Rule, RuleSet, rule, ruleset
from .split import Split, make_split

__all__ = ["BUNDLED", "DEFAULT_DATASET", "FORMAT", "OPERATORS", "Condition", "DataError", "Dataset",
           "Evaluation", "Polygon", "Rule", "RuleSet", "RuleSetError", "Split", "StudioError", "evaluate", "load",
           "load_openml", "make_split", "rule", "ruleset"]
