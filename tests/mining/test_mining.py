"""Mined threshold candidates: counts from DuckDB's histograms against numpy on the same rows, and
the list objective against the studio's own evaluation of the list with the candidate added."""

import numpy as np
import pandas as pd
import pytest

import studio
from studio import mining
from studio.mining import counting
from studio.mining.candidates import _simplify
from studio.rules import rule


@pytest.fixture(scope="module")
def train(credit_split):
    con = credit_split.dataset.con
    return con.execute(f"SELECT * FROM {credit_split.table} WHERE __rs_test = 0").df()


def test_every_candidate_count_equals_numpy(credit_split, train):
    rules = studio.ruleset([rule(("V11", ">", 4), then=1)], default=0)
    scan = mining.scan_thresholds(credit_split, rules, columns=["V14", "V17", "Amount", "Time"])
    undecided = train[~(train["V11"] > 4)]
    pos = (undecided["__rs_label"] == "1").to_numpy()
    assert scan.undecided == len(undecided) and scan.positives == 246
    assert set(scan.candidates["column"]) == {"V14", "V17", "Amount", "Time"}
    for name, group in scan.candidates.groupby("column"):
        assert 100 < len(group) <= 2 * 255
        x = undecided[name].to_numpy()
        for op, t, fired, tp in group[["op", "threshold", "train_fired", "train_tp"]].itertuples(index=False):
            hit = x <= t if op == "<=" else x > t
            assert (fired, tp) == (hit.sum(), (hit & pos).sum()), (name, op, t)


def test_list_objective_equals_the_evaluation_of_the_list(credit_split):
    base = studio.ruleset([rule(("V11", ">", 4), then=1)], default=0)
    ranked = mining.score(mining.scan_thresholds(credit_split, base), "f1")
    assert list(ranked["objective"]) == sorted(ranked["objective"], reverse=True)
    for _, top in ranked.head(3).iterrows():
        with_rule = base.add(mining.candidate_rule(top, 1))
        m = studio.evaluate(credit_split, with_rule).train.metrics.positive
        assert top["list_f1"] == pytest.approx(m.f1, abs=1e-12)
        assert top["list_recall"] == pytest.approx(m.recall, abs=1e-12)
    lift = mining.score(mining.scan_thresholds(credit_split, base), "lift", min_rows=20)
    assert lift["train_fired"].iloc[0] >= 20
    at = mining.score(mining.scan_thresholds(credit_split, base), "precision_at_recall", min_recall=0.7)
    assert at["list_recall"].iloc[0] >= 0.7


def test_greedy_list_improves_the_train_objective_at_every_step(credit_split):
    rules = mining.greedy_rules(credit_split, max_rules=3)
    assert 1 <= len(rules.rules) <= 3
    f1 = [studio.evaluate(credit_split, studio.ruleset(rules.rules[:k], default=0)).train.metrics.positive.f1
          for k in range(1, len(rules.rules) + 1)]
    assert f1 == sorted(f1) and len(set(f1)) == len(f1)


def test_tree_candidates_are_counted_with_the_rule_semantics(credit_split, train):
    from studio.rules import Condition

    found = mining.tree_candidates(credit_split, depth=3, columns=["V14", "V17", "V12", "Amount"])
    assert found and all(1 <= len(c) <= 3 for c in found)
    for conds in found:
        keys = [(c.column, c.op) for c in conds]
        assert len(keys) == len(set(keys))  # one bound per column and direction
    counted = mining.count_candidates(credit_split, None, found)
    pos = (train["__rs_label"] == "1").to_numpy()
    for conds, fired, tp in counted.itertuples(index=False):
        hit = np.ones(len(train), dtype=bool)
        for c in conds:
            x = train[c.column].to_numpy()
            hit &= x <= c.value if c.op == "<=" else x > c.value
        assert (fired, tp) == (hit.sum(), (hit & pos).sum())
    assert _simplify((Condition("a", "<=", 3.0), Condition("b", ">", 1.0), Condition("a", "<=", 2.0))) == \
        (Condition("a", "<=", 2.0), Condition("b", ">", 1.0))


