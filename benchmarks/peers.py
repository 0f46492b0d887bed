"""Adapters for the peer libraries that Rule Studio is benchmarked against.

Only importable from the benchmark virtualenv (``.venv-bench``, see
``benchmarks/setup-bench-env.sh``); the peers are never project dependencies.

A Rule Studio style rule list is a list of ``(column, op, value, label)``
tuples, ``op`` one of ``'<', '<=', '>', '>='``, evaluated in order, first hit
wins, ``default`` when no rule fires.

Peers:

* human-learn 0.3.5 ``CaseWhenRuler`` -- loaded straight from
  ``hulearn/experimental/ruler.py`` (``hulearn.experimental`` itself cannot be
  imported on numpy 2: its ``interactive`` module imports bokeh 2.x).
  NOTE: its ``predict`` is NOT a true first-hit evaluator, see
  :func:`hulearn_predictor`.
* sklearn2pmml ``RuleSetClassifier`` -- string predicates ``eval``-ed per row.
* ruleminer ``RuleMiner`` -- rule mining / scoring from templates.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import numbers
import os
import sys
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

Rule = tuple[str, str, Any, Any]  # (column, op, value, label)

OPS = ("<", "<=", ">", ">=")

__all__ = [
    "OPS",
    "load_case_when_ruler",
    "hulearn_predictor",
    "hulearn_first_hit_demo",
    "first_hit_reference",
    "sklearn2pmml_predictor",
    "sklearn2pmml_predicate",
    "ruleminer_template",
    "ruleminer_score",
    "versions",
]


def _check_rules(rules: Iterable[Rule]) -> list[Rule]:
    out = []
    for i, rule in enumerate(rules):
        if len(rule) != 4:
            raise ValueError(f"rule {i}: expected (column, op, value, label), got {rule!r}")
        column, op, value, label = rule
        if op not in OPS:
            raise ValueError(f"rule {i}: op must be one of {OPS}, got {op!r}")
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise ValueError(f"rule {i}: value must be a real number, got {value!r}")
        out.append((str(column), op, value, label))
    return out


def first_hit_reference(rules: Sequence[Rule], default: Any, df: pd.DataFrame) -> np.ndarray:
    """Vectorised reference: true first-hit semantics (np.select picks the
    first true condition). Used to check the peers' answers."""
    rules = _check_rules(rules)
    conds = []
    for column, op, value, _ in rules:
        x = df[column].to_numpy()
        conds.append({"<": x < value, "<=": x <= value, ">": x > value, ">=": x >= value}[op])
    labels = [label for *_, label in rules]
    if not conds:
        return np.full(len(df), default)
    return np.select(conds, labels, default=default)


# ---------------------------------------------------------------- human-learn

_RULER_MODULE_NAME = "_bench_hulearn_experimental_ruler"


def load_case_when_ruler() -> type:
    """Return ``CaseWhenRuler`` from human-learn 0.3.5.

    Loads ``<site-packages>/hulearn/experimental/ruler.py`` on its own with
    ``importlib.util.spec_from_file_location`` -- ``hulearn.experimental`` is
    never imported (its ``__init__`` imports ``interactive.py`` -> bokeh 2.x,
    which fails on numpy 2 with ``AttributeError: np.bool8``; and bokeh is not
    installed in the bench env anyway). ruler.py itself only imports pandas.
    Nothing in site-packages is modified.
    """
    mod = sys.modules.get(_RULER_MODULE_NAME)
    if mod is None:
        spec = importlib.util.find_spec("hulearn")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("human-learn is not installed (run benchmarks/setup-bench-env.sh)")
        path = None
        for loc in spec.submodule_search_locations:
            candidate = os.path.join(loc, "experimental", "ruler.py")
            if os.path.isfile(candidate):
                path = candidate
                break
        if path is None:
            raise ImportError("hulearn/experimental/ruler.py not found in "
                              f"{list(spec.submodule_search_locations)}")
        file_spec = importlib.util.spec_from_file_location(_RULER_MODULE_NAME, path)
        mod = importlib.util.module_from_spec(file_spec)
        file_spec.loader.exec_module(mod)
        sys.modules[_RULER_MODULE_NAME] = mod
    return mod.CaseWhenRuler


