"""A rule set's figures per period of a time column (a backtest), and the rules whose latest period
falls below what they did before (decaying).

One aggregate query: rows grouped by period, true label and the rule that decides them (first hit),
with their count (and amount). Periods: ``day``, ``week`` or ``month`` of a DATE/TIMESTAMP column,
or ``N`` equal-width buckets of a numeric one (``auto``: months, weeks or days by the span of the
dates; 8 buckets for numbers). The rows are those of one side of the split (``all`` by default:
a backtest runs over the whole history; ``test`` for the held-out rows alone). Rows without a time
(NULL, NaN or infinite) belong to no period.

A rule (or the rule set) is *decaying* when its precision in the latest period in which it fired
is below the lowest precision of every earlier period in which it fired (at least two earlier ones).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from ..data.quoting import column_sql
from ..data.schema import NUMERIC, TEMPORAL
from ..data.split import Split
from ..errors import DataError
from ..rules.model import RuleSet
from ..rules.validate import check_ruleset
from .compile import fired_index_sql
from .evaluate import Extras, first_hits, match_counts
from .large import PAIRED_RULES
from .money import check_amount_column
from .sums import EXACT, amount_sql, grouped_rows

UNITS = ("auto", "day", "week", "month")
BUCKETS = 8


@dataclass(frozen=True)
class PeriodFigures:
    period: str
    rows: int          # rows of the period (for a rule: rows it decides)
    positives: int     # positive rows of the period
    alerts: int        # rows given the positive label
    caught: int        # positives among them
    precision: float | None
    recall: float | None
    amount_caught: float | None = None


@dataclass(frozen=True)
class Trend:
    """The rule set (index None) or one rule, period by period."""
    index: int | None
    name: str
    periods: tuple[PeriodFigures, ...]
    decaying: bool


@dataclass(frozen=True)
class Backtest:
    column: str
    unit: str
    side: str
    periods: tuple[str, ...]
    total: Trend
    rules: tuple[Trend, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def _period_sql(split: Split, column: str, unit: str) -> tuple[str, str, tuple | None]:
    """(the period of a row as SQL, the unit used, the (low, high) that buckets of a number cut)."""
    schema = split.dataset.schema
    if column not in schema:
        raise DataError(f"unknown time column {column!r}{schema.suggest(column)}")
    kind = schema.kind(column)
    t = column_sql(column)
    if kind == TEMPORAL:
        if unit.isdigit():
            raise DataError(f"{column!r} holds dates: periods are day, week or month, not {unit} buckets")
        if unit == "auto":
            (days,) = split.dataset.con.execute(
                f"SELECT date_diff('day', min({t})::TIMESTAMP, max({t})::TIMESTAMP) FROM {split.table}").fetchone()
            unit = "month" if (days or 0) > 120 else "week" if (days or 0) > 21 else "day"
        if unit not in UNITS[1:]:
            raise DataError(f"unknown period {unit!r}: day, week, month or a number of buckets")
        return f"strftime(date_trunc('{unit}', {t}), '%Y-%m-%d')", unit, ""
    if kind != NUMERIC:
        raise DataError(f"time column {column!r} is {schema.type_of(column)}: it must be a number or a date/time")
    n = BUCKETS if unit == "auto" else int(unit) if unit.isdigit() else 0
    if not 2 <= n <= 366:
        raise DataError(f"a numeric time column is cut into 2 to 366 equal buckets, not {unit!r}")
    x = f"CAST({t} AS DOUBLE)"  # DECIMAL and integer times alike; NaN and infinities have no period
    lo, hi = split.dataset.con.execute(  # the split's range, once: the buckets' bounds are then literals
        f"SELECT min({x}), max({x}) FROM {split.table} WHERE isfinite({x})").fetchone()
    if lo is None:
        return "CAST(NULL AS BIGINT)", f"{n} buckets", None
    lo, hi = float(lo), float(hi)
    width = max(hi - lo, 1e-300)
    bucket = (f"CASE WHEN isfinite({x}) THEN least({n - 1}, CAST(floor(({x} - CAST({lo!r} AS DOUBLE)) "  # NULL: none
              f"/ CAST({width!r} AS DOUBLE) * {n}) AS BIGINT)) END")
    return bucket, f"{n} buckets", (lo, hi)


def period_extras(split: Split, column: str, unit: str = "auto", amount: str | None = None) -> tuple[Extras, str]:
    """What the counting query needs for a backtest on ``column`` (and ``amount``), and the unit it
    uses (``auto`` resolved: memoised per split, so that the same query text serves every refresh)."""
    key = ("period", column, str(unit))
    if key not in split.cache:
        with split.dataset.lock:
            if column == split.target:
                raise DataError(f"the time column {column!r} is the target")
            period, used, bounds = _period_sql(split, column, str(unit))
        split.cache[key] = ((period, bounds), used)
    period, used = split.cache[key]
    return Extras(amount=amount, period=period), used


def backtest(split: Split, rules: RuleSet, column: str, unit: str = "auto", side: str = "all",
             amount: str | None = None) -> Backtest:
    """``rules`` period by period on ``column`` (see the module)."""
    if side not in ("train", "test", "all"):
        raise DataError(f"side must be train, test or all, not {side!r}")
    check_ruleset(rules, split.dataset.schema)
    if amount is not None:
        check_amount_column(split, amount)
    if len(rules.rules) <= PAIRED_RULES:  # from the metrics' own counting query
        extras, used = period_extras(split, column, str(unit), amount)
        counts = match_counts(split, rules, extras)
        first, _ = first_hits(counts.matched, [i for i, r in enumerate(rules.rules) if r.enabled])
        keep = counts.period != None  # noqa: E711 (elementwise: rows with a time)
        if side != "all":
            keep &= counts.test == (side == "test")
        groups = [(p, int(y), int(h), int(n)) + ((a,) if amount else ())
                  for p, y, h, n, a in zip(counts.period[keep], counts.label[keep], first[keep], counts.rows[keep],
                                           counts.amount[keep] if amount else [None] * int(keep.sum()))]
        return _assemble(split, rules, groups, column, used, side, amount is not None, counts.bounds)
    with split.dataset.lock:
        if column == split.target:
            raise DataError(f"the time column {column!r} is the target")
        period, used, bounds = _period_sql(split, column, str(unit))
        t = column_sql(column)
        hit = fired_index_sql(rules, split.dataset.schema).sql("duckdb")
        money = f", sum(CAST({amount_sql(amount)} AS {EXACT})) AS amount" if amount else ""
        where = [f"{t} IS NOT NULL"] + ([] if side == "all" else [f"__rs_test = {int(side == 'test')}"])
        if split.dataset.schema.kind(column) == NUMERIC:
            where.append(f"NOT isnan({t})")
        sql = (f"SELECT {period} AS period, __rs_y AS y, {hit} AS hit, count(*) AS n{money} FROM {split.table} "
               f"WHERE {' AND '.join(where)} GROUP BY ALL")
        groups = grouped_rows(split.dataset.con, sql, "the backtest")
    return _assemble(split, rules, groups, column, used, side, amount is not None, bounds)


def _label(period, unit: str, bounds=None) -> str:
    """A date period as its first day; a bucket as its range of the column."""
    if "buckets" not in unit:
        return str(period)
    n, (lo, hi) = int(unit.split()[0]), bounds
    start, end = lo + (hi - lo) * int(period) / n, lo + (hi - lo) * (int(period) + 1) / n
    return f"{start:,.6g} to {end:,.6g}"


def _assemble(split: Split, rules: RuleSet, groups, column: str, unit: str, side: str, money: bool,
              bounds: tuple | None = None) -> Backtest:
    positive = split.labels.index(split.positive)
    gives = [split.class_label(r.then) == split.positive for r in rules.rules]
    gives.append(split.class_label(rules.default) == split.positive)  # hit -1: the default
    keys = sorted({g[0] for g in groups}, key=lambda p: (int(p) if "buckets" in unit else p))

    def figures(period, decides) -> PeriodFigures:
        """The period's figures for the rows ``decides(hit)`` picks; alerts are those given the
        positive label."""
        mine = [g for g in groups if g[0] == period]
        positives = sum(g[3] for g in mine if g[1] == positive)
        picked = [g for g in mine if decides(g[2])]
        alerted = [g for g in picked if gives[g[2]]]
        alerts = sum(g[3] for g in alerted)
        caught = sum(g[3] for g in alerted if g[1] == positive)
        amount = (float(sum((Decimal(g[4] or 0) for g in alerted if g[1] == positive), Decimal(0)))
                  if money else None)
        return PeriodFigures(_label(period, unit, bounds), sum(g[3] for g in picked), positives, alerts, caught,
                             caught / alerts if alerts else None, caught / positives if positives else None, amount)

    total = [figures(p, lambda h: True) for p in keys]
    trends = []
    for i, name in enumerate(rules.names()):
        per = [figures(p, lambda h, i=i: h == i) for p in keys]
        trends.append(Trend(i, name, tuple(per), _decaying(per)))
    return Backtest(column, unit, side, tuple(_label(p, unit, bounds) for p in keys),
                    Trend(None, "rule set", tuple(total), _decaying(total)), tuple(trends))


def _decaying(periods: list[PeriodFigures]) -> bool:
    seen = [f.precision for f in periods if f.precision is not None]
    return len(seen) >= 3 and seen[-1] < min(seen[:-1])


def render_backtest(bt: Backtest) -> str:
    """The ``evaluate --by-period`` section: per period, the rule set's and each rule's figures."""
    out = [f"by period of {bt.column} ({bt.unit}, {bt.side} rows): precision / recall / alerts"
           + (" / amount caught" if bt.total.periods and bt.total.periods[0].amount_caught is not None else "")]
    width = max([len(p) for p in bt.periods] + [6])
    for trend in (bt.total,) + bt.rules:
        flag = "  DECAYING: latest precision below every earlier period" if trend.decaying else ""
        out.append(f"{trend.name}{flag}")
        for f in trend.periods:
            cells = [f"{'n/a' if f.precision is None else f'{f.precision:.4f}':>9}",
                     f"{'n/a' if f.recall is None else f'{f.recall:.4f}':>9}", f"{f.alerts:>8,}"]
            if f.amount_caught is not None:
                cells.append(f"{f.amount_caught:>14,.2f}")
            out.append(f"  {f.period:<{width}} " + " ".join(cells))
    return "\n".join(out)
