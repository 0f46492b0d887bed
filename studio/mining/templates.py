"""Rule templates in ruleminer's style: column-name patterns over a rule shape, expanded into
candidate rules and scored with ruleminer's metrics.

A template is a conjunction of clauses ``{"PATTERN"} OP VALUE`` joined by ``&``, each optionally in
parentheses, for example ``{"V1[0-9]"} <= quantile(0.05) & {"Amount"} > 100``:

- ``PATTERN`` is a regular expression matched against whole column names, written as it is between
  double quotes (``{"V\\d+"}``); only ``\\"`` stands for a quote;
- ``OP`` is one of ``< <= > >= == !=``;
- ``VALUE`` is a number, ``quantile(q)`` (the column's train quantile ``q``, a value of the column),
  or a quoted pattern matched against a text column's train values (its 1,000 most frequent): the
  clause expands to one candidate per matching value, as ruleminer does with ``{"Type"} == ".*"``.

The consequent is the class: each candidate ``X`` is read as ``if X then target = label``. The
text is parsed, never evaluated.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.quoting import column as sql_column
from ..data.schema import NUMERIC, STRING
from ..data.split import Split
from ..engine.compile import coordinate
from ..errors import StudioError
from ..rules.condition import Condition
from ..rules.model import RuleSet
from .counting import count_candidates, side_totals
from .rulemetrics import METRICS, rule_metrics
from .search import describe

MAX_CANDIDATES = 5_000

_STRING = r'"(?:[^"\\]|\\.)*"'
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_CLAUSE = re.compile(
    rf'\s*(?P<open>\()?\s*\{{\s*(?P<pattern>{_STRING})\s*\}}\s*(?P<op><=|>=|==|!=|<|>)\s*'
    rf'(?P<value>quantile\s*\(\s*(?P<q>{_NUMBER})\s*\)|{_STRING}|{_NUMBER})\s*(?P<close>\))?\s*')
_AND = re.compile(r"\s*(?:&|\band\b)\s*")


class TemplateError(StudioError):
    """A template that cannot be read or expanded."""


@dataclass(frozen=True)
class Quantile:
    q: float


@dataclass(frozen=True)
class ValuePattern:
    pattern: str


@dataclass(frozen=True)
class Clause:
    pattern: str
    op: str
    value: float | Quantile | ValuePattern


@dataclass(frozen=True)
class Template:
    text: str
    clauses: tuple[Clause, ...]


def _unquote(quoted: str) -> str:
    """The text between the double quotes, as written (only ``\\"`` is unescaped)."""
    return quoted[1:-1].replace('\\"', '"')


def _regex(text: str, what: str) -> str:
    try:
        re.compile(text)
    except re.error as err:
        raise TemplateError(f"{what} {text!r} is not a regular expression: {err}") from None
    return text


def parse_template(text: str) -> Template:
    """Read a template (see the module's description); a clear message where it does not parse."""
    source = text.strip()
    if source.startswith("if ") or source.startswith("if("):
        raise TemplateError("write only the condition part: the consequent is always the class (target = label)")
    clauses, pos = [], 0
    while True:
        m = _CLAUSE.match(source, pos)
        if not m or bool(m["open"]) != bool(m["close"]):
            shown = source[pos:pos + 30] or "(end of text)"
            raise TemplateError(f'expected {{"column pattern"}} OP value at {shown!r} in {source!r}')
        pattern = _regex(_unquote(m["pattern"]), "column pattern")
        raw = m["value"]
        if m["q"] is not None:
            q = float(m["q"])
            if not 0 <= q <= 1:
                raise TemplateError(f"quantile({m['q']}): q must be between 0 and 1")
            value: float | Quantile | ValuePattern = Quantile(q)
        elif raw.startswith('"'):
            if m["op"] not in ("==", "!="):
                raise TemplateError(f"a value pattern ({raw}) needs == or !=")
            value = ValuePattern(_regex(_unquote(raw), "value pattern"))
        else:
            value = float(raw)
            if not math.isfinite(value):
                raise TemplateError(f"{raw} is not a finite number")
        clauses.append(Clause(pattern, m["op"], value))
        pos = m.end()
        if pos == len(source):
            return Template(source, tuple(clauses))
        sep = _AND.match(source, pos)
        if not sep:
            raise TemplateError(f"expected & between clauses at {source[pos:pos + 30]!r} in {source!r}")
        pos = sep.end()


def _options(clause: Clause, split: Split, quantiles: dict, values: dict) -> list[Condition]:
    """The conditions one clause stands for."""
    schema = split.dataset.schema
    out = []
    for name in split.features:
        if not re.fullmatch(clause.pattern, name):
            continue
        kind = schema.kind(name)
        if isinstance(clause.value, ValuePattern):
            if kind == STRING:
                out += [Condition(name, clause.op, v) for v in values[name] if re.fullmatch(clause.value.pattern, v)]
        elif kind == NUMERIC:
            if isinstance(clause.value, Quantile):
                q = quantiles.get((name, clause.value.q))
                if q is not None:
                    out.append(Condition(name, clause.op, q))
            else:
                v = clause.value
                out.append(Condition(name, clause.op, int(v) if v.is_integer() and _is_integer(schema.type_of(name)) else v))
    return out


def _is_integer(duckdb_type: str) -> bool:
    return "INT" in duckdb_type.upper()


def _quantiles(split: Split, wanted: set[tuple[str, float]]) -> dict:
    """Train quantiles (values of the column, ``quantile_disc``, NaN read as missing), one query;
    whole numbers for integer columns."""
    if not wanted:
        return {}
    keys = sorted(wanted)
    schema = split.dataset.schema
    parts = ", ".join(f"quantile_disc({coordinate(c, schema.type_of(c)).sql('duckdb')}, {q!r})" for c, q in keys)
    with split.dataset.lock:
        row = split.dataset.con.execute(f"SELECT {parts} FROM {split.table} WHERE __rs_test = 0").fetchone()
    out = {}
    for (c, q), v in zip(keys, row):
        if v is None or not math.isfinite(v):
            continue
        out[(c, q)] = int(v) if _is_integer(schema.type_of(c)) and float(v).is_integer() else float(v)
    return out


def _values(split: Split, names: set[str], limit: int = 1000) -> dict[str, list[str]]:
    """Distinct train values of text columns, most frequent first."""
    out = {}
    with split.dataset.lock:
        for name in sorted(names):
            q = sql_column(name).sql("duckdb")
            out[name] = [v for (v,) in split.dataset.con.execute(
                f"SELECT {q} FROM {split.table} WHERE __rs_test = 0 AND {q} IS NOT NULL "
                f"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(limit)}").fetchall()]
    return out


def expand(templates: list[Template], split: Split, max_candidates: int = MAX_CANDIDATES
           ) -> list[tuple[Template, tuple[Condition, ...]]]:
    """Every candidate the templates stand for, in order, each once: the product of the columns (and
    values) each clause matches, without a column compared twice the same way."""
    schema = split.dataset.schema
    matched = {cl: [n for n in split.features if re.fullmatch(cl.pattern, n)]
               for t in templates for cl in t.clauses}
    wanted = {(n, cl.value.q) for cl, names in matched.items() if isinstance(cl.value, Quantile)
              for n in names if schema.kind(n) == NUMERIC}
    texts = {n for cl, names in matched.items() if isinstance(cl.value, ValuePattern)
             for n in names if schema.kind(n) == STRING}
    quantiles, values = _quantiles(split, wanted), _values(split, texts)
    out, seen = [], set()
    for t in templates:
        options = [_options(cl, split, quantiles, values) for cl in t.clauses]
        total = math.prod(len(o) for o in options)
        if total > max_candidates * len(t.clauses) ** 2:  # not worth enumerating: far above the limit
            raise TemplateError(f"{t.text!r} stands for about {total:,} candidates; the limit is "
                                f"{max_candidates:,}: narrow its patterns")
        for combo in itertools.product(*options):
            pairs = [(c.column, c.op) for c in combo]
            key = frozenset(combo)
            if len(set(pairs)) < len(pairs) or key in seen:
                continue
            seen.add(key)
            out.append((t, combo))
            if len(out) > max_candidates:
                raise TemplateError(f"the templates stand for more than {max_candidates:,} candidates: "
                                    "narrow their patterns")
    return out


def template_metrics(split: Split, templates: list[str | Template], rules: RuleSet | None = None,
                     max_candidates: int = MAX_CANDIDATES) -> pd.DataFrame:
    """One row per candidate: ruleminer's ten metrics of ``X -> target = positive`` on the train rows
    ``rules`` leave undecided (all train rows without rules), and the candidate's test precision and
    recall beside its train ones; ``diverges`` where train and test precision differ by more than 0.1.
    Single comparisons of number columns are counted from histograms in one pass over both sides;
    other candidates with one ``count_if`` each."""
    parsed = [t if isinstance(t, Template) else parse_template(t) for t in templates]
    found = expand(parsed, split, max_candidates)
    when = [c for _, c in found]
    columns = ["template", "rule", "when", "rows", *METRICS, "train_precision", "train_recall",
               "test_rows", "test_precision", "test_recall", "diverges"]
    if not when:
        return pd.DataFrame(columns=columns)
    counts = count_candidates(split, rules, when, "both")
    n, n_y = side_totals(split, rules, "train")
    metrics = rule_metrics(n, counts["train_fired"], n_y, counts["train_tp"])
    all_pos = split.counts["train"][split.positive], split.counts["test"][split.positive]
    out = pd.DataFrame({"template": [t.text for t, _ in found], "rule": [describe(w) for w in when], "when": when,
                        "rows": counts["train_fired"].to_numpy(), **metrics})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["train_precision"] = metrics["confidence"]
        out["train_recall"] = counts["train_tp"].to_numpy() / all_pos[0] if all_pos[0] else np.nan
        out["test_rows"] = counts["test_fired"].to_numpy()
        fired = counts["test_fired"].to_numpy(float)
        out["test_precision"] = np.where(fired > 0, counts["test_tp"].to_numpy() / np.maximum(fired, 1), np.nan)
        out["test_recall"] = counts["test_tp"].to_numpy() / all_pos[1] if all_pos[1] else np.nan
    out["diverges"] = (out["train_precision"] - out["test_precision"]).abs() > 0.1
    return out[columns]
