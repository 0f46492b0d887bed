"""Rule Studio: the router. Each page is a script in pages/."""

import streamlit as st

st.set_page_config(page_title="Rule Studio", layout="wide")

pages = [
    st.Page("pages/data.py", title="Data", default=True),
]
st.navigation(pages).run()
