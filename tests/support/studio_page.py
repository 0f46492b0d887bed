"""Driving the studio's widgets in a browser, the way a user does."""

import re

from playwright.sync_api import Page, TimeoutError as PlaywrightTimeout, expect


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the run an interaction started, and no other run follows
    within a moment (the short pauses let a run begin, as Streamlit's own end-to-end tests do)."""
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_timeout(150)
    page.wait_for_selector(idle, timeout=timeout)
    for _ in range(20):
        page.wait_for_timeout(150)
        if page.locator(idle).count():
            return
        page.wait_for_selector(idle, timeout=timeout)


def open_studio(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="headline"]', timeout=60_000)
    wait_idle(page)


def choose(page: Page, label: str, option: str, attempts: int = 3) -> None:
    """Pick an option of a selectbox by its label. A run that ends while the list is open draws the
    box again and closes the list (on a busy machine): then the list is opened again."""
    for attempt in range(attempts):
        box = page.get_by_role("combobox", name=re.compile(f"^{re.escape(label)}"))
        box.click()
        box.type(option)  # the list is virtual: filter it so that the option is rendered
        wanted = page.get_by_role("option", name=option, exact=True)
        try:
            wanted.click(timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)
    wait_idle(page)


def fill(page: Page, label: str, value) -> None:
    box = page.get_by_label(re.compile(f"^{re.escape(label)}"))
    box.fill(str(value))
    box.press("Enter")
    wait_idle(page)


def headline(page: Page) -> dict[str, str]:
    box = page.locator('[data-testid="headline"]')
    return {m: box.locator(f'[data-metric="{m}"]').inner_text() for m in ("precision", "recall", "f1")}


def add_rule(page: Page, column: str, op: str, value, label, name: str) -> None:
    choose(page, "Column 1", column)
    choose(page, "Operator 1", op)
    fill(page, "Value 1", value)
    choose(page, "Label (then)", str(label))
    fill(page, "Rule name", name)
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text(name, exact=False).first).to_be_visible()
    wait_idle(page)
    no_errors(page)


def no_errors(page: Page) -> None:
    """No exception box anywhere on the page."""
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def class_row(page: Page, table_index: int, label: str) -> list[str]:
    """The cells of one class's row in a per-class metrics table (0: test, 2: train)."""
    table = page.locator('[data-testid="stTable"]').nth(table_index)
    row = table.locator("tr", has=page.locator("th", has_text=re.compile(f"^{re.escape(label)}$")))
    return [c.inner_text() for c in row.locator("td").all()]
