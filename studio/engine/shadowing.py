"""Rules that the rules above them leave (almost) nothing to: a rule that matches rows on its own
but takes none, or few, of them in first-hit order, and which earlier rules take those rows."""

from __future__ import annotations

from dataclasses import dataclass

from ..data.split import Split
from ..rules.model import RuleSet
from .compile import fired_index_sql, rule_sql
from .results import SideReport

FEW = 0.1  # a rule taking at most this share of the rows it matches is flagged


@dataclass(frozen=True)
class Shadowed:
    """Rule ``index`` matches ``matched`` rows but takes only ``fired``; ``by``: (an earlier rule, how
    many of those rows it takes), most rows first."""

    index: int
    matched: int
    fired: int
    by: tuple[tuple[int, int], ...]

    def describe(self, names: list[str]) -> str:
        """``matches 57 rows but takes 0: rule 1 (deep V14) takes 57``."""
        takers = ", ".join(f"rule {i + 1} ({names[i]}) takes {n:,}" for i, n in self.by[:3])
        more = f", {len(self.by) - 3} more rules the rest" if len(self.by) > 3 else ""
        return f"matches {self.matched:,} rows but takes {self.fired:,}: {takers}{more}"


def shadowed_rules(split: Split, rules: RuleSet, report: SideReport, side: str = "test",
                   few: float = FEW) -> dict[int, Shadowed]:
    """The enabled rules that match rows of ``side`` but take at most ``few`` of them, by index, each
    with the earlier rules that take its rows (one query for all of them, kept in the split's cache)."""
    flagged = [r for r in report.rules if r.enabled and r.matched > 0 and r.fired <= few * r.matched]
    if not flagged:
        return {}
    key = ("shadowed", rules, side, few)
    if key not in split.cache:
        schema = split.dataset.schema
        counts = ", ".join(f"count(*) FILTER (WHERE {rule_sql(rules.rules[r.index], schema).sql('duckdb')})"
                           for r in flagged)
        with split.dataset.lock:
            rows = split.dataset.con.execute(
                f"SELECT {fired_index_sql(rules, schema).sql('duckdb')} AS f, {counts} FROM {split.table} "
                f"WHERE __rs_test = {int(side == 'test')} GROUP BY f").fetchall()
        out = {}
        for k, r in enumerate(flagged):
            by = sorted(((int(row[0]), int(row[k + 1])) for row in rows
                         if 0 <= row[0] != r.index and row[k + 1] > 0), key=lambda t: (-t[1], t[0]))
            out[r.index] = Shadowed(r.index, r.matched, r.fired, tuple(by))
        split.cache[key] = out
    return split.cache[key]
