"""Explore page: parallel coordinates and scatter views come with the visual-mining work."""

import streamlit as st

from pages import session, sidebar

s = session()
sidebar(s)
st.title("Explore")
st.info("Parallel coordinates, scatter selections and per-column threshold views will live here. "
        "Exploration views draw the train split only; the test split stays the judge.")
counts = s.split.counts["train"]
st.markdown(f"Train split of **{s.dataset.label}**: " + ", ".join(f"`{k}`: {v:,}" for k, v in counts.items()))
