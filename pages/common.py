"""What every page shares: the per-session studio, the sidebar, small formatting helpers."""

from __future__ import annotations

import streamlit as st

from studio.session import StudioSession
from studio.workspace import Workspace, new_id

SESSION_KEY = "studio"


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
    ws = workspace_id()
    if SESSION_KEY not in st.session_state:
        with st.spinner("Opening the studio…"):
            st.session_state[SESSION_KEY] = StudioSession.start(Workspace(ws))
    return st.session_state[SESSION_KEY]


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def sidebar(s: StudioSession) -> None:
    """Dataset, target, positive label, split and the live headline, on every page."""
    ev = s.evaluation()
    pos = ev.test.metrics.positive
    with st.sidebar:
        st.markdown(f"**Dataset** · {s.dataset.label}")
        if s.dataset.synthetic:
            st.caption("Synthetic data: generated, not real transactions.")
        st.markdown(f"**Target** · `{s.split.target}` · positive `{s.split.positive}`")
        st.caption(s.split.describe())
        st.markdown("**Held-out test, positive class**")
        c1, c2, c3 = st.columns(3)
        c1.metric("Precision", f"{pos.precision:.3f}")
        c2.metric("Recall", f"{pos.recall:.3f}")
        c3.metric("F1", f"{pos.f1:.3f}")
        n_on = len(s.rules.enabled_rules)
        st.caption(f"{n_on} of {len(s.rules.rules)} rules enabled · default `{s.rules.default}`")
