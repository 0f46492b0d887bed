"""Rule Studio: the router over the page scripts in pages/.

Every page also runs on its own: with a ``pages/`` folder Streamlit serves ``/data``
by running ``pages/data.py`` directly, so each page opens the session and draws the
shared sidebar (with the page links) itself. ``/`` comes here and opens the Rules page.
"""

import streamlit as st

st.set_page_config(page_title="Rule Studio", page_icon=":material/rule:", layout="wide")

PAGES = [
    st.Page("pages/data.py", title="Data", icon=":material/table_view:", url_path="data"),
    st.Page("pages/explore.py", title="Explore", icon=":material/insights:", url_path="explore"),
    st.Page("pages/suggest.py", title="Suggest", icon=":material/auto_awesome:", url_path="suggest"),
    st.Page("pages/rules.py", title="Rules", icon=":material/rule:", url_path="rules", default=True),
    st.Page("pages/export.py", title="Export", icon=":material/ios_share:", url_path="export"),
]

st.navigation(PAGES, position="hidden").run()
