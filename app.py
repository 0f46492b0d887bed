"""Rule Studio: the router over the page scripts in pages/.

Each page opens the session and draws the shared sidebar itself, so a page script
also runs on its own (as ``streamlit.testing`` reruns do).
"""

import streamlit as st

st.set_page_config(page_title="Rule Studio", page_icon="🧭", layout="wide")

PAGES = [
    st.Page("pages/data.py", title="Data", icon="🗂️", url_path="data"),
    st.Page("pages/explore.py", title="Explore", icon="🔭", url_path="explore"),
    st.Page("pages/rules.py", title="Rules", icon="📐", url_path="rules", default=True),
    st.Page("pages/export.py", title="Export", icon="📦", url_path="export"),
]

st.navigation(PAGES).run()
