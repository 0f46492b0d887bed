"""A snippet for human-learn users: ``CaseWhenRuler`` rules inside a ``FunctionClassifier``.

human-learn's ``CaseWhenRuler.predict`` treats a row whose label so far equals the default
as undecided, so a rule labelled like the default would not stop later rules. The snippet
keeps first-hit semantics exactly: each later rule also requires that no earlier
default-labelled rule held."""

from __future__ import annotations

import inspect

from ..rules.model import RuleSet
from ..runtime.pyeval import condition_mask, polygon_mask, read_missing
from .python import _call, _comment, missing_constant, operator_table, used_operators, uses_polygons
from .registry import ExportFormat, register


def to_hulearn(rules: RuleSet, missing=()) -> str:
    """The snippet; ``missing``: the texts the data writes for a missing value."""
    names = rules.names()
    lines = [
        '"""Rules exported from Rule Studio for human-learn (pip install human-learn).',
        "",
        "    clf = FunctionClassifier(make_prediction)",
        "    clf.fit(X, y).predict(X)",
        '"""',
        "import numpy as np",
        "import pandas as pd",
        "from hulearn.classification import FunctionClassifier",
        "from hulearn.experimental import CaseWhenRuler",
        "",
        missing_constant(missing),
        "",
        "",
        operator_table(used_operators(rules)),
        "",
        "",
        inspect.getsource(condition_mask).rstrip(),
        "",
        "",
        inspect.getsource(read_missing).rstrip(),
        "",
        "",
        "def c(d, column, op, value=None):",
        '    """A condition on column of d; a missing value never satisfies it (except "is null")."""',
        "    return condition_mask(read_missing(d[column], MISSING, value), op, value)",
        "",
        "",
    ]
    if uses_polygons(rules):
        lines += [
            inspect.getsource(polygon_mask).rstrip(),
            "",
            "",
            "def p(d, x, y, vertices):",
            '    """Whether the point (x, y) of d lies inside the polygon or on its boundary."""',
            "    return polygon_mask(read_missing(d[x], MISSING, 0.0), read_missing(d[y], MISSING, 0.0), vertices)",
            "",
            "",
        ]
    lines += [
        "def make_prediction(dataf):",
        f"    ruler = CaseWhenRuler(default={rules.default!r})",
    ]
    stoppers: list[str] = []  # earlier rules whose label is the default: they must stop later rules
    for i, rule in enumerate(rules.rules):
        if not rule.enabled:
            lines.append(f"    # disabled, left out: {_comment(names[i])}")
            continue
        test = " & ".join(_call(c, "d") for c in rule.when)
        guard = "".join(f" & ~({s})" for s in stoppers)
        lines.append(f"    # {_comment(names[i])}")
        lines.append(f"    ruler.add_rule(lambda d: {test}{guard}, {rule.then!r}, name={names[i]!r})")
        if rule.then == rules.default:  # CaseWhenRuler compares with ==
            stoppers.append(test)
    lines += ["    return np.asarray(ruler.predict(dataf))", "", "", "clf = FunctionClassifier(make_prediction)", ""]
    return "\n".join(lines)


register(ExportFormat(
    "human-learn", "human-learn snippet", ".py", "python",
    "`CaseWhenRuler` rules in a `FunctionClassifier`, first-hit semantics kept.", to_hulearn,
    options=("missing",)))
