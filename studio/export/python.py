"""Standalone Python: a module with ``predict(df)`` and ``fired_rule(df)`` (numpy and pandas only),
and a module with the scikit-learn estimator class and these rules."""

from __future__ import annotations

import inspect
import pprint

from ..compile import rule_names
from ..rules import POLYGON, RuleSet
from .. import estimator as _estimator
from ..pyeval import condition_mask, polygon_mask

HEADER = '''"""Rules exported from Rule Studio ({format}): the first enabled rule that holds decides
the label, else the default. A missing value never satisfies a condition (except "is null").

Standalone: needs {needs} only.
    import pandas as pd
    df = pd.read_csv("data.csv")
    predict(df)      # the label of every row
    fired_rule(df)   # the name of the rule that decided it, None for the default
"""
'''

FUNCTIONS = '''

def _first_hit(df):
    """The rules, and for each row the index of the first one that holds (-1: the default)."""
    rules = _rules(df)
    fired = np.full(len(df), -1)
    for i, (_name, _label, holds) in enumerate(rules):
        fired[(fired < 0) & holds] = i
    return rules, fired


def fired_rule(df):
    """The name of the first rule that holds for each row; None where the default applies."""
    rules, fired = _first_hit(df)
    return np.array([name for name, _, _ in rules] + [None], dtype=object)[fired]


def predict(df):
    """The label of every row: the first rule that holds, else DEFAULT."""
    rules, fired = _first_hit(df)
    labels = np.array([label for _, label, _ in rules] + [DEFAULT], dtype=object)
    return pd.Series(labels[fired]).infer_objects().to_numpy()
'''


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def _call(cond, data: str = "") -> str:
    """One condition as a call: ``c(column, op, value)``, or ``p(x, y, vertices)`` for a polygon;
    ``data`` (the frame's name) goes first when given."""
    lead = [data] if data else []
    if cond.op == POLYGON:
        vertices = [tuple(v) for v in cond.value.vertices]
        return f"p({', '.join(lead + [repr(cond.column), repr(cond.value.y), repr(vertices)])})"
    args = lead + [repr(cond.column), repr(cond.op)]
    if cond.value is not None:
        args.append(repr(tuple(cond.value) if isinstance(cond.value, tuple) else cond.value))
    return f"c({', '.join(args)})"


def uses_polygons(rules: RuleSet) -> bool:
    """Whether an enabled rule has an ``in polygon`` condition (the export then needs ``polygon_mask``)."""
    return any(c.op == POLYGON for _, r in rules.enabled_rules for c in r.when)


def rules_function(rules: RuleSet) -> str:
    """``_rules(df)``: one readable line per enabled rule, its name as a comment."""
    names = rule_names(rules)
    lines = ["def _rules(df):",
             '    """(name, label, rows where the rule holds) for every enabled rule, in first-hit order."""',
             "    def c(column, op, value=None):",
             "        return condition_mask(df[column], op, value)",
             ""]
    if uses_polygons(rules):
        lines += ["    def p(x, y, vertices):",
                  "        return polygon_mask(df[x], df[y], vertices)",
                  ""]
    lines.append("    return [")
    for i, rule in enumerate(rules.rules):
        if not rule.enabled:
            lines.append(f"        # disabled, left out: {_comment(names[i])}")
            continue
        lines.append(f"        # {_comment(names[i])}")
        test = " & ".join(_call(c) for c in rule.when)
        lines.append(f"        ({names[i]!r}, {rule.then!r}, {test}),")
    lines.append("    ]")
    return "\n".join(lines)


def to_python(rules: RuleSet) -> str:
    """A standalone module: ``predict(df)``, ``fired_rule(df)`` and the rules, one per line."""
    return "\n".join([
        HEADER.format(format="rule-studio/1", needs="numpy and pandas"),
        "import numpy as np",
        "import pandas as pd",
        "",
        f"DEFAULT = {rules.default!r}",
        "",
        "",
        inspect.getsource(condition_mask).rstrip(),
        "",
        "",
        *([inspect.getsource(polygon_mask).rstrip(), "", ""] if uses_polygons(rules) else []),
        rules_function(rules),
        FUNCTIONS,
    ])


def to_sklearn(rules: RuleSet) -> str:
    """A standalone module with the ``RuleSetClassifier`` estimator and ``classifier``, built on these rules."""
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
        "",
        "",
        inspect.getsource(condition_mask).rstrip(),
        "",
        "",
        inspect.getsource(polygon_mask).rstrip(),
        "",
        "",
        inspect.getsource(_estimator.RuleSetClassifier).rstrip(),
    ]
    for helper in (_estimator._is_number, _estimator._same_kind, _estimator._tidy):
        parts += ["", "", inspect.getsource(helper).rstrip()]
    parts += ["", "", "classifier = RuleSetClassifier(RULES)", ""]
    return "\n".join(parts).replace("\nfrom __future__", "\n# from __future__")
