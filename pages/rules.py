"""Rules page: author rules in a form with a live preview, manage the ordered list, see held-out metrics."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from pages.components.backtest_panel import backtest_panel
from pages.components.drill_panel import drill_panel
from pages.components.full_check_panel import full_check_panel
from pages.components.versions_panel import versions_panel
from pages.components.condition_editor import Labels, condition_widgets, form_state
from pages.components.format import code, literal, literal_table, money_change, pct
from pages.components.metric_tables import class_table, confusion_table
from pages.components.rule_draft import (COMMIT, DRAFT, EDITING, FULL_RUN, READY, RESET, draft_state, new_condition_id,
                                         reset_draft)
from pages.components.rule_list import per_rule_table, rule_rows, set_aside_panel
from studio.engine.shadowing import shadowed_rules
from studio.explore import figures
from pages.components.frame import one_line_errors, page_session
from studio.errors import RuleSetError, StudioError
from studio.rules import operators
from studio.rules.condition import Condition
from studio.rules.model import Rule
from studio.rules.limits import MAX_FILE_BYTES
from studio.rules.salvage import SET_ASIDE
from studio.rules.validate import condition_problems

s = page_session()

# ---------------------------------------------------------------- draft state
if DRAFT not in st.session_state or (st.session_state[EDITING] is not None
                                     and st.session_state[EDITING] >= len(s.rules.rules)):
    reset_draft()
if RESET in st.session_state:  # a rule was just added or saved: a new form, before its widgets are drawn
    reset_draft(keep=st.session_state.pop(RESET))


profiles, features = s.profiles(), s.split.features


def add_condition() -> None:
    st.session_state[DRAFT] = st.session_state[DRAFT] + [new_condition_id()]


def remove_condition(cid: int) -> None:
    st.session_state[DRAFT] = [c for c in st.session_state[DRAFT] if c != cid]


def load_into_form(index: int) -> None:
    """Put rule ``index`` into the form for editing."""
    rule = s.rules.rules[index]
    ids = []
    for cond in rule.when:
        cid = new_condition_id()
        ids.append(cid)
        kind = profiles[cond.column].kind
        if cond.op not in operators.offered_for(kind):
            st.session_state[f"c{cid}_fixed"] = cond  # e.g. a polygon drawn on the Explore page: kept as it is
            continue
        st.session_state.update(form_state(f"c{cid}", cond, kind))
    st.session_state[DRAFT] = ids
    st.session_state[EDITING] = index
    st.session_state["draft_name"] = rule.name
    st.session_state["draft_label"] = rule.then


# ---------------------------------------------------------------- form widgets
def condition_editor(cid: int, position: int) -> Condition | str | None:
    """Widgets for one condition; returns the Condition, or a message when it is incomplete."""
    fixed = st.session_state.get(f"c{cid}_fixed")
    if fixed is not None:
        c_text, c_del = st.columns([10, 0.6], vertical_alignment="bottom")
        c_text.markdown(f"Condition {position}: {code(fixed.describe())} (kept as it is; remove it to replace it)")
        c_del.button("", icon=":material/close:", key=f"c{cid}_del", help="Remove this condition",
                     on_click=remove_condition, args=(cid,), disabled=len(st.session_state[DRAFT]) == 1)
        return fixed
    c_col, c_op, c_val, c_del = st.columns([3, 2, 5, 0.6], vertical_alignment="bottom")
    col_key = f"c{cid}_col"
    if st.session_state.get(col_key) not in features:  # a new form starts on the best separating column
        best = next((x.column for x in s.cache.ranking() if x.column in features), None)
        st.session_state[col_key] = best if best is not None else features[0]
    column = c_col.selectbox(f"Column {position}", features, key=col_key)
    c_del.button("", icon=":material/close:", key=f"c{cid}_del", help="Remove this condition", on_click=remove_condition,
                 args=(cid,), disabled=len(st.session_state[DRAFT]) == 1)
    prof = profiles[column]
    return condition_widgets(f"c{cid}", Labels.numbered(position), column, prof, operators.offered_for(prof.kind),
                             c_op, c_val)


def draft_rule() -> tuple[Rule | None, list[str]]:
    conditions, problems = [], []
    for position, cid in enumerate(st.session_state[DRAFT], start=1):
        result = condition_editor(cid, position)
        if isinstance(result, Condition):
            conditions.append(result)
        else:
            problems.append(f"condition {position}: {result}")
    c_label, c_name = st.columns([2, 5])
    classes = s.classes
    if st.session_state.get("draft_label") not in classes:
        st.session_state["draft_label"] = s.native_label(s.split.positive)
    label = c_label.selectbox("Label (then)", classes, key="draft_label")
    name = c_name.text_input("Rule name", key="draft_name", placeholder="e.g. large V11")
    if problems:
        return None, problems
    rule = Rule(when=tuple(conditions), then=label, name=name.strip())
    return rule, [f"condition {i}: {p}" for i, c in enumerate(conditions, 1)
                  for p in c.problems() or condition_problems(c, s.dataset.schema)]


# ---------------------------------------------------------------- rule-list actions
def apply(rules) -> None:
    """A change to the rule list (an edit in progress is dropped: its index may no longer hold)."""
    if st.session_state.get(EDITING) is not None:
        reset_draft()
    try:
        s.apply(rules)
    except RuleSetError as err:
        st.session_state["rules_error"] = str(err)


def undo() -> None:
    reset_draft()
    s.undo()


def redo() -> None:
    reset_draft()
    s.redo()


def commit_draft() -> None:
    """Add (or save) the form's rule; a value not yet applied (Add clicked from its box) is, first."""
    rule, problems, state = st.session_state.get(READY, (None, [], None))
    if state != draft_state():  # the form's next run builds the rule from the values and commits it
        st.session_state[COMMIT] = True
    else:
        commit(rule, problems)


