"""The rule file format and its validation messages."""

import json

import pytest

import studio
from studio.rules import Condition, RuleSet, rule
from studio.data.schema import Schema
from studio.rules.validate import check_ruleset

from tests.support.sample_rules import TUTORIAL_RULES

SCHEMA = Schema((("V11", "DOUBLE"), ("V17", "DOUBLE"), ("job", "VARCHAR"), ("vip", "BOOLEAN"),
                 ("day", "DATE"), ("Class", "BIGINT")))


def problems_of(data) -> list[str]:
    with pytest.raises(studio.RuleSetError) as err:
        rules = RuleSet.from_dict(data) if not isinstance(data, str) else RuleSet.from_json(data)
        check_ruleset(rules, SCHEMA)
    return err.value.problems


def with_condition(**cond):
    return {"format": "rule-studio/1", "default": 0,
            "rules": [{"name": "r", "when": [cond], "then": 1}]}


def test_round_trip_keeps_everything():
    rules = RuleSet.from_dict({**TUTORIAL_RULES, "notes": "kept"})
    again = RuleSet.from_json(rules.to_json())
    assert again == rules and again.meta == {"notes": "kept"}
    assert again.to_dict()["rules"][0] == TUTORIAL_RULES["rules"][0]
    assert [r.enabled for r in rules.toggle(1).rules] == [True, False, True]


def test_every_operator_reads_and_checks():
    conds = [("V11", "<", 1), ("V11", "<=", 1.5), ("V11", ">", -2), ("V11", ">=", 0), ("job", "==", "x"),
             ("job", "!=", "y"), ("V11", "between", [0, 3]), ("job", "in", ["a", "b"]),
             ("job", "not in", ["c"]), ("V17", "is null"), ("V17", "is not null"), ("vip", "==", True),
             ("day", ">=", "2020-01-31")]
    rules = studio.ruleset([rule(c, then=1) for c in conds], default=0)
    assert check_ruleset(RuleSet.from_json(rules.to_json()), SCHEMA) == rules


def test_unknown_column_suggests_the_closest_name():
    assert problems_of(with_condition(column="V_11", op=">", value=4)) == [
        "rule 1 ('r'): unknown column 'V_11' (did you mean 'V11'?)"]
    assert problems_of(with_condition(column="class", op="==", value=1)) == [
        "rule 1 ('r'): unknown column 'class' (did you mean 'Class'?)"]


def test_value_of_the_wrong_type():
    assert problems_of(with_condition(column="V11", op=">", value="4")) == [
        "rule 1 ('r'): column 'V11' is DOUBLE: value '4' is the wrong type, expected a number"]
    assert problems_of(with_condition(column="job", op="in", value=["a", 3])) == [
        "rule 1 ('r'): column 'job' is VARCHAR: value 3 is the wrong type, expected a string"]
    assert "expected an ISO date/time string" in problems_of(with_condition(column="day", op=">", value="soon"))[0]
    assert "boolean: use ==" in problems_of(with_condition(column="vip", op=">", value=True))[0]


def test_unknown_operator_and_malformed_values():
    assert problems_of(with_condition(column="V11", op="betwen", value=[1, 2]))[0].startswith(
        "rule 1 ('r'): condition on 'V11': unknown operator 'betwen' (did you mean 'between'?)")
    assert "needs a [low, high] pair" in problems_of(with_condition(column="V11", op="between", value=[1]))[0]
    assert "low 5 is above high 1" in problems_of(with_condition(column="V11", op="between", value=[5, 1]))[0]
    assert "non-empty list" in problems_of(with_condition(column="job", op="in", value=[]))[0]
    assert "takes no value" in problems_of(with_condition(column="V11", op="is null", value=1))[0]
    assert "needs one number" in problems_of(with_condition(column="V11", op=">", value=None))[0]


def test_empty_rule_and_missing_parts():
    data = {"format": "rule-studio/1", "default": 0, "rules": [{"name": "nothing", "when": [], "then": 1}]}
    assert problems_of(data) == ["rule 1 ('nothing') is empty: it needs at least one condition"]
    assert problems_of({"rules": []}) == ["the rule set has no 'default' label"]
    assert problems_of({"default": 0, "rules": [{"when": [{"column": "V11", "op": ">", "value": 1}]}]}) == [
        "rule 1 has no label ('then')"]
    assert problems_of({"default": 0, "rules": "none"}) == ["'rules' must be a list"]
    assert problems_of({"format": "rule-studio/9", "default": 0, "rules": []}) == [
        "unsupported format 'rule-studio/9'; this version reads 'rule-studio/1'"]
    assert problems_of([1, 2]) == ["a rule file must hold a JSON object with a 'rules' list"]


def test_malformed_json_names_line_and_column():
    assert problems_of('{"default": 0,\n "rules": [}') == [
        "malformed JSON at line 2, column 12: Expecting value"]


def test_all_problems_are_reported_together():
    data = {"default": 0, "rules": [
        {"name": "a", "when": [{"column": "nope", "op": ">", "value": 1}], "then": 1},
        {"name": "b", "when": [{"column": "V11", "op": "~", "value": 1}], "then": 1}]}
    with pytest.raises(studio.RuleSetError) as err:
        check_ruleset(RuleSet.from_dict(data), SCHEMA)
    assert len(err.value.problems) == 1  # structural problems first: the bad operator
    data["rules"][1]["when"][0]["op"] = ">"
    with pytest.raises(studio.RuleSetError) as err:
        check_ruleset(RuleSet.from_dict(data), SCHEMA)
    assert err.value.problems == ["rule 1 ('a'): unknown column 'nope'"]


def test_edits_return_new_rule_sets():
    base = RuleSet.from_dict(TUTORIAL_RULES)
    moved = base.move(2, -2)
    assert [r.name for r in moved.rules] == ["deep V14", "large V11", "deep V17"]
    assert [r.name for r in base.rules] == ["large V11", "deep V17", "deep V14"]
    assert [r.name for r in base.remove(0).rules] == ["deep V17", "deep V14"]
    assert base.with_default(1).default == 1
    assert base.add(rule(Condition("V11", ">", 9), then=0), 0).rules[0].then == 0
    assert json.loads(base.to_json())["format"] == "rule-studio/1"
