"""A rule set as a scikit-learn classifier.

The class below depends only on numpy, pandas, scikit-learn and
:mod:`studio.runtime.pyeval` (``condition_mask``, ``read_missing``, ``polygon_mask`` and the operators'
``SHAPES``);
the Python export copies them into a standalone module, so the estimator also ships as code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from .pyeval import SHAPES, condition_mask, polygon_mask, read_missing

__all__ = ["RuleSetClassifier"]


class RuleSetClassifier(ClassifierMixin, BaseEstimator):
    """Ordered CaseWhen rules as a classifier: first enabled rule that holds wins, else the default.

    Parameters
    ----------
    rules : dict or RuleSet, default=None
        A ``rule-studio/1`` rule set. Without rules every row gets the default label,
        which is then the most frequent training label when the rule set names none.
    missing : tuple of str, default=()
        Texts the data writes for a missing value (``"?"``, ``"NA"`` …): read as missing, and a
        text column compared with a number read as numbers.

    Every numeric threshold is also a parameter, ``threshold_<rule>_<condition>``
    (0-based; ``_low``/``_high`` for ``between``), so ``GridSearchCV`` can tune them:
    ``GridSearchCV(clf, {"threshold_0_0": [3, 4, 5]})``. Polygon vertices are not parameters.

    Attributes (after ``fit``): ``classes_``, ``rule_precision_`` (training precision
    of each rule, in first-hit order, None where it fired on no row),
    ``rule_distribution_`` (class shares among the training rows each rule took; last
    entry: the default), ``default_``, ``n_features_in_``, ``feature_names_in_``.
    """

    def __init__(self, rules=None, missing=()):
        self.rules = rules
        self.missing = missing

    # ---- parameters: the thresholds ----------------------------------------------
    def _spec(self) -> dict:
        rules = self.rules
        if rules is None:
            return {"rules": []}
        return rules.to_dict() if hasattr(rules, "to_dict") else rules

    def _threshold_slots(self):
        """(parameter name, rule index, condition index, position or None) per numeric threshold."""
        for i, r in enumerate(self._spec().get("rules", [])):
            for j, c in enumerate(r["when"]):
                v = c.get("value")
                shape = SHAPES[c["op"]]
                if shape == "pair":
                    for k, end in enumerate(("low", "high")):
                        if _is_number(v[k]):
                            yield f"threshold_{i}_{j}_{end}", i, j, k
                elif shape == "scalar" and _is_number(v):
                    yield f"threshold_{i}_{j}", i, j, None

    def get_params(self, deep=True):
        params = {"rules": self.rules, "missing": self.missing}
        if deep:
            spec = self._spec()
            for name, i, j, k in self._threshold_slots():
                v = spec["rules"][i]["when"][j]["value"]
                params[name] = v if k is None else v[k]
        return params

    def set_params(self, **params):
        if "rules" in params:
            self.rules = params.pop("rules")
        if "missing" in params:
            self.missing = params.pop("missing")
        if not params:
            return self
        slots = {name: (i, j, k) for name, i, j, k in self._threshold_slots()}
        unknown = sorted(set(params) - set(slots))
        if unknown:
            raise ValueError(f"invalid parameter {unknown[0]!r} for {type(self).__name__}; "
                             f"valid: {sorted(['missing', 'rules', *slots])}")
        import copy
        spec = copy.deepcopy(self._spec())
        for name, value in params.items():
            i, j, k = slots[name]
            cond = spec["rules"][i]["when"][j]
            if k is None:
                cond["value"] = value
            else:
                pair = list(cond["value"])
                pair[k] = value
                cond["value"] = pair
        self.rules = spec
        return self

    # ---- scikit-learn API ------------------------------------------------------------
    def fit(self, X, y):
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        frame = self._frame(X, reset=True)
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=True), warn=True)
        check_classification_targets(y)
        if len(y) != len(frame):
            raise ValueError(f"X has {len(frame)} rows but y has {len(y)}")
        spec = self._spec()
        values, counts = np.unique(y, return_counts=True)
        self.default_ = spec["default"] if "default" in spec else values[np.argmax(counts)]
        labels = [r["then"] for r in spec.get("rules", [])] + [self.default_]
        self.classes_ = np.unique(np.concatenate([values.astype(object), np.asarray(labels, dtype=object)])
                                  ).astype(values.dtype if values.dtype.kind != "U" else object) \
            if _same_kind(values, labels) else values
        if self.classes_.dtype == object and values.dtype.kind == "U":
            self.classes_ = self.classes_.astype(str)
        fired = self._fired(frame)
        self.rule_precision_, self.rule_distribution_ = [], []
        for i, label in enumerate(labels):
            took = y[fired == (i if i < len(labels) - 1 else -1)]
            share = np.array([np.mean(took == c) if len(took) else float(c == label) for c in self.classes_])
            self.rule_distribution_.append(share)
            if i < len(labels) - 1:
                self.rule_precision_.append(float(np.mean(took == label)) if len(took) else None)
        return self

    def predict(self, X):
        check_is_fitted(self, "classes_")
        frame = self._frame(X)
        labels = np.asarray([r["then"] for r in self._spec().get("rules", [])] + [self.default_], dtype=object)
        return _tidy(labels[self._fired(frame)], self.classes_)

    def predict_proba(self, X):
        """Each row gets the class distribution of the training rows its rule took (its precision
        for the rule's own label)."""
        check_is_fitted(self, "classes_")
        table = np.vstack(self.rule_distribution_)
        return table[self._fired(self._frame(X))]

    def explain(self, X):
        """The name of the rule that fired for each row (``rule N`` when unnamed); None for the default."""
        check_is_fitted(self, "classes_")
        rules = self._spec().get("rules", [])
        names = np.array([r.get("name") or f"rule {i}" for i, r in enumerate(rules, start=1)] + [None],
                         dtype=object)
        return names[self._fired(self._frame(X))]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.classifier_tags.poor_score = True
        return tags

    # ---- internals -------------------------------------------------------------------------
    def _frame(self, X, reset=False) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            if len(X) == 0:
                raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
            frame = X
        else:
            arr = check_array(X, dtype=None, ensure_all_finite="allow-nan")
            frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
        if reset:
            self.n_features_in_ = frame.shape[1]
            if isinstance(X, pd.DataFrame):
                self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif frame.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {frame.shape[1]} features, but {type(self).__name__} "
                             f"is expecting {self.n_features_in_} features as input")
        used = set()
        for r in self._spec().get("rules", []):
            for c in r["when"] if r.get("enabled", True) else []:
                used.add(c["column"])
                if SHAPES[c["op"]] == "polygon":
                    used.add(c["value"]["y"])
        missing = used - set(frame.columns)
        if missing:
            raise ValueError(f"X has no column {sorted(missing)[0]!r}")
        return frame

    def _fired(self, frame) -> np.ndarray:
        fired = np.full(len(frame), -1, dtype=np.int64)
        for i, r in enumerate(self._spec().get("rules", [])):
            if not r.get("enabled", True):
                continue
            mask = np.ones(len(frame), dtype=bool)
            for c in r["when"]:
                if SHAPES[c["op"]] == "polygon":
                    mask &= polygon_mask(read_missing(frame[c["column"]], self.missing, 0.0),
                                         read_missing(frame[c["value"]["y"]], self.missing, 0.0), c["value"]["vertices"])
                else:
                    mask &= condition_mask(read_missing(frame[c["column"]], self.missing, c.get("value")), c["op"],
                                           c.get("value"))
            fired[(fired < 0) & mask] = i
        return fired


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _same_kind(values, labels) -> bool:
    try:
        np.asarray(labels, dtype=values.dtype)
        return all(type(l) is not bool for l in labels) or values.dtype == bool
    except (ValueError, TypeError):
        return False


def _tidy(predictions, classes):
    """Predictions with the dtype of ``classes_`` where they fit it."""
    try:
        return predictions.astype(classes.dtype)
    except (ValueError, TypeError):
        return predictions
