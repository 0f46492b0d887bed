"""A standalone module with the scikit-learn estimator class (:mod:`studio.runtime.estimator`, copied
verbatim with the evaluation code it needs) and ``classifier``, built on these rules."""

from __future__ import annotations

import inspect
import pprint

from ..rules.model import RuleSet
from ..runtime import estimator as _estimator
from ..runtime.pyeval import condition_mask, polygon_mask, read_missing
from .python import HEADER, missing_constant, operator_table, used_operators
from .registry import ExportFormat, register


def to_sklearn(rules: RuleSet, missing=()) -> str:
    """A standalone module with the ``RuleSetClassifier`` estimator and ``classifier``, built on these rules
    (``missing``: the texts the data writes for a missing value)."""
    parts = [
        HEADER.format(format="rule-studio/1, as a scikit-learn estimator", needs="numpy, pandas and scikit-learn")
        .replace("predict(df)      # the label of every row", "classifier.fit(df, y).predict(df)")
        .replace("fired_rule(df)   # the name of the rule that decided it, None for the default",
                 "classifier.explain(df)  # the rule that decided each row"),
        "import copy",
        "",
        "import numpy as np",
        "import pandas as pd",
        "from sklearn.base import BaseEstimator, ClassifierMixin",
        "from sklearn.utils.multiclass import check_classification_targets",
        "from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d",
        "",
        f"RULES = {pprint.pformat(rules.to_dict(), sort_dicts=False, width=100)}",
        missing_constant(missing),
        "",
        "",
        operator_table(used_operators(rules, everything=True)),
        "",
        "",
        inspect.getsource(condition_mask).rstrip(),
        "",
        "",
        inspect.getsource(read_missing).rstrip(),
        "",
        "",
        inspect.getsource(polygon_mask).rstrip(),
        "",
        "",
        inspect.getsource(_estimator.RuleSetClassifier).rstrip(),
    ]
    for helper in (_estimator._is_number, _estimator._same_kind, _estimator._tidy):
        parts += ["", "", inspect.getsource(helper).rstrip()]
    parts += ["", "", "classifier = RuleSetClassifier(RULES, missing=MISSING)", ""]
    return "\n".join(parts).replace("\nfrom __future__", "\n# from __future__")


register(ExportFormat(
    "sklearn", "scikit-learn estimator module", ".py", "python",
    "A standalone module with the `RuleSetClassifier` estimator (fit, predict, predict_proba, explain; "
    "thresholds tunable with GridSearchCV) built on these rules.", to_sklearn, options=("missing",)))
