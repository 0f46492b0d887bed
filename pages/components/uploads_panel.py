"""The Data page's uploaded files: the ones this workspace uploaded, with size and date, to open
again or remove."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from studio.data.folders import uploads_dir
from studio.session.studio import StudioSession
from studio.session.workspaces import remove_upload, uploads_of

from .format import literal, literal_table


def uploads_panel(s: StudioSession, open_source) -> None:
    """``open_source(path, label, name)`` opens an upload again."""
    folder = uploads_dir()
    kept = uploads_of(s.workspace, folder)
    if not kept:
        st.caption("No files uploaded in this workspace yet.")
        return
    st.markdown("**Uploaded files** (kept by the studio, so a workspace that used one reopens after a restart)")
    st.table(literal_table(pd.DataFrame({
        "file": [u.get("name", "") for u in kept], "size": [f"{u.get('size', 0) / 1e6:,.2f} MB" for u in kept],
        "uploaded": [u.get("added", "") for u in kept],
        "read as missing": [", ".join(map(str, u.get("missing") or [])) if isinstance(u.get("missing"), list)
                            else "" for u in kept],
        "open now": ["yes" if str(u["path"]) == s.source else "" for u in kept]}).set_index("file")))
    c_pick, c_open, c_remove = st.columns([3, 1, 1], vertical_alignment="bottom")
    chosen = c_pick.selectbox("Uploaded file", kept, format_func=lambda u: str(u.get("name", "")), key="upload_pick")
    if c_open.button("Open", key="upload_open", disabled=chosen is None):
        markers = chosen.get("missing")
        open_source(chosen["path"], str(chosen.get("name", "")), name=str(chosen.get("name", "")),
                    missing=markers if isinstance(markers, list) else [])
        st.rerun()
    if c_remove.button("Remove", key="upload_remove", disabled=chosen is None,
                       help="Off this list; the file itself is deleted unless it is open or another workspace "
                            "uses it."):
        gone = remove_upload(s.workspace, chosen["path"].name, folder, in_use=s.source)
        st.session_state["data_notice"] = f"Removed {literal(chosen.get('name', ''))}" + (
            " and its file." if gone else " from this list (the file is still in use).")
        st.rerun()
