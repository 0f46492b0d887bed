"""The export formats, one record each: name, label, file suffix, display language, help text, the
options it takes and the function that renders a rule set. The CLI (``export --to``) and the
Export page both read :data:`FORMATS`; a new format is a module that calls :func:`register`."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable

from ..rules.model import RuleSet
from .errors import ExportError

OPTIONS = ("dialect", "table", "schema", "missing")  # every option a format may take (missing: the data's
# missing markers, texts read as missing values)


@dataclass(frozen=True)
class ExportFormat:
    name: str                     # as in ``export --to NAME``
    label: str                    # shown to people
    suffix: str                   # of the file it is saved as
    language: str                 # for syntax highlighting: python, sql, xml, json
    help: str                     # one sentence (Markdown) on what the file is and how to use it
    render: Callable[..., str]    # render(rules, **options) -> text
    options: tuple[str, ...] = ()  # which of OPTIONS it takes

    def __post_init__(self):
        unknown = [o for o in self.options if o not in OPTIONS]
        if unknown:
            raise ValueError(f"export format {self.name!r}: unknown option {unknown[0]!r}")


_FORMATS: dict[str, ExportFormat] = {}
FORMATS = MappingProxyType(_FORMATS)


def register(fmt: ExportFormat) -> ExportFormat:
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    _FORMATS.pop(name, None)


def export(rules: RuleSet, fmt: str, **options) -> str:
    """The rule set rendered in ``fmt`` (a name in :data:`FORMATS`); options the format does not
    take (``dialect``, ``table``, ``schema``, ``missing``) are ignored."""
    record = _FORMATS.get(fmt)
    if record is None:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(_FORMATS)}")
    rules.check()
    return record.render(rules, **{k: v for k, v in options.items() if k in record.options})
