"""No request leaves the machine: every page, with its charts (plotly and hiplot), asks only the
studio's own server for anything (favicon, fonts and scripts included)."""

from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.support.studio_page import no_errors, wait_idle

PAGES = {"data": "Data", "explore": "Explore", "suggest": "Suggest", "rules": "Rules", "export": "Export"}
LOCAL = {"127.0.0.1", "localhost"}


def test_every_page_asks_only_the_studio(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    for path, title in PAGES.items():
        page.goto(f"{server}/{path}?ws=offline1")
        page.wait_for_selector('[data-testid="headline"]', timeout=90_000)
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=60_000)
        wait_idle(page, timeout=90_000)
        no_errors(page)
    page.wait_for_timeout(1_000)  # a late favicon or font request still counts
    context.close()
    outside = sorted({u for u in asked if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).hostname not in LOCAL})
    assert len(asked) > 20  # the listener saw the pages load
    assert outside == []
