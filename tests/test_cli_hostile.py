"""Hostile input to the command line: every bad path, special file, port or option value ends with
one line on stderr and exit code 2, never a traceback or a hang; wrong results are not given silently."""

import json
import os
import subprocess
import sys

import pytest

from studio.cli import main
from tests.support.sample_rules import ROOT, TUTORIAL_RULES

BANK = str(ROOT / "data" / "bank-marketing" / "bank.csv")


def one_line_error(capsys, argv, *expected):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), (code, err)
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


def test_special_and_huge_rule_files(tmp_path, capsys, rules_file):
    nested = rules_file("[" * 100_000 + "]" * 100_000, "nested.json")
    one_line_error(capsys, ["evaluate", BANK, "--target", "y", "--rules", nested], "nested 100,000 levels deep")
    one_line_error(capsys, ["evaluate", BANK, "--target", "y", "--rules", "/dev/zero"], "not a regular file")
    one_line_error(capsys, ["evaluate", BANK, "--target", "y", "--rules", tmp_path], "is a folder")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 10_000_001)
    one_line_error(capsys, ["evaluate", BANK, "--target", "y", "--rules", big], "larger than 10 MB")
    one_line_error(capsys, ["evaluate", "/dev/zero", "--target", "y", "--rules", rules_file(TUTORIAL_RULES)],
                   "not a regular file")


def test_a_compressed_csv_whose_first_line_never_ends(tmp_path, capsys, rules_file):
    import gzip
    path = tmp_path / "one-line.csv.gz"
    with gzip.open(path, "wb") as out:
        out.write(b"x" * 3_000_000)
    one_line_error(capsys, ["evaluate", path, "--target", "y", "--rules", rules_file(TUTORIAL_RULES)],
                   "the first line of one-line.csv.gz is longer than 1 MB")


def test_a_fifo_with_no_writer_does_not_hang(tmp_path, rules_file):
    fifo = tmp_path / "rules.fifo"
    os.mkfifo(fifo)
    for argv in (["evaluate", BANK, "--target", "y", "--rules", fifo],
                 ["evaluate", fifo, "--target", "y", "--rules", rules_file(TUTORIAL_RULES)]):
        proc = subprocess.run([sys.executable, "-m", "studio", *map(str, argv)], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 2 and "not a regular file" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_export_output_that_cannot_be_written(tmp_path, capsys, rules_file):
    path = rules_file(TUTORIAL_RULES)
    one_line_error(capsys, ["export", path, "--to", "json", "-o", tmp_path / "missing" / "r.json"], "does not exist")
    one_line_error(capsys, ["export", path, "--to", "json", "-o", tmp_path], "it is a folder")
    one_line_error(capsys, ["export", path, "--to", "json", "-o", "/dev/full"], "cannot write /dev/full")


@pytest.mark.parametrize("argv,expected", [
    (["serve", "{rules}", "--port", "99999"], "a port is between 1 and 65535"),
    (["serve", "{rules}", "--port", "http"], "not a whole number"),
    (["suggest", BANK, "--target", "y", "--top", "-1"], "--top"),
    (["suggest", BANK, "--target", "y", "--beta", "nan"], "--beta"),
    (["suggest", BANK, "--target", "y", "--min-recall", "5"], "--min-recall"),
    (["evaluate", BANK, "--rules", "{rules}", "--test-size", "1.5"], "--test-size"),
    (["evaluate", BANK, "--rules", "{rules}", "--on-disk", "--memory-limit", "lots"], "memory limit 'lots' is not a size"),
    (["evaluate", "creditcard-synthetic", "--rules", "{rules}", "--on-disk"], "apply to files, not to 'creditcard-synthetic'"),
    (["score", BANK, "--rules", "{rules}", "--out", "x.csv", "--rule-column", ""], "--rule-column"),
])
def test_bad_option_values(argv, expected, capsys, rules_file):
    path = rules_file(TUTORIAL_RULES)
    one_line_error(capsys, [a.replace("{rules}", str(path)) for a in argv], expected)


def test_labels_that_are_not_classes_warn_or_fail(capsys, rules_file):
    rules = {"format": "rule-studio/1", "target": "y", "default": "no", "rules": [
        {"name": "old", "when": [{"column": "age", "op": ">", "value": 60}], "then": 1}]}
    path = rules_file(rules)
    assert main(["evaluate", BANK, "--rules", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["test"]["rules"][0]["fired"] > 0
    assert err.strip() == ("warning: rule 1 ('old') gives 1, which is not a class of 'y' (classes: no, yes)")
    one_line_error(capsys, ["evaluate", BANK, "--rules", path, "--strict"], "rule 1 ('old') gives 1")


def test_score_refuses_to_overwrite_its_input(tmp_path, capsys, rules_file, monkeypatch):
    data = tmp_path / "bank.csv"
    data.write_bytes(open(BANK, "rb").read())
    before = data.read_bytes()
    rules = rules_file({"format": "rule-studio/1", "target": "y", "default": "no", "rules": [
        {"name": "old", "when": [{"column": "age", "op": ">", "value": 60}], "then": "yes"}]})
    monkeypatch.chdir(tmp_path)
    one_line_error(capsys, ["score", data, "--rules", rules, "--out", "bank.csv"], "would overwrite it")
    assert data.read_bytes() == before


def test_a_ragged_csv_is_named_as_such(tmp_path, capsys, rules_file):
    data = tmp_path / "ragged.csv"
    data.write_text("a,b,y\n1,2,0\n3,4,5,1\n5,6,1\n")
    one_line_error(capsys, ["evaluate", data, "--target", "y", "--rules", rules_file(TUTORIAL_RULES)],
                   "ragged.csv was read as one column", "line 3 has 4 fields where the header has 3")
