"""Two versions of a rule list side by side: what changed rule by rule (added, removed, changed
condition by condition, moved, turned on or off), their figures on each side, and the rows on which
they decide differently.

Rules are paired in three passes: the same conditions and label (unchanged, or *moved* when the
pair is out of the order the other pairs keep), then the same name, then a shared column (both
*changed*); what is left was added or removed. The figures and the disagreements come from one
aggregate query over both lists' deciding rule per row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..data.quoting import column_sql
from ..data.split import Split
from ..rules.model import Rule, RuleSet
from ..rules.validate import check_ruleset
from .compile import fired_index_sql
from .metrics import SIDES
from .sums import grouped_rows


@dataclass(frozen=True)
class ConditionChange:
    kind: str      # "added", "removed" or "changed"
    before: str    # the condition in the first version ("" when added)
    after: str     # the condition in the second version ("" when removed)


@dataclass(frozen=True)
class RuleChange:
    kind: str                # "added", "removed", "changed", "moved" or "unchanged"
    name: str
    before: int | None       # 1-based place in the first version
    after: int | None        # 1-based place in the second version
    conditions: tuple[ConditionChange, ...] = ()
    notes: tuple[str, ...] = ()  # label, name, on/off

    def describe(self) -> str:
        parts = [f"{c.before} → {c.after}" if c.kind == "changed" else f"{c.kind} {c.before or c.after}"
                 for c in self.conditions]
        return "; ".join(parts + list(self.notes))


def _key(rule: Rule):
    return rule.when, rule.then, rule.then_type


def _columns(rule: Rule) -> set[str]:
    return {name for c in rule.when for name in c.columns}


def _kept_in_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs of the longest run that keeps both versions' order (the others moved)."""
    pairs = sorted(pairs, key=lambda p: p[1])
    best: list[list[tuple[int, int]]] = []
    for p in pairs:
        longest = max((chain for chain in best if chain[-1][0] < p[0]), key=len, default=[])
        best.append(longest + [p])
    return set(max(best, key=len, default=[]))


def _condition_changes(a: Rule, b: Rule) -> tuple[ConditionChange, ...]:
    before = [c for c in a.when if c not in b.when]
    after = [c for c in b.when if c not in a.when]
    out = []
    for c in after:
        same = next((x for x in before if x.column == c.column and x.op == c.op), None) \
            or next((x for x in before if x.column == c.column), None)
        if same is not None:
            before.remove(same)
            out.append(ConditionChange("changed", same.describe(), c.describe()))
        else:
            out.append(ConditionChange("added", "", c.describe()))
    return tuple(out) + tuple(ConditionChange("removed", c.describe(), "") for c in before)


def _notes(a: Rule, b: Rule) -> tuple[str, ...]:
    notes = []
    if a.then != b.then:
        notes.append(f"label {a.then!r} → {b.then!r}")
    if a.name != b.name:
        notes.append(f"renamed {a.name or '(no name)'!r} → {b.name or '(no name)'!r}")
    if a.enabled != b.enabled:
        notes.append("turned on" if b.enabled else "turned off")
    return tuple(notes)


