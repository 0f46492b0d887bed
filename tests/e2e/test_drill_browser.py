"""The rows behind the numbers in a real browser: the Rules page lists the false positives (as many
as the confusion matrix says), then a rule's rows, and offers them as CSV."""

import re

from playwright.sync_api import expect

import studio
from studio.engine.drill import row_page
from studio.session.workspace import Workspace

from tests.support.browser import screenshot
from tests.support.studio_page import choose, no_errors, open_studio, wait_idle


def test_the_false_positives_and_a_rules_rows(server, page, workspace_root, tutorial_rules):
    Workspace("drillrows", workspace_root).save_rules("creditcard-synthetic--Class", tutorial_rules)
    split = studio.load("creditcard-synthetic").split("Class", positive=1, test_size=0.5, seed=0)
    m = studio.evaluate(split, tutorial_rules).test.metrics
    p, n = m.labels.index("1"), m.labels.index("0")
    open_studio(page, f"{server}/rules?ws=drillrows")
    page.get_by_text("Show the rows").click()
    wait_idle(page)
    expect(page.get_by_text(f"{m.confusion[n][p]:,} false positives (alerted, not positive) on test")) \
        .to_be_visible(timeout=30_000)
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="decided by")
    expect(grid).to_be_visible()
    text = grid.text_content() or ""
    first = row_page(split, tutorial_rules, "test", "FP", limit=1).rows.iloc[0]
    assert text.startswith("outcomedecided by") and f"FP{first['decided by']}" in text, text[:300]
    no_errors(page)
    page.get_by_text("Show the rows").scroll_into_view_if_needed()
    screenshot(page, "rules-rows-browser")

    choose(page, "Rows", "rule 3: deep V14")
    stats = studio.evaluate(split, tutorial_rules).test.rules[2]
    expect(page.get_by_text(re.compile(f"^{stats.fired:,} rule 3: deep V14 on test"))).to_be_visible()
    page.get_by_role("button", name=re.compile("Prepare a CSV")).click()
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the CSV").click()
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert len(lines) == stats.fired + 1 and lines[0].startswith("outcome,decided by,Time")
    no_errors(page)