# One lambda per op, column and value bound as default args (no late binding).
_HULEARN_WHEN = {
    "<": lambda c, v: (lambda d, c=c, v=v: d[c] < v),
    "<=": lambda c, v: (lambda d, c=c, v=v: d[c] <= v),
    ">": lambda c, v: (lambda d, c=c, v=v: d[c] > v),
    ">=": lambda c, v: (lambda d, c=c, v=v: d[c] >= v),
}


def hulearn_predictor(rules: Sequence[Rule], default: Any) -> Callable[[pd.DataFrame], np.ndarray]:
    """``predict(df) -> np.ndarray`` built on human-learn's ``CaseWhenRuler``.

    How CaseWhenRuler.predict works (human-learn 0.3.5, ruler.py, verbatim)::

        results = [self.default for x in range(len(X))]
        for rule in self.rules:
            when, then, name = rule
            for idx, predicate in enumerate(when(X)):
                if predicate and (results[idx] == self.default):
                    results[idx] = then
        return results

    * each ``when(X)`` is called once on the whole DataFrame (vectorised
      predicate), but the assignment is a pure-Python loop over every row for
      every rule (O(rows x rules) interpreter steps) into a Python list;
    * "already decided" is encoded as ``results[idx] == self.default``, so a
      rule whose label equals the default does NOT stop later rules: a row hit
      first by such a rule can still be overwritten by a later rule. That is
      not first-hit semantics (results differ from Rule Studio whenever a
      rule predicting the default label precedes a rule predicting another
      label and both fire). Rules with labels != default are first-hit.
    """
    Ruler = load_case_when_ruler()
    rules = _check_rules(rules)
    ruler = Ruler(default=default)
    for i, (column, op, value, label) in enumerate(rules):
        ruler.add_rule(_HULEARN_WHEN[op](column, value), label, name=f"rule-{i + 1}")

    def predict(df: pd.DataFrame) -> np.ndarray:
        return np.asarray(ruler.predict(df))

    predict.ruler = ruler  # type: ignore[attr-defined]
    return predict


def hulearn_first_hit_demo() -> dict:
    """rules [(x > 0 -> 0), (x > -1 -> 1)], default 0, x = [1.0].

    True first-hit answer: rule 1 fires first -> 0. CaseWhenRuler gives 1."""
    rules = [("x", ">", 0, 0), ("x", ">", -1, 1)]
    df = pd.DataFrame({"x": [1.0]})
    return {
        "rules": rules,
        "default": 0,
        "x": [1.0],
        "first_hit": first_hit_reference(rules, 0, df).tolist(),
        "hulearn": hulearn_predictor(rules, 0)(df).tolist(),
    }


# --------------------------------------------------------------- sklearn2pmml

def _literal(v: Any) -> str:
    # repr() of numpy scalars is "np.float64(4.0)" on numpy 2: convert first.
    if isinstance(v, numbers.Integral):
        return str(int(v))
    return repr(float(v))


def sklearn2pmml_predicate(column: str, op: str, value: Any) -> str:
    """``("V11", ">", 4)`` -> ``"X['V11'] > 4"`` (sklearn2pmml predicate syntax)."""
    if op not in OPS:
        raise ValueError(f"op must be one of {OPS}, got {op!r}")
    return f"X[{column!r}] {op} {_literal(value)}"


