"""Money, periods and versions in a real browser: amounts chosen on the Data page show in the sidebar
(the library's figures, over budget said), the Rules page draws the period-by-period chart, a saved
version is compared with the rules another tab changed, and the Suggest page ranks by net benefit
with the amounts beside."""

import re

from playwright.sync_api import expect

import studio
from studio.engine.compare import disagreements
from studio.engine.money import MoneySettings, money
from studio.mining.search import suggestions
from studio.session.workspace import Workspace

from tests.support.browser import screenshot
from tests.support.studio_page import choose, no_errors, open_studio, wait_idle

KEY = "creditcard-synthetic--Class"


def test_amounts_periods_versions_and_money_suggestions(server, page, workspace_root, tutorial_rules):
    workspace = Workspace("moneyviews", workspace_root)
    workspace.save_rules(KEY, tutorial_rules)
    split = studio.load("creditcard-synthetic").split("Class", positive=1, test_size=0.5, seed=0)
    settings = MoneySettings("Amount", review_cost=5.0)

    open_studio(page, f"{server}/data?ws=moneyviews")
    page.get_by_text("Money and alerts").first.click()
    choose(page, "Amount column", "Amount")
    page.get_by_role("spinbutton", name="Review cost per alert").fill("5")
    page.get_by_role("spinbutton", name="Alert budget per 1,000 rows").fill("1")
    page.get_by_test_id("stExpanderDetails").get_by_role("button", name="Apply").click()
    wait_idle(page)
    no_errors(page)
    line = page.locator('[data-testid="amounts"]').inner_text()
    test = money(split, tutorial_rules, settings)["test"]
    assert f"Amount caught {test.caught:,.2f}" in line and f"net benefit {test.net_benefit:,.2f}" in line
    expect(page.get_by_text(re.compile("Over the alert budget"))).to_be_visible()
    screenshot(page, "data-money-browser")

    page.goto(f"{server}/rules?ws=moneyviews")
    page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
    wait_idle(page)
    page.get_by_text("Show the rules period by period").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^8 periods \(8 buckets\) of Time"))).to_be_visible(timeout=30_000)
    assert page.locator(".js-plotly-plot").count() >= 2  # the cumulative curve and the periods
    no_errors(page)

    page.get_by_text("Show the versions").click()
    wait_idle(page)
    page.get_by_label("Version name").fill("three rules")
    page.get_by_role("button", name="Save version").click()
    wait_idle(page)
    expect(page.get_by_text("Saved version 'three rules' (3 rules).")).to_be_visible()
    changed = tutorial_rules.remove(0)
    workspace.save_rules(KEY, changed)  # another tab takes the first rule out
    page.reload()
    page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
    wait_idle(page)
    page.get_by_text("Show the versions").click()
    wait_idle(page)
    figures = page.locator('[data-testid="stTable"]').filter(has_text="A · three rules")
    expect(figures).to_be_visible(timeout=30_000)
    for name, rules in (("A · three rules", tutorial_rules), ("B · the rules now", changed)):
        m = studio.evaluate(split, rules).test.metrics.positive
        cells = figures.locator("tr", has=page.locator("th", has_text=name)).locator("td").all_inner_texts()
        assert f"{m.precision:.4f}" in cells and f"{m.f1:.4f}" in cells
        assert f"{money(split, rules, settings)['test'].net_benefit:,.2f}" in cells
    d = disagreements(split, tutorial_rules, changed)["test"]
    expect(page.get_by_text(f"Test rows they decide differently: {d.differ:,} of {d.rows:,}")).to_be_visible()
    expect(page.locator('[data-testid="stTable"]').filter(has_text="removed")).to_be_visible()
    no_errors(page)
    page.get_by_text("Test rows they decide differently").scroll_into_view_if_needed()
    screenshot(page, "rules-versions-browser")

    page.goto(f"{server}/suggest?ws=moneyviews")
    page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
    wait_idle(page)
    choose(page, "Rank by", "net benefit")
    wait_idle(page, timeout=120_000)
    no_errors(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=120_000)
    expected = suggestions(split, changed, "net_benefit", top=25, money=settings)
    text = grid.text_content() or ""  # the grid is drawn on a canvas; its accessible table holds the text
    top = expected.iloc[1]  # the first rows the grid draws, as the library ranks them
    assert top["rule"] in text and f"{top['objective']:,.2f}" in text, (text, expected.head(2))
    assert text.startswith("rulescoretrain precision"), text  # the score beside the rule, amounts after
    screenshot(page, "suggest-net-benefit-browser")
