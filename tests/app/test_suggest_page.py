"""The Suggest page under AppTest: the candidate table is the library's, a picked candidate is edited
and added, a built list is pruned and added, templates show ruleminer's metrics (infinite and
undefined as such), and the ML baseline's figures are the library's. Every headline is checked
against the library's evaluation of the rules the workspace saved."""

import math

import pytest
from streamlit.testing.v1 import AppTest

import studio
from studio import mining
from studio.mining.baseline import disagreements, fit_baseline
from studio.mining.listsearch import SearchSettings, search_rules
from studio.rules import Condition
from studio.mining.templates import template_metrics
from studio.session.workspace import Workspace

from pages.components.format import literal
from tests.support.app_page import open_app_page, shown

RULES_KEY = "creditcard-synthetic--Class"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_WORKSPACE", str(tmp_path))
    return tmp_path


def suggest(ws: str) -> AppTest:
    return open_app_page("suggest", ws, timeout=180)


def table_key(at, prefix: str) -> str:
    """The widget key of the page's selectable table (its element id ends with the key)."""
    (key,) = [d.proto.id.split("-", 2)[-1] for d in at.dataframe if d.proto.id.split("-", 2)[-1].startswith(prefix)]
    return key


def pick(at, prefix: str, row: int) -> None:
    at.session_state[table_key(at, prefix)] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception


def proposed(at) -> tuple:
    return tuple(at.session_state["suggest_proposal"]["conditions"])


def headline_matches(at, rules, split) -> None:
    body = next(m.body for m in at.sidebar.markdown if 'data-testid="headline"' in m.body)
    pos = studio.evaluate(split, rules).test.metrics.positive
    for name in ("precision", "recall", "f1"):
        assert f'data-metric="{name}">{getattr(pos, name):.4f}<' in body


def test_a_picked_candidate_is_edited_then_added(workspace, credit_split):
    at = suggest("suggest1")
    expected = mining.suggestions(credit_split, None, top=25)
    (table,) = at.dataframe
    assert list(table.value["rule"]) == list(expected["rule"])
    assert list(table.value["test precision"]) == [f"{v:.4f}" for v in expected["test_precision"]]
    for objective in ("fbeta", "precision_at_recall", "lift", "recall_in_budget"):
        at.selectbox(key="suggest_objective").set_value(objective).run()
        assert not at.exception, (objective, at.exception)
    # row 0 of the lift table, then row 0 of the F1 table: each pick proposes its own candidate
    lift = mining.suggestions(credit_split, None, objective="lift", top=25)
    pick(at, "suggest_table_", 0)
    assert proposed(at) == lift["when"][0]
    at.selectbox(key="suggest_objective").set_value("f1").run()
    pick(at, "suggest_table_", 0)
    assert proposed(at) == expected["when"][0]
    single = next(i for i, w in enumerate(expected["when"]) if len(w) == 1 and w[0].op == "<=")
    cond = expected["when"][single][0]
    pick(at, "suggest_table_", single)
    assert "from a mined candidate" in " ".join(m.value for m in at.markdown)
    value = next(n for n in at.number_input if n.label == f"{cond.column} value")
    value.set_value(round(cond.value - 0.5, 3)).run()   # edit the threshold before adding
    next(b for b in at.button if b.label == "Add as rule 1").click().run()
    assert not at.exception, at.exception
    rules = Workspace("suggest1", workspace).load_rules(RULES_KEY)
    assert [r.when for r in rules.rules] == [(Condition(cond.column, "<=", round(cond.value - 0.5, 3)),)]
    headline_matches(at, rules, credit_split)
    # the candidates are now for the rows that rule leaves undecided
    (table,) = at.dataframe
    assert list(table.value["rule"]) == list(mining.suggestions(credit_split, rules, top=25)["rule"])


