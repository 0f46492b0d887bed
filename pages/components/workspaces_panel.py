"""The Data page's workspaces: this browser's workspaces to reopen, rename, duplicate or delete, and
a link to share the one open."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from studio.errors import StudioError
from studio.session.studio import StudioSession
from studio.session.workspace import Workspace, default_root
from studio.session.workspaces import delete, duplicate, rename, summary

from .format import literal, literal_table
from .frame import browser_index, open_workspace


def _label(x) -> str:
    return f"{x.name or 'unnamed'} · {x.dataset or 'no dataset'} · {x.rules} rules · {x.changed or 'new'}"


def workspaces_panel(s: StudioSession) -> None:
    index = browser_index()
    here = s.workspace.id
    ids = [here] + [i for i in index.ids() if i != here]
    summaries = [summary(Workspace(i, default_root())) for i in ids]
    kind, text = st.session_state.pop("ws_notice", (None, None))
    if kind:
        (st.success if kind == "success" else st.error)(literal(text))
    st.table(literal_table(pd.DataFrame({
        "workspace": [(x.name or "unnamed") + (" (open)" if x.id == here else "") for x in summaries],
        "dataset": [x.dataset for x in summaries], "rules": [x.rules for x in summaries],
        "last change": [x.changed for x in summaries]}).set_index("workspace")))
    url = str(getattr(st.context, "url", "") or "").split("?")[0]
    st.caption("A link to this workspace (whoever has it can open and change it):")
    st.code(f"{url}?ws={here}", language=None)

    c_name, c_rename = st.columns([3, 1], vertical_alignment="bottom")
    c_name.text_input("Name of this workspace", value=summaries[0].name, max_chars=80, key=f"ws_name_{here}")
    if c_rename.button("Rename", key="ws_rename"):
        _do(lambda: rename(s.workspace, st.session_state[f"ws_name_{here}"]), "Renamed.")
    others = summaries[1:]
    c_pick, c_open, c_copy, c_delete = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    chosen = c_pick.selectbox("Another workspace of this browser", others, format_func=_label, key="ws_other",
                              index=None, placeholder="choose one to open or delete")
    if c_open.button("Open", key="ws_open", disabled=chosen is None):
        open_workspace(chosen.id)
        st.rerun()
    if c_copy.button("Duplicate this one", key="ws_duplicate", help="A copy of this workspace, opened."):
        copy = duplicate(s.workspace)
        open_workspace(copy.id)
        st.session_state["ws_notice"] = ("success", "Opened a copy of the workspace.")
        st.rerun()
    if c_delete.button("Delete", key="ws_delete", disabled=chosen is None,
                       help="Delete the chosen workspace (not the one open): its rules, versions and history."):
        delete(Workspace(chosen.id, default_root()))
        index.forget(chosen.id)
        st.session_state["ws_notice"] = ("success", f"Deleted {chosen.name or 'an unnamed workspace'}.")
        st.session_state.pop("ws_other", None)
        st.rerun()


def _do(action, done: str) -> None:
    try:
        action()
        st.session_state["ws_notice"] = ("success", done)
    except StudioError as err:
        st.session_state["ws_notice"] = ("error", str(err))
    st.rerun()
