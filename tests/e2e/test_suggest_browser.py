"""The Suggest page in a real Chromium: click a candidate's row in the table, add it with one click,
and see the held-out headline become the library's numbers for the saved rule; then open the ML
baseline and find the rules drawn as a point on the model's precision-recall curve."""

import pytest
from playwright.sync_api import expect

import studio
from studio import mining
from studio.session.workspace import Workspace

from tests.support.browser import screenshot
from tests.support.studio_page import headline, no_errors, wait_idle


@pytest.fixture(scope="module")
def split():
    return studio.load("creditcard-synthetic").split("Class", positive=1, test_size=0.5, seed=0)


def test_click_a_candidate_add_it_and_compare_with_the_baseline(page, server, split, workspace_root):
    ws = "suggestbrowser1"
    page.goto(f"{server}/suggest?ws={ws}")
    page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=60_000)
    wait_idle(page)
    expected = mining.suggestions(split, None, top=25)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 * 0 + 17)  # the first row's selection cell
    wait_idle(page)
    expect(page.get_by_text("from a mined candidate")).to_be_visible(timeout=30_000)
    screenshot(page, "suggest-candidate")
    page.get_by_role("button", name="Add as rule 1").click()
    expect(page.get_by_text("Added rule 1:")).to_be_visible(timeout=30_000)
    wait_idle(page)
    no_errors(page)
    rules = Workspace(ws, workspace_root).load_rules("creditcard-synthetic--Class")
    assert [r.when for r in rules.rules] == [expected["when"][0]]
    pos = studio.evaluate(split, rules).test.metrics.positive
    assert headline(page) == {"precision": f"{pos.precision:.4f}", "recall": f"{pos.recall:.4f}",
                              "f1": f"{pos.f1:.4f}"}

    page.get_by_text("ML baseline", exact=True).click()
    wait_idle(page, timeout=120_000)
    plot = page.locator(".js-plotly-plot").first
    expect(plot).to_be_visible(timeout=60_000)
    no_errors(page)
    legend = plot.locator(".legendtext").all_text_contents()
    assert "the rules" in legend and "model (every threshold)" in legend
    point = page.evaluate("""() => {
        const gd = document.querySelector('.js-plotly-plot');
        const t = gd.data.find(d => d.name === 'the rules');
        return [t.x[0], t.y[0]];
    }""")
    assert point == pytest.approx([pos.recall, pos.precision], abs=1e-12)
    screenshot(page, "suggest-baseline")
