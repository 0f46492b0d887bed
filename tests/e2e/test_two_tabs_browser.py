"""Two browser tabs on one workspace add rules alternately: every rule of both is kept, each tab is
told when the other changed the rules, and Undo in one tab takes back its own rule only. (On the
bundled 4,521-row bank marketing sample, so that a hundred additions take little time.)"""

from playwright.sync_api import expect

import studio

from studio.session.workspace import Workspace
from tests.support.studio_page import choose, fill, no_errors, open_studio, wait_idle

KEY = "bank-marketing-sample--y"


def add(page, value: int, rules_after: int, told: bool = False) -> None:
    fill(page, "Value 1", value)
    expect(page.get_by_text(f"age > {value}").first).to_be_visible(timeout=60_000)  # the form has the value
    wait_idle(page)
    if told:  # the other tab's change was seen when this tab ran again
        expect(page.get_by_text("changed in another tab or window").first).to_be_visible()
    button = page.get_by_role("button", name="Add rule")
    expect(button).to_have_count(1)  # the previous run's elements are gone
    button.click()
    expect(page.get_by_text(f"{rules_after} of {rules_after} rules enabled")).to_be_visible(timeout=60_000)
    wait_idle(page)


def values(ws: str, root) -> list[int]:
    return [r.when[0].value for r in Workspace(ws, root).load_rules(KEY).rules]


def test_two_tabs_adding_alternately_keep_all_one_hundred_rules(server, browser, workspace_root):
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    one = first.new_page()
    open_studio(one, server + "/data")
    choose(one, "Bundled dataset", f"bank-marketing-sample — {studio.BUNDLED['bank-marketing-sample'].description}")
    one.get_by_role("button", name="Open bundled dataset").click()
    wait_idle(one)
    ws = one.url.split("ws=")[1].split("&")[0]
    one.goto(f"{server}/rules?ws={ws}")
    wait_idle(one)
    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    two = second.new_page()
    open_studio(two, f"{server}/rules?ws={ws}")
    for page in (one, two):  # after each Add the form keeps the column and the operator
        choose(page, "Column 1", "age")
        wait_idle(page)
        choose(page, "Operator 1", ">")
        wait_idle(page)
    for n in range(50):
        add(one, 1000 + n, 2 * n + 1)
        add(two, 2000 + n, 2 * n + 2, told=n == 10)
    assert sorted(values(ws, workspace_root)) == list(range(1000, 1050)) + list(range(2000, 2050))

    one.get_by_role("button", name="Undo").click()  # tab one's last rule goes, tab two's stay
    wait_idle(one)  # tab one showed "99 of 99" before (it last saw its own 99th rule): wait for the run
    expect(one.get_by_text("99 of 99 rules enabled")).to_be_visible(timeout=60_000)
    for _ in range(300):  # the saved file, once the Undo's run has saved it
        kept = values(ws, workspace_root)
        if len(kept) == 99:
            break
        one.wait_for_timeout(100)
    assert len(kept) == 99 and 1049 not in kept and 2049 in kept
    no_errors(one)
    no_errors(two)
    first.close()
    second.close()
