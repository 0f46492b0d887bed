"""Data page (placeholder until the app issue): shows the default dataset."""

import streamlit as st

import studio


@st.cache_resource(show_spinner="Loading the default dataset…")
def default_summary():
    data = studio.load(studio.DEFAULT_DATASET)
    return data.label, data.n_rows, data.columns, dict(data.class_counts("Class"))


label, n_rows, columns, classes = default_summary()
st.title("Rule Studio")
st.write(f"**{label}**: {n_rows:,} rows, {len(columns)} columns; classes {classes}")
