"""The Rules page's chart of scores by rules applied lets the page scroll: the wheel over it moves
the page, it does not zoom the chart."""

from tests.support.studio_page import add_rule, open_studio, wait_idle

SCROLLED = ("() => Math.max(window.scrollY, ...[...document.querySelectorAll("
            "'[data-testid=\"stMain\"], [data-testid=\"stAppScrollToBottomContainer\"], section.main')]"
            ".map(e => e.scrollTop))")


def test_the_wheel_over_the_cumulative_chart_scrolls_the_page(server, page):
    open_studio(page, f"{server}/rules?ws=wheel1")
    add_rule(page, "V11", ">", 4, 1, "large V11")
    chart = page.locator('[data-testid="stPlotlyChart"]').last
    chart.scroll_into_view_if_needed()
    wait_idle(page)
    box = chart.bounding_box()
    ranges = "() => [...document.querySelectorAll('.js-plotly-plot')].pop()._fullLayout.xaxis.range.join(',')"
    before, axis_before = page.evaluate(SCROLLED), page.evaluate(ranges)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(500)
    assert page.evaluate(ranges) == axis_before  # the chart did not zoom
    assert page.evaluate(SCROLLED) < before      # the page moved up
