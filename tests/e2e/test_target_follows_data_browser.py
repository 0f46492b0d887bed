"""The target form follows the data: after the synthetic credit-card data, a file whose last column
is ``split`` opens on the column named like a label (not the last one), and a file with no such column
opens on a provisional target that the page says must be chosen; choosing another target lists its
own labels, the minority first chosen."""

import re

import pandas as pd
from playwright.sync_api import expect

from tests.support.studio_page import choose, no_errors, open_studio, wait_idle


def upload(page, path) -> None:
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_text(re.compile(f"Opened {re.escape(path.name)}"))).to_be_visible(timeout=60_000)
    wait_idle(page)


def form_text(page, label: str) -> str:
    """The option a selectbox shows."""
    return page.get_by_role("combobox", name=re.compile(f"^{re.escape(label)}")).input_value()


def test_the_target_form_follows_each_new_table(server, page, tmp_path):
    n = 600
    people = pd.DataFrame({"age": [20 + i % 50 for i in range(n)],
                           "workclass": [("Private", "Self-emp", "State-gov")[i % 3] for i in range(n)],
                           "is_fraud": [int(i % 10 == 0) for i in range(n)],
                           "split": ["train" if i % 3 else "test" for i in range(n)]})
    labelled = tmp_path / "labelled.csv"
    people.to_csv(labelled, index=False)
    census = tmp_path / "census.csv"
    people.drop(columns="is_fraud").assign(income=[">50K" if i % 4 == 0 else "<=50K" for i in range(n)])[
        ["age", "workclass", "income", "split"]].to_csv(census, index=False)

    open_studio(page, f"{server}/data?ws=targetfollows")
    assert "Class" in form_text(page, "Target column") and "492 rows, minority" in form_text(page, "Positive label")

    upload(page, labelled)
    no_errors(page)
    assert "is_fraud" in form_text(page, "Target column")
    assert "1 (60 rows, minority)" in form_text(page, "Positive label")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("is_fraud")).to_be_visible()

    upload(page, census)
    no_errors(page)
    expect(page.get_by_text(re.compile("No column is named like a label"))).to_be_visible()
    assert "split" in form_text(page, "Target column")
    assert "test (200 rows, minority)" in form_text(page, "Positive label")
    choose(page, "Target column", "income")
    page.locator('[data-testid="stForm"]').filter(has=page.get_by_text("Target column", exact=True)) \
        .get_by_role("button", name="Apply").click()
    wait_idle(page)
    no_errors(page)
    assert "income" in form_text(page, "Target column")
    assert ">50K (150 rows, minority)" in form_text(page, "Positive label")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(">50K")).to_be_visible()