def test_a_built_list_is_pruned_and_added(workspace, credit_split):
    at = suggest("suggest2")
    at.session_state["suggest_section"] = "Build a rule list"
    at.run()
    at.slider(key="suggest_list_size").set_value(4).run()
    at.number_input(key="suggest_list_seconds").set_value(300).run()  # a budget it does not reach
    at.checkbox(key="suggest_list_exceptions").uncheck().run()
    at.button(key="suggest_build").click().run()
    assert not at.exception, at.exception
    found = search_rules(credit_split, settings=SearchSettings(max_rules=4, min_support=5, time_budget=300,
                                                               exceptions=False))
    built = found.rules
    assert any(f"{found.lists} lists met in" in c.value and "searched to the end" in c.value for c in at.caption), "|".join(c.value for c in at.caption)[-600:]
    boxes = [c for c in at.checkbox if c.key.startswith("suggest_keep_")]
    assert [shown(b.label).split(" ", 1)[1] for b in boxes] == [f"`{r.name}`" for r in built.rules]
    assert len(boxes) >= 2
    (per_rule,) = [t.value for t in at.table if literal("positives caught") in list(t.value.columns)]
    assert list(per_rule[literal("rule")]) == [literal(f"{r.name} -> {r.then!r}") for r in built.rules]
    boxes[1].uncheck().run()
    kept = [r for i, r in enumerate(built.rules) if i != 1]
    next(b for b in at.button if b.key == "suggest_add_list").click().run()
    assert not at.exception, at.exception
    rules = Workspace("suggest2", workspace).load_rules(RULES_KEY)
    assert list(rules.rules) == kept
    headline_matches(at, rules, credit_split)


def test_a_tree_list_read_again_off_every_train_row_says_so(workspace, credit_split):
    """On the credit-card table the search chooses the depth-4 tree's whole list and reads it again off
    the tree fitted on every train row: the page shows that list and says how it was made."""
    at = suggest("suggest9")
    at.session_state["suggest_section"] = "Build a rule list"
    at.run()
    at.slider(key="suggest_list_size").set_value(8).run()
    at.number_input(key="suggest_list_seconds").set_value(300).run()
    at.checkbox(key="suggest_list_exceptions").uncheck().run()
    at.button(key="suggest_build").click().run()
    assert not at.exception, at.exception
    found = search_rules(credit_split, settings=SearchSettings(max_rules=8, min_support=5, time_budget=300,
                                                               exceptions=False))
    assert found.refitted
    assert any(f"{found.lists} lists met in" in c.value and "read again off the tree fitted on every train row"
               in c.value for c in at.caption), "|".join(c.value for c in at.caption)[-600:]
    boxes = [c for c in at.checkbox if c.key.startswith("suggest_keep_")]
    assert [shown(b.label).split(" ", 1)[1] for b in boxes] == [f"`{r.name}`" for r in found.rules.rules]


def test_a_stopped_search_shows_the_best_list_so_far(workspace, credit_split):
    from studio.mining.listsearch import Step, rounded

    at = suggest("stop1")
    at.session_state["suggest_section"] = "Build a rule list"
    at.run()
    s = at.session_state["studio"]
    settings = SearchSettings(max_rules=8, min_support=5, time_budget=8.0)
    asked = (s.rules, "search", settings)
    partial = s.rules.add(studio.rule(("V14", "<=", -4.2831), then=1)).add(studio.rule(("V12", "<=", -5.19), then=1))
    at.session_state["suggest_list_for"] = asked  # as a click on Stop leaves it: the search cut short at step 2
    at.session_state["suggest_list_stopped"] = asked
    at.session_state["suggest_list_partial"] = (asked, Step(2, 4, 0.7, 3.2, partial))
    at.run()
    assert not at.exception, at.exception
    assert any("Stopped after step 2 (3.2 s): the best list so far" in c.value for c in at.caption)
    boxes = [c for c in at.checkbox if c.key.startswith("suggest_keep_")]
    expected = rounded(credit_split, s.rules, partial)
    assert [shown(b.label).split(" ", 1)[1] for b in boxes] == [f"`{r.name}`" for r in expected.rules]


