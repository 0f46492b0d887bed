"""Every limit on what a rule set may hold gives a message that names it: rules, conditions per rule,
values of a list, polygon vertices, digits, a literal outside its column's type, name length, file
size and JSON depth (the rule file ones through the command line's reader)."""

import pandas as pd
import pytest

import studio
from studio.errors import RuleSetError
from studio.rules import rule
from studio.rules.condition import Condition
from studio.rules.limits import MAX_CONDITIONS, MAX_RULES, MAX_TEXT, MAX_VALUES, MAX_VERTICES
from studio.rules.model import Rule, RuleSet
from studio.rules.rulefile import read_rule_file
from studio.rules.validate import condition_problems


def one(text: str, problems: list[str]) -> None:
    assert any(text in p for p in problems), problems


def test_rule_count_conditions_and_names():
    many = RuleSet(default=0, rules=tuple(rule(("x", ">", k), then=1) for k in range(MAX_RULES + 1)))
    one(f"a rule set holds at most {MAX_RULES:,} rules, this one {MAX_RULES + 1:,}", many.problems())
    assert RuleSet(default=0, rules=many.rules[:MAX_RULES]).problems() == []
    wide = Rule(when=tuple(Condition("x", ">", k) for k in range(MAX_CONDITIONS + 1)), then=1)
    one(f"has {MAX_CONDITIONS + 1:,} conditions; a rule holds at most {MAX_CONDITIONS}",
        RuleSet(default=0, rules=(wide,)).problems())
    named = Rule(when=(Condition("x", ">", 1),), then=1, name="n" * (MAX_TEXT + 1))
    one(f"its name is longer than {MAX_TEXT:,} characters", RuleSet(default=0, rules=(named,)).problems())


def test_values_vertices_and_digits():
    one(f"takes at most {MAX_VALUES:,} values, got {MAX_VALUES + 1:,}",
        Condition("k", "in", tuple(str(v) for v in range(MAX_VALUES + 1))).problems())
    ring = [[k, k % 7] for k in range(MAX_VERTICES + 1)]
    one(f"at most {MAX_VERTICES} vertices", Condition("x", "in polygon", {"y": "y", "vertices": ring}).problems())
    one("at most 38 digits", Condition("x", ">", 10 ** 400).problems())


def test_a_literal_outside_its_columns_type_is_named():
    frame = pd.DataFrame({"small": pd.array([1, 2, 3], dtype="int8"), "y": [0, 1, 0]})
    schema = studio.Dataset.from_dataframe(frame).schema
    one("value 1000 is outside the range of TINYINT", condition_problems(Condition("small", ">", 1000), schema))
    assert condition_problems(Condition("small", ">", 100), schema) == []


def test_rule_files_are_read_with_a_cap_and_their_depth_measured(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 10_000_001)
    with pytest.raises(RuleSetError, match="larger than 10 MB"):
        read_rule_file(big)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 65 + "]" * 65)
    with pytest.raises(RuleSetError, match="nested"):
        RuleSet.from_json(read_rule_file(deep))
