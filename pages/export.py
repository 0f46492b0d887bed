"""Export page: the current rules in every format, with a preview and a download button."""

import streamlit as st

from pages import session, sidebar
from studio.export import DIALECTS, FORMATS, ExportError, export

s = session()
sidebar(s)

st.title("Export")
st.caption("Every export reproduces the studio's predictions exactly (first hit wins; a condition on a missing "
           "value is false). A rule a format cannot express is refused with the reason, never changed.")

LANGUAGE = {"python": "python", "sklearn": "python", "human-learn": "python", "sql": "sql", "pmml": "xml",
            "json": "json"}
HELP = {
    "python": "A standalone module (numpy and pandas only): `predict(df)` and `fired_rule(df)`.",
    "sklearn": "A standalone module with the `RuleSetClassifier` estimator (fit, predict, predict_proba, "
               "explain; thresholds tunable with GridSearchCV) built on these rules.",
    "human-learn": "`CaseWhenRuler` rules in a `FunctionClassifier`, first-hit semantics kept.",
    "sql": "A SELECT that adds `prediction` and `rule`. Point it at a warehouse table with the table name.",
    "pmml": "PMML 4.4 RuleSetModel (firstHit), typed by this dataset's columns.",
    "json": "The rule file (format rule-studio/1) for `python -m studio evaluate | score | export | serve`.",
}

tabs = st.tabs([FORMATS[f][0] for f in FORMATS])
for tab, fmt in zip(tabs, FORMATS):
    with tab:
        st.markdown(HELP[fmt])
        options = {}
        if fmt == "sql":
            c1, c2 = st.columns(2)
            options["dialect"] = c1.selectbox("Dialect", list(DIALECTS), format_func=DIALECTS.get, key="sql_dialect")
            options["table"] = c2.text_input("Table", value="data", key="sql_table",
                                             help="table, schema.table or catalog.schema.table")
        try:
            text = export(s.rules, fmt, schema=s.dataset.schema, **options)
        except ExportError as err:
            st.error(f"This rule set cannot be exported as {FORMATS[fmt][0]}: {err}")
            continue
        suffix = FORMATS[fmt][1]
        st.download_button(f"Download {FORMATS[fmt][0]}", text, file_name=f"{s.rules_key}{suffix}",
                           mime="text/plain", icon=":material/download:", key=f"download_{fmt}")
        st.code(text, language=LANGUAGE[fmt], line_numbers=fmt != "json")

st.subheader("Serve and score outside the studio")
st.code("python -m studio score big.parquet --rules rules.json --out scored.parquet   # fast, one machine\n"
        "python -m studio serve rules.json --port 8000                              # HTTP scoring API\n"
        "curl -s localhost:8000/predict -d '[{\"V11\": 5.2, \"V17\": -1.0, \"V14\": 0.3}]'", language="bash")
