"""The frame every page run passes through: page config, the user's session, the sidebar, then the
page's body.

``app.py`` calls :func:`run_app`. Each file in ``pages/`` starts with :func:`page_session` and then
draws its body only. While a ``pages/`` folder exists, Streamlit runs a page file directly on the
first request after a start (its old multipage mode, until ``st.navigation`` has run once in the
process): :func:`page_session` notices that the run did not come through the frame, hands it to
:func:`run_app` (which draws the same page inside the frame) and stops the direct run.

Every page has its own URL path (``/data``, ``/rules``, ...); the root ``/`` is a start page with no
content of its own: a first visit opens the Data page, a later one the page last shown.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from studio.errors import StudioError
from studio.session.studio import StudioSession
from studio.session.workspace import Workspace, default_root, new_id
from studio.session.workspaces import BrowserIndex

from .format import literal
from .sidebar import sidebar

SESSION_KEY = "studio"
BROWSER_COOKIE = "rule_studio_browser"
TITLE, ICON = "Rule Studio", ":material/rule:"
FAVICON = str(Path(__file__).with_name("favicon.png"))  # served by the studio: no request leaves the machine
SIDEBAR_WIDTH = 256  # px: at a 1400 px window the page body keeps 1,100 px for charts
ROOMY_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding: 3rem 1rem 4rem 1rem; max-width: none}
</style>"""


@dataclass(frozen=True)
class PageEntry:
    path: str      # the script, relative to the app's folder
    title: str
    icon: str

    @property
    def url_path(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".py")


PAGES = (PageEntry("pages/data.py", "Data", ":material/table_view:"),
         PageEntry("pages/explore.py", "Explore", ":material/insights:"),
         PageEntry("pages/suggest.py", "Suggest", ":material/auto_awesome:"),
         PageEntry("pages/rules.py", "Rules", ":material/rule:"),
         PageEntry("pages/export.py", "Export", ":material/ios_share:"))
LANDING = "pages/rules.py"

log = logging.getLogger("rule-studio")
_run = threading.local()  # is this script run inside the frame (set by run_app)


def browser_index() -> BrowserIndex:
    """The workspaces this browser used. The browser keeps only a random id, in a cookie set once."""
    if "browser_id" not in st.session_state:
        got = st.context.cookies.get(BROWSER_COOKIE)
        valid = isinstance(got, str) and bool(re.fullmatch(r"[0-9a-f]{32}", got))
        st.session_state.browser_id = got if valid else new_id()
        st.session_state.browser_cookie_known = valid
    return BrowserIndex(default_root(), st.session_state.browser_id)


def _send_browser_cookie() -> None:
    """Drawn on every run of a session whose browser had no cookie (a run cut short by a page switch
    or a rerun may never reach the browser; the same element is not run again)."""
    if not st.session_state.get("browser_cookie_known"):
        cookie = f"{BROWSER_COOKIE}={st.session_state.browser_id}; path=/; max-age=31536000; SameSite=Strict"
        with st.sidebar:  # our own fixed text (the id is 32 hex digits), never anything a browser sent
            st.iframe(f"<script>window.parent.document.cookie = {json.dumps(cookie)};</script>", height=1)


def workspace_id() -> str:
    """The workspace in the URL (``?ws=...``), so a refresh or a server restart finds the work again;
    on the bare URL, the last one this browser used; else a new one."""
    if "workspace_id" not in st.session_state:
        wanted = st.query_params.get("ws", "") or browser_index().last() or ""
        try:
            Workspace(wanted)
            st.session_state.workspace_id = wanted
        except ValueError:
            st.session_state.workspace_id = new_id()
    if st.query_params.get("ws") != st.session_state.workspace_id:
        st.query_params["ws"] = st.session_state.workspace_id
    return st.session_state.workspace_id


def session() -> StudioSession:
    """This browser session's studio (its own DuckDB connection, its own rules)."""
    ws = workspace_id()
    if SESSION_KEY not in st.session_state:
        workspace = Workspace(ws)
        st.session_state.first_visit = not workspace.path.exists()  # nothing saved in it yet
        with st.spinner("Opening the studio…"):
            st.session_state[SESSION_KEY] = StudioSession.start(workspace)
        browser_index().remember(ws)
    return st.session_state[SESSION_KEY]


def open_workspace(ws: str) -> None:
    """Leave this workspace for another (its session closed; the next run opens ``ws``)."""
    Workspace(ws)  # a bad id raises
    old = st.session_state.pop(SESSION_KEY, None)
    if old is not None:
        old.close()
    st.session_state.workspace_id = ws
    st.query_params["ws"] = ws


def _start_page() -> None:
    """The root URL: no content of its own. A first visit opens the Data page; a later one the page
    last shown in this workspace (keeping the workspace)."""
    s = session()
    last = s.workspace.load_meta().get("page")
    page = "pages/data.py" if st.session_state.get("first_visit") else next(
        (p.path for p in PAGES if p.url_path == last), LANDING)
    st.switch_page(page, query_params={"ws": workspace_id()})


def _remember_page(s: StudioSession, url_path: str) -> None:
    if st.session_state.get("last_page_saved") != (s.workspace.id, url_path):
        s.workspace.update_meta(page=url_path)
        st.session_state.last_page_saved = (s.workspace.id, url_path)


def run_app() -> None:
    """Page config, navigation, session and sidebar once; then the page the URL names."""
    st.set_page_config(page_title=TITLE, page_icon=FAVICON, layout="wide", initial_sidebar_state=SIDEBAR_WIDTH)
    st.html(ROOMY_CSS)
    pages = [st.Page(_start_page, title=TITLE, icon=ICON, default=True)]
    pages += [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in PAGES]
    chosen = st.navigation(pages, position="hidden")
    s = session()
    s.refresh()  # another tab may have changed the rules
    sidebar(s, PAGES)
    _send_browser_cookie()
    if chosen.url_path:  # not the start page, which only opens another page
        _remember_page(s, chosen.url_path)
        while s.notices:
            st.warning(literal(s.notices.pop(0)))
    _run.active = True
    try:
        with one_line_errors(chosen.url_path):
            chosen.run()
    finally:
        _run.active = False


@contextmanager
def one_line_errors(where: str):
    """Trouble in the block is said in one line, never a traceback: expected trouble (a query past its
    time limit, say) as it is, anything else by its first line (the details go to the server log).
    Used around every page, and inside each fragment (a fragment keeps its own errors)."""
    try:
        yield
    except StudioError as err:
        st.error(f"{literal(err)}. The rules and data are unchanged; Undo, another page or another dataset may help.")
    except Exception as err:
        if os.environ.get("RULE_STUDIO_STRICT") == "1":  # the tests see every error as it is
            raise
        log.exception("page %s failed", where)
        first = (str(err).strip().splitlines() or [type(err).__name__])[0][:300]
        st.error(f"This page could not be drawn ({type(err).__name__}: {literal(first)}). The rules and data are "
                 "unchanged; Undo, another page or another dataset may help.")


def page_session() -> StudioSession:
    """The session, for the page file that calls it first thing. A page file run directly (not
    through the frame) is handed to the frame, which draws it, and the direct run stops."""
    if not getattr(_run, "active", False):
        run_app()
        st.stop()
    return st.session_state[SESSION_KEY]
