"""The studio's list against a depth-4 tree over several splits: one split's gap may be luck.

    .venv-bench/bin/python -m benchmarks.bench_tree_seeds creditcard --seeds 0 1 2 3 4

For each table named (a part of its name, ``benchmarks/quality_tables.py``) and each seed, the
studio's split (test fraction 0.5) with that seed; the list (``search_rules``, default settings, as
in ``bench_quality``) and the depth-4 tree (its decision threshold tuned on train, as the quality
benchmark's peer) are fitted on train and scored on test (positive-class F1); then the mean gap.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from sklearn.metrics import f1_score

import studio
from studio.data.schema import NUMERIC
from studio.mining.listsearch import SearchSettings, search_rules

from .quality_peers import encode, fit_peer, peers
from .quality_tables import TABLES, folder, table_file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tables", nargs="+")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    where = folder()
    for table in [t for t in TABLES if any(a.lower() in t.name.lower() for a in args.tables)]:
        data = studio.load(table_file(table, where))
        print(f"\n{table.name}: {table.about}")
        print(f"  {'seed':>4}  {'list F1':>7} {'rules':>5} {'fit s':>6}  {'tree F1':>7}  {'gap':>6}")
        gaps = []
        for seed in args.seeds:
            split = data.split(table.target, positive=table.positive, test_size=0.5, seed=seed)
            columns = [c for c in split.features if c not in table.drop]
            found = search_rules(split, settings=SearchSettings(columns=tuple(columns)))
            ours = studio.evaluate(split, found.rules).test.metrics.positive.f1
            frame = data.con.execute(f"SELECT * FROM {split.table} ORDER BY __rs_row").df()
            test = frame["__rs_test"].to_numpy() == 1
            y = (frame["__rs_label"] == split.positive).to_numpy()
            numeric = [c for c in columns if data.schema.kind(c) == NUMERIC]
            Xtr, Xte, _ = encode(frame.loc[~test, columns], frame.loc[test, columns], numeric,
                                 [c for c in columns if c not in numeric])
            make, interpretable = peers(seed=0)["depth-4 tree"]
            tree = f1_score(y[test], fit_peer("depth-4 tree", make, interpretable, Xtr, y[~test], Xte).test_pred)
            gaps.append(ours - tree)
            print(f"  {seed:>4}  {ours:7.3f} {len(found.rules.rules):>5} {found.elapsed:6.1f}  {tree:7.3f}  "
                  f"{ours - tree:+6.3f}", flush=True)
        print(f"  mean gap to the depth-4 tree over {len(gaps)} splits: {np.mean(gaps):+.3f} "
              f"(worst {min(gaps):+.3f}, best {max(gaps):+.3f})")


if __name__ == "__main__":
    main()
