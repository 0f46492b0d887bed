"""Rule templates (ruleminer's style) and ruleminer's rule metrics.

The metrics are checked against a scalar transcription of ruleminer's formulas (plain Python
floats, a zero division read as undefined, conviction at confidence 1 as infinite), on counts
taken with pandas from the split's own rows."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import studio
from studio.mining.rulemetrics import METRICS, rule_metrics, show
from studio.mining.templates import Quantile, TemplateError, ValuePattern, expand, parse_template, template_metrics

NAN = float("nan")


def reference(n, n_x, n_y, n_xy) -> dict:
    """ruleminer's formulas, one rule at a time, in its order of operations."""
    def div(a, b):
        return a / b if b != 0 else NAN

    n_not_x, n_not_x_not_y = n - n_x, n - n_x - n_y + n_xy
    conf = div(n_xy, n_x)
    out = {"abs support": n_xy, "abs exceptions": n_x - n_xy, "confidence": conf, "support": div(n_xy, n),
           "added value": conf - div(n_y, n),
           "casual confidence": 0.5 * n_xy / n_x + 0.5 * n_not_x_not_y / n_not_x if n_x and n_not_x else NAN,
           "casual support": div(n_xy + n_not_x_not_y, n),
           "lift": conf / (n_y / n) if n_x and n and n_y else NAN,
           "rule power factor": div(n_xy, n) * conf}
    if n == 0 or n_x == 0:
        out["conviction"] = NAN
    elif 1 - n_xy / n_x == 0:
        out["conviction"] = math.inf if 1 - n_y / n > 0 else NAN
    else:
        out["conviction"] = (1 - n_y / n) / (1 - n_xy / n_x)
    return out


def same(a, b) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@st.composite
def counts(draw):
    n = draw(st.integers(0, 10_000))
    n_x = draw(st.integers(0, n))
    n_y = draw(st.integers(0, n))
    n_xy = draw(st.integers(max(0, n_x + n_y - n), min(n_x, n_y)))
    return n, n_x, n_y, n_xy


@settings(max_examples=400, deadline=None)
@given(st.lists(counts(), min_size=1, max_size=20))
def test_metrics_equal_ruleminers_formulas_to_the_last_digit(rows):
    n, n_x, n_y, n_xy = (np.array(v) for v in zip(*rows))
    got = rule_metrics(n, n_x, n_y, n_xy)
    assert tuple(got) == METRICS
    for i, row in enumerate(rows):
        want = reference(*row)
        for name in METRICS:
            assert same(float(got[name][i]), float(want[name])), (name, row, got[name][i], want[name])


def test_confidence_one_gives_infinite_conviction_and_empty_rules_are_undefined():
    m = rule_metrics(100, np.array([10, 0, 100]), 20, np.array([10, 0, 20]))
    assert m["confidence"][0] == 1 and m["conviction"][0] == math.inf and show(m["conviction"][0]) == "∞"
    assert all(math.isnan(m[k][1]) for k in ("confidence", "lift", "conviction", "added value", "casual confidence"))
    assert show(m["lift"][1]) == "undefined" and m["abs support"][1] == 0
    assert math.isnan(m["casual confidence"][2])  # X holds everywhere: no row without X
    assert m["casual support"][0] == (10 + 80) / 100 and show(12.0, "abs support") == "12" \
        and show(1.0, "confidence") == "1.0000" and show(0.25) == "0.2500"


def test_parse_reads_ruleminer_style_clauses():
    t = parse_template('({"V1[0-9]"} <= quantile(0.05)) & {"Amount"} > 1e2 and {"type"} == "life.*"')
    assert [(c.pattern, c.op, c.value) for c in t.clauses] == [
        ("V1[0-9]", "<=", Quantile(0.05)), ("Amount", ">", 100.0), ("type", "==", ValuePattern("life.*"))]
    assert parse_template('{"a \\"b\\""} != -3').clauses[0].pattern == 'a "b"'
    assert parse_template(r'{"V\d+"} > 1').clauses[0].pattern == r"V\d+"  # a pattern is read as written
    for bad, message in [('{"V1"} <= 3 {"V2"} > 1', "expected &"), ('{"V1"} => 3', "expected"),
                         ('{"V1("} > 3', "not a regular expression"), ('{"V1"} > quantile(1.5)', "between 0 and 1"),
                         ('{"job"} < "a.*"', "needs == or !="), ('if ({"V1"} > 3) then ({"Class"} == 1)', "consequent"),
                         ('({"V1"} > 3', "expected")]:
        with pytest.raises(TemplateError, match=message):
            parse_template(bad)


@pytest.fixture(scope="module")
def bank():
    data = studio.load("bank-marketing-sample")
    split = data.split("y", positive="yes", test_size=0.5, seed=0)
    return split, data.con.execute(f"SELECT * FROM {split.table} WHERE __rs_test = 0").df()


