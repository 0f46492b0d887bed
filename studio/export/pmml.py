"""PMML 4.4: a RuleSetModel with firstHit selection.

Conditions become SimplePredicate (comparisons, isMissing, isNotMissing), SimpleSetPredicate
(in / not in) and CompoundPredicate (AND of a rule's conditions; between). PMML's missing-value
logic matches the studio's: a predicate on a missing value is UNKNOWN and the rule does not fire.
The fired rule's name comes out through an ``entityId`` output field.

``in polygon`` is refused: a PMML predicate compares one field with constants, and a
polygon test would need derived fields (the arithmetic as a TransformationDictionary).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..data.schema import BOOLEAN, EMPTY, NUMERIC, STRING, TEMPORAL, Schema
from ..data.sources import missing_markers
from ..rules import operators
from ..rules.model import RuleSet
from ..rules.validate import rule_column_kinds
from ..version import __version__
from .errors import ExportError
from .registry import ExportFormat, register

NS = "http://www.dmg.org/PMML-4_4"


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == 0.0:
        value = 0.0  # -0.0 equals 0.0 here; Java's Double.equals would tell them apart
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


def _array(values) -> ET.Element:
    """A PMML Array: strings quoted (with \\" escapes), numbers as they are."""
    strings = all(isinstance(v, str) for v in values)
    if strings:
        if any("\\" in v for v in values):
            raise ExportError("PMML arrays cannot hold a value with a backslash unambiguously; "
                              "use == conditions joined by separate rules instead")
        body = " ".join('"' + v.replace('"', '\\"') + '"' for v in values)
    else:
        body = " ".join(_text(v) for v in values)
    arr = ET.Element("Array", type="string" if strings else "real", n=str(len(values)))
    arr.text = body
    return arr


def _data_type(kind: str, column: str) -> tuple[str, str]:
    if kind == NUMERIC or kind == EMPTY:
        return "continuous", "double"
    if kind == STRING:
        return "categorical", "string"
    if kind == BOOLEAN:
        return "categorical", "boolean"
    if kind == TEMPORAL:
        raise ExportError(f"PMML export does not handle date/time conditions yet (column {column!r})")
    raise ExportError(f"column {column!r} has a type PMML export cannot express")


def _label_type(rules: RuleSet) -> str:
    labels = rules.labels()
    if all(isinstance(v, bool) for v in labels):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in labels):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in labels):
        return "double"
    return "string"


def _predicate(cond, kinds: dict[str, str]) -> ET.Element:
    """The operator's PMML form (from the registry): a SimplePredicate, an AND of two for a pair,
    a SimpleSetPredicate for a list."""
    op = operators.get(cond.op)
    if op.pmml is None:
        raise ExportError(f"PMML export cannot express the operator {cond.op!r}"
                          + (f": {op.pmml_refusal}" if op.pmml_refusal else ""))
    if op.orders and kinds[cond.column] != NUMERIC:
        raise ExportError(f"PMML cannot order text: {cond.op!r} on column {cond.column!r}; for text use "
                          "==, !=, in, not in or the null tests")
    if op.shape in (operators.SCALAR, operators.NONE):
        attrs = {"field": cond.column, "operator": op.pmml}
        if cond.value is not None:
            attrs["value"] = _text(cond.value)
        return ET.Element("SimplePredicate", attrs)
    if op.shape == operators.PAIR:
        both = ET.Element("CompoundPredicate", booleanOperator="and")
        for name, value in zip(op.pmml, cond.value):
            both.append(ET.Element("SimplePredicate", field=cond.column, operator=name, value=_text(value)))
        return both
    if op.shape == operators.LIST:
        if kinds[cond.column] == BOOLEAN:
            raise ExportError(f"PMML export of {cond.op!r} on the boolean column {cond.column!r} is not "
                              "supported; use == or != instead")
        pred = ET.Element("SimpleSetPredicate", field=cond.column, booleanOperator=op.pmml)
        pred.append(_array(cond.value))
        return pred
    raise ExportError(f"PMML export cannot express the operator {cond.op!r}")


