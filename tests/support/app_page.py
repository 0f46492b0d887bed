"""Opening one page of the studio under Streamlit's AppTest, the way a browser would: through the
frame (``app.py``) with a workspace in the URL."""

from streamlit.testing.v1 import AppTest

from tests.support.sample_rules import ROOT


def open_app_page(page: str, ws: str, timeout: float = 120) -> AppTest:
    """``pages/<page>.py`` run through the frame for workspace ``ws``, checked to have raised nothing."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["ws"] = ws
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def shown(markdown: str) -> str:
    """Markdown source as a reader sees it: the backslash escapes that keep text literal removed."""
    import re
    return re.sub(r"\\(.)", r"\1", markdown)
