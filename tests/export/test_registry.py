"""One record per export format: the CLI and the Export page both read the registry, so a format
registered in one place is offered by both."""

import pytest
from streamlit.testing.v1 import AppTest

import studio
from studio.cli import main
from studio.export import FORMATS, ExportError, ExportFormat, export, register, unregister
from tests.support.sample_rules import ROOT, TUTORIAL_RULES


def names_only(rules, table="data"):
    return "\n".join(f"{table}: {name}" for name in rules.names()) + "\n"


@pytest.fixture
def names_format():
    fmt = register(ExportFormat("names", "rule names", ".txt", "text", "One line per rule: its name.", names_only,
                                options=("table",)))
    yield fmt
    unregister(fmt.name)


def test_every_format_is_one_complete_record():
    assert list(FORMATS) == ["python", "sklearn", "human-learn", "sql", "pmml", "json"]
    for fmt in FORMATS.values():
        assert fmt.label and fmt.suffix.startswith(".") and fmt.language and fmt.help and callable(fmt.render)
    with pytest.raises(ExportError, match="unknown export format 'yaml'; choose one of python, sklearn"):
        export(studio.RuleSet.from_dict(TUTORIAL_RULES), "yaml")
    with pytest.raises(ValueError, match="unknown option 'colour'"):
        ExportFormat("x", "x", ".x", "text", "x", names_only, options=("colour",))


def test_a_registered_format_reaches_the_cli_and_the_export_page(names_format, rules_file, capsys, tmp_path,
                                                                 monkeypatch):
    rules = studio.RuleSet.from_dict(TUTORIAL_RULES)
    assert export(rules, "names", table="t", dialect="ignored") == "t: large V11\nt: deep V17\nt: deep V14\n"

    path = rules_file(TUTORIAL_RULES)
    assert main(["export", str(path), "--to", "names", "--table", "cards"]) == 0
    assert capsys.readouterr().out == "cards: large V11\ncards: deep V17\ncards: deep V14\n"
    out = tmp_path / "names.txt"
    assert main(["export", str(path), "--to", "names", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote rule names to {out}"

    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.session_state["studio"].apply(rules)
    at.switch_page("pages/export.py").run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs][-1] == "rule names"
    assert at.code[-2].value == "data: large V11\ndata: deep V17\ndata: deep V14"
    at.text_input(key="names_table").set_value("warehouse.cards").run()
    assert at.code[-2].value.startswith("warehouse.cards: large V11")
