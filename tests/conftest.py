import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import studio  # noqa: E402

TUTORIAL_RULES = {
    "format": "rule-studio/1", "target": "Class", "positive": 1, "default": 0,
    "rules": [
        {"name": "large V11", "when": [{"column": "V11", "op": ">", "value": 4}], "then": 1},
        {"name": "deep V17", "when": [{"column": "V17", "op": "<", "value": -3}], "then": 1, "enabled": True},
        {"name": "deep V14", "when": [{"column": "V14", "op": "<", "value": -8}], "then": 1},
    ]}


@pytest.fixture(scope="session")
def credit():
    return studio.load("creditcard-synthetic")


@pytest.fixture(scope="session")
def credit_split(credit):
    return credit.split("Class", positive=1, test_size=0.5, seed=0)


@pytest.fixture(scope="session")
def tutorial_rules():
    return studio.RuleSet.from_dict(TUTORIAL_RULES)


@pytest.fixture
def rules_file(tmp_path):
    def write(data, name="rules.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return path
    return write