def test_value_sets_of_text_columns_are_prefixes_by_positive_rate():
    data = studio.load("bank-marketing-sample")
    split = data.split("y", positive="yes", test_size=0.5, seed=0)
    found = mining.set_candidates(split, columns=["month", "poutcome"], max_values=4)
    train = data.con.execute(f"SELECT * FROM {split.table} WHERE __rs_test = 0").df()
    for name in ("month", "poutcome"):
        sets = [c[0].value for c in found if c[0].column == name]
        assert sets and all(len(b) == len(a) + 1 and b[:len(a)] == a for a, b in zip(sets, sets[1:]))
        rate = train.groupby(name)["__rs_label"].apply(lambda s: (s == "yes").mean())
        assert rate[sets[0][0]] == rate.max()
    counted = mining.count_candidates(split, None, found)
    pos = (train["__rs_label"] == "yes").to_numpy()
    for conds, fired, tp in counted.itertuples(index=False):
        hit = train[conds[0].column].isin(conds[0].value).to_numpy()
        assert (fired, tp) == (hit.sum(), (hit & pos).sum())
    listed = mining.suggestions(split, None, top=10)
    assert {"rule", "train_precision", "test_precision", "diverges"} <= set(listed.columns)


@pytest.mark.parametrize("dtype", ["float64", "float32", "Int64"])
def test_single_comparisons_counted_from_histograms_equal_row_by_row_tests(dtype, monkeypatch):
    """Every comparison operator, with ties, real NaN and missing values, both sides, after a rule, in
    one call with conjunctions and text candidates: the histogram path and the bound-parameter path
    equal the studio's own compiled test of the same conditions."""
    import pandas as pd
    from studio.rules import Condition

    rng = np.random.default_rng(3)
    values = rng.integers(-5, 6, 3000).astype(float) / 2
    frame = pd.DataFrame({"x": pd.array(values if dtype != "Int64" else np.round(values), dtype=dtype),
                          "z": rng.normal(size=3000), "t": rng.choice(["a", "b", "c"], 3000),
                          "y": rng.integers(0, 2, 3000)})
    frame["x"] = frame["x"].mask(rng.random(3000) < 0.05)  # missing
    data = studio.Dataset.from_dataframe(frame)
    if dtype != "Int64":
        data.con.execute("UPDATE data SET x = 'nan'::DOUBLE WHERE rowid % 17 = 0")  # NaN, not NULL
        assert data.con.execute("SELECT count_if(isnan(x)) FROM data").fetchone()[0] > 100
    split = data.split("y", positive=1, test_size=0.5, seed=0)
    rules = studio.ruleset([rule(("z", ">", 1.5), then=1)], default=0)
    conds = [(Condition("x", op, t),) for op in ("<", "<=", ">", ">=", "==", "!=")
             for t in (-3, -2.5, -0.25, 0, 1, 2.5, 2.75, 10)]
    conds.insert(5, (Condition("x", ">", 0), Condition("z", "<", 0.5)))
    conds.insert(20, (Condition("t", "in", ("a", "c")),))
    conds.append((Condition("z", "<=", 0.0),))
    monkeypatch.setattr(counting, "HISTOGRAM_FROM", 1)
    histogram = mining.count_candidates(split, rules, conds, "both")
    monkeypatch.setattr(counting, "HISTOGRAM_FROM", 10_000)
    bound = mining.count_candidates(split, rules, conds, "both")       # count_if against bound parameters
    train_only = mining.count_candidates(split, rules, conds, "train")
    monkeypatch.setattr(counting, "single_number", lambda *a: False)
    compiled = mining.count_candidates(split, rules, conds, "both")    # the rule semantics, compiled
    assert histogram.drop(columns="when").equals(compiled.drop(columns="when"))
    assert bound.drop(columns="when").equals(compiled.drop(columns="when"))
    assert train_only.drop(columns="when").equals(compiled[["train_fired", "train_tp"]])
    assert compiled["train_fired"].sum() > 0 and compiled["test_tp"].sum() > 0
    undecided = data.con.execute(f"SELECT x, __rs_test FROM {split.table} WHERE NOT z > 1.5").df()
    x = undecided["x"].to_numpy(dtype=float)  # NaN and missing alike: no comparison holds
    for op in ("<", "!="):
        k = next(i for i, c in enumerate(conds) if c[0].op == op and c[0].value == 0)
        c = conds[k][0]
        hit = {"<": x < c.value, "!=": (x != c.value) & ~np.isnan(x)}[c.op]
        assert compiled["train_fired"][k] == (hit & (undecided["__rs_test"] == 0).to_numpy()).sum()


