"""Missing markers carried into every export: a CSV whose numbers and texts hold ``?`` and ``NA``,
read by the studio with those markers, and each export run on the file as it is written (text, the
markers in it) gives the studio's predictions; without the markers it would not."""

import json

import numpy as np
import pandas as pd
import pytest
import sqlglot

import studio
from studio.export import ExportError, export
from studio.rules import rule
from studio.runtime.scoring import scoring_select

from tests.export.test_export import as_list, fake_hulearn, load_module  # noqa: F401 (a fixture)

MARKERS = ("?", "NA")


@pytest.fixture(scope="module")
def census(tmp_path_factory):
    rng = np.random.default_rng(7)
    n = 300
    age = rng.integers(18, 80, n).astype(str).astype(object)
    age[rng.random(n) < 0.15] = "?"
    age[rng.random(n) < 0.1] = "NA"
    work = rng.choice(["Private", "Self", "State", "?", "NA"], n, p=[0.5, 0.2, 0.1, 0.1, 0.1])
    hours = np.round(rng.uniform(5, 70, n), 1)
    frame = pd.DataFrame({"age": age, "work": work, "hours": hours,
                          "class": np.where(rng.random(n) < 0.25, ">50K", "<=50K")})
    path = tmp_path_factory.mktemp("census") / "census.csv"
    frame.to_csv(path, index=False)
    return path


RULES = studio.ruleset([
    rule(("age", ">", 45), ("work", "in", ["Private", "Self"]), then=">50K", name="older, employed"),
    rule(("work", "is null"), ("hours", ">", 40), then=">50K", name="unknown work, long hours"),
    rule(("age", "is null"), then="<=50K", name="no age"),
    rule(("age", "between", (30, 40)), ("work", "not in", ["State"]), then=">50K", name="thirties"),
    rule(("age", "<=", 25), then=">50K", name="young"),
], default="<=50K", target="class", positive=">50K")


def studio_answer(path):
    data = studio.load(str(path), missing=list(MARKERS))
    assert data.schema.kind("age") == "numeric"
    sql = scoring_select(RULES, data.schema, "data") + " ORDER BY rowid"
    rows = data.con.execute(f"SELECT prediction, rule FROM ({sql})").fetchall()
    return [r[0] for r in rows], [r[1] for r in rows], data


def as_written(path) -> pd.DataFrame:
    """The file as a reader that knows no markers sees it: ``?`` and ``NA`` kept as text."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"age": str, "work": str})


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres", "snowflake"])
def test_sql_on_the_file_as_written(census, dialect):
    labels, fired, data = studio_answer(census)
    raw = studio.Dataset.from_dataframe(as_written(census))
    raw.con.execute("CREATE TABLE raw AS SELECT *, rowid AS row_number FROM data")
    assert raw.schema.kind("age") == "string"  # the table holds the text as written
    for markers, same in ((MARKERS, True), ((), False)):
        sql = export(RULES, "sql", dialect=dialect, schema=data.schema, table="raw", missing=markers)
        if dialect != "duckdb":
            sql = sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
        try:
            rows = raw.con.execute(f"SELECT prediction, rule FROM ({sql.rstrip().rstrip(';')}) "
                                   "ORDER BY row_number").fetchall()
        except Exception:  # text against numbers: without the markers the query may not even run
            assert not same
            continue
        assert ([r[0] for r in rows] == labels and [r[1] for r in rows] == fired) == same


def test_python_module_sklearn_estimator_and_hulearn_on_the_file_as_written(census, fake_hulearn):  # noqa: F811
    labels, fired, data = studio_answer(census)
    frame = as_written(census)
    module = load_module(export(RULES, "python", missing=data.missing), "marked_rules")
    assert as_list(module.predict(frame).tolist()) == labels
    assert as_list(module.fired_rule(frame).tolist()) == fired
    plain = load_module(export(RULES, "python"), "unmarked_rules")
    with pytest.raises(TypeError):  # text compared with numbers: the markers are what makes it work
        plain.predict(frame)
    sk = load_module(export(RULES, "sklearn", missing=data.missing), "marked_estimator")
    assert list(sk.classifier.fit(frame, frame["class"]).predict(frame)) == labels
    hl = load_module(export(RULES, "human-learn", missing=data.missing), "marked_hulearn")
    assert hl.clf.predict(frame).tolist() == labels


def test_pmml_on_the_file_as_written(census, tmp_path):
    from jpmml_evaluator import make_evaluator

    labels, fired, data = studio_answer(census)
    path = tmp_path / "rules.pmml"
    path.write_text(export(RULES, "pmml", schema=data.schema, missing=data.missing))
    assert path.read_text().count('property="missing"') == 2 * 3
    evaluator = make_evaluator(str(path), backend="jpype").verify()
    inputs = as_written(census).drop(columns=["class"]).astype(object)
    result = evaluator.evaluateAll(inputs)
    assert "errors" not in result.columns or result["errors"].isna().all(), result.get("errors")
    assert list(result["prediction"]) == labels
    assert as_list(result["rule"].tolist()) == fired


def test_sql_markers_need_the_column_types():
    with pytest.raises(ExportError, match="needs the dataset's column types"):
        export(RULES, "sql", missing=MARKERS)
    with pytest.raises(studio.errors.StudioError, match="missing marker"):
        export(RULES, "python", missing=("x" * 50,))


def test_the_cli_reads_and_exports_with_markers(census, tmp_path, capsys):
    from studio.cli import main

    labels, _, _ = studio_answer(census)
    rules = tmp_path / "rules.json"
    rules.write_text(RULES.to_json())
    out = tmp_path / "rules.py"
    assert main(["export", str(rules), "--to", "python", "--data", str(census), "--missing", "?", "--missing", "NA",
                 "-o", str(out)]) == 0
    module = load_module(out.read_text(), "cli_rules")
    assert as_list(module.predict(as_written(census)).tolist()) == labels
    scored = tmp_path / "scored.csv"
    assert main(["score", str(census), "--rules", str(rules), "--out", str(scored), "--missing", "?",
                 "--missing", "NA"]) == 0
    assert list(pd.read_csv(scored)["prediction"]) == labels
    capsys.readouterr()
    assert main(["evaluate", str(census), "--rules", str(rules), "--missing", "?", "--missing", "NA", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    data = studio.load(str(census), missing=list(MARKERS))
    expected = json.loads(json.dumps(studio.evaluate(data.split("class", positive=">50K"), RULES).to_dict()))
    assert report["test"] == expected["test"] and report["train"] == expected["train"]
    assert main(["evaluate", str(census), "--rules", str(rules), "--missing", "x" * 40]) != 0
    assert "missing marker" in capsys.readouterr().err
