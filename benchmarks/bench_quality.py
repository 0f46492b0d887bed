"""Quality of the studio's rule list against the rule learners an analyst could run instead.

    .venv-bench/bin/python -m benchmarks.bench_quality            # every table
    .venv-bench/bin/python -m benchmarks.bench_quality bank       # tables whose name holds "bank"

For each table (``benchmarks/quality_tables.py`` says where each comes from), on the studio's own
split (test fraction 0.5, seed 0): the studio's list (``search_rules``: at most 8 rules of at most 3
conditions, learned on train only; and the old greedy walk for reference) against wittgenstein's
RIPPER, imodels' FIGS, RuleFit, SkopeRules, BoostedRules, GreedyRuleList, a depth-4 tree and gradient
boosting (``quality_peers.py``: each fitted on the same train rows, its threshold tuned for F1 on
train). Printed: test precision, recall and F1 of the positive class, rules, conditions, fit time,
train F1; per table the gap to the interpretable peer with the best train F1 (the one an analyst
would pick), to the tree and to gradient boosting; then the targets.
A peer that runs longer than PEER_SECONDS (600) on a table is stopped and reported as such.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import warnings

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score

import studio
from studio import mining
from studio.data.schema import NUMERIC
from studio.mining.listsearch import SearchSettings, search_rules

from .quality_peers import PeerResult, encode, fit_peer, peers
from .quality_tables import TABLES, folder, table_file

PEER_SECONDS = float(os.environ.get("PEER_SECONDS", 600))


def run_peer(name, make, interpretable, Xtr, ytr, Xte) -> PeerResult:
    """The peer fitted in a forked child process (it inherits the data), stopped after PEER_SECONDS."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def work():
        send.send(fit_peer(name, make, interpretable, Xtr, ytr, Xte))

    child = context.Process(target=work)
    child.start()
    if receive.poll(PEER_SECONDS):
        result = receive.recv()
        child.join()
        return result
    child.kill()
    child.join()
    return PeerResult(name, float("nan"), np.zeros(len(Xte), bool), None, None, PEER_SECONDS, interpretable,
                      f"stopped after {PEER_SECONDS:.0f} s")


def line(name, y, pred, rules, conditions, seconds, train_f1, note="") -> str:
    p, r, f = precision_score(y, pred, zero_division=0), recall_score(y, pred), f1_score(y, pred)
    size = f"{rules if rules is not None else '-':>5} {conditions if conditions is not None else '-':>5}"
    train = "  -  " if train_f1 is None or np.isnan(train_f1) else f"{train_f1:.3f}"
    return f"  {name:<26} {p:6.3f} {r:6.3f} {f:6.3f}  {size} {seconds:8.1f}  {train}  {note}"


def studio_row(split, rules, name, seconds):
    pred = studio.evaluate(split, rules)
    m = pred.test.metrics.positive
    train = pred.train.metrics.positive.f1
    return m.f1, train, len(rules.rules), sum(len(r.when) for r in rules.rules), seconds


