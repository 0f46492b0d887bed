"""Suggest page: mined candidate rules for the rows the rules leave undecided, a searched rule list
to prune, ruleminer-style templates with their metrics, and an ML baseline beside the rules."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from pages.components.format import amount, code, fixed, literal, literal_table
from pages.components.frame import page_session
from pages.components.list_builder import DEFAULTS as LIST_DEFAULTS, list_builder
from pages.components.proposal import clear, proposal_panel, propose, show_notices
from studio.explore import figures
from studio.mining.baseline import MODELS
from studio.errors import StudioError
from studio.mining.objectives import BUDGET_OBJECTIVES, MONEY_OBJECTIVES
from studio.mining.search import describe
from studio.mining.rulemetrics import METRICS, show

s = page_session()
split, ex = s.split, s.cache
PAGE = "suggest"

# Streamlit forgets a widget's value on a run where the widget is not drawn: the settings of every
# section live in session_state (the widgets are created without defaults), so they survive while
# another section is shown.
SETTINGS = {"suggest_objective": "f1", "suggest_beta": 1.0, "suggest_min_recall": 0.5, "suggest_min_rows": 5,
            "suggest_budget": 2.0, **LIST_DEFAULTS, "suggest_templates": '{".*"} <= quantile(0.01)\n{".*"} > quantile(0.99)',
            "suggest_template_sort": "lift", "suggest_model": MODELS[0], "suggest_model_threshold": 0.5}
for key, default in SETTINGS.items():
    st.session_state[key] = st.session_state.get(key, default)

st.title("Suggest")
st.caption("Candidates are learned on the train rows the current rules leave to the default; each is shown "
           "with its train and test figures side by side. You decide what goes in.")
SECTIONS = ("Candidates", "Build a rule list", "Templates", "ML baseline")


def _keep_a_section() -> None:
    """Clicking the chosen section again would choose none: keep the last one."""
    if st.session_state.get("suggest_section") is None:
        st.session_state["suggest_section"] = st.session_state.get("suggest_section_last", SECTIONS[0])


section = st.segmented_control("Section", SECTIONS, default=SECTIONS[0], key="suggest_section",
                               on_change=_keep_a_section) or SECTIONS[0]
st.session_state["suggest_section_last"] = section
rules_key = hashlib.sha1(s.rules.to_json().encode()).hexdigest()[:10]

OBJECTIVES = {"f1": "F1 of the list", "fbeta": "F-beta of the list", "precision_at_recall":
              "precision at a minimum recall", "lift": "lift", "recall_in_budget": "recall within an alert budget",
              "amount_in_budget": "amount caught within an alert budget", "net_benefit": "net benefit"}
money = s.amounts.settings  # the workspace's amount settings (Data page), or None


def objective_controls() -> dict:
    c_obj, c_param, c_rows = st.columns([2, 1.4, 1], vertical_alignment="bottom")
    objective = c_obj.selectbox("Rank by", list(OBJECTIVES), format_func=OBJECTIVES.get, key="suggest_objective")
    out = {"objective": objective, "beta": 1.0, "min_recall": 0.0, "budget": 0.0}
    if objective in MONEY_OBJECTIVES and money is None:
        st.warning("This objective ranks by amounts: choose an amount column (and the review cost) on the Data "
                   "page, under *Money and alerts*. Ranking by F1 of the list meanwhile.")
        out["objective"] = objective = "f1"
    if objective == "fbeta":
        out["beta"] = float(c_param.number_input("beta", 0.1, 10.0, step=0.1, key="suggest_beta",
                                                 help="beta > 1 weighs recall more, beta < 1 precision."))
    elif objective == "precision_at_recall":
        out["min_recall"] = float(c_param.number_input("minimum recall of the list", 0.0, 1.0, step=0.05,
                                                       key="suggest_min_recall"))
    elif objective in BUDGET_OBJECTIVES:
        out["budget"] = float(c_param.number_input("alerts per 1,000 rows", 0.01, 1000.0, step=0.5,
                                                   key="suggest_budget",
                                                   help="What the review team can handle: the list's train alerts "
                                                        "per 1,000 train rows stay within it."))
    out["min_rows"] = int(c_rows.number_input("min rows", 1, 10_000, key="suggest_min_rows",
                                              help="Candidates must decide at least this many train rows."))
    return out


def _pick(frame: pd.DataFrame, event, table: str, source: str) -> None:
    """A newly selected table row becomes the proposal (the same candidate still selected in the
    same table changes nothing, so edits survive reruns)."""
    rows = event.selection.rows if event else []
    if not rows:  # nothing ticked (a section switch clears the table's selection): no proposal either
        st.session_state.pop("suggest_last_pick", None)
        if st.session_state.get(f"{PAGE}_proposal"):
            clear(PAGE)
            st.rerun()  # the table takes the full width again
        return
    row = frame.iloc[rows[0]]
    sig = f"{table}:{rows[0]}:{describe(tuple(row['when']))}"
    if st.session_state.get("suggest_last_pick") == sig:
        return
    st.session_state["suggest_last_pick"] = sig
    opened = bool(st.session_state.get(f"{PAGE}_proposal"))
    propose(list(row["when"]), source, page=PAGE)
    if not opened and section == SECTIONS[0]:
        st.rerun()  # make room for the proposal beside the table


if section == SECTIONS[0] and st.session_state.get(f"{PAGE}_proposal"):  # the candidates beside their proposal
    table_col, proposal_col = st.columns([3, 2], gap="medium")
elif section == SECTIONS[0]:  # nothing picked yet: the table takes the full width
    table_col, proposal_col = st.container(), None
    show_notices(PAGE)
elif section == SECTIONS[2]:  # the templates' ten metrics need the width: the proposal goes below
    table_col, proposal_col = st.container(), st.columns([3, 2])[0].container(border=True)
else:
    table_col, proposal_col = st.container(), None

# ---------------------------------------------------------------- candidates
if section == SECTIONS[0]:
    with table_col:
        params = objective_controls()
        with st.spinner("Scanning thresholds, trees and value sets…"):
            found = ex.suggestions(s.rules, params["objective"], params["beta"], params["min_recall"],
                                   params["min_rows"], top=25, budget=params["budget"], money=money)
        st.caption(f"{len(found)} best candidates for the rows the {len(s.rules.enabled_rules)} enabled rules leave "
                   "undecided (one threshold per numeric column and direction, value sets of text columns, "
                   "paths of depth-2 and depth-3 trees), each making the list better on train; the score is the "
                   "objective with the candidate added. Select a row to edit it and see its effect.")
        if found.empty:
            st.info("No candidate makes the rule list better on train by this objective: the list is as good "
                    "as single thresholds, value sets and short tree paths can make it. Try another objective.")
        shown = pd.DataFrame({
            "rule": found["rule"], "train precision": found["train_precision"].map(fixed),
            "test precision": found["test_precision"].map(fixed), "train recall": found["train_recall"].map(fixed),
            "test recall": found["test_recall"].map(fixed),
            "train vs test": found["diverges"].map({True: "⚠ differ", False: ""}),
            "train rows": found["train_rows"], "score": found["objective"].map(
                amount if params["objective"] in MONEY_OBJECTIVES else fixed)})
        if money is not None and not found.empty:  # beside precision and recall, what the candidate is worth
            shown.insert(1, "score", shown.pop("score"))  # the table is wide: the ranking stays in sight
            for name, column in (("train amount caught", "train_caught"), ("test amount caught", "test_caught"),
                                 ("test false-alert amount", "test_false_amount"),
                                 ("test net benefit", "test_net_benefit")):
                shown[name] = found[column].map(amount)
        table_key = "suggest_table_" + "_".join(map(str, (rules_key, *params.values())))
        event = st.dataframe(shown, hide_index=True, on_select="rerun", selection_mode="single-row",
                             key=table_key, width="stretch",
                             column_config={"rule": st.column_config.TextColumn(
                                 width="large" if money is None else "medium")})
        _pick(found, event, table_key, "a mined candidate")

# ---------------------------------------------------------------- rule list
elif section == SECTIONS[1]:
    with table_col:
        list_builder(s, ex, objective_controls(), rules_key, money, PAGE)

# ---------------------------------------------------------------- templates
elif section == SECTIONS[2]:
    with table_col:
        text_col, sort_col = st.columns([3, 1])
        text = text_col.text_area("Templates, one per line", key="suggest_templates", height=110,
                            help='ruleminer style: {"column pattern"} OP value, joined by &. value: a number, '
                                 'quantile(q) (the column\'s train quantile) or "value pattern" for text columns '
                                 '(with == or !=). Patterns are regular expressions matched against whole names.')
        texts = tuple(line.strip() for line in text.splitlines() if line.strip())
        by = sort_col.selectbox("Sort by", METRICS, key="suggest_template_sort")
        try:
            with st.spinner("Expanding and counting…"):
                table = ex.templates(texts, s.rules) if texts else None
        except StudioError as err:
            st.error(literal(err))
            table = None
        if table is not None:
            table = table.sort_values(by, ascending=False, na_position="last", kind="stable").reset_index(drop=True)
            st.caption(f"{len(table):,} candidates, each read as {code(f'if X then {split.target} = {split.positive}')}, "
                       "measured on the train rows the rules leave undecided with ruleminer's metrics (∞ where "
                       "infinite, 'undefined' where a denominator is zero); test precision and recall beside. "
                       "Select a row to edit it.")
            shown = pd.DataFrame({"rule": table["rule"], "rows": table["rows"]})
            for name in METRICS:
                shown[name] = [show(v, name) for v in table[name]]
            shown["test precision"] = table["test_precision"].map(fixed)
            shown["test recall"] = table["test_recall"].map(fixed)
            shown["train vs test"] = table["diverges"].map({True: "⚠ differ", False: ""})
            table_key = f"suggest_template_table_{rules_key}_{hash(texts) & 0xffffff}_{by}"
            event = st.dataframe(shown, hide_index=True, on_select="rerun", selection_mode="single-row",
                                 key=table_key, width="stretch",
                                 column_config={"rule": st.column_config.TextColumn(width="large")})
            _pick(table, event, table_key, "a template")

# ---------------------------------------------------------------- ML baseline
else:
    with table_col:
        c_model, c_t = st.columns([2, 3], vertical_alignment="bottom")
        model_name = c_model.radio("Model", MODELS, horizontal=True, key="suggest_model")
        threshold = c_t.slider("Model threshold (probability of the positive class)", 0.01, 0.99, step=0.01,
                               key="suggest_model_threshold")
        with st.spinner(f"Training {model_name} on the train split…"):
            base = ex.baseline(model_name)
        rules_m = s.evaluation().test.metrics.positive
        at = base.scores(threshold)
        same_recall = base.precision_at_recall(rules_m.recall)
        text_as = "categories" if model_name == MODELS[0] else "one-hot encoded"
        st.caption(f"{model_name} trained on the {base.train_rows:,} train rows ({len(base.columns)} columns, text "
                   f"as {text_as}) in {base.fit_seconds:.1f} s; scored on the {len(base.test_rows):,} test rows. "
                   f"Test average precision {base.average_precision():.4f}.")
        summary = pd.DataFrame([
            {"on test": f"the rules ({len(s.rules.enabled_rules)} enabled)", "precision": fixed(rules_m.precision),
             "recall": fixed(rules_m.recall), "F1": fixed(rules_m.f1)},
            {"on test": f"{model_name}, threshold {threshold:.2f}", "precision": fixed(at.precision),
             "recall": fixed(at.recall), "F1": fixed(at.f1)},
            {"on test": f"{model_name}, best precision at the rules' recall", "precision": fixed(same_recall),
             "recall": f"≥ {fixed(rules_m.recall)}", "F1": ""}]).set_index("on test")
        st.table(literal_table(summary))
        fig = figures.pr_figure(base.curve(), {"the rules": (rules_m.recall, rules_m.precision),
                                              f"model at {threshold:.2f}": (at.recall, at.precision)})
        st.plotly_chart(fig, key="suggest_pr", width="stretch")
        d = ex.disagreements(s.rules, model_name, threshold)
        st.markdown(f"**Held-out rows where they disagree** · the rules say {code(split.positive)} and the model "
                    f"does not: {d.rules_only:,} · the model says {code(split.positive)} and the rules do not: "
                    f"{d.model_only:,}")
        if len(d.table):
            st.caption(f"{len(d.table):,} of them, those whose probability lies farthest from the threshold first.")
            st.dataframe(d.table, hide_index=True, key="suggest_disagreements", width="stretch",
                         column_config={"model probability": st.column_config.NumberColumn(format="%.4f")})

if proposal_col is not None:
    with proposal_col:
        proposal_panel(s, ex.sample().categories, page=PAGE,
                       hint="Select a candidate in the table: it appears here to edit, with its effect on "
                            "train and test, and one click adds it.")
elif section == SECTIONS[3]:
    clear(PAGE)
    st.session_state.pop("suggest_last_pick", None)
