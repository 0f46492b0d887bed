"""Add clicked straight from a box still being typed in: the rule added is the one the boxes show
(the value and the name typed, not the last applied ones), and the whole page follows at once."""

import re

from playwright.sync_api import expect

import studio
from studio.rules import rule
from studio.session.workspace import Workspace

from tests.support.studio_page import choose, headline, no_errors, open_studio, wait_idle


def test_add_takes_the_values_still_being_typed(server, page, workspace_root):
    open_studio(page, f"{server}/rules?ws=typedadd")
    choose(page, "Column 1", "V11")
    choose(page, "Operator 1", ">")
    page.get_by_label(re.compile("^Value 1")).fill("4")  # no Enter: the box has not applied it yet
    page.get_by_label(re.compile("^Rule name")).fill("large V11")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("large V11", exact=True).first).to_be_visible(timeout=30_000)
    wait_idle(page)
    no_errors(page)

    saved = Workspace("typedadd", workspace_root).load_rules("creditcard-synthetic--Class")
    assert [(r.name, [(c.column, c.op, c.value) for c in r.when]) for r in saved.rules] == \
        [("large V11", [("V11", ">", 4)])]
    split = studio.load("creditcard-synthetic").split("Class", positive=1, test_size=0.5, seed=0)
    pos = studio.evaluate(split, studio.RuleSet(default=0).add(rule(("V11", ">", 4), then=1))).test.metrics.positive
    assert headline(page) == {"precision": f"{pos.precision:.4f}", "recall": f"{pos.recall:.4f}", "f1": f"{pos.f1:.4f}"}
    # the form starts again on the same column and operator, with an empty name
    assert page.get_by_role("combobox", name=re.compile("^Column 1")).input_value() == "V11"
    assert page.get_by_label(re.compile("^Rule name")).input_value() == ""

    page.get_by_label(re.compile("^Value 1")).fill("6")  # again, with the name typed last and no Enter
    page.get_by_label(re.compile("^Rule name")).fill("larger V11")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("larger V11", exact=True).first).to_be_visible(timeout=30_000)
    wait_idle(page)
    saved = Workspace("typedadd", workspace_root).load_rules("creditcard-synthetic--Class")
    assert [(r.name, r.when[0].value) for r in saved.rules] == [("large V11", 4), ("larger V11", 6)]
    assert page.locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile("^test: fires")).count() == 2
