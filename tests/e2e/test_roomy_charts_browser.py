"""Explore's charts at 1400 × 900: each takes the page's full width until a proposal opens beside it,
and no axis label is cut off, on a census-like table whose text values are long
(``Married-civ-spouse``, ``Outlying-US(Guam-USVI-etc)``)."""

import random

import pytest
from playwright.sync_api import expect

from tests.support.browser import screenshot
from tests.support.studio_page import open_studio, wait_idle

WIDE = 1100  # px: the least a chart gets at a 1400 px window with the sidebar open
RELATIONSHIP = ["Husband", "Own-child", "Not-in-family", "Unmarried", "Other-relative"]
MARITAL = ["Married-civ-spouse", "Never-married", "Divorced", "Married-spouse-absent", "Widowed"]
COUNTRY = ["United-States", "Mexico", "Outlying-US(Guam-USVI-etc)", "Trinadad&Tobago", "Philippines"]

OUTSIDE = """(els, box) => els.filter(e => e.textContent.trim() && e.getClientRects().length).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent.trim(), left: r.left, right: r.right};
  }).filter(r => r.left < box.left - 1 || r.right > box.right + 1)"""


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def census_csv(path):
    rng = random.Random(0)
    rows = ["age,hours_per_week,relationship,marital_status,native_country,income"]
    for _ in range(3000):
        rel, mar = rng.choice(RELATIONSHIP), rng.choice(MARITAL)
        rich = rng.random() < (0.55 if rel == "Husband" and mar == "Married-civ-spouse" else 0.06)
        rows.append(f"{rng.randint(17, 90)},{rng.randint(1, 99)},{rel},{mar},{rng.choice(COUNTRY)},"
                    f"{'>50K' if rich else '<=50K'}")
    path.write_text("\n".join(rows) + "\n")
    return path


def width_of(locator) -> float:
    return locator.bounding_box()["width"]


def clipped_hiplot_labels(page) -> list:
    frame = page.frame_locator('iframe[title*="hiplot"]')
    box = frame.locator("body").evaluate("b => ({left: 0, right: window.innerWidth})")
    return frame.locator("svg text, span.label-name").evaluate_all(OUTSIDE, box)


def clipped_plotly_labels(page) -> list:
    plot = page.locator(".js-plotly-plot").first
    r = plot.bounding_box()
    return plot.locator("text").evaluate_all(OUTSIDE, {"left": r["x"], "right": r["x"] + r["width"]})


def test_charts_take_the_width_and_show_every_label(server, wide_page, tmp_path):
    page = wide_page
    open_studio(page, f"{server}/data?ws=roomy1")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(census_csv(tmp_path / "census.csv")))
    expect(page.get_by_text("Opened census.csv")).to_be_visible(timeout=60_000)
    wait_idle(page)

    page.get_by_role("link", name="Explore").click()
    frame = page.frame_locator('iframe[title*="hiplot"]')
    frame.locator(".pplot-brush rect.overlay").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1_000)  # hiplot lays its axes out once more after its first paint
    assert width_of(page.locator('iframe[title*="hiplot"]')) >= WIDE
    shown = frame.locator("svg text").evaluate_all("els => els.map(e => e.textContent)")
    assert "Married-civ-spouse" in shown and "positive" in shown  # the long values and the group axis are drawn
    assert clipped_hiplot_labels(page) == []
    screenshot(page, "explore-wide-hiplot")

    page.get_by_text("Parallel coordinates (plotly)", exact=True).click()
    wait_idle(page)
    page.locator(".js-plotly-plot .parcoords").first.wait_for(timeout=30_000)
    assert width_of(page.locator(".js-plotly-plot").first) >= WIDE
    ticks = page.locator(".js-plotly-plot text").evaluate_all("els => els.map(e => e.textContent)")
    assert "Married-civ-s…" in ticks  # cut to 14 characters, not clipped
    assert clipped_plotly_labels(page) == []
    screenshot(page, "explore-wide-parcoords")

    page.get_by_text("Scatter", exact=True).click()
    wait_idle(page)
    page.locator(".js-plotly-plot .nsewdrag").first.wait_for(timeout=30_000)
    assert width_of(page.locator(".js-plotly-plot").first) >= WIDE
    assert clipped_plotly_labels(page) == []
    screenshot(page, "explore-wide-scatter")
