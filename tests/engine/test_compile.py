"""SQL compilation: quoting, first-hit semantics, NULLs."""

import pandas as pd

import studio
from studio.engine.compile import condition_sql, prediction_sql
from studio.rules import Condition, rule
from studio.runtime.scoring import scoring_select


def scored(frame, rules):
    data = studio.Dataset.from_dataframe(frame)
    sql = scoring_select(rules, data.schema, "data") + " ORDER BY rowid"
    return data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall(), data


def test_hostile_and_odd_column_names_are_just_columns():
    evil, euro = 'a"; DROP TABLE t; --', "Montant (€)"
    frame = pd.DataFrame({evil: [1, 5, 9], euro: [10.0, 20.0, 30.0], "y": [0, 1, 1]})
    rules = studio.ruleset([rule((evil, ">", 4), (euro, ">=", 30), then=1, name="x'); DROP TABLE data; --")],
                           default=0)
    rows, data = scored(frame, rules)
    assert rows == [(0, None), (0, None), (1, "x'); DROP TABLE data; --")]
    assert data.n_rows == 3  # the table is still there
    assert condition_sql(Condition(evil, "==", "it's")).sql("duckdb") == '"a""; DROP TABLE t; --" = \'it\'\'s\''


def test_a_rule_labelled_like_the_default_still_stops_later_rules():
    frame = pd.DataFrame({"x": [1.0, -0.5, -2.0]})
    rules = studio.ruleset([rule(("x", ">", 0), then=0, name="keep"), rule(("x", ">", -1), then=1, name="flag")],
                           default=0)
    rows, _ = scored(frame, rules)
    assert rows == [(0, "keep"), (1, "flag"), (0, None)]


def test_null_values_make_conditions_false():
    frame = pd.DataFrame({"x": [None, 1.0, None], "s": [None, "a", "b"]})
    rules = studio.ruleset([
        rule(("x", "!=", 5), then="ne"), rule(("x", "is null"), ("s", "is not null"), then="null-x"),
        rule(("s", "not in", ["zz"]), then="notin"),
    ], default="none")
    rows, _ = scored(frame, rules)
    assert [r[0] for r in rows] == ["none", "ne", "null-x"]


def test_disabled_rules_and_empty_sets():
    frame = pd.DataFrame({"x": [1, 2]})
    rules = studio.ruleset([rule(("x", ">", 0), then=1, enabled=False)], default=0)
    assert scored(frame, rules)[0] == [(0, None), (0, None)]
    assert prediction_sql(studio.RuleSet(default="a")).sql("duckdb") == "'a'"


def test_same_tree_renders_for_other_dialects():
    rules = studio.ruleset([rule(("Montant (€)", "between", [1, 2]), ("job", "in", ["a", "b"]), then=1)], default=0)
    assert prediction_sql(rules).sql("tsql") == (
        "CASE WHEN ([Montant (€)] BETWEEN 1 AND 2) AND ([job] IN ('a', 'b')) THEN 1 ELSE 0 END")
    assert prediction_sql(rules).sql("spark").startswith("CASE WHEN (`Montant (€)` BETWEEN 1 AND 2)")


def test_mixed_label_types_become_strings():
    frame = pd.DataFrame({"x": [1, 2]})
    rules = studio.ruleset([rule(("x", ">", 1), then="high")], default=0)
    assert [r[0] for r in scored(frame, rules)[0]] == ["0", "high"]


def test_temporal_columns_compare_with_iso_strings():
    frame = pd.DataFrame({"d": pd.to_datetime(["2020-01-01", "2021-06-01"])})
    rules = studio.ruleset([rule(("d", ">=", "2021-01-01"), then=1)], default=0)
    assert [r[0] for r in scored(frame, rules)[0]] == [0, 1]