def sklearn2pmml_predictor(rules: Sequence[Rule], default: Any,
                           fit_df: pd.DataFrame | None = None) -> Callable[[pd.DataFrame], np.ndarray]:
    """``predict(df) -> np.ndarray`` built on ``sklearn2pmml.ruleset.RuleSetClassifier``.

    RuleSetClassifier.predict (sklearn2pmml 0.133.1) is per row and first-hit:
    ``eval_rows`` walks ``X.itertuples()``; for each row it tries the rules in
    order, each predicate being ``eval(expr_string, env)`` with ``X`` bound to
    a row accessor (``X['V11']`` -> tuple element); the first truthy predicate
    returns its score, else ``default_score``. The predicate *string* is
    re-``eval``-ed (i.e. re-compiled) for every row x rule tried. The result is
    an object-dtype pandas Series, converted here to a numpy array.
    ``fit`` is a no-op (returns self); it is called anyway, on ``fit_df`` if
    given, else lazily on the first DataFrame predicted.
    """
    from sklearn2pmml.ruleset import RuleSetClassifier

    rules = _check_rules(rules)
    clf = RuleSetClassifier(
        rules=[(sklearn2pmml_predicate(c, op, v), label) for c, op, v, label in rules],
        default_score=default,
    )
    state = {"fitted": False}
    if fit_df is not None:
        clf.fit(fit_df)
        state["fitted"] = True

    def predict(df: pd.DataFrame) -> np.ndarray:
        if not state["fitted"]:
            clf.fit(df)
            state["fitted"] = True
        out = clf.predict(df)
        return np.asarray(pd.Series(out).infer_objects().to_numpy())

    predict.classifier = clf  # type: ignore[attr-defined]
    return predict


# ------------------------------------------------------------------ ruleminer

def ruleminer_template(column: str, op: str, value: Any,
                       target: str = "Class", label: Any = 1) -> str:
    """``("V14", "<", -8)`` -> ``if ({"V14"} < -8) then ({"Class"} == 1)``.

    Column names inside ``{"..."}`` are regexes (full-match against the
    DataFrame's columns), so ``{"V1"}`` matches only V1 but ``{"V1.*"}``
    would match V1, V10..V19.
    """
    if op not in OPS:
        raise ValueError(f"op must be one of {OPS}, got {op!r}")
    lab = _literal(label) if isinstance(label, numbers.Real) and not isinstance(label, bool) \
        else '"' + str(label) + '"'
    return f'if ({{"{column}"}} {op} {_literal(value)}) then ({{"{target}"}} == {lab})'


def ruleminer_score(df: pd.DataFrame, templates: Sequence[str | dict],
                    params: dict | None = None) -> pd.DataFrame:
    """Run ``ruleminer.RuleMiner(templates=..., data=df, params=...)`` and
    return its rules DataFrame (columns rule_id, rule_group, rule_definition,
    one column per requested metric, encodings).

    ``templates``: strings like ``'if ({"V14"} < -8) then ({"Class"} == 1)'``
    or ruleminer's dicts ``{"expression": ..., "group": ..., "encodings": ...}``.
    ``params`` is passed through unchanged. Useful keys: ``"metrics"`` (list of
    metric names; default ["abs support", "abs exceptions", "confidence",
    "not applicable"]) and ``"filter"`` (dict metric -> minimum, default
    ``{"confidence": 0.5, "abs support": 2}`` -- rules below it are DROPPED;
    pass ``{"filter": {}}`` to keep every rule).

    Caveats (ruleminer 1.0.3): with the default ``apply_rules_on_indices=True``
    it temporarily adds a column named ``str(df.index.name)`` (e.g. "None") to
    *df itself* while mining (removed afterwards), so a column regex like
    ``{".*"}`` also yields rules on the index, e.g. ``{"None"}``; a rule with
    confidence exactly 1 makes the "conviction" metric raise
    ZeroDivisionError (uncaught: the whole call fails); "casual support",
    "certainty factor", "cosine" and "confirmed confidence" are accepted but
    silently dropped (not implemented); rules whose if-part never fires get
    NaN confidence / lift / added value etc.
    """
    import ruleminer

    templates = [t if isinstance(t, dict) else {"expression": t} for t in templates]
    miner = ruleminer.RuleMiner(templates=templates, data=df, params=params)
    return miner.rules


# ---------------------------------------------------------------------- misc

def versions() -> dict[str, str]:
    out = {}
    for dist in ("human-learn", "sklearn2pmml", "ruleminer", "numpy", "pandas",
                 "scikit-learn", "duckdb", "sqlglot", "pyarrow", "psutil"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out
