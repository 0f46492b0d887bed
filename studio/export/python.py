"""Standalone Python: a module with ``predict(df)`` and ``fired_rule(df)`` (numpy and pandas only).

The module carries the studio's own evaluation code, copied verbatim: ``condition_mask``, the
numpy test of every operator the rules use (from the registry) and, for polygons, ``polygon_mask``.
"""

from __future__ import annotations

import inspect

from ..rules import operators
from ..rules.model import RuleSet
from ..data.sources import missing_markers
from ..runtime.pyeval import condition_mask, polygon_mask, read_missing
from .errors import ExportError
from .registry import ExportFormat, register

HEADER = '''"""Rules exported from Rule Studio ({format}): the first enabled rule that holds decides
the label, else the default. A missing value never satisfies a condition (except "is null");
texts in MISSING (the data's missing markers) are missing values.

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
    if cond.shape == operators.POLYGON:
        vertices = [tuple(v) for v in cond.value.vertices]
        return f"p({', '.join(lead + [repr(cond.column), repr(cond.value.y), repr(vertices)])})"
    args = lead + [repr(cond.column), repr(cond.op)]
    if cond.value is not None:
        args.append(repr(tuple(cond.value) if isinstance(cond.value, tuple) else cond.value))
    return f"c({', '.join(args)})"


def uses_polygons(rules: RuleSet) -> bool:
    """Whether an enabled rule has an ``in polygon`` condition (the export then needs ``polygon_mask``)."""
    return any(c.shape == operators.POLYGON for _, r in rules.enabled_rules for c in r.when)


def used_operators(rules: RuleSet, everything: bool = False) -> list[str]:
    """The operators the enabled rules use (every registered one with ``everything``), in registry order."""
    if everything:
        return list(operators.names())
    used = {c.op for _, r in rules.enabled_rules for c in r.when}
    return [name for name in operators.names() if name in used]


def operator_table(names: list[str]) -> str:
    """Source of the operators' numpy tests and of ``TESTS`` and ``SHAPES``, the tables
    ``condition_mask`` reads, for the operators ``names``."""
    lines, tests = [], []
    for name in names:
        op = operators.get(name)
        if op.shape == operators.POLYGON:
            continue
        if not inspect.isfunction(op.numpy) or op.numpy.__name__ == "<lambda>":
            raise ExportError(f"the operator {name!r} has no named numpy test to copy into the export")
        lines += [inspect.getsource(op.numpy).rstrip(), "", ""]
        tests.append(f"    {name!r}: {op.numpy.__name__},")
    shapes = [f"    {name!r}: {operators.get(name).shape!r}," for name in names]
    return "\n".join(lines + ["TESTS = {", *tests, "}", "SHAPES = {", *shapes, "}"])


def missing_constant(missing) -> str:
    """``MISSING = (...)``: the texts read as missing values (the data's missing markers)."""
    return f"MISSING = {tuple(missing_markers(missing))!r}  # texts read as missing values"


def rules_function(rules: RuleSet) -> str:
    """``_rules(df)``: one readable line per enabled rule, its name as a comment."""
    names = rules.names()
    lines = ["def _rules(df):",
             '    """(name, label, rows where the rule holds) for every enabled rule, in first-hit order."""',
             "    def c(column, op, value=None):",
             "        return condition_mask(read_missing(df[column], MISSING, value), op, value)",
             ""]
    if uses_polygons(rules):
        lines += ["    def p(x, y, vertices):",
                  "        return polygon_mask(read_missing(df[x], MISSING, 0.0), read_missing(df[y], MISSING, 0.0), "
                  "vertices)",
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


def to_python(rules: RuleSet, missing=()) -> str:
    """A standalone module: ``predict(df)``, ``fired_rule(df)`` and the rules, one per line;
    ``missing``: the texts the data writes for a missing value."""
    return "\n".join([
        HEADER.format(format="rule-studio/1", needs="numpy and pandas"),
        "import numpy as np",
        "import pandas as pd",
        "",
        f"DEFAULT = {rules.default!r}",
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
        *([inspect.getsource(polygon_mask).rstrip(), "", ""] if uses_polygons(rules) else []),
        rules_function(rules),
        FUNCTIONS,
    ])


register(ExportFormat(
    "python", "Python module (numpy/pandas)", ".py", "python",
    "A standalone module (numpy and pandas only): `predict(df)` and `fired_rule(df)`.", to_python,
    options=("missing",)))
