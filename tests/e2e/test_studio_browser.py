"""The studio in a real headless Chromium: add the tutorial's rules through the form, compare the
numbers on screen with the library's, reload, and check that two browsers are isolated."""

import re

import pytest
from playwright.sync_api import expect

import studio
from studio.rules import rule

from tests.support.browser import screenshot
from tests.support.studio_page import add_rule, choose, class_row, headline, no_errors, open_studio, wait_idle

TUTORIAL = [("V11", ">", 4, "large V11"), ("V17", "<", -3, "deep V17"), ("V14", "<", -8, "deep V14")]


@pytest.fixture(scope="module")
def expected():
    """The library's own evaluation of the tutorial's rules, on the studio's default split."""
    split = studio.load("creditcard-synthetic").split("Class", positive=1, test_size=0.5, seed=0)
    rules = studio.ruleset([rule((c, op, float(v)), then=1, name=n) for c, op, v, n in TUTORIAL], default=0)
    return studio.evaluate(split, rules)


def test_three_tutorial_rules_through_the_form(server, page, expected):
    open_studio(page, server + "/rules")
    assert headline(page) == {"precision": "0.0000", "recall": "0.0000", "f1": "0.0000"}
    screenshot(page, "rules-empty")
    for column, op, value, name in TUTORIAL:
        add_rule(page, column, op, value, 1, name)
    screenshot(page, "rules-three")

    pos = expected.test.metrics.positive
    assert headline(page) == {"precision": f"{pos.precision:.4f}", "recall": f"{pos.recall:.4f}",
                              "f1": f"{pos.f1:.4f}"}
    for side, table in (("test", 0), ("train", 2)):
        for c in expected.sides[side].metrics.classes:
            assert class_row(page, table, c.label) == [f"{c.precision:.4f}", f"{c.recall:.4f}", f"{c.f1:.4f}",
                                                       f"{c.support:,}"]
    for r in expected.test.rules:
        expect(page.get_by_text(f"test: fires {r.fired:,} · precision {r.precision:.1%}")).to_be_visible()

    # the rules survive a reload of the page (same workspace in the URL)
    assert "ws=" in page.url
    page.reload()
    page.wait_for_selector('[data-testid="headline"]')
    wait_idle(page)
    for _, _, _, name in TUTORIAL:
        expect(page.get_by_text(name).first).to_be_visible()
    assert headline(page)["precision"] == f"{pos.precision:.4f}"

    # every page renders, with the headline in the sidebar
    for path, title in (("data", "Data"), ("explore", "Explore"), ("export", "Export")):
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=30_000)
        wait_idle(page)
        assert headline(page)["precision"] == f"{pos.precision:.4f}"
        no_errors(page)
        screenshot(page, f"page-{path}")


def test_two_browsers_are_isolated(server, browser):
    a = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    b = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        open_studio(a, server + "/rules")
        open_studio(b, server + "/rules")
        add_rule(a, "V11", ">", 4, 1, "only in A")
        # B switches to another dataset
        b.get_by_role("link", name="Data").click()
        wait_idle(b)
        choose(b, "Bundled dataset", next(o for o in [f"bank-marketing-sample — {studio.BUNDLED['bank-marketing-sample'].description}"]))
        b.get_by_role("button", name="Open bundled dataset").click()
        expect(b.get_by_text("Opened bank-marketing-sample.")).to_be_visible(timeout=30_000)
        wait_idle(b)
        screenshot(b, "isolation-b-bank")
        # A still has its own dataset and rule; B has neither
        a.reload()
        a.wait_for_selector('[data-testid="headline"]')
        wait_idle(a)
        expect(a.get_by_text("only in A").first).to_be_visible()
        expect(a.locator('[data-testid="stSidebar"]').get_by_text("creditcard-synthetic (synthetic)")).to_be_visible()
        b.get_by_role("link", name="Rules").click()
        wait_idle(b)
        expect(b.get_by_text("only in A")).to_have_count(0)
        expect(b.locator('[data-testid="stSidebar"]').get_by_text(re.compile("bank-marketing-sample"))).to_be_visible()
    finally:
        a.context.close()
        b.context.close()


def test_uploads_bad_data_and_rule_files_are_refused(server, page, tmp_path):
    open_studio(page, server + "/data")
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 64)
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(garbage))
    expect(page.get_by_text(re.compile("garbage.csv was not opened"))).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("creditcard-synthetic (synthetic)")).to_be_visible()
    screenshot(page, "data-bad-upload")

    page.get_by_role("link", name="Rules").click()
    wait_idle(page)
    add_rule(page, "V11", ">", 4, 1, "kept rule")
    bad_rules = tmp_path / "bad.json"
    bad_rules.write_text('{"default": 0, "rules": [{"name": "x", "when": [{"column": "V_11", "op": ">", "value": 4}], '
                         '"then": 1}]}')
    page.get_by_text("Import rules JSON").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad_rules))
    expect(page.get_by_text(re.compile(r"bad.json was not imported.*unknown column 'V_11' \(did you mean 'V11'\?\)")))\
        .to_be_visible(timeout=30_000)
    expect(page.get_by_text("kept rule").first).to_be_visible()
    screenshot(page, "rules-bad-import")
