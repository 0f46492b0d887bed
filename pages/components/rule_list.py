"""The ordered rule list on the Rules page: one row per rule (on/off, its text, its test figures,
move, edit, duplicate, delete), a page of rows at a time so that long lists stay quick to draw."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from .format import code, fixed as score_text, literal, pct

PER_PAGE = 20  # rule rows drawn at once


def rule_rows(s, rules, test_stats, apply, load_into_form, shadowed: dict | None = None) -> None:
    """Draw the rows; each action is a change to the rules as this page showed them (``apply``).
    ``shadowed``: the rules the rules above them leave (almost) nothing to, by index, flagged."""
    shadowed = shadowed or {}
    pages = max(1, -(-len(rules.rules) // PER_PAGE))
    first = 0
    if pages > 1:
        chosen = st.selectbox("Rules shown", range(pages), key="rules_page",
                              format_func=lambda k: f"{k * PER_PAGE + 1}–{min((k + 1) * PER_PAGE, len(rules.rules))} "
                                                    f"of {len(rules.rules):,}")
        first = (chosen or 0) * PER_PAGE

    def change(how: str, i: int) -> None:
        shown = s.rules
        if i >= len(shown.rules):
            return
        apply({"toggle": lambda: shown.toggle(i), "up": lambda: shown.move(i, -1), "down": lambda: shown.move(i, 1),
               "duplicate": lambda: shown.add(shown.rules[i], i + 1), "delete": lambda: shown.remove(i)}[how]())

    for i in range(first, min(first + PER_PAGE, len(rules.rules))):
        r, st_i = rules.rules[i], test_stats[i]
        row = st.columns([0.3, 0.5, 4.0, 2.3, 3.1], vertical_alignment="center")
        row[0].markdown(f"**{i + 1}**")
        row[1].toggle("on", value=r.enabled, key=f"on_{i}_{hash(r)}", label_visibility="collapsed",
                      on_change=change, args=("toggle", i), help="Enable or disable this rule")
        title = literal(st_i.name) if r.enabled else f"~~{literal(st_i.name)}~~"
        row[2].markdown(f"**{title}** · {code(' and '.join(c.describe() for c in r.when))} → {code(r.then)}")
        if i in shadowed:
            row[2].caption(f":orange[⚠ On test it {literal(shadowed[i].describe(rules.names()))}.]")
        row[3].caption(f"test: fires {st_i.fired:,} · precision {pct(st_i.precision)} · ΔF1 if "
                       f"{'off' if r.enabled else 'on'} {st_i.delta_f1:+.3f}")
        with row[4].container(horizontal=True, gap=None):
            st.button("", icon=":material/arrow_upward:", key=f"up_{i}", type="tertiary", on_click=change, args=("up", i),
                      disabled=i == 0, help="Move up")
            st.button("", icon=":material/arrow_downward:", key=f"down_{i}", type="tertiary", on_click=change,
                      args=("down", i), disabled=i == len(rules.rules) - 1, help="Move down")
            st.button("", icon=":material/edit:", key=f"edit_{i}", type="tertiary", on_click=load_into_form, args=(i,), help="Edit")
            st.button("", icon=":material/content_copy:", key=f"dup_{i}", type="tertiary", on_click=change,
                      args=("duplicate", i), help="Duplicate")
            st.button("", icon=":material/delete:", key=f"del_{i}", type="tertiary", on_click=change, args=("delete", i),
                      help="Delete")


def set_aside_panel(aside: list, forget) -> None:
    """The saved rules that were set aside (why, and their JSON), with a button to forget them."""
    if not aside:
        return
    with st.expander(f"{len(aside)} saved rule(s) set aside: they cannot be used as they are", icon=":material/warning:"):
        for entry in aside:
            st.markdown(f"- {literal(entry.get('why', ''))}")
            st.code(json.dumps(entry.get("rule"), ensure_ascii=False)[:2_000], language="json", wrap_lines=True)
        st.button("Forget the rules set aside", on_click=forget, key="forget_set_aside")


def per_rule_table(rules, current, shadows: dict, amounts=None) -> None:
    """Each rule's figures in first-hit order (test, with train precision beside; with ``amounts``, the
    amount it catches and its false-alert amount), and the overlaps."""
    st.markdown("**Per rule, in first-hit order**")
    train_stats, test_stats = current.train.rules, current.test.rules
    table = pd.DataFrame([{
        "#": r.index + 1, "rule": r.name, "label": r.label, "on": r.enabled, "reached": r.reached,
        "fired": r.fired, "correct": r.correct, "precision": score_text(r.precision),
        "train precision": score_text(train_stats[r.index].precision), "share of positives": r.positive_share,
        "F1 if toggled": r.toggled.f1, "ΔF1 if toggled": r.delta_f1,
        "left to it by the rules above": shadows[r.index].describe(rules.names()) if r.index in shadows else "",
        **({"amount caught": amounts["test"].rules[r.index].caught,
            "false-alert amount": amounts["test"].rules[r.index].false_alerts} if amounts else {}),
    } for r in test_stats]).set_index("#")
    st.dataframe(table, width="stretch", column_config={
        "precision": st.column_config.TextColumn(help="– where the rule takes no rows"),
        "train precision": st.column_config.TextColumn(help="– where the rule takes no rows"),
        "share of positives": st.column_config.NumberColumn(format="percent"),
        "F1 if toggled": st.column_config.NumberColumn(format="%.4f"),
        "ΔF1 if toggled": st.column_config.NumberColumn(format="%+.4f"),
        "amount caught": st.column_config.NumberColumn(format="%.2f"),
        "false-alert amount": st.column_config.NumberColumn(format="%.2f")})
    ov = current.test.overlaps
    st.caption(f"Test overlaps: {ov.rows:,} rows matched by more than one enabled rule; "
               f"{ov.conflicts:,} by rules with different labels.")
