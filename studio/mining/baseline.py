"""An ML baseline beside the rules: a gradient-boosting or logistic model trained on the same train
split, scored on the same held-out rows.

The model sees every feature column: numbers as DOUBLE (missing values kept for gradient
boosting, imputed with the train median for the logistic model); text and boolean columns as
categories gradient boosting splits on natively, one-hot encoded for the logistic model (values
unseen in train are missing, or ignored). Its test precision, recall and F1 are
the studio's (equal to ``sklearn.metrics``') at the chosen probability threshold; the
precision-recall curve is ``sklearn.metrics.precision_recall_curve`` over the test scores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..data.quoting import column
from ..data.schema import NUMERIC
from ..data.split import Split
from ..engine.compile import coordinate, fired_index_sql
from ..engine.metrics import Scores
from ..rules.model import RuleSet

MODELS = ("gradient boosting", "logistic regression")
MAX_CATEGORIES = 64
ROW = "__rs_row"


@dataclass(frozen=True)
class Baseline:
    """A model fitted on the train split and its scores for every test row."""

    model_name: str
    columns: tuple[str, ...]
    model: object = field(repr=False)
    test_rows: np.ndarray = field(repr=False)   # __rs_row of each test row
    test_true: np.ndarray = field(repr=False)   # is the row positive
    test_score: np.ndarray = field(repr=False)  # the model's probability of the positive class
    fit_seconds: float = 0.0
    train_rows: int = 0

    def scores(self, threshold: float = 0.5) -> Scores:
        """Test precision, recall and F1 with "positive" where the probability is at least ``threshold``
        (the studio's own scores, equal to ``sklearn.metrics``')."""
        predicted = self.test_score >= threshold
        return Scores.of(int((predicted & self.test_true).sum()), int(predicted.sum()), int(self.test_true.sum()))

    def curve(self) -> pd.DataFrame:
        """The test precision-recall curve: ``precision``, ``recall`` and the ``threshold`` of each point
        (the last point, recall 0, has none); computed once."""
        return self._curve

    @cached_property
    def _curve(self) -> pd.DataFrame:
        from sklearn.metrics import precision_recall_curve

        p, r, t = precision_recall_curve(self.test_true, self.test_score)
        return pd.DataFrame({"precision": p, "recall": r, "threshold": np.append(t, np.nan)})

    def average_precision(self) -> float:
        from sklearn.metrics import average_precision_score

        return float(average_precision_score(self.test_true, self.test_score))

    def precision_at_recall(self, recall: float) -> float:
        """The model's best test precision among thresholds that reach at least ``recall``."""
        c = self.curve()
        reached = c["precision"][c["recall"] >= recall]
        return float(reached.max()) if len(reached) else 0.0


def feature_columns(split: Split) -> list[str]:
    return list(split.features)


def _frame(split: Split, names: list[str], side: str) -> pd.DataFrame:
    schema = split.dataset.schema
    pos = split.labels.index(split.positive)
    values = ", ".join(
        f"{coordinate(c, None).sql('duckdb') if schema.kind(c) == NUMERIC else column(c).sql('duckdb') + '::VARCHAR'}"
        f" AS {column(c).sql('duckdb')}" for c in names)
    with split.dataset.lock:
        return split.dataset.con.execute(
            f"SELECT {ROW}, __rs_y = {pos} AS __positive{', ' + values if values else ''} FROM {split.table} "
            f"WHERE __rs_test = {int(side == 'test')} ORDER BY {ROW}").df()


def _pipeline(model_name: str, numeric: list[str], text: list[str], seed: int):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    # At most MAX_CATEGORIES columns per text column (the rarest values share one): an identifier
    # column cannot blow the dense matrix gradient boosting needs up to rows x distinct values.
    onehot = make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                           OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES,
                                         sparse_output=False))
    if model_name == "gradient boosting":
        # Text columns as categories the trees split on natively (one feature each, not one per value:
        # on a census-sized table with nine text columns, 15 features instead of 129, several times
        # faster); values unseen in train, and missing ones, are missing (-1) to the model.
        codes = make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                              OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                             max_categories=MAX_CATEGORIES))
        prep = ColumnTransformer([("num", "passthrough", numeric), ("text", codes, text)])
        categorical = [False] * len(numeric) + [True] * len(text) if text else None
        # Depth 4 and L2 1.0 without early stopping: scikit-learn's defaults (early stopping on a
        # 10 % validation cut, unbounded depth) stopped after 10 iterations on the credit-card data
        # (test average precision 0.40 against 0.80 with these settings; the same on bank marketing).
        return make_pipeline(prep, HistGradientBoostingClassifier(max_depth=4, l2_regularization=1.0,
                                                                  early_stopping=False, random_state=seed,
                                                                  categorical_features=categorical))
    if model_name == "logistic regression":
        scaled = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        prep = ColumnTransformer([("num", scaled, numeric), ("text", onehot, text)])
        return make_pipeline(prep, LogisticRegression(max_iter=2000))
    raise ValueError(f"model must be one of {', '.join(MODELS)}")


