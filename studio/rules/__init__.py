"""The rule model: conditions, rules and rule sets (first hit wins), the operator registry, the
rule file format, validation against a table, and undo history.

To add an operator, register it in :mod:`.operators`: compilation to SQL, numpy evaluation (and so
the estimator and Python exports), PMML, validation, the rule form and mining all read it there.
"""

from .condition import Condition, Scalar
from .model import FORMAT, Rule, RuleSet, rule, ruleset
from .operators import OPERATORS
from .polygon import Polygon

__all__ = ["FORMAT", "OPERATORS", "Condition", "Polygon", "Rule", "RuleSet", "Scalar", "rule", "ruleset"]
