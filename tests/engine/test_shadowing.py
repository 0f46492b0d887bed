"""Rules left (almost) nothing by the rules above them are found, with the earlier rules that take
their rows, counted independently with pandas; for long rule sets too (the first-hit path)."""

import pandas as pd

import studio
from studio.engine.shadowing import shadowed_rules
from studio.rules import rule
from studio.rules.model import RuleSet


def test_a_rule_inside_an_earlier_one_is_flagged_with_the_rule_that_takes_its_rows():
    split = studio.load("creditcard-synthetic").split("Class", positive=1)
    rules = (RuleSet(default=0, target="Class", positive=1)
             .add(rule(("V14", "<", -7.8), then=1, name="brushed V14"))
             .add(rule(("V14", "<", -8), then=1, name="deep V14"))
             .add(rule(("V11", ">", 4), then=1, name="large V11")))
    ev = studio.evaluate(split, rules)
    test = split.dataset.fetch(f"SELECT V14, V11 FROM {split.table} WHERE __rs_test = 1")
    inside = int((test["V14"] < -8).sum())
    found = shadowed_rules(split, rules, ev.test)
    assert list(found) == [1]
    assert (found[1].matched, found[1].fired, found[1].by) == (inside, 0, ((0, inside),))
    assert found[1].describe(rules.names()) == (f"matches {inside:,} rows but takes 0: rule 1 (brushed V14) "
                                                f"takes {inside:,}")
    assert 2 not in found and ev.test.rules[2].fired > 0.1 * ev.test.rules[2].matched


def test_long_rule_sets_are_checked_too():
    frame = pd.DataFrame({"x": [i % 100 for i in range(2_000)], "y": [int(i % 100 > 80) for i in range(2_000)]})
    split = studio.Dataset.from_dataframe(frame).split("y", positive=1)
    rules = RuleSet(default=0, target="y", positive=1)
    for t in range(90, 20, -1):  # 70 rules, each taking one more value of x than the one above it
        rules = rules.add(rule(("x", ">", t), then=1, name=f"above {t}"))
    rules = rules.add(rule(("x", ">", 95), then=1, name="inside the first"))
    ev = studio.evaluate(split, rules)
    assert ev.test.overlaps.pairs is None  # beyond 60 rules: the first-hit path
    found = shadowed_rules(split, rules, ev.test)
    last = len(rules.rules) - 1
    test = split.dataset.fetch(f"SELECT x FROM {split.table} WHERE __rs_test = 1")
    assert last in found and found[last].fired == 0 and found[last].matched == int((test["x"] > 95).sum())
    assert found[last].by == ((0, int((test["x"] > 95).sum())),)  # x > 90, the first rule, takes them all
    assert all(ev.test.rules[i].fired <= 0.1 * ev.test.rules[i].matched for i in found)