def commit(rule: Rule | None, problems: list[str]) -> None:
    """Add (or save) ``rule`` (if complete, else say why); the whole page and a new form follow."""
    st.session_state[FULL_RUN] = True
    if rule is None or problems:
        st.session_state["rules_error"] = "The rule is not complete: " + ("; ".join(problems) or "fill in the form")
        return
    index = st.session_state[EDITING]
    try:
        s.apply(s.rules.add(rule) if index is None else s.rules.replace_rule(index, rule))
    except RuleSetError as err:
        st.session_state["rules_error"] = str(err)
        return
    st.session_state[RESET] = index is None  # after Add, the next rule starts on the same column and operator


def import_rules() -> None:
    upload = st.session_state.get("import_file")
    if upload is None:
        return
    try:
        if upload.size > MAX_FILE_BYTES:
            raise RuleSetError(f"a rule file holds at most {MAX_FILE_BYTES / 1e6:g} MB")
        s.import_json(upload.getvalue().decode("utf-8", errors="replace"))
        st.session_state["rules_notice"] = f"Imported {len(s.rules.rules)} rules from {literal(upload.name)}."
    except RuleSetError as err:
        st.session_state["rules_error"] = (f"{upload.name} was not imported; the current rules are unchanged. "
                                           f"Problems: " + "; ".join(err.problems))


def forget_set_aside() -> None:
    apply(replace(s.rules, meta={k: v for k, v in s.rules.meta.items() if k != SET_ASIDE}))


# ================================================================= layout
st.title("Rules")
top = st.columns([1, 1, 4, 2.2], vertical_alignment="center")
top[0].button("Undo", icon=":material/undo:", on_click=undo, disabled=not s.history.can_undo, width="stretch")
top[1].button("Redo", icon=":material/redo:", on_click=redo, disabled=not s.history.can_redo, width="stretch")
top[3].download_button("Download rules JSON", s.rules.to_json(), file_name=f"{s.rules_key}.rules.json",
                       mime="application/json", icon=":material/download:", width="stretch")

for key, show in (("rules_error", st.error), ("rules_notice", st.success)):
    if key in st.session_state:  # an error is plain text; a notice marks what the user named
        show(literal(st.session_state.pop(key)) if key == "rules_error" else st.session_state.pop(key))

# ---- the form
@st.fragment
def rule_form() -> None:
    """The form and its preview. A change to one of its widgets reruns only this part of the page
    (the rule list, the tables and the sidebar stay as they are); the Add / Save buttons sit outside
    it, so they rerun the page."""
    if s.refresh() or st.session_state.pop(FULL_RUN, False):  # another tab or an Add changed the rules
        st.rerun()
    with one_line_errors("rules form"):
        form_body()