def run_table(table, where) -> dict:
    data = studio.load(table_file(table, where))
    split = data.split(table.target, positive=table.positive, test_size=0.5, seed=0)
    columns = [c for c in split.features if c not in table.drop]
    t0 = time.perf_counter()
    found = search_rules(split, settings=SearchSettings(columns=tuple(columns)))
    took = time.perf_counter() - t0
    t0 = time.perf_counter()
    greedy = mining.greedy_rules(split, max_rules=8, columns=columns)
    greedy_took = time.perf_counter() - t0
    frame = data.con.execute(f"SELECT * FROM {split.table} ORDER BY __rs_row").df()
    test = frame["__rs_test"].to_numpy() == 1
    y = (frame["__rs_label"] == split.positive).to_numpy()
    from studio.runtime.pyeval import fired_index
    numeric = [c for c in columns if data.schema.kind(c) == NUMERIC]
    text = [c for c in columns if c not in numeric]
    Xtr, Xte, _ = encode(frame.loc[~test, columns], frame.loc[test, columns], numeric, text)
    tr, te = split.counts["train"][split.positive], split.counts["test"][split.positive]
    print(f"\n{table.name}: {table.about}; {data.n_rows:,} rows, {len(columns)} columns, "
          f"{tr:,} / {te:,} positives in train / test")
    print(f"  {'learner':<26} {'prec':>6} {'recall':>6} {'F1':>6}  {'rules':>5} {'conds':>5} {'fit s':>8}  train F1")
    results = {}
    for label, rules, seconds, note in (("studio list (search)", found.rules, took,
                                         f"{found.lists} lists, {found.stopped}"),
                                        ("studio greedy walk", greedy, greedy_took, "")):
        positive = [i for i, r in enumerate(rules.rules) if split.class_label(r.then) == split.positive]
        pred = np.isin(fired_index(frame.loc[test], rules.to_dict()), positive)  # exceptions give the default
        ev = studio.evaluate(split, rules)
        assert abs(f1_score(y[test], pred) - ev.test.metrics.positive.f1) < 1e-12  # two evaluations agree
        results[label] = (f1_score(y[test], pred), ev.train.metrics.positive.f1)
        print(line(label, y[test], pred, len(rules.rules), sum(len(r.when) for r in rules.rules), seconds,
                   ev.train.metrics.positive.f1, note))
    for name, (make, interpretable) in peers().items():
        r = run_peer(name, make, interpretable, Xtr, y[~test], Xte)
        results[name] = (float("nan") if r.error else f1_score(y[test], r.test_pred), r.train_f1, interpretable)
        print(line(name, y[test], r.test_pred, r.rules, r.conditions, r.seconds, r.train_f1, r.error))
    ours = results["studio list (search)"][0]
    candidates = {n: v for n, v in results.items() if len(v) == 3 and v[2] and not np.isnan(v[1])}
    pick = max(candidates, key=lambda n: candidates[n][1])
    gap = ours - candidates[pick][0]
    tree_gap = ours - results["depth-4 tree"][0]
    gb_gap = ours - results["gradient boosting"][0]
    print(f"  gap to the peer with the best train F1 ({pick}): {gap:+.3f}; to the depth-4 tree: {tree_gap:+.3f}; "
          f"to gradient boosting: {gb_gap:+.3f}")
    return dict(name=table.name, gap=gap, tree_gap=tree_gap, gb_gap=gb_gap, seconds=took, pick=pick)


def main(argv: list[str]) -> None:
    warnings.filterwarnings("ignore")  # the peers' deprecation notices would bury the table
    where = folder()
    chosen = [t for t in TABLES if not argv or any(a.lower() in t.name.lower() for a in argv)]
    rows = [run_table(t, where) for t in chosen]
    n = len(rows)
    at_or_above = sum(r["gap"] >= 0 for r in rows)
    mean_gap = float(np.mean([r["gap"] for r in rows]))
    worst_tree = min(r["tree_gap"] for r in rows)
    mean_gb = float(np.mean([r["gb_gap"] for r in rows]))
    print(f"\nSummary over {n} tables:")
    print(f"  at or above the interpretable peer with the best train F1 on {at_or_above} of {n} "
          f"(target: at least {-(-2 * n // 3)}) {'met' if 3 * at_or_above >= 2 * n else 'NOT met'}")
    print(f"  mean gap to that peer {mean_gap:+.3f} (target >= 0) {'met' if mean_gap >= 0 else 'NOT met'}")
    print(f"  worst gap to the depth-4 tree {worst_tree:+.3f} (target >= -0.02) "
          f"{'met' if worst_tree >= -0.02 else 'NOT met'}")
    print(f"  mean gap to gradient boosting {mean_gb:+.3f} (target >= -0.05) {'met' if mean_gb >= -0.05 else 'NOT met'}")
    for r in rows:
        if r["name"] == "creditcard-synthetic":
            print(f"  list built on the 284,807-row credit-card table in {r['seconds']:.1f} s (target <= 10 s) "
                  f"{'met' if r['seconds'] <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main(sys.argv[1:])