def test_recall_within_an_alert_budget_ranks_the_table_and_builds_the_list(workspace, credit_split):
    at = suggest("budget1")
    at.selectbox(key="suggest_objective").set_value("recall_in_budget").run()
    at.number_input(key="suggest_budget").set_value(3.0).run()
    assert not at.exception, at.exception
    expected = mining.suggestions(credit_split, None, objective="recall_in_budget", top=25, budget=3.0)
    (table,) = at.dataframe
    assert list(table.value["rule"]) == list(expected["rule"])
    at.session_state["suggest_section"] = "Build a rule list"
    at.run()
    at.slider(key="suggest_list_size").set_value(4).run()
    at.radio(key="suggest_list_how").set_value("greedy").run()
    at.button(key="suggest_build").click().run()
    assert not at.exception, at.exception
    built = mining.greedy_rules(credit_split, max_rules=4, objective="recall_in_budget", budget=3.0)
    boxes = [c for c in at.checkbox if c.key.startswith("suggest_keep_")]
    assert len(boxes) == len(built.rules) > 0


def test_money_objectives_rank_the_table_and_show_amounts_beside(workspace, credit_split):
    from studio.engine.money import MoneySettings
    from pages.components.format import amount

    at = suggest("money1")
    at.selectbox(key="suggest_objective").set_value("net_benefit").run()
    assert not at.exception, at.exception
    assert any("choose an amount column" in w.value for w in at.warning)  # no amounts yet: said, and F1 ranks
    (table,) = at.dataframe
    assert list(table.value["rule"]) == list(mining.suggestions(credit_split, None, "f1", top=25)["rule"])
    settings = MoneySettings("Amount", review_cost=5.0)
    at.session_state["studio"].choose_amounts(settings)
    at.run()
    assert not at.exception, at.exception
    assert not at.warning
    expected = mining.suggestions(credit_split, None, "net_benefit", top=25, money=settings)
    (table,) = at.dataframe
    assert list(table.value["rule"]) == list(expected["rule"])
    assert list(table.value["test net benefit"]) == [amount(v) for v in expected["test_net_benefit"]]
    assert list(table.value["train amount caught"]) == [amount(v) for v in expected["train_caught"]]
    assert list(table.value["score"]) == [amount(v) for v in expected["objective"]]
    at.session_state["suggest_section"] = "Build a rule list"
    at.run()
    at.slider(key="suggest_list_size").set_value(3).run()
    at.slider(key="suggest_list_conditions").set_value(2).run()
    at.number_input(key="suggest_list_seconds").set_value(300).run()
    at.button(key="suggest_build").click().run()
    assert not at.exception, at.exception
    built = search_rules(credit_split, settings=SearchSettings(max_rules=3, max_conditions=2, objective="net_benefit",
                                                               money=settings, min_support=5, time_budget=300)).rules
    assert built.rules and all(len(r.when) <= 2 for r in built.rules)
    boxes = [c for c in at.checkbox if c.key.startswith("suggest_keep_")]
    assert [shown(b.label).split(" ", 1)[1] for b in boxes] == [f"`{r.name}`" for r in built.rules]


