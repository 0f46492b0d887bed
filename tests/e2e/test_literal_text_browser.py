"""Labels, values and names are shown as written, never read as Markdown: a table whose classes are
``>50K`` / ``<=50K`` (a block quote in Markdown) and whose rule uses values like ``*a*`` and ``$d$``."""

import re

from playwright.sync_api import expect

from tests.support.browser import screenshot
from tests.support.studio_page import add_rule, open_studio, wait_idle

TRICKY = ["*a*", "_b_", "`c`", "$d$", "<b>"]


def test_tricky_labels_and_names_show_as_written(server, page, tmp_path):
    path = tmp_path / "census.csv"
    rows = ["age,kind,income"] + [f"{20 + i % 50},{TRICKY[i % 5]},{'>50K' if i % 4 == 0 else '<=50K'}"
                                  for i in range(400)]
    path.write_text("\n".join(rows) + "\n")
    open_studio(page, f"{server}/data?ws=literal1")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_text("Opened census.csv")).to_be_visible(timeout=60_000)
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.locator("code", has_text=re.compile(r"^>50K$"))).to_be_visible()
    balance = page.locator('[data-testid="stTable"]').filter(has_text="share").first  # the class balance
    expect(balance.get_by_text(">50K", exact=True)).to_be_visible()
    expect(balance.get_by_text("<=50K", exact=True)).to_be_visible()

    page.get_by_role("link", name="Rules").click()
    wait_idle(page)
    add_rule(page, "age", ">", 60, ">50K", "*old* $d$ <b>")
    add_rule(page, "age", ">", 65, ">50K", "inside")  # left nothing by the rule above: flagged
    expect(page.get_by_text(re.compile(r"takes 0: rule 1 \(\*old\* \$d\$ <b>\) takes")).first).to_be_visible()
    screenshot(page, "rules-literal-labels")
    expect(page.get_by_text("*old* $d$ <b>", exact=True).first).to_be_visible()
    tables = page.locator('[data-testid="stTable"]')
    for k in range(tables.count()):
        assert tables.nth(k).locator("blockquote, em, strong, .katex").count() == 0
    expect(tables.first.get_by_text(">50K", exact=True)).to_be_visible()
    expect(tables.first.get_by_text("<=50K", exact=True)).to_be_visible()
    assert page.locator('[data-testid="stMain"] blockquote').count() == 0

    for path in ("data", "explore", "suggest", "rules", "export"):  # every page, the same labels
        page.get_by_role("link", name=path.title(), exact=True).click()
        wait_idle(page, timeout=90_000)
        expect(sidebar.locator("code", has_text=re.compile(r"^>50K$"))).to_be_visible()
        main = page.locator('[data-testid="stMain"]')
        assert main.locator("blockquote, .katex").count() == 0, path
        assert main.locator("em", has_text=re.compile(r"^(a|old)$")).count() == 0, path
