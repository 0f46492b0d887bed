"""The lighter NaN guards DuckDB evaluates (``x > v AND x <= +Infinity``) hold on exactly the rows the
plain guard (``NULLIF(x, NaN) > v``) and the row-by-row reference (pyeval) hold on: NaN, NULL and both
infinities included, single and double precision, alone, under AND and inside OR."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import studio
from studio.data.connection import connect
from studio.engine.compile import rule_duckdb, rule_sql
from studio.rules.condition import Condition
from studio.rules.model import Rule
from studio.runtime.pyeval import rule_mask

VALUES = st.one_of(st.sampled_from([math.nan, math.inf, -math.inf, None, 0.0, 2.5, -2.5]),
                   st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 1)))
OPS = st.sampled_from([">", ">=", "!=", "<", "is null", "is not null"])
BOUNDS = st.sampled_from([0.0, 2.5, -2.5, 1.0, 5.0, -5.0])  # rules refuse infinite values


def _condition(column, op, value):
    return Condition(column, op, None if op in ("is null", "is not null") else value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=st.lists(VALUES, min_size=1, max_size=30), precision=st.sampled_from(["DOUBLE", "FLOAT"]),
       conds=st.lists(st.tuples(st.sampled_from(["x", "z"]), OPS, BOUNDS), min_size=1, max_size=3))
def test_the_lighter_guards_hold_where_the_plain_ones_do(x, precision, conds):
    con = connect()
    con.execute(f"CREATE TABLE data (x {precision}, z DOUBLE)")
    con.executemany("INSERT INTO data VALUES (?, ?)", [[a, None if b is None else -b] for a, b in zip(x, reversed(x))])
    data = studio.Dataset(con=con, name="t")
    when = tuple(_condition(*c) for c in conds)
    schema = data.schema
    light, plain = rule_duckdb(when, schema), rule_sql(Rule(when=when, then=1), schema).sql("duckdb")
    first_light, first_plain = rule_duckdb(when[:1], schema), rule_sql(Rule(when=when[:1], then=1), schema).sql("duckdb")
    got = data.con.execute(
        f"SELECT coalesce({light}, FALSE), coalesce({plain}, FALSE), coalesce(({light}) OR ({first_light}), FALSE), "
        f"coalesce(({plain}) OR ({first_plain}), FALSE) FROM data ORDER BY rowid").fetchall()
    assert [g[0] for g in got] == [g[1] for g in got]
    assert [g[2] for g in got] == [g[3] for g in got]
    rows = data.fetch("SELECT * FROM data ORDER BY rowid")  # NaN and NULL both read as missing
    assert [g[0] for g in got] == list(rule_mask(rows, Rule(when=when, then=1).to_dict()))
    assert light.count("<= CAST('Infinity' AS DOUBLE)") >= sum(op in (">", ">=", "!=") for _, op, _ in conds)
