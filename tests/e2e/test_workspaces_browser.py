"""Keeping the work, in a real browser: a first visit opens the Data page with its how-to; a second
tab on the bare URL reopens the workspace the first one used (the browser's cookie holds only a
random id); and a server restart keeps the rules and their undo history."""

import re

from playwright.sync_api import expect

from studio.session.workspace import Workspace

from tests.support.browser import running_studio, screenshot
from tests.support.studio_page import add_rule, no_errors, open_studio, wait_idle

KEY = "creditcard-synthetic--Class"


def ws_of(page) -> str:
    return re.search(r"[?&]ws=([A-Za-z0-9_-]+)", page.url).group(1)


def test_first_visit_then_the_bare_url_in_a_second_tab_reopens_the_same_workspace(server, browser, workspace_root):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        first = context.new_page()
        first.goto(server)
        first.wait_for_selector('[data-testid="headline"]', timeout=60_000)
        wait_idle(first)
        expect(first.get_by_role("heading", name="Data", exact=True)).to_be_visible()
        expect(first.get_by_text(re.compile("How this works"))).to_be_visible()
        no_errors(first)
        screenshot(first, "first-visit")
        ws = ws_of(first)
        for _ in range(300):  # the cookie is set by the page once it is drawn (up to 30 s on a busy machine)
            if any(c["name"] == "rule_studio_browser" for c in context.cookies()):
                break
            first.wait_for_timeout(100)
        assert any(c["name"] == "rule_studio_browser" and re.fullmatch(r"[0-9a-f]{32}", c["value"])
                   for c in context.cookies())
        first.goto(f"{server}/rules?ws={ws}")
        first.wait_for_selector('[data-testid="headline"]', timeout=60_000)
        wait_idle(first)
        add_rule(first, "V14", "<", -8, 1, "deep V14")

        second = context.new_page()
        second.goto(server)  # the bare URL: the last workspace this browser used, on the page last shown
        second.wait_for_selector('[data-testid="headline"]', timeout=60_000)
        wait_idle(second)
        assert ws_of(second) == ws
        expect(second.get_by_text("deep V14", exact=True).first).to_be_visible()
        expect(second.get_by_role("heading", name="Rules", exact=True)).to_be_visible()
        no_errors(second)
        second.get_by_role("link", name="Data", exact=True).click()
        wait_idle(second)
        second.get_by_text("Uploaded files and workspaces").click()
        wait_idle(second)
        expect(second.get_by_text("unnamed (open)")).to_be_visible()
        expect(second.get_by_text(f"?ws={ws}")).to_be_visible()  # the link to share
        no_errors(second)
        screenshot(second, "data-workspaces")
        second.get_by_role("heading", name="Rows").scroll_into_view_if_needed()
        screenshot(second, "data-rows")
    finally:
        context.close()
    other = browser.new_context()
    try:  # another browser (no cookie): a new, empty workspace
        page = other.new_page()
        open_studio(page, server)
        assert ws_of(page) != ws
    finally:
        other.close()


def test_a_server_restart_keeps_the_rules_and_the_undo_history(browser, tmp_path):
    root = tmp_path / "workspaces"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        with running_studio(root) as url:
            open_studio(page, f"{url}/rules?ws=restarted")
            add_rule(page, "V14", "<", -8, 1, "deep V14")
            add_rule(page, "V17", "<", -3, 1, "deep V17")
        with running_studio(root) as url:  # a new server process on the same folder
            open_studio(page, f"{url}/rules?ws=restarted")
            expect(page.get_by_text("deep V17", exact=True).first).to_be_visible()
            page.get_by_role("button", name="Undo").click()
            wait_idle(page)
            no_errors(page)
            saved = Workspace("restarted", root).load_rules(KEY)
            assert [r.name for r in saved.rules] == ["deep V14"]
            expect(page.get_by_text("deep V17", exact=True)).to_have_count(0)
    finally:
        context.close()
