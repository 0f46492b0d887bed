"""The Suggest page's "Build a rule list": the list search (or the greedy walk) with the user's
settings, its progress while it runs and a stop that keeps the best list so far, then the list to
prune with its train and test figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.components.format import code, fixed, literal_table
from studio.mining.listsearch import SearchSettings, rounded
from studio.rules.model import RuleSet

HOW = {"search": "Search (looks ahead, checked on a validation slice of train)", "greedy": "Greedy (fast)"}
DEFAULTS = {"suggest_list_size": 8, "suggest_list_conditions": 3, "suggest_list_precision": 0.0,
            "suggest_list_seconds": 8, "suggest_list_how": "search", "suggest_list_exceptions": True}


def _settings(params: dict, money) -> tuple[str, SearchSettings]:
    c_rules, c_cond, c_prec, c_time = st.columns(4)
    n_max = c_rules.slider("At most this many new rules", 1, 8, key="suggest_list_size")
    n_cond = c_cond.slider("Conditions per rule", 1, 3, key="suggest_list_conditions")
    precision = c_prec.number_input("Least precision per rule", 0.0, 1.0, step=0.05, key="suggest_list_precision",
                                    help="On the train rows a rule decides.")
    seconds = c_time.number_input("Time budget (seconds)", 1, 300, key="suggest_list_seconds",
                                  help="The search then stops with the best list so far.")
    c_how, c_exceptions = st.columns([3, 2])
    how = c_how.radio("How", list(HOW), format_func=HOW.get, horizontal=True, key="suggest_list_how")
    exceptions = c_exceptions.checkbox(
        "Exceptions", key="suggest_list_exceptions", disabled=how != "search",
        help="Rules put before the list's own rules that take rows back (→ the default label): one exception "
             "can edit every rule after it. For the F1 and F-beta objectives.")
    settings = SearchSettings(max_rules=int(n_max), max_conditions=int(n_cond), min_precision=float(precision),
                              exceptions=bool(exceptions), objective=params["objective"], beta=params["beta"], min_recall=params["min_recall"],
                              budget=params["budget"], money=money, time_budget=float(seconds),
                              min_support=int(params["min_rows"]))
    return how, settings


def _built(s, ex, asked) -> tuple[RuleSet, str]:
    """The list asked for, and what to say about how it was found."""
    rules, how, settings = asked
    if how == "greedy":
        with st.spinner("Building the list…"):
            return ex.rule_list(rules, settings.max_rules, settings.objective, settings.beta, settings.min_support,
                                settings.min_recall, settings.budget, settings.money), "Built greedily."
    stopped = st.session_state.get("suggest_list_stopped")
    partial = st.session_state.get("suggest_list_partial")
    if stopped == asked and partial is not None and partial[0] == asked:
        step = partial[1]
        return rounded(s.split, rules, step.best), (
            f"Stopped after step {step.depth} ({step.elapsed:.1f} s): the best list so far on the fit rows "
            "(not yet checked on the validation slice).")
    slot = st.empty()
    with slot.container():
        bar = st.progress(0.0, text="Searching…")
        st.button("Stop and keep the best list so far", key="suggest_list_stop", icon=":material/stop_circle:",
                  on_click=lambda: st.session_state.update(suggest_list_stopped=asked))

    def progress(step) -> None:
        st.session_state["suggest_list_partial"] = (asked, step)
        bar.progress(min(1.0, step.depth / settings.max_rules),
                     text=f"Step {step.depth} of at most {settings.max_rules}: {step.lists} lists, the best "
                          f"{settings.objective} on the fit rows {step.best_fit:.4f}, {step.elapsed:.1f} s")

    found = ex.searched_list(rules, settings, progress)
    slot.empty()
    ended = {"done": "searched to the end", "time": "stopped by the time budget", "asked": "stopped"}[found.stopped]
    return found.rules, (f"{found.lists} lists met in {found.elapsed:.1f} s ({ended}); the chosen list's "
                         f"{settings.objective} on the validation slice of train: {found.validation:.4f}"
                         + ("; a tree's list, then read again off the tree fitted on every train row."
                            if found.refitted else "."))


def _label(s, i: int, rule) -> str:
    """A built rule as its box reads: its number and conditions, and for an exception its label."""
    text = f"**{i + 1}.** {code(rule.name or rule.describe())}"
    if s.split.class_label(rule.then) != s.split.positive:
        text += f" → {code(repr(rule.then))}: an exception, it takes these rows back from the rules after it"
    return text


def list_builder(s, ex, params: dict, rules_key: str, money, page: str) -> None:
    """The section: settings, the build button, the list to prune and the button that adds it."""
    how, settings = _settings(params, money)
    st.caption("The search extends the best few lists by their best candidates at each step (thresholds, value "
               "sets, tree paths, the leaves of a small boosted ensemble and oblique cuts across two columns, drawn as "
               "polygons; and exceptions that take rows back from its rules; learned on most of the train rows), "
               "then keeps the simplest list that does best on the rest of train and drops rules that do not help "
               "there (a list read off a tree is read again off that tree fitted on all the train rows); the test "
               "rows take no part. Untick what you do not want; the test columns judge the list.")
    if f"{page}_notice" in st.session_state:
        st.success(st.session_state.pop(f"{page}_notice"))
    if st.button("Build a rule list", type="primary", icon=":material/auto_awesome:", key="suggest_build"):
        st.session_state["suggest_list_for"] = (s.rules, how, settings)
        st.session_state.pop("suggest_list_stopped", None)
    asked = st.session_state.get("suggest_list_for")
    if asked is None:
        return
    if asked[0] != s.rules:
        st.info("The rules changed since the list was built: build it again for the rules as they are now.")
        return
    built, said = _built(s, ex, asked)
    st.caption(said)
    new = list(built.rules[len(s.rules.rules):])
    if not new:
        st.info("No candidate improves the list on train.")
        return
    keep = [st.checkbox(_label(s, i, rule), value=True, key=f"suggest_keep_{rules_key}_{i}_{hash(rule) & 0xffff}")
            for i, rule in enumerate(new)]
    kept = [r for r, k in zip(new, keep) if k]
    candidate = s.rules
    for r in kept:
        candidate = candidate.add(r)
    now, then = s.evaluation(), s.evaluation(candidate)
    rows = []
    for name, ev in (("current rules", now), (f"with the {len(kept)} kept rules", then)):
        for side in ("train", "test"):
            m = ev.sides[side].metrics.positive
            rows.append({"rules": name, "side": side, "precision": fixed(m.precision), "recall": fixed(m.recall),
                         "F1": fixed(m.f1)})
    st.table(pd.DataFrame(rows).set_index(["rules", "side"]))
    per_rule = then.test.rules[len(s.rules.rules):]
    if per_rule:
        st.markdown("Each kept rule on **test**, where it decides (after the rules above it):")
        st.table(literal_table(pd.DataFrame({"rule": [f"{r.name} -> {r.then!r}" if r.name else r.describe()
                                                      for r in kept],  # the name reads a polygon's line
                                             "rows": [f"{x.fired:,}" for x in per_rule],
                                             "precision": [fixed(x.precision) for x in per_rule],
                                             "positives caught": [f"{x.positives:,}" for x in per_rule]})))

    def add_kept(rules=candidate, n=len(kept)):
        s.apply(rules)
        st.session_state.pop("suggest_list_for", None)
        st.session_state[f"{page}_notice"] = f"Added {n} rules from the built list."

    st.button(f"Add the {len(kept)} kept rules", disabled=not kept, on_click=add_kept, key="suggest_add_list",
              icon=":material/playlist_add:")