def fit_baseline(split: Split, model_name: str = "gradient boosting", columns: list[str] | None = None,
                 seed: int = 0) -> Baseline:
    """Fit the model on every train row of ``split`` and score every test row."""
    names = list(columns or feature_columns(split))
    schema = split.dataset.schema
    numeric = [c for c in names if schema.kind(c) == NUMERIC]
    text = [c for c in names if c not in numeric]
    train, test = _frame(split, names, "train"), _frame(split, names, "test")
    y = train.pop("__positive").to_numpy(bool)
    model = _pipeline(model_name, numeric, text, seed)
    start = time.perf_counter()
    model.fit(train[names], y)
    seconds = time.perf_counter() - start
    classes = list(model.classes_)
    score = model.predict_proba(test[names])[:, classes.index(True)] if True in classes else np.zeros(len(test))
    return Baseline(model_name, tuple(names), model, test[ROW].to_numpy(), test["__positive"].to_numpy(bool),
                    score, seconds, len(train))


def rule_predictions(split: Split, rules: RuleSet, rows: np.ndarray | None = None, side: str = "test") -> pd.DataFrame:
    """For the rows of one side (in row order): whether the rules predict the positive class, and
    the rule that decided (its name, or "default")."""
    fired_sql = fired_index_sql(rules, split.dataset.schema).sql("duckdb")
    with split.dataset.lock:
        frame = split.dataset.con.execute(
            f"SELECT {ROW}, {fired_sql} AS fired FROM {split.table} WHERE __rs_test = {int(side == 'test')} "
            f"ORDER BY {ROW}").df()
    labels = np.array([split.class_label(r.then) for r in rules.rules] + [split.class_label(rules.default)],
                      dtype=object)
    fired = frame["fired"].to_numpy()
    return pd.DataFrame({ROW: frame[ROW].to_numpy(), "rules_positive": labels[fired] == split.positive,
                         "rule": np.array(rules.names() + ["default"], dtype=object)[fired]})


@dataclass(frozen=True)
class Disagreements:
    """Held-out rows where the rules and the model disagree."""

    rules_only: int   # the rules say positive, the model does not
    model_only: int   # the model says positive, the rules do not
    table: pd.DataFrame  # at most ``limit`` rows, the most confident model first


def disagreements(split: Split, rules: RuleSet, baseline: Baseline, threshold: float = 0.5,
                  limit: int = 200) -> Disagreements:
    """The test rows the rules and the model (at ``threshold``) decide differently, each with its
    true class, what the rules say and which rule decided, the model's probability, and the row's
    feature values (a feature named like one of those columns gets " (value)" appended); the rows
    whose probability lies farthest from the threshold come first."""
    said = rule_predictions(split, rules)
    if not np.array_equal(said[ROW].to_numpy(), baseline.test_rows):
        raise ValueError("the baseline was fitted on another split")
    model_pos = baseline.test_score >= threshold
    rules_pos = said["rules_positive"].to_numpy(bool)
    differ = np.flatnonzero(model_pos != rules_pos)
    sure = np.abs(baseline.test_score[differ] - threshold)
    picked = differ[np.argsort(-sure, kind="stable")[:limit]]
    table = pd.DataFrame({
        "row": baseline.test_rows[picked],
        "actual": np.where(baseline.test_true[picked], split.positive, "other"),
        "rules say": np.where(rules_pos[picked], split.positive, "other"),
        "rule": said["rule"].to_numpy()[picked],
        "model probability": baseline.test_score[picked],
        "model says": np.where(model_pos[picked], split.positive, "other"),
    })
    if len(picked):
        names = ", ".join(column(c).sql("duckdb") for c in baseline.columns)
        with split.dataset.lock:
            values = split.dataset.con.execute(
                f"SELECT {ROW}, {names} FROM {split.table} WHERE {ROW} IN (SELECT unnest(?::BIGINT[]))",
                [table["row"].astype("int64").tolist()]).df().set_index(ROW)
        values.columns = [f"{c} (value)" if c in table.columns else c for c in values.columns]
        table = table.join(values, on="row")
    return Disagreements(int((rules_pos & ~model_pos).sum()), int((model_pos & ~rules_pos).sum()), table)