def rule_diff(a: RuleSet, b: RuleSet) -> list[RuleChange]:
    """What changed from ``a`` to ``b``, rule by rule, in ``b``'s order (removed rules last)."""
    left, right = list(range(len(a.rules))), list(range(len(b.rules)))
    pairs: list[tuple[int, int]] = []
    for match in (lambda x, y: _key(x) == _key(y),
                  lambda x, y: bool(x.name) and x.name == y.name,
                  lambda x, y: bool(_columns(x) & _columns(y))):
        for j in list(right):
            i = next((i for i in left if match(a.rules[i], b.rules[j])), None)
            if i is not None:
                left.remove(i)
                right.remove(j)
                pairs.append((i, j))
    same = [(i, j) for i, j in pairs if _key(a.rules[i]) == _key(b.rules[j])]
    in_order = _kept_in_order(same)
    out: dict[int, RuleChange] = {}
    for i, j in pairs:
        ra, rb = a.rules[i], b.rules[j]
        name = b.names()[j]
        if _key(ra) == _key(rb):
            kind = "unchanged" if (i, j) in in_order else "moved"
            notes = _notes(ra, rb)
            out[j] = RuleChange(kind if not notes or kind == "moved" else "changed", name, i + 1, j + 1, (), notes)
        else:
            out[j] = RuleChange("changed", name, i + 1, j + 1, _condition_changes(ra, rb), _notes(ra, rb))
    for j in right:
        out[j] = RuleChange("added", b.names()[j], None, j + 1,
                            tuple(ConditionChange("added", "", c.describe()) for c in b.rules[j].when))
    removed = [RuleChange("removed", a.names()[i], i + 1, None,
                          tuple(ConditionChange("removed", c.describe(), "") for c in a.rules[i].when)) for i in left]
    return [out[j] for j in sorted(out)] + removed


@dataclass(frozen=True)
class Disagreement:
    """One side's rows the two versions decide differently."""
    rows: int                # rows of the side
    only_first: int          # rows only the first version alerts on
    only_first_positive: int  # of those, true positives
    only_second: int
    only_second_positive: int

    @property
    def differ(self) -> int:
        return self.only_first + self.only_second


def _hits_sql(split: Split, a: RuleSet, b: RuleSet) -> tuple[str, str]:
    schema = split.dataset.schema
    return fired_index_sql(a, schema).sql("duckdb"), fired_index_sql(b, schema).sql("duckdb")


def _gives_positive(split: Split, rules: RuleSet) -> np.ndarray:
    """Per rule and then the default (index -1): whether it gives the positive label."""
    return np.array([split.class_label(r.then) == split.positive for r in rules.rules]
                    + [split.class_label(rules.default) == split.positive], dtype=bool)


def disagreements(split: Split, a: RuleSet, b: RuleSet) -> dict[str, Disagreement]:
    """Per side (train, test, all): the rows only one of the two versions alerts on, in one query."""
    for rules in (a, b):
        check_ruleset(rules, split.dataset.schema)
    hit_a, hit_b = _hits_sql(split, a, b)
    pos = split.labels.index(split.positive)
    sql = (f"SELECT __rs_test, __rs_y = {pos}, {hit_a}, {hit_b}, count(*) FROM {split.table} GROUP BY ALL")
    with split.dataset.lock:
        rows = grouped_rows(split.dataset.con, sql, "the rows the versions decide differently")
    pa, pb = _gives_positive(split, a), _gives_positive(split, b)
    out = {}
    for side in SIDES:
        got = [r for r in rows if side == "all" or bool(r[0]) == (side == "test")]
        first = [(bool(p), n) for _, p, i, j, n in got if pa[i] and not pb[j]]
        second = [(bool(p), n) for _, p, i, j, n in got if pb[j] and not pa[i]]
        out[side] = Disagreement(rows=sum(r[4] for r in got), only_first=sum(n for _, n in first),
                                 only_first_positive=sum(n for p, n in first if p),
                                 only_second=sum(n for _, n in second),
                                 only_second_positive=sum(n for p, n in second if p))
    return out


