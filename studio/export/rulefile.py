"""The rule file itself (format rule-studio/1)."""

from __future__ import annotations

from ..rules.model import RuleSet
from .registry import ExportFormat, register


def to_json(rules: RuleSet) -> str:
    return rules.to_json() + "\n"


register(ExportFormat(
    "json", "rules JSON (rule-studio/1)", ".json", "json",
    "The rule file (format rule-studio/1) for `python -m studio evaluate | score | export | serve`.", to_json))