def test_templates_show_ruleminers_metrics_and_their_errors(workspace, credit_split):
    at = suggest("suggest3")
    at.session_state["suggest_section"] = "Templates"
    at.run()
    texts = ['{"V1[0-9]"} <= quantile(0.01)', '{"V14"} < -100', '({"V14"} < -9) & {"V17"} < -9']
    at.text_area(key="suggest_templates").set_value("\n".join(texts)).run()
    assert not at.exception, at.exception
    expected = template_metrics(credit_split, texts).sort_values("lift", ascending=False, na_position="last",
                                                                 kind="stable")
    (table,) = at.dataframe
    assert list(table.value["rule"]) == list(expected["rule"])
    shown = table.value.set_index("rule")
    assert shown.loc["V14 < -100", "lift"] == "undefined" and shown.loc["V14 < -100", "rows"] == 0
    sure = expected[expected["confidence"] == 1]
    for rule in sure["rule"]:
        assert shown.loc[rule, "conviction"] == "∞"
    assert not sure.empty
    pick(at, "suggest_template_table_", 0)
    assert "from a template" in " ".join(m.value for m in at.markdown)
    assert proposed(at) == expected["when"].iloc[0]
    at.session_state["suggest_section"] = "Build a rule list"   # another section, and back:
    at.run()
    at.session_state["suggest_section"] = "Templates"
    at.run()
    assert at.text_area(key="suggest_templates").value == "\n".join(texts)  # what was typed is kept
    at.text_area(key="suggest_templates").set_value('{"V1("} > 0').run()
    assert not at.exception and "not a regular expression" in at.error[0].value


def test_ml_baseline_beside_the_rules(workspace, credit_split):
    rules = studio.ruleset([studio.rule(("V14", "<", -3), then=1)], default=0, target="Class", positive=1)
    Workspace("suggest4", workspace).save_rules(RULES_KEY, rules)
    at = suggest("suggest4")
    at.session_state["suggest_section"] = "ML baseline"
    at.run()
    at.radio(key="suggest_model").set_value("logistic regression").run()
    at.slider(key="suggest_model_threshold").set_value(0.3).run()
    assert not at.exception, at.exception
    base = fit_baseline(credit_split, "logistic regression")
    m = base.scores(0.3)
    (summary,) = at.table
    row = summary.value.loc["logistic regression, threshold 0.30"]
    assert (row["precision"], row["recall"], row["F1"]) == (f"{m.precision:.4f}", f"{m.recall:.4f}", f"{m.f1:.4f}")
    r = studio.evaluate(credit_split, rules).test.metrics.positive
    assert summary.value.iloc[0]["precision"] == f"{r.precision:.4f}"
    d = disagreements(credit_split, rules, base, 0.3)
    text = " ".join(x.value for x in at.markdown)
    assert f"does not: {d.rules_only:,}" in text and f"do not: {d.model_only:,}" in text
    (rows,) = at.dataframe
    assert list(rows.value["row"]) == list(d.table["row"])
    assert not math.isnan(base.average_precision())


def test_a_built_lists_exceptions_say_their_label(workspace):
    """On the bank calls the search writes exceptions (rules giving the default label back): each box
    says so, and the per-rule table shows every rule with its label."""
    Workspace("bank1", workspace).save_state({"source": "bank-marketing", "target": "y", "positive": "yes",
                                              "test_size": 0.5, "seed": 0})
    at = suggest("bank1")
    at.session_state["suggest_section"] = "Build a rule list"
    at.run()
    at.number_input(key="suggest_list_seconds").set_value(300).run()  # a budget it does not reach
    at.button(key="suggest_build").click().run()
    assert not at.exception, at.exception
    split = studio.load("bank-marketing").split("y", positive="yes", test_size=0.5, seed=0)
    built = search_rules(split, settings=SearchSettings(min_support=5, time_budget=300)).rules
    exceptions = [r for r in built.rules if r.then == "no"]
    assert exceptions and any(r.then == "yes" for r in built.rules)
    boxes = [shown(c.label) for c in at.checkbox if c.key.startswith("suggest_keep_")]
    assert len(boxes) == len(built.rules)
    for label, rule in zip(boxes, built.rules):
        assert f"`{rule.name}`" in label
        assert ("an exception, it takes these rows back" in label) == (rule.then == "no"), label
    (per_rule,) = [t.value for t in at.table if literal("positives caught") in list(t.value.columns)]
    assert list(per_rule[literal("rule")]) == [literal(f"{r.name} -> {r.then!r}") for r in built.rules]