def form_body() -> None:
    current = s.evaluation()
    editing = st.session_state[EDITING]
    st.subheader("Add a rule" if editing is None else f"Edit rule {editing + 1}")
    rule, problems = draft_rule()
    st.button("Condition (AND)", icon=":material/add:", on_click=add_condition)
    if rule is not None and not problems:
        try:
            preview = s.preview(rule, editing)
        except StudioError as err:
            problems.append(str(err))
    st.session_state[READY] = (rule, problems, draft_state())
    if st.session_state.pop(COMMIT, False):
        commit(rule, problems)
        st.rerun()
    if rule is not None and not problems:
        index = len(s.rules.rules) if editing is None else editing
        stats = preview.test.rules[index]
        before, after = current.test.metrics.positive, preview.test.metrics.positive
        st.markdown(
            f"**Preview on the held-out test side** of {code(' and '.join(c.describe() for c in rule.when))} · "
            f"fires on **{stats.fired:,}** rows "
            f"(after the rules above), **{stats.correct:,}** of them {code(stats.label)} → precision "
            f"**{pct(stats.precision)}** · set precision {pct(before.precision)} → **{pct(after.precision)}**, "
            f"recall {pct(before.recall)} → **{pct(after.recall)}**, F1 {before.f1:.3f} → **{after.f1:.3f}**"
            + money_change(s.amounts.report(s.split, s.rules), s.amounts.report(s.split, preview.ruleset)))
    for p in problems:
        st.warning(literal(p))


with st.container(border=True):
    st.session_state.pop(FULL_RUN, None)  # this run draws the whole page
    rule_form()
    editing = st.session_state[EDITING]
    b1, b2, _ = st.columns([1.4, 1, 5])
    b1.button("Add rule" if editing is None else "Save rule", type="primary", on_click=commit_draft, width="stretch")
    if editing is not None:
        b2.button("Cancel", on_click=reset_draft, width="stretch")
current = s.evaluation()

# ---- the ordered rule list
st.subheader("Rule list (first hit wins)")
rules = s.rules
test_stats = current.test.rules
if not rules.rules:
    st.info("No rules yet: every row gets the default label. Add one above.")
shadows = shadowed_rules(s.split, rules, current.test)
rule_rows(s, rules, test_stats, apply, load_into_form, shadows)

d1, d2 = st.columns([2, 5], vertical_alignment="bottom")
classes = s.classes
d1.selectbox("Default label (no rule fires)", classes,
             index=classes.index(rules.default) if rules.default in classes else 0,
             key=f"default_{hash(rules)}", on_change=lambda: apply(rules.with_default(
                 st.session_state[f"default_{hash(rules)}"])))
with d2.popover("Import rules JSON"):
    st.file_uploader("Rule file", type=["json"], key="import_file", on_change=import_rules)
set_aside_panel(rules.meta.get(SET_ASIDE) or [], forget_set_aside)

# ---- metrics
st.subheader("Held-out metrics")
left, right = st.columns(2)
for col, name in ((left, "test"), (right, "train")):
    side = current.sides[name]
    with col:
        st.markdown(f"**{name.title()}** ({side.metrics.n:,} rows)" + (" — the judge" if name == "test" else ""))
        st.table(literal_table(class_table(side)))
        st.table(literal_table(confusion_table(side)))

if rules.rules:
    per_rule_table(rules, current, shadows, s.amounts.report(s.split, rules))
    st.markdown("**The rows**: which rows are the false positives, the missed positives, a rule's")
    drill_panel(s)
    points = s.cumulative("test")
    st.markdown("**Test precision, recall and F1 as the enabled rules are applied in order** (0: default only)")
    curve = pd.DataFrame({"precision": [p.precision for p in points], "recall": [p.recall for p in points],
                          "F1": [p.f1 for p in points]},
                         index=pd.Index([p.step for p in points], name="rules applied"))
    st.plotly_chart(figures.cumulative_figure(curve), key="rules_cumulative", width="stretch",
                    config={"scrollZoom": False})
    st.markdown("**Period by period**: precision and recall of the rule set and of each rule over time")
    backtest_panel(s)

st.markdown("**Versions**: keep the rule list under a name; compare two versions, rule by rule and row by row")
versions_panel(s)
full_check_panel(s)
