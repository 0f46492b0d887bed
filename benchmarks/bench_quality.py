"""Quality of the greedy rule list against a depth-4 decision tree and the ML baselines, same split.

    .venv/bin/python -m benchmarks.bench_quality

For each dataset: the greedy list of at most 8 rules (learned on train only), a depth-4
decision tree, and the studio's ML baselines (gradient boosting, logistic regression) trained on
the same train rows and the same columns the rules may use, all scored on the same held-out test
rows (positive class). First with the numeric columns only; then, where the data has text columns,
with every column (text one-hot encoded for the tree and the baselines).
The tree and the baselines predict at their 0.5 probability threshold; the baselines' average
precision and best precision at the greedy list's recall are given too.
"""

from __future__ import annotations

import time


from sklearn.compose import ColumnTransformer
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.tree import DecisionTreeClassifier

import studio
from studio import mining
from studio.mining.baseline import MODELS, fit_baseline
from studio.data.schema import NUMERIC

CASES = [("creditcard-synthetic", "Class", 1, []),
         ("bank-marketing", "y", "yes", ["duration"])]


def scores(y, p) -> str:
    return f"precision {precision_score(y, p, zero_division=0):.3f}, recall {recall_score(y, p):.3f}, " \
           f"F1 {f1_score(y, p):.3f}"


def compare(split, columns: list[str], title: str) -> None:
    data = split.dataset
    numeric = [c for c in columns if data.schema.kind(c) == NUMERIC]
    text = [c for c in columns if c not in numeric]
    t0 = time.perf_counter()
    rules = mining.greedy_rules(split, max_rules=8, columns=columns)
    took = time.perf_counter() - t0
    ev = studio.evaluate(split, rules).test.metrics.positive
    frame = data.con.execute(f"SELECT * FROM {split.table}").df()
    y = (frame["__rs_label"] == split.positive).to_numpy()
    test = frame["__rs_test"].to_numpy() == 1
    prep = ColumnTransformer([("num", "passthrough", numeric),
                              ("text", OneHotEncoder(handle_unknown="ignore"), text)])
    tree = make_pipeline(prep, DecisionTreeClassifier(max_depth=4, random_state=0))
    tree.fit(frame.loc[~test, columns], y[~test])
    tree_pred = tree.predict(frame.loc[test, columns])
    tree_f1 = f1_score(y[test], tree_pred)
    print(f"{data.name}, {title} ({len(columns)}):")
    print(f"  greedy list, {len(rules.rules)} rules (built in {took:.1f} s): precision {ev.precision:.3f}, "
          f"recall {ev.recall:.3f}, F1 {ev.f1:.3f}")
    print(f"  depth-4 decision tree{' (text one-hot)' if text else ''}: {scores(y[test], tree_pred)}")
    for model in MODELS:
        base = fit_baseline(split, model, columns)
        m = base.scores(0.5)
        print(f"  {model} (ML baseline{', text one-hot' if text else ''}): precision {m.precision:.3f}, "
              f"recall {m.recall:.3f}, F1 {m.f1:.3f}; average precision {base.average_precision():.3f}, "
              f"precision at the list's recall {base.precision_at_recall(ev.recall):.3f}")
    print(f"  greedy F1 / tree F1 = {ev.f1 / tree_f1:.3f} (target: at least 0.9)")


def main() -> None:
    for name, target, positive, drop in CASES:
        data = studio.load(name)
        split = data.split(target, positive=positive, test_size=0.5, seed=0)
        every = [c for c in split.features if c not in drop]
        numeric = [c for c in every if data.schema.kind(c) == NUMERIC]
        without = f" without {', '.join(drop)}" if drop else ""
        compare(split, numeric, f"numeric columns{without}")
        if len(every) > len(numeric):
            compare(split, every, f"every column{without}")


if __name__ == "__main__":
    main()
