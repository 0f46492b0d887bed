"""The Rules page's form draft, kept in the session state: which conditions it shows, the rule being
edited, the rule it last showed (what Add takes), and what the next run must do with it."""

from __future__ import annotations

import streamlit as st

DRAFT = "draft_conditions"  # list of condition ids shown in the form
EDITING = "draft_editing"   # index of the rule being edited, or None
READY = "draft_ready"       # (the rule the form shows, its problems, the widget values it came from)
COMMIT = "draft_commit"     # Add / Save clicked while a value was not yet applied: the form commits
FULL_RUN = "rules_full_run"  # the rule list changed in a run that may have been the form's alone
RESET = "draft_reset"       # the form starts again on the next run (keeping column and operator: True)


def new_condition_id() -> int:
    st.session_state.draft_counter = st.session_state.get("draft_counter", 0) + 1
    return st.session_state.draft_counter


def reset_draft(keep: bool = False) -> None:
    """An empty form; with ``keep``, its first condition on the column and operator the form had."""
    old = st.session_state.get(DRAFT) or [None]
    cid = new_condition_id()
    if keep:
        for part in ("col", "op"):
            if f"c{old[0]}_{part}" in st.session_state:
                st.session_state[f"c{cid}_{part}"] = st.session_state[f"c{old[0]}_{part}"]
    st.session_state[DRAFT] = [cid]
    st.session_state[EDITING] = None
    st.session_state["draft_name"] = ""


def draft_state() -> tuple:
    """The form's widget values (the rule that Add would take is the one drawn from exactly these)."""
    prefixes = tuple(f"c{cid}_" for cid in st.session_state[DRAFT]) + ("draft_label", "draft_name")
    return tuple(sorted((k, repr(v)) for k, v in st.session_state.items() if str(k).startswith(prefixes)))
