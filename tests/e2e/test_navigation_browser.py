"""Every way into the studio renders the same page inside the frame, with no "Page not found"
dialog: the first request after a start to each deep link (Streamlit runs a page file directly
then), each deep link with ``?ws=`` on a running server, the root URL, and the sidebar links."""

import pytest
from playwright.sync_api import expect

import studio
from studio.rules import rule
from studio.session.studio import StudioSession
from studio.session.workspace import Workspace, new_id
from tests.support.browser import running_studio
from tests.support.studio_page import headline, no_errors, wait_idle

PAGES = {"data": "Data", "explore": "Explore", "suggest": "Suggest", "rules": "Rules", "export": "Export"}
ENTRIES = [("", None)] + list(PAGES.items())  # the root: the page last shown in the workspace (else Rules)


def landing(root, ws) -> str:
    """The page the root URL opens for a workspace that has been used: the one last shown."""
    return PAGES.get(Workspace(ws, root).load_meta().get("page"), "Rules")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A workspace root holding one workspace with two rules, and the headline they give."""
    root = tmp_path_factory.mktemp("deep-links")
    ws = new_id()
    session = StudioSession.start(Workspace(ws, root))
    session.apply(session.rules.add(rule(("V14", "<", -8.0), then=1, name="deep V14"))
                  .add(rule(("V11", ">", 4.0), then=1, name="large V11")))
    pos = session.evaluation().test.metrics.positive
    session.close()
    return root, ws, {"precision": f"{pos.precision:.4f}", "recall": f"{pos.recall:.4f}", "f1": f"{pos.f1:.4f}"}


def check_page(page, title: str, ws: str, expected: dict) -> None:
    page.wait_for_selector('[data-testid="headline"]', timeout=90_000)
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=60_000)
    wait_idle(page, timeout=90_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    no_errors(page)
    assert f"ws={ws}" in page.url
    assert headline(page) == expected
    if title == "Rules":
        expect(page.get_by_text("deep V14").first).to_be_visible()


@pytest.mark.parametrize("path,title", ENTRIES, ids=[p or "root" for p, _ in ENTRIES])
def test_first_request_after_a_start(saved, browser, path, title):
    root, ws, expected = saved
    studio.load("creditcard-synthetic")  # generated before the server starts
    with running_studio(root) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        title = title or landing(root, ws)
        page.goto(f"{url}/{path}?ws={ws}")
        check_page(page, title, ws, expected)
        if path:
            assert page.url.split("?")[0].endswith("/" + path)
        context.close()


def test_deep_links_and_sidebar_links_on_a_running_server(saved, browser):
    root, ws, expected = saved
    with running_studio(root) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        for path, title in ENTRIES:
            title = title or landing(root, ws)
            page.goto(f"{url}/{path}?ws={ws}")
            check_page(page, title, ws, expected)
        for title in PAGES.values():
            page.get_by_role("link", name=title, exact=True).click()
            check_page(page, title, ws, expected)
        context.close()
