"""What every page shares: the per-session studio, the sidebar with the page links, formatting.

Streamlit runs a page script on its own whenever a ``pages/`` folder exists (a link
such as ``/data`` runs ``pages/data.py`` directly; only ``/`` runs ``app.py``), so every
page opens the session and draws the sidebar itself, and the sidebar carries the page
links. This module is the folder's ``__init__``, which Streamlit does not list as a page.
"""

from __future__ import annotations

import streamlit as st

from studio.session import StudioSession
from studio.workspace import Workspace, new_id

SESSION_KEY = "studio"
PAGE_LINKS = (("pages/data.py", "Data", ":material/table_view:"),
              ("pages/explore.py", "Explore", ":material/insights:"),
              ("pages/suggest.py", "Suggest", ":material/auto_awesome:"),
              ("pages/rules.py", "Rules", ":material/rule:"),
              ("pages/export.py", "Export", ":material/ios_share:"))


def workspace_id() -> str:
    """The workspace in the URL (``?ws=...``), so a refresh or a server restart finds the work again;
    a new one for a new tab."""
    if "workspace_id" not in st.session_state:
        wanted = st.query_params.get("ws", "")
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
    st.set_page_config(page_title="Rule Studio", page_icon=":material/rule:", layout="wide")
    ws = workspace_id()
    if SESSION_KEY not in st.session_state:
        with st.spinner("Opening the studio…"):
            st.session_state[SESSION_KEY] = StudioSession.start(Workspace(ws))
    return st.session_state[SESSION_KEY]


def fixed(value: float | None, digits: int = 4) -> str:
    """A score with ``digits`` decimals; "–" where there is none (None or NaN)."""
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


HEADLINE_CSS = """<style>
.headline {display: flex; gap: 0.9rem; flex-wrap: wrap; font-size: 0.95rem}
.headline b {display: block; font-size: 1.45rem; font-weight: 600}
</style>"""


def sidebar(s: StudioSession) -> None:
    """Dataset, target, positive label, split and the live headline, on every page.

    Drawn first: every change is made in a widget callback, before the page runs."""
    ev = s.evaluation()
    pos = ev.test.metrics.positive
    with st.sidebar:
        st.html(HEADLINE_CSS)
        for path, title, icon in PAGE_LINKS:
            st.page_link(path, label=title, icon=icon)
        st.divider()
        st.markdown(f"**Dataset** · {s.dataset.label}")
        if s.dataset.synthetic:
            st.caption("Synthetic data: generated, not real transactions.")
        st.markdown(f"**Target** · `{s.split.target}` · positive `{s.split.positive}`")
        st.caption(s.split.describe())
        st.markdown("**Held-out test, positive class**")
        st.markdown(
            '<div class="headline" data-testid="headline">'
            f'<span>Precision <b data-metric="precision">{pos.precision:.4f}</b></span>'
            f'<span>Recall <b data-metric="recall">{pos.recall:.4f}</b></span>'
            f'<span>F1 <b data-metric="f1">{pos.f1:.4f}</b></span></div>', unsafe_allow_html=True)
        n_on = len(s.rules.enabled_rules)
        st.caption(f"{n_on} of {len(s.rules.rules)} rules enabled · default `{s.rules.default}`")
