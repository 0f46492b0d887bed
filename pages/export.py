"""Export page: the rules JSON today; code and PMML exports come with the export work."""

import streamlit as st

from pages import session, sidebar

s = session()
sidebar(s)
st.title("Export")
st.markdown("**Rules JSON** (format `rule-studio/1`): reads back with `studio.RuleSet.load`, "
            "`python -m studio evaluate` and `python -m studio score`.")
text = s.rules.to_json()
st.download_button("Download rules JSON", text, file_name=f"{s.rules_key}.rules.json", mime="application/json")
st.code(text, language="json")
st.info("Python, SQL dialects, scikit-learn and PMML exports are not available yet.")
