"""Two versions of a rule list compared: the rule-by-rule diff on hand-made cases, and the rows they
decide differently against the numpy rule evaluator (an independent implementation)."""

import numpy as np
import pytest

from studio.engine.compare import differing_rows, disagreements, rule_diff
from studio.errors import RuleSetError
from studio.rules import RuleSet, rule
from studio.runtime.pyeval import fired_index

from tests.support.sample_rules import TUTORIAL_RULES

A = RuleSet.from_dict(TUTORIAL_RULES)  # large V11: V11 > 4; deep V17: V17 < -3; deep V14: V14 < -8


def kinds(changes):
    return [(c.kind, c.name, c.before, c.after) for c in changes]


def test_the_same_list_is_unchanged_rule_by_rule():
    assert kinds(rule_diff(A, A)) == [("unchanged", "large V11", 1, 1), ("unchanged", "deep V17", 2, 2),
                                      ("unchanged", "deep V14", 3, 3)]


def test_added_removed_changed_condition_by_condition_and_turned_off():
    b = (A.replace_rule(1, rule(("V17", "<", -3.5), ("V14", "<", -1), then=1, name="deep V17"))
         .remove(2).add(rule(("V10", "<", -5), then=1, name="low V10")).toggle(0, False))
    changes = rule_diff(A, b)
    assert kinds(changes) == [("changed", "large V11", 1, 1), ("changed", "deep V17", 2, 2),
                              ("added", "low V10", None, 3), ("removed", "deep V14", 3, None)]
    assert changes[0].notes == ("turned off",) and changes[0].conditions == ()
    assert [(c.kind, c.before, c.after) for c in changes[1].conditions] == [
        ("changed", "V17 < -3", "V17 < -3.5"), ("added", "", "V14 < -1")]
    assert changes[1].describe() == "V17 < -3 → V17 < -3.5; added V14 < -1"
    assert [(c.kind, c.after) for c in changes[2].conditions] == [("added", "V10 < -5")]


def test_a_rule_moved_ahead_of_the_others_is_moved_and_a_renamed_rule_is_paired():
    b = A.move(2, -2)  # deep V14 first
    assert kinds(rule_diff(A, b)) == [("moved", "deep V14", 3, 1), ("unchanged", "large V11", 1, 2),
                                      ("unchanged", "deep V17", 2, 3)]
    renamed = A.replace_rule(0, rule(("V11", ">", 4.5), then=1, name="V11 high"))
    change = rule_diff(A, renamed)[0]
    assert (change.kind, change.before, change.after) == ("changed", 1, 1)  # paired through the shared column
    assert "renamed 'large V11' → 'V11 high'" in change.notes


def rows(split):
    return split.dataset.con.execute(f"SELECT * FROM {split.table} ORDER BY __rs_row").df()


def test_rows_decided_differently_match_an_independent_evaluation(credit_split):
    b = A.replace_rule(1, rule(("V17", "<", -2), then=1, name="deep V17")).remove(0).add(
        rule(("V10", "<", -4), then=1, name="low V10"))
    got = disagreements(credit_split, A, b)
    frame = rows(credit_split)
    alert_a = fired_index(frame, A.to_dict()) >= 0  # every rule gives the positive label; the default does not
    alert_b = fired_index(frame, b.to_dict()) >= 0
    positive = np.array(credit_split.labels)[frame["__rs_y"]] == credit_split.positive
    for side, sel in (("train", frame["__rs_test"] == 0), ("test", frame["__rs_test"] == 1),
                      ("all", np.ones(len(frame), dtype=bool))):
        d = got[side]
        assert d.rows == int(sel.sum())
        assert d.only_first == int((sel & alert_a & ~alert_b).sum())
        assert d.only_first_positive == int((sel & alert_a & ~alert_b & positive).sum())
        assert d.only_second == int((sel & alert_b & ~alert_a).sum())
        assert d.only_second_positive == int((sel & alert_b & ~alert_a & positive).sum())
    assert got["test"].differ > 0
    page = differing_rows(credit_split, A, b, "test", limit=50)
    expected = frame[(frame["__rs_test"] == 1) & (alert_a != alert_b)].head(50)
    assert list(page["V14"]) == list(expected["V14"]) and len(page) == min(50, got["test"].differ)
    says_a = np.where(alert_a[expected.index], "1", "not 1")
    assert list(page["first says"]) == list(says_a)
    assert set(page["second's rule"]) <= {"deep V17", "deep V14", "low V10", "default"}
    second_page = differing_rows(credit_split, A, b, "test", limit=50, offset=50)
    assert list(second_page["V14"]) == list(frame[(frame["__rs_test"] == 1) & (alert_a != alert_b)]
                                            .iloc[50:100]["V14"])


def test_a_version_with_an_unknown_column_is_refused_in_one_line(credit_split):
    bad = A.add(rule(("V_14", "<", -3), then=1))
    with pytest.raises(RuleSetError, match="unknown column 'V_14'"):
        disagreements(credit_split, A, bad)