def to_pmml(rules: RuleSet, schema: Schema | None = None, target: str | None = None, missing=()) -> str:
    """A PMML 4.4 document; ``schema`` (the dataset's columns) types the DataDictionary; ``missing``
    (the texts the data writes for a missing value) are each field's missing values."""
    markers = missing_markers(missing)
    target = target or rules.target or "target"
    names = rules.names()
    for i, rule in rules.enabled_rules:
        for cond in rule.when:
            op = operators.get(cond.op)
            if op.pmml is None:
                what = "polygon" if op.shape == operators.POLYGON else repr(op.name)
                raise ExportError(
                    f"PMML export cannot express the {what} condition of {names[i]!r} ({cond.describe()}): "
                    f"{op.pmml_refusal or 'PMML has no such predicate'}; export to Python, the scikit-learn "
                    "estimator or SQL instead, or disable the rule")
    kinds = rule_column_kinds(rules, schema)
    if target in kinds:
        raise ExportError(f"the target {target!r} is also used in a condition")
    clash = sorted({"prediction", "rule"} & set(kinds))
    if clash:
        raise ExportError(f"a condition uses a column named {clash[0]!r}, the name of a PMML output field")
    root = ET.Element("PMML", xmlns=NS, version="4.4")
    header = ET.SubElement(root, "Header", description="Rule set exported from Rule Studio (rule-studio/1)")
    ET.SubElement(header, "Application", name="Rule Studio", version=__version__)
    dictionary = ET.SubElement(root, "DataDictionary", numberOfFields=str(len(kinds) + 1))
    for column, kind in kinds.items():
        optype, dtype = _data_type(kind, column)
        field = ET.SubElement(dictionary, "DataField", name=column, optype=optype, dataType=dtype)
        for marker in markers:
            ET.SubElement(field, "Value", value=marker, property="missing")
    label_field = ET.SubElement(dictionary, "DataField", name=target, optype="categorical", dataType=_label_type(rules))
    for label in rules.labels():
        ET.SubElement(label_field, "Value", value=_text(label))

    model = ET.SubElement(root, "RuleSetModel", functionName="classification", algorithmName="RuleSet")
    mining = ET.SubElement(model, "MiningSchema")
    ET.SubElement(mining, "MiningField", name=target, usageType="target")
    for column in kinds:
        ET.SubElement(mining, "MiningField", name=column)
    output = ET.SubElement(model, "Output")
    ET.SubElement(output, "OutputField", name="prediction", optype="categorical",
                  dataType=_label_type(rules), feature="predictedValue")
    ET.SubElement(output, "OutputField", name="rule", optype="categorical", dataType="string", feature="entityId")
    ruleset = ET.SubElement(model, "RuleSet", defaultScore=_text(rules.default), defaultConfidence="1.0")
    ET.SubElement(ruleset, "RuleSelectionMethod", criterion="firstHit")
    enabled = [names[i] for i, r in enumerate(rules.rules) if r.enabled]
    twice = sorted({n for n in enabled if enabled.count(n) > 1})
    if twice:
        raise ExportError(f"PMML needs a distinct name for every rule; {twice[0]!r} is used twice")
    for i, rule in enumerate(rules.rules):
        if not rule.enabled:
            continue
        simple = ET.SubElement(ruleset, "SimpleRule", id=names[i], score=_text(rule.then))
        if len(rule.when) == 1:
            simple.append(_predicate(rule.when[0], kinds))
        else:
            both = ET.SubElement(simple, "CompoundPredicate", booleanOperator="and")
            for cond in rule.when:
                both.append(_predicate(cond, kinds))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


register(ExportFormat(
    "pmml", "PMML 4.4 RuleSetModel", ".pmml", "xml",
    "PMML 4.4 RuleSetModel (firstHit), typed by this dataset's columns.", to_pmml, options=("schema", "missing")))