def test_expansion_matches_whole_column_names_and_text_values(bank):
    split, train = bank
    found = expand([parse_template('{"job"} == "blue-collar|self-.*|admin\\."'),
                    parse_template('{"(age|balance)"} > quantile(0.9) & {"housing"} == ".*"')], split)
    jobs = [c[0].value for t, c in found if t.text.startswith('{"job"}')]
    assert sorted(jobs) == ["admin.", "blue-collar", "self-employed"]
    pairs = [(c[0].column, c[1].value) for t, c in found if len(c) == 2]
    assert sorted(pairs) == [(a, h) for a in ("age", "balance") for h in ("no", "yes")]
    q = [c[0].value for t, c in found if len(c) == 2 and c[0].column == "age"][0]
    assert q == train["age"].quantile(0.9, interpolation="lower") and isinstance(q, int)
    # a column compared twice the same way is not a candidate; a range on one column is
    assert not expand([parse_template('{"a.e"} > 1 & {"age"} > 2')], split)
    assert len(expand([parse_template('{"age"} > 30 & {"age"} <= 40')], split)) == 1
    both = expand([parse_template('{"age|balance"} > 0 & {"age|balance"} > 0')], split)
    assert [sorted(x.column for x in c) for _, c in both] == [["age", "balance"]]  # one candidate, not two orders
    with pytest.raises(TemplateError, match="narrow"):
        expand([parse_template('{".*"} > 0 & {".*"} < 1 & {".*"} >= 2')], split, max_candidates=100)


def test_template_metrics_equal_counts_taken_with_pandas(bank):
    split, train = bank
    rules = studio.ruleset([studio.rule(("poutcome", "==", "success"), then="yes")], default="no")
    table = template_metrics(split, ['{"(age|campaign|pdays)"} > quantile(0.75)', '{"month"} == "ma.*" & {"age"} < 40',
                                     '{"age"} > 1000'], rules)
    assert len(table) == 3 + 2 + 1
    undecided = train[~(train["poutcome"] == "success")]
    y = (undecided["__rs_label"] == "yes").to_numpy()
    for _, row in table.iterrows():
        x = np.ones(len(undecided), dtype=bool)
        for c in row["when"]:
            v = undecided[c.column]
            x &= {">": v > c.value, "<": v < c.value, "==": v == c.value}[c.op].fillna(False).to_numpy(bool)
        want = reference(len(undecided), int(x.sum()), int(y.sum()), int((x & y).sum()))
        for name in METRICS:
            assert same(float(row[name]), float(want[name])), (row["rule"], name)
        assert row["train_recall"] == (x & y).sum() / (train["__rs_label"] == "yes").sum()
    empty = table[table["rule"] == "age > 1000"].iloc[0]
    assert empty["rows"] == 0 and math.isnan(empty["confidence"]) and math.isnan(empty["test_precision"])


def test_the_limit_counts_every_template_and_quantiles_read_nan_as_missing():
    import pandas as pd

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=400), "k": rng.integers(0, 50, 400), "y": rng.integers(0, 2, 400)})
    data = studio.Dataset.from_dataframe(frame)
    data.con.execute("UPDATE data SET x = 'nan'::DOUBLE WHERE rowid % 10 = 0")  # real NaN, not NULL
    split = data.split("y", positive=1, test_size=0.5, seed=0)
    train = data.con.execute(f"SELECT x, k FROM {split.table} WHERE __rs_test = 0").df()
    assert train["x"].isna().sum() > 10
    found = expand([parse_template('{"x"} > quantile(0.5)'), parse_template('{"x"} > quantile(0.95)'),
                    parse_template('{"k"} <= quantile(0.5)')], split)
    got = {(c[0].column, round(t.clauses[0].value.q, 2)): c[0].value for t, c in found}
    x = np.sort(train["x"].dropna().to_numpy())
    assert got[("x", 0.5)] == np.quantile(x, 0.5, method="inverted_cdf")
    assert got[("x", 0.95)] == np.quantile(x, 0.95, method="inverted_cdf")
    assert got[("k", 0.5)] == np.quantile(train["k"], 0.5, method="inverted_cdf") and isinstance(got[("k", 0.5)], int)
    bank = studio.load("bank-marketing-sample").split("y", positive="yes", test_size=0.5, seed=0)
    with pytest.raises(TemplateError, match="more than 4 candidates"):
        expand([parse_template('{"age|balance|day"} > 0'), parse_template('{"campaign|pdays|previous"} > 0')], bank,
               max_candidates=4)


def test_quantiles_of_decimal_columns_are_numbers_a_rule_accepts(tmp_path):
    import pandas as pd

    data = studio.Dataset.from_dataframe(pd.DataFrame({"a": np.arange(200) / 4, "y": np.arange(200) % 2}))
    data.con.execute("CREATE OR REPLACE TABLE data AS SELECT a::DECIMAL(10, 2) AS a, y FROM data")
    data.con.execute(f"COPY data TO '{tmp_path / 'd.parquet'}' (FORMAT parquet)")
    dec = studio.Dataset.from_file(tmp_path / "d.parquet")
    assert dec.schema.type_of("a").startswith("DECIMAL")
    split = dec.split("y", positive=1, test_size=0.5, seed=0)
    table = template_metrics(split, ['{"a"} > quantile(0.5)'])
    (cond,) = table["when"][0]
    assert isinstance(cond.value, float) and not cond.problems()
    train = dec.con.execute(f"SELECT a::DOUBLE AS a FROM {split.table} WHERE __rs_test = 0").df()["a"]
    assert cond.value == np.quantile(train, 0.5, method="inverted_cdf")
    assert table["rows"][0] == (train > cond.value).sum()