def test_trees_split_text_and_boolean_columns_too():
    """A rule that needs a number and a text value together is found by the trees, and counted
    exactly; paths through value indicators simplify to one value set per column."""
    import pandas as pd
    from studio.rules import Condition

    rng = np.random.default_rng(1)
    n = 4000
    frame = pd.DataFrame({"amount": rng.exponential(100, n), "city": rng.choice(["a", "b", None, "c d"], n),
                          "flag": rng.choice([True, False], n), "noise": rng.normal(size=n)})
    frame["fraud"] = (frame["amount"] > 250) & (frame["city"] == "b") | (rng.random(n) < 0.01)
    split = studio.Dataset.from_dataframe(frame).split("fraud", positive=True, test_size=0.3, seed=1)
    found = mining.tree_candidates(split, depth=3)
    assert any({c.column for c in w} == {"amount", "city"} and Condition("city", "in", ("b",)) in w for w in found)
    for w in found:
        for c in w:
            if c.column == "flag":
                assert c.op == "in" and c.value in ((True,), (False,))  # never "not in" a boolean
    best = mining.suggestions(split, None, top=1)
    (amount, city) = best["when"][0]
    assert (amount.column, amount.op, city) == ("amount", ">", Condition("city", "in", ("b",)))
    train = split.dataset.con.execute(f"SELECT * FROM {split.table} WHERE __rs_test = 0").df()
    hit = (train["amount"] > amount.value) & (train["city"] == "b")
    assert best["train_rows"][0] == hit.sum()
    assert best["train_precision"][0] == (hit & (train["__rs_label"] == "true")).sum() / hit.sum()

    a, b, c = (Condition("t", "not in", ("a",)), Condition("t", "not in", ("c",)), Condition("t", "in", ("b",)))
    assert _simplify((a, Condition("x", ">", 1.0), b)) == (Condition("t", "not in", ("a", "c")),
                                                                   Condition("x", ">", 1.0))
    assert _simplify((a, c)) == (c,)
    assert _simplify((c, Condition("t", "not in", ("b",)))) == ()       # contradicts itself
    assert _simplify((c, Condition("t", "in", ("a",)))) == ()


def test_past_the_block_size_thresholds_come_from_runs_of_rows_and_counts_stay_exact(monkeypatch):
    """Large splits read the quantiles off evenly spaced runs of consecutive train rows (DuckDB then
    skips the other row groups); the candidates are still counted on every undecided train row."""
    from studio.mining import candidates

    rng = np.random.default_rng(3)
    n = 600_000  # five row groups of DuckDB's 122,880 rows
    frame = pd.DataFrame({"x": rng.normal(size=n), "w": rng.integers(0, 1000, n).astype(float),
                          "y": (rng.random(n) < 0.05).astype(int)})
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1, test_size=0.5, seed=0)
    monkeypatch.setattr(candidates, "BLOCKS_FROM", 100_000)
    monkeypatch.setattr(candidates, "QUANTILE_ROWS", 4_000)
    train_rows = sum(split.counts["train"].values())
    where = candidates.quantile_rows(split, train_rows)
    con = split.dataset.con
    picked = con.execute(f"SELECT __rs_row FROM {split.table} WHERE __rs_test = 0 AND {where}").df()["__rs_row"]
    runs = np.split(np.sort(picked.to_numpy()), np.flatnonzero(np.diff(np.sort(picked.to_numpy())) > 10_000) + 1)
    assert 3_000 <= len(picked) <= 6_000 and 2 <= len(runs) <= 8  # a few runs, spread over the table
    assert all(run[-1] - run[0] < candidates.BLOCK_ROWS for run in runs) and runs[-1][0] > n // 2
    plan = con.execute(f"EXPLAIN ANALYZE SELECT count(x) FROM {split.table} WHERE __rs_test = 0 AND {where}"
                       ).fetchall()[0][1]
    scanned = [line for line in plan.splitlines() if "Row Groups Scanned" in line]
    assert scanned and all(int(line.split(":")[1].split("/")[0]) < 5 for line in scanned), plan
    split.cache.clear()
    scan = mining.scan_thresholds(split, columns=["x", "w"])
    train = con.execute(f"SELECT x, w, __rs_y FROM {split.table} WHERE __rs_test = 0").df()
    pos = (train["__rs_y"] == split.labels.index(split.positive)).to_numpy()
    assert len(scan.candidates) > 200
    for name, op, t, fired, tp in scan.candidates[["column", "op", "threshold", "train_fired", "train_tp"]
                                                  ].itertuples(index=False):
        hit = train[name].to_numpy() <= t if op == "<=" else train[name].to_numpy() > t
        assert (fired, tp) == (hit.sum(), (hit & pos).sum()), (name, op, t)