def differing_rows(split: Split, a: RuleSet, b: RuleSet, side: str = "test", limit: int = 100,
                   offset: int = 0) -> pd.DataFrame:
    """A page of the rows of ``side`` the two versions decide differently, in row order: every column,
    the true label, what each version says and the rule that decided it (names, or "default")."""
    if side not in SIDES:
        raise ValueError(f"side must be one of {', '.join(SIDES)}")
    hit_a, hit_b = _hits_sql(split, a, b)
    pa, pb = _gives_positive(split, a), _gives_positive(split, b)
    alert_a = " OR ".join([f"__a = {i}" for i in np.flatnonzero(pa[:-1])] + (["__a = -1"] if pa[-1] else [])) or "FALSE"
    alert_b = " OR ".join([f"__b = {i}" for i in np.flatnonzero(pb[:-1])] + (["__b = -1"] if pb[-1] else [])) or "FALSE"
    where = "" if side == "all" else f"WHERE __rs_test = {int(side == 'test')}"
    columns = ", ".join(column_sql(c) for c in split.dataset.schema.names)
    sql = (f"SELECT {columns}, __a, __b FROM (SELECT *, {hit_a} AS __a, {hit_b} AS __b FROM {split.table} {where}) "
           f"WHERE ({alert_a}) <> ({alert_b}) ORDER BY __rs_row LIMIT {int(limit)} OFFSET {int(offset)}")
    with split.dataset.lock:
        frame = split.dataset.con.execute(sql).df()
    names_a, names_b = a.names() + ["default"], b.names() + ["default"]
    first, second = frame.pop("__a").to_numpy(int), frame.pop("__b").to_numpy(int)
    frame["first says"] = np.where(pa[first], str(split.positive), "not " + str(split.positive))
    frame["first's rule"] = [names_a[i] for i in first]
    frame["second says"] = np.where(pb[second], str(split.positive), "not " + str(split.positive))
    frame["second's rule"] = [names_b[i] for i in second]
    return frame


def comparison(split: Split, a: RuleSet, b: RuleSet, settings=None) -> dict:
    """Both versions' test figures (with amounts under ``settings``), the changes and the rows they
    decide differently, as plain data."""
    from .alerts import alert_rate
    from .evaluate import evaluate
    from .money import money

    out: dict = {}
    for key, rules in (("first", a), ("second", b)):
        ev = evaluate(split, rules)
        m, alerts = ev.test.metrics.positive, alert_rate(ev, "test")
        out[key] = {"rules": len(rules.enabled_rules), "precision": m.precision, "recall": m.recall, "f1": m.f1,
                    "alerts": alerts.alerts, "alerts_per_1000": alerts.per_1000}
        if settings is not None:
            test = money(split, rules, settings)["test"]
            out[key] |= {"amount_caught": test.caught, "net_benefit": test.net_benefit}
    out["changes"] = [asdict(c) for c in rule_diff(a, b)]
    out["disagreements"] = {side: asdict(d) | {"differ": d.differ} for side, d in disagreements(split, a, b).items()}
    return out


def render_comparison(c: dict, first: str, second: str) -> str:
    """A comparison as text: the figures on test, what changed, the rows decided differently."""
    lines = [f"A: {first} · B: {second} (test rows)"]
    for key, label in (("first", "A"), ("second", "B")):
        f = c[key]
        money = (f" · amount caught {f['amount_caught']:,.2f} · net benefit {f['net_benefit']:,.2f}"
                 if "net_benefit" in f else "")
        lines.append(f"{label}: {f['rules']} rules on · precision {f['precision']:.4f} · recall {f['recall']:.4f} · "
                     f"F1 {f['f1']:.4f} · {f['alerts']:,} alerts ({f['alerts_per_1000']:.2f} per 1,000){money}")
    changed = [ch for ch in c["changes"] if ch["kind"] != "unchanged"]
    lines.append(f"what changed: {len(changed)} of {len(c['changes'])} rules")
    for ch in changed:
        how = RuleChange(**{**ch, "conditions": tuple(ConditionChange(**x) for x in ch["conditions"]),
                            "notes": tuple(ch["notes"])}).describe()
        lines.append(f"  {ch['kind']:<9} {ch['name']!r} ({ch['before'] or '-'} -> {ch['after'] or '-'})"
                     + (f": {how}" if how else ""))
    d = c["disagreements"]["test"]
    lines.append(f"rows decided differently: {d['differ']:,} of {d['rows']:,} · only A alerts {d['only_first']:,} "
                 f"({d['only_first_positive']:,} positives) · only B alerts {d['only_second']:,} "
                 f"({d['only_second_positive']:,} positives)")
    return "\n".join(lines)
