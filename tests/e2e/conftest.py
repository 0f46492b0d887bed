"""End-to-end fixtures: a real ``streamlit run app.py`` on a free port, and headless Chromium."""

from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, running_studio


@pytest.fixture(scope="session")
def workspace_root(tmp_path_factory):
    """Where the server under test saves every browser's work."""
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="session")
def server(workspace_root):
    import studio
    studio.load("creditcard-synthetic")  # the synthetic data is generated before the server starts
    with running_studio(workspace_root) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()
