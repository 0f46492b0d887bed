"""The proposed rule: conditions read off a chart selection, editable, with their held-out effect."""

from __future__ import annotations

import itertools

import pandas as pd
import streamlit as st

from studio.errors import RuleSetError
from studio.rules import operators
from studio.rules.condition import Condition
from studio.rules.model import Rule
from studio.rules.validate import condition_problems
from studio.session.studio import StudioSession

from .condition_editor import Labels, condition_widgets
from .drill_panel import rows_table
from .frame import one_line_errors
from .format import code, fixed, literal

_ids = itertools.count(1)


def propose(conditions: list[Condition], source: str, name: str = "", page: str = "explore") -> None:
    """Replace the page's proposal (new widget keys, so the editors start from these conditions)."""
    st.session_state[f"{page}_proposal"] = {"id": next(_ids), "source": source, "conditions": list(conditions),
                                            "name": name}


def clear(page: str = "explore") -> None:
    st.session_state.pop(f"{page}_proposal", None)


def _editor(s: StudioSession, cond: Condition, key: str, categories: dict) -> Condition | str:
    """The shared condition editor for one proposed condition: its column fixed, the operators of
    its shape that the column's kind offers."""
    prof = s.profiles().get(cond.column)
    if prof is None or cond.shape == operators.POLYGON:
        st.markdown(code(cond.describe()))
        return cond
    ops = tuple(o for o in operators.offered_for(prof.kind) if operators.get(o).shape == cond.shape) or (cond.op,)
    if cond.shape in (operators.SCALAR, operators.LIST) and len(ops) > 1:
        op_area, value_area = st.columns([1, 3])
    else:
        op_area = value_area = st.container()
    return condition_widgets(key, Labels.named(cond.column), cond.column, prof, ops, op_area, value_area,
                             start=cond, categories=categories)


def _stats_tables(s: StudioSession, ev) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rule set with the rule added (``ev``): positive-class scores and their change; the rule
    itself where it decides), train and test side by side."""
    now = s.evaluation()
    added, alone = {}, {}
    for side in ("train", "test"):
        new, old = ev.sides[side].metrics.positive, now.sides[side].metrics.positive
        added[side] = {name: f"{getattr(new, attr):.4f} ({getattr(new, attr) - getattr(old, attr):+.4f})"
                       for name, attr in (("precision", "precision"), ("recall", "recall"), ("F1", "f1"))}
        money_now, money_then = s.amounts.report(s.split, s.rules), s.amounts.report(s.split, ev.ruleset)
        if money_now is not None and money_then is not None:
            a, b = money_now[side], money_then[side]
            added[side]["amount caught"] = f"{b.caught:,.2f} ({b.caught - a.caught:+,.2f})"
            added[side]["net benefit"] = f"{b.net_benefit:,.2f} ({b.net_benefit - a.net_benefit:+,.2f})"
        stat = ev.sides[side].rules[-1]
        alone[side] = {"rows it decides": f"{stat.fired:,}",
                       "precision": fixed(stat.precision),
                       "positives caught": f"{stat.positives:,} ({stat.positive_share:.1%})"}
    return pd.DataFrame(added), pd.DataFrame(alone)


def _add(s: StudioSession, rule: Rule, page: str) -> None:
    st.session_state[f"{page}_rerun"] = True  # the chart colours, the sidebar and the tables follow
    try:
        s.apply(s.rules.add(rule))
    except RuleSetError as err:
        st.session_state[f"{page}_error"] = str(err)
        return
    clear(page)
    st.session_state[f"{page}_notice"] = f"Added rule {len(s.rules.rules)}: {code(rule.describe())}"


def _discard(page: str) -> None:
    clear(page)
    st.session_state[f"{page}_rerun"] = True  # the page closes the panel


def show_notices(page: str) -> None:
    """What the last Add did (the rule added, or why it was not), once."""
    for kind, show in ((f"{page}_notice", st.success), (f"{page}_error", st.error)):
        if kind in st.session_state:
            text = st.session_state.pop(kind)  # an error is plain text; a notice marks what the user named
            show(literal(text) if show is st.error else text)


def proposal_panel(s: StudioSession, categories: dict, page: str = "explore",
                   hint: str = "Brush an axis, drag a box or a lasso, or set a threshold: the conditions "
                               "appear here.") -> None:
    """The page's current proposal with editors, label and name, its effect on train and test, and Add.
    A fragment: an edit reruns only the panel; Add (or another tab's change) reruns the page."""
    _panel_fragment(s, categories, page, hint)


@st.fragment
def _panel_fragment(s: StudioSession, categories: dict, page: str, hint: str) -> None:
    if st.session_state.pop(f"{page}_rerun", False) or s.refresh():
        st.rerun()
    with one_line_errors(f"{page} proposal"):
        _panel(s, categories, page, hint)


def _panel(s: StudioSession, categories: dict, page: str, hint: str) -> None:
    show_notices(page)
    proposal = st.session_state.get(f"{page}_proposal")
    if not proposal:
        st.caption(hint)
        return
    pid = proposal["id"]
    head, close = st.columns([4, 1.3], vertical_alignment="center")
    head.markdown(f"**Proposed rule** · from {literal(proposal['source'])}")
    close.button("Discard", key=f"p{pid}_discard", on_click=_discard, args=(page,), icon=":material/close:",
                 help="Close the proposal; the rules are unchanged.")
    conditions, problems = [], []
    for i, cond in enumerate(proposal["conditions"]):
        use_col, edit_col = st.columns([0.7, 9], vertical_alignment="bottom")
        use = use_col.checkbox("use", value=True, key=f"p{pid}_{i}_use", label_visibility="collapsed")
        with edit_col:
            edited = _editor(s, cond, f"p{pid}_{i}", categories)
        if not use:
            continue
        if isinstance(edited, str):
            problems.append(f"{cond.column}: {edited}")
        else:
            problems += edited.problems() or condition_problems(edited, s.dataset.schema)
            conditions.append(edited)
    label_col, name_col = st.columns([2, 5])
    classes = s.classes
    positive = s.native_label(s.split.positive)
    label = label_col.selectbox("Label (then)", classes, index=classes.index(positive), key=f"p{pid}_label")
    name = name_col.text_input("Rule name", value=proposal.get("name", ""), key=f"p{pid}_name")
    if not conditions:
        st.info("Keep at least one condition.")
        return
    if problems:
        st.error(literal("; ".join(problems)))
        return
    rule = Rule(when=tuple(conditions), then=label, name=name.strip())
    ev = s.preview(rule)
    with_rule, alone = _stats_tables(s, ev)
    st.markdown("The rule set **with this rule added** (positive class; change in brackets):")
    st.table(with_rule)
    st.markdown("**This rule** where it decides (after the rules above it):")
    st.table(alone)
    tr, te = ev.train.rules[-1].precision, ev.test.rules[-1].precision
    if tr is not None and te is not None and abs(tr - te) > 0.1:
        st.warning(f"Train and test precision of this rule differ by {abs(tr - te):.2f}: it may fit the train rows "
                   "too closely.")
    st.button(f"Add as rule {len(s.rules.rules) + 1}", type="primary", key=f"p{pid}_add",
              on_click=_add, args=(s, rule, page), icon=":material/add:")
    if st.toggle("Show the train rows inside the selection", key=f"p{pid}_rows_on"):  # no query while off
        rows_table(s, s.rules, {"side": "train", "when": rule.when}, "rows where the conditions hold",
                   key_prefix=f"p{pid}_rows")
