"""Shared test data: the project root and the tutorial's three rules as a rule file."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TUTORIAL_RULES = {
    "format": "rule-studio/1", "target": "Class", "positive": 1, "default": 0,
    "rules": [
        {"name": "large V11", "when": [{"column": "V11", "op": ">", "value": 4}], "then": 1},
        {"name": "deep V17", "when": [{"column": "V17", "op": "<", "value": -3}], "then": 1, "enabled": True},
        {"name": "deep V14", "when": [{"column": "V14", "op": "<", "value": -8}], "then": 1},
    ]}
