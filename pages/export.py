"""Export page: the current rules in every registered format, with a preview and a download button."""

import streamlit as st

from pages.components.format import code, literal
from pages.components.frame import page_session
from studio.export import DIALECTS, FORMATS, ExportError, export

s = page_session()

st.title("Export")
st.caption("Every export reproduces the studio's predictions exactly (first hit wins; a condition on a missing "
           "value is false). A rule a format cannot express is refused with the reason, never changed.")
if s.dataset.missing:
    st.caption("The exports read " + ", ".join(code(m) if m else "an empty field" for m in s.dataset.missing)
               + " as a missing value, as this dataset was read (the rules file itself does not carry them: "
               "give them when the data is loaded).")

formats = list(FORMATS.values())
for tab, fmt in zip(st.tabs([f.label for f in formats]), formats):
    with tab:
        st.markdown(fmt.help)
        options = {"schema": s.dataset.schema, "missing": s.dataset.missing}
        if "dialect" in fmt.options or "table" in fmt.options:
            c1, c2 = st.columns(2)
            if "dialect" in fmt.options:
                options["dialect"] = c1.selectbox("Dialect", list(DIALECTS), format_func=DIALECTS.get,
                                                  key=f"{fmt.name}_dialect")
            if "table" in fmt.options:
                options["table"] = c2.text_input("Table", value="data", key=f"{fmt.name}_table",
                                                 help="table, schema.table or catalog.schema.table")
        try:
            text = export(s.rules, fmt.name, **options)
        except ExportError as err:
            st.error(f"This rule set cannot be exported as {fmt.label}: {literal(err)}")
            continue
        st.download_button(f"Download {fmt.label}", text, file_name=f"{s.rules_key}{fmt.suffix}",
                           mime="text/plain", icon=":material/download:", key=f"download_{fmt.name}")
        st.code(text, language=fmt.language, line_numbers=fmt.language != "json")

st.subheader("Serve and score outside the studio")
st.code("python -m studio score big.parquet --rules rules.json --out scored.parquet   # fast, one machine\n"
        "python -m studio serve rules.json --port 8000                              # HTTP scoring API\n"
        "curl -s localhost:8000/predict -d '[{\"V11\": 5.2, \"V17\": -1.0, \"V14\": 0.3}]'", language="bash")
