"""``python -m studio``: reports, JSON, scoring files, and one-line errors with exit code 2."""

import json
import subprocess
import sys

import duckdb
import pytest

import studio
from studio.cli import main
from studio.mining.listsearch import SearchSettings, search_rules

from tests.support.sample_rules import ROOT, TUTORIAL_RULES


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "studio", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_evaluate_json_has_train_test_all_equal_to_the_library(rules_file, credit_split, tutorial_rules, capsys):
    path = rules_file(TUTORIAL_RULES)
    assert main(["evaluate", "creditcard-synthetic", "--target", "Class", "--positive", "1",
                 "--rules", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = json.loads(json.dumps(studio.evaluate(credit_split, tutorial_rules).to_dict()))
    for side in ("train", "test", "all"):
        assert out[side] == expected[side]
    assert out["dataset"] == "creditcard-synthetic (synthetic)"
    assert out["test"]["rules"][1]["name"] == "deep V17"


def test_evaluate_with_amounts_adds_them_to_text_and_json(rules_file, credit_split, tutorial_rules, capsys):
    from studio.engine.money import MoneySettings, money

    path = rules_file(TUTORIAL_RULES)
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--amount", "Amount",
                 "--review-cost", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = money(credit_split, tutorial_rules, MoneySettings("Amount", review_cost=5))
    assert out["amounts"]["settings"] == {"column": "Amount", "review_cost": 5.0, "caught_share": 1.0,
                                          "false_alert_share": 0.0}
    for side in ("train", "test", "all"):
        assert out["amounts"][side] == json.loads(json.dumps(expected[side].to_dict()))
        assert out[side] == json.loads(json.dumps(studio.evaluate(credit_split, tutorial_rules).to_dict()))[side]
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--amount", "Amount"]) == 0
    text = capsys.readouterr().out
    test = expected["test"]
    assert (f"test: caught {test.caught:,.2f} of {test.positive_amount:,.2f} (amount recall {test.recall:.4f}); "
            f"false alerts {test.false_alerts:,.2f} (amount precision {test.precision:.4f}); {test.alerts:,} alerts") in text


def test_suggest_by_net_benefit_with_amounts(credit_split, capsys):
    from studio.engine.money import MoneySettings
    from studio.mining.search import suggestions

    assert main(["suggest", "creditcard-synthetic", "--objective", "net_benefit", "--amount", "Amount",
                 "--review-cost", "5", "--top", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = suggestions(credit_split, None, "net_benefit", top=5, money=MoneySettings("Amount", review_cost=5))
    assert [r["rule"] for r in out] == list(expected["rule"])
    assert [r["test_net_benefit"] for r in out] == list(expected["test_net_benefit"])
    assert main(["suggest", "creditcard-synthetic", "--objective", "amount_in_budget", "--budget", "3",
                 "--amount", "Amount", "--build-list", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["rules"]


def test_compare_two_versions(rules_file, credit_split, tutorial_rules, capsys):
    from studio.engine.compare import disagreements, rule_diff

    first = rules_file(TUTORIAL_RULES)
    second = rules_file({**TUTORIAL_RULES, "rules": TUTORIAL_RULES["rules"][1:]}, name="second.json")
    b = tutorial_rules.remove(0)
    assert main(["compare", "creditcard-synthetic", "--rules", str(first), "--against", str(second), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["kind"] for c in out["changes"]] == [c.kind for c in rule_diff(tutorial_rules, b)]
    d = disagreements(credit_split, tutorial_rules, b)["test"]
    assert out["disagreements"]["test"]["only_first"] == d.only_first > 0
    assert out["second"]["f1"] == studio.evaluate(credit_split, b).test.metrics.positive.f1
    assert main(["compare", "creditcard-synthetic", "--rules", str(first), "--against", str(second)]) == 0
    text = capsys.readouterr().out
    assert "removed   'large V11' (1 -> -): removed V11 > 4" in text
    assert f"rows decided differently: {d.differ:,} of {d.rows:,}" in text


def test_evaluate_on_an_out_of_time_split(rules_file, tutorial_rules, capsys):
    from studio.data.split import TimeOrder

    credit = studio.load("creditcard-synthetic")  # its own: a new split replaces the dataset's stored one
    path = rules_file(TUTORIAL_RULES)
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--split", "time:Time:90000",
                 "--gap", "600", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    split = credit.split("Class", positive=1, test_size=0.3, by_time=TimeOrder("Time", 90000, 600))
    expected = json.loads(json.dumps(studio.evaluate(split, tutorial_rules).to_dict()))
    assert out["split"] == expected["split"] and out["split"]["kind"] == "time"
    assert out["test"] == expected["test"] and out["train"] == expected["train"]
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--split", "time:Time"]) == 0
    text = capsys.readouterr().out
    default = credit.split("Class", positive=1, test_size=0.3, by_time="Time")
    assert f"split: {default.describe()}" in text


def test_evaluate_by_period(rules_file, credit_split, tutorial_rules, capsys):
    from studio.engine.backtest import backtest, render_backtest

    path = rules_file(TUTORIAL_RULES)
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--by-period", "Time:6", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["by_period"] == json.loads(json.dumps(backtest(credit_split, tutorial_rules, "Time", "6").to_dict()))
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--by-period", "Time"]) == 0
    assert render_backtest(backtest(credit_split, tutorial_rules, "Time")) in capsys.readouterr().out


def test_evaluate_readable_report(rules_file, capsys):
    path = rules_file({"default": "no", "rules": [
        {"name": "past success", "when": [{"column": "poutcome", "op": "==", "value": "success"}], "then": "yes"}]})
    assert main(["evaluate", str(ROOT / "data/bank-marketing/bank.csv"), "--target", "y", "--rules", str(path),
                 "--test-size", "0.3", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "positive label 'yes'" in out and "== test (" in out and "past success" in out
    assert "weighted avg" in out and "true \\ predicted" in out


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_score_writes_every_row_and_column_plus_prediction_and_rule(tmp_path, rules_file, suffix):
    src = tmp_path / "in.csv"
    src.write_text('"Montant (€)";"V11";"note"\n1.5;5;"a"\n2.5;;"b"\n3.5;-1;"c;d"\n')
    path = rules_file({"default": 0, "rules": [
        {"name": "big V11", "when": [{"column": "V11", "op": ">", "value": 4}], "then": 1}]})
    out = tmp_path / f"out{suffix}"
    code, stdout, stderr = run("score", src, "--rules", path, "--out", out)
    assert code == 0, stderr
    assert stdout.strip() == "wrote 3 rows to " + str(out)
    rows = duckdb.sql(f"SELECT * FROM '{out}'").fetchall()
    assert rows == [(1.5, 5, "a", 1, "big V11"), (2.5, None, "b", 0, None), (3.5, -1, "c;d", 0, None)]

    narrow = tmp_path / f"narrow{suffix}"
    code, _, stderr = run("score", src, "--rules", path, "--out", narrow, "--keep", "note")
    assert code == 0, stderr
    assert duckdb.sql(f"SELECT * FROM '{narrow}'").fetchall() == [("a", 1, "big V11"), ("b", 0, None), ("c;d", 0, None)]
    code, _, stderr = run("score", src, "--rules", path, "--out", narrow, "--keep", "note", "Note")
    assert code == 2 and stderr.strip() == "error: cannot keep 'Note': no such column (did you mean 'note'?)"


@pytest.mark.parametrize("args, message", [
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--target", "Clas"],
     "error: unknown target column 'Clas' (did you mean 'Class'?)"),
    (["evaluate", "creditcard-synthetic", "--rules", "missing.json"], "error: rule file not found: missing.json"),
    (["evaluate", "creditcard-synthetic", "--rules", "{bad_json}"], "error: malformed JSON at line 1, column 2"),
    (["evaluate", "creditcard-synthetic", "--rules", "{bad_column}"],
     "error: rule 1 ('x'): unknown column 'V_14' (did you mean 'V14'?)"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--test-size", "1.5"],
     "error: python -m studio evaluate: argument --test-size: must be between 0 and 1, got 1.5"),
    (["evaluate", "nowhere.csv", "--rules", "{rules}"], "error: no file or bundled dataset named 'nowhere.csv'"),
    (["score", "{empty}", "--rules", "{rules}", "--out", "o.csv"], "error: empty.csv is empty"),
    (["score", "{rules}", "--rules", "{rules}", "--out", "o.txt"], "error: output must end in .csv or .parquet"),
    (["frobnicate"], "error: python -m studio: argument command: invalid choice"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--split", "tim:Time"],
     "error: python -m studio evaluate: argument --split: expected random or time:COLUMN[:CUTOFF], got 'tim:Time'"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--gap", "5"],
     "error: --gap goes with --split time:COLUMN"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--split", "time:Tim"],
     "error: unknown time column 'Tim' (did you mean 'Time'?)"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--split", "time:Time:noon"],
     "error: the cutoff on 'Time' must be a number, not 'noon'"),
    (["suggest", "creditcard-synthetic", "--split", "time:Time", "--gap", "-1"],
     "error: python -m studio suggest: argument --gap: must be a number ≥ 0, got -1"),
    (["suggest", "creditcard-synthetic", "--objective", "recall_in_budget"],
     "error: --objective recall_in_budget needs --budget (alerts per 1,000 train rows)"),
    (["compare", "creditcard-synthetic", "--rules", "{rules}", "--against", "nope.json"],
     "error: rule file not found"),
    (["suggest", "creditcard-synthetic", "--objective", "net_benefit"],
     "error: --objective net_benefit needs --amount COLUMN (and --review-cost)"),
    (["suggest", "creditcard-synthetic", "--objective", "amount_in_budget", "--amount", "Amount"],
     "error: --objective amount_in_budget needs --budget (alerts per 1,000 train rows)"),
    (["suggest", "creditcard-synthetic", "--objective", "net_benefit", "--amount", "V1"],
     "error: amount column 'V1' has 142,902 negative values"),
    (["suggest", "creditcard-synthetic", "--review-cost", "5"],
     "error: --review-cost, --caught-share and --false-alert-share go with --amount COLUMN"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--by-period", "Time:week"],
     "error: a numeric time column is cut into 2 to 366 equal buckets, not 'week'"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--amount", "Amnt"],
     "error: amount column 'Amnt' is not in the data (did you mean 'Amount'?)"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--amount", "V1"],
     "error: amount column 'V1' has 142,902 negative values"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--amount", "Amount", "--review-cost", "-5"],
     "error: review cost must be a finite number ≥ 0, not -5.0"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--review-cost", "5"],
     "error: --review-cost, --caught-share and --false-alert-share go with --amount COLUMN"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--amount", "Amount", "--caught-share", "2"],
     "error: python -m studio evaluate: argument --caught-share: must be between 0 and 1, got 2"),
])
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, rules_file, args, message):
    files = {"rules": rules_file(TUTORIAL_RULES), "bad_json": rules_file("{oops", "bad.json"),
             "bad_column": rules_file({"default": 0, "rules": [
                 {"name": "x", "when": [{"column": "V_14", "op": "<", "value": -8}], "then": 1}]}, "col.json"),
             "empty": tmp_path / "empty.csv"}
    files["empty"].write_text("")
    code, stdout, stderr = run(*[a.format(**files) for a in args])
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith(message), stderr
    assert "Traceback" not in stderr


def test_suggest_lists_candidates_with_train_and_test_side_by_side(rules_file, credit_split):
    from studio import mining

    path = rules_file({"default": 0, "target": "Class", "positive": 1, "rules": [
        {"name": "large V11", "when": [{"column": "V11", "op": ">", "value": 4}], "then": 1}]})
    code, stdout, stderr = run("suggest", "creditcard-synthetic", "--rules", path, "--top", "5", "--json")
    assert code == 0, stderr
    rows = json.loads(stdout)
    rules = studio.RuleSet.load(path)
    expected = mining.suggestions(credit_split, rules, top=5)
    assert [r["rule"] for r in rows] == list(expected["rule"])
    for r, (_, e) in zip(rows, expected.iterrows()):
        assert r["train_rows"] == e["train_rows"] and r["test_rows"] == e["test_rows"]
        with_rule = rules.add(studio.Rule(when=e["when"], then=1))
        ev = studio.evaluate(credit_split, with_rule)
        assert ev.test.rules[-1].fired == r["test_rows"]  # the test count is the rule's own, after V11
    code, _, stderr = run("suggest", "creditcard-synthetic", "--target", "Clas")
    assert code == 2 and "unknown target column 'Clas'" in stderr


def test_suggest_scores_templates_and_builds_a_list(credit_split, capsys):
    from studio import mining
    from studio.mining.templates import template_metrics

    template = '{"V1[47]"} <= quantile(0.001)'
    assert main(["suggest", "creditcard-synthetic", "--template", template, "--template", '{"V14"} < -100',
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    expected = template_metrics(credit_split, [template, '{"V14"} < -100'])
    assert [r["rule"] for r in rows] == list(expected["rule"]) and len(rows) == 3
    for r, (_, e) in zip(rows[:2], expected.iterrows()):
        assert r["abs support"] == e["abs support"] and r["lift"] == e["lift"]
        assert r["conviction"] == ("inf" if e["confidence"] == 1 else e["conviction"])
    assert rows[2]["rows"] == 0 and rows[2]["confidence"] is None and rows[2]["lift"] is None  # undefined
    assert main(["suggest", "creditcard-synthetic", "--template", template]) == 0
    text = capsys.readouterr().out
    assert "abs support" in text and "conviction" in text
    assert main(["suggest", "creditcard-synthetic", "--template", '{"V1("} > 0']) == 2
    assert "not a regular expression" in capsys.readouterr().err
    code, _, stderr = run("suggest", "creditcard-synthetic", "--build-list", "0")
    assert code == 2 and "must be at least 1" in stderr
    code, _, stderr = run("suggest", "creditcard-synthetic", "--build-list", "2", "--template", template)
    assert code == 2 and "not allowed with" in stderr
    assert main(["suggest", "creditcard-synthetic", "--build-list", "2", "--greedy"]) == 0
    built = studio.RuleSet.from_dict(json.loads(capsys.readouterr().out))
    assert built == mining.greedy_rules(credit_split, max_rules=2)
    assert main(["suggest", "creditcard-synthetic", "--build-list", "2", "--max-conditions", "2",
                 "--time-budget", "600"]) == 0  # a budget it does not reach: the same list as the library's
    said = capsys.readouterr()
    searched = studio.RuleSet.from_dict(json.loads(said.out))
    expected = search_rules(credit_split, settings=SearchSettings(max_rules=2, max_conditions=2, time_budget=600))
    assert searched == expected.rules and searched.rules and all(len(r.when) <= 2 for r in searched.rules)
    assert "lists met in" in said.err and "(done)" in said.err
    assert ("a tree's list, read again off every train row" in said.err) == expected.refitted
    code, _, stderr = run("suggest", "creditcard-synthetic", "--build-list", "2", "--time-budget", "-1")
    assert code == 2 and "--time-budget" in stderr


def test_stdout_is_exactly_the_json_even_when_queries_are_slow(rules_file, credit_split, tutorial_rules,
                                                                monkeypatch, capfd):
    """DuckDB draws a progress bar on stdout for any query slower than ``progress_bar_time`` (2 s by
    default). Here that limit is 0.2 s, so the evaluation's query is "slow"; the studio's connections
    draw nothing."""
    real_connect = duckdb.connect

    def busy_machine(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        con.execute("SET progress_bar_time = 200")
        return con

    monkeypatch.setattr(duckdb, "connect", busy_machine)
    def polygon(k):  # 40 polygons of 8 vertices each: evaluating them takes a while
        vertices = [[-20 + k / 10, -15], [-3, -16], [5, -14 + k / 20], [6, -2], [4, 6], [-8, 7], [-19, 5], [-21, -4]]
        return {"name": f"p{k}", "when": [{"column": "V14", "op": "in polygon",
                                           "value": {"y": "V17", "vertices": vertices}}], "then": 1}

    rules = {**TUTORIAL_RULES, "rules": TUTORIAL_RULES["rules"] + [polygon(k) for k in range(40)]}
    path = rules_file(rules)
    capfd.readouterr()
    assert main(["evaluate", "creditcard-synthetic", "--rules", str(path), "--json"]) == 0
    out, err = capfd.readouterr()
    expected = studio.evaluate(credit_split, studio.RuleSet.from_dict(rules)).to_dict()
    assert json.loads(out) == json.loads(json.dumps(expected))
    assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert "%" not in err


def test_evaluate_on_disk_gives_the_same_report_as_in_memory(rules_file, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    path = rules_file({"format": "rule-studio/1", "target": "y", "positive": "yes", "default": "no", "rules": [
        {"name": "long call", "when": [{"column": "duration", "op": ">", "value": 600}], "then": "yes"},
        {"name": "earlier success", "when": [{"column": "poutcome", "op": "==", "value": "success"}], "then": "yes"}]})
    data = ROOT / "data" / "bank-marketing" / "bank.csv"  # a file: bundled datasets stay in memory
    reports = []
    for extra in ([], ["--on-disk", "--memory-limit", "200MB"]):
        assert main(["evaluate", str(data), "--rules", str(path), "--json", *extra]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1] and reports[0]["test"]["n"] > 0
    assert not any((tmp_path / "store").iterdir())
