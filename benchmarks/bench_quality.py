"""Quality of the greedy rule list against a depth-4 decision tree and an ML baseline, same split.

    .venv/bin/python benchmarks/bench_quality.py

For each dataset: the greedy list of at most 8 rules (learned on train only), a depth-4
decision tree and a gradient-boosting model trained on the same train rows and numeric columns
the rules may use, all scored on the same held-out test rows (positive class).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.metrics import f1_score, precision_score, recall_score  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

import studio  # noqa: E402
from studio import mining  # noqa: E402
from studio.schema import NUMERIC  # noqa: E402

CASES = [("creditcard-synthetic", "Class", 1, []),
         ("bank-marketing", "y", "yes", ["duration"])]


def scores(y, p) -> str:
    return f"precision {precision_score(y, p, zero_division=0):.3f}, recall {recall_score(y, p):.3f}, " \
           f"F1 {f1_score(y, p):.3f}"


def main() -> None:
    for name, target, positive, drop in CASES:
        data = studio.load(name)
        split = data.split(target, positive=positive, test_size=0.5, seed=0)
        columns = [c for c in split.features if c not in drop and data.schema.kind(c) == NUMERIC]
        t0 = time.perf_counter()
        rules = mining.greedy_rules(split, max_rules=8, columns=columns)
        took = time.perf_counter() - t0
        ev = studio.evaluate(split, rules).test.metrics.positive
        frame = data.con.execute(f"SELECT * FROM {split.table}").df()
        X = frame[columns].to_numpy(dtype=float)
        y = (frame["__rs_label"] == split.positive).to_numpy()
        test = frame["__rs_test"].to_numpy() == 1
        tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X[~test], y[~test])
        tree_f1 = f1_score(y[test], tree.predict(X[test]))
        gbm = HistGradientBoostingClassifier(random_state=0).fit(X[~test], y[~test])
        print(f"{name} (numeric columns{' without ' + ', '.join(drop) if drop else ''}, {len(columns)}):")
        print(f"  greedy list, {len(rules.rules)} rules (built in {took:.1f} s): precision {ev.precision:.3f}, "
              f"recall {ev.recall:.3f}, F1 {ev.f1:.3f}")
        print(f"  depth-4 decision tree: {scores(y[test], tree.predict(X[test]))}")
        print(f"  gradient boosting (ML baseline): {scores(y[test], gbm.predict(X[test]))}")
        print(f"  greedy F1 / tree F1 = {ev.f1 / tree_f1:.3f} (target: at least 0.9)")
        text = [c for c in split.features if c not in drop and c not in columns]
        if text:
            t0 = time.perf_counter()
            wide = mining.greedy_rules(split, max_rules=8, columns=columns + text)
            took = time.perf_counter() - t0
            m = studio.evaluate(split, wide).test.metrics.positive
            print(f"  greedy list with the text columns too ({', '.join(text)}), {len(wide.rules)} rules "
                  f"(built in {took:.1f} s): precision {m.precision:.3f}, recall {m.recall:.3f}, F1 {m.f1:.3f}")


if __name__ == "__main__":
    main()
