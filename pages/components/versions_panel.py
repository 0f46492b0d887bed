"""The Rules page's versions: save the rule list under a name, and compare two versions (or a
version and the rules as they are now) side by side — figures, the diff rule by rule, and the rows
they decide differently."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from studio.engine.alerts import alert_rate
from studio.engine.compare import differing_rows, disagreements, rule_diff
from studio.errors import StudioError
from studio.session.studio import StudioSession
from studio.session.versions import Versions

from .format import amount, fixed, literal, literal_table
from .frame import one_line_errors

NOW = "the rules now"
PAGE_ROWS = 100


@st.fragment
def versions_panel(s: StudioSession) -> None:
    """A fragment: saving, choosing and paging rerun it alone; restoring a version reruns the page."""
    with one_line_errors("rules versions"):
        _panel(s)


def _save(s: StudioSession, store: Versions) -> None:
    name = st.session_state.get("version_name", "")
    try:
        saved = store.save(name, s.rules)
        st.session_state["versions_notice"] = ("success", f"Saved version {saved.name!r} "
                                               f"({len(saved.rules.rules)} rules).")
        st.session_state["version_name"] = ""
        st.session_state["versions_a"] = saved.name  # compared with the rules now
    except StudioError as err:
        st.session_state["versions_notice"] = ("error", f"Not saved: {err}")


def _panel(s: StudioSession) -> None:
    if not st.toggle("Show the versions", key="versions_on",
                     help="Save the rule list under a name; compare two versions side by side."):
        return  # the comparison's queries run only when it is shown
    store = Versions(s.workspace, s.rules_key)
    c_name, c_save = st.columns([3, 1], vertical_alignment="bottom")
    c_name.text_input("Version name", key="version_name", max_chars=80, placeholder="e.g. reviewed 28 Nov")
    c_save.button("Save version", icon=":material/bookmark_add:", key="version_save",
                  on_click=_save, args=(s, store))
    kind, text = st.session_state.pop("versions_notice", (None, None))
    if kind:
        (st.success if kind == "success" else st.error)(literal(text))
    versions = store.all()
    if not versions:
        st.caption("No saved versions yet: a version keeps the rule list as it is, with the workspace.")
        return
    names = [v.name for v in reversed(versions)]  # newest first
    if st.session_state.get("versions_a") not in names:
        st.session_state["versions_a"] = names[0]
    if st.session_state.get("versions_b", NOW) not in [NOW] + names:
        st.session_state["versions_b"] = NOW
    c_a, c_b = st.columns(2)
    first = c_a.selectbox("Compare (A)", names, key="versions_a",
                          format_func=lambda n: f"{n} · {store_time(versions, n)}")
    second = c_b.selectbox("with (B)", [NOW] + names, key="versions_b")
    a = next(v.rules for v in versions if v.name == first)
    b = s.rules if second == NOW else next(v.rules for v in versions if v.name == second)
    _figures(s, a, b, first, second)
    _diff(a, b)
    _rows(s, a, b)
    r1, r2, _ = st.columns([1.2, 1, 3])
    if r1.button("Restore A", key="version_restore", icon=":material/restore:",
                 help="The rule list becomes this version (Undo brings the current one back)."):
        s.apply(a)
        st.rerun(scope="app")
    if r2.button("Delete A", key="version_delete", icon=":material/delete:"):
        try:
            store.delete(first)
        except StudioError as err:
            st.error(f"{literal(first)} was not deleted: {err}.")
            return
        st.session_state.pop("versions_a", None)
        st.rerun(scope="fragment")


def store_time(versions, name: str) -> str:
    saved = next((v.saved for v in versions if v.name == name), "")
    return saved.replace("T", " ")[:16] + " UTC" if saved else "saved earlier"


def _figures(s: StudioSession, a, b, first: str, second: str) -> None:
    rows = []
    for label, rules in ((f"A · {first}", a), (f"B · {second}", b)):
        ev = s.evaluation(rules)
        m = ev.test.metrics.positive
        alerts = alert_rate(ev, "test")
        row = {"version": label, "rules on": len(rules.enabled_rules), "test precision": fixed(m.precision),
               "recall": fixed(m.recall), "F1": fixed(m.f1),
               "alerts": f"{alerts.alerts:,} ({alerts.per_1000:.2f} per 1,000)"}
        report = s.amounts.report(s.split, rules)
        if report is not None:
            row["amount caught"] = amount(report["test"].caught)
            row["net benefit"] = amount(report["test"].net_benefit)
        rows.append(row)
    st.table(literal_table(pd.DataFrame(rows).set_index("version")))


def _diff(a, b) -> None:
    changes = rule_diff(a, b)
    changed = [c for c in changes if c.kind != "unchanged"]
    if not changed:
        st.caption(f"The two versions hold the same {len(changes)} rules in the same order.")
        return
    st.markdown(f"**What changed**: {len(changed)} of {len(changes)} rules")
    st.table(literal_table(pd.DataFrame({
        "rule": [c.name for c in changed], "change": [c.kind for c in changed],
        "place": [f"{c.before or '–'} → {c.after or '–'}" for c in changed],
        "how": [c.describe() for c in changed]}).set_index("rule")))


def _rows(s: StudioSession, a, b) -> None:
    d = s.cache.memo(("versions differ", a, b), lambda: disagreements(s.split, a, b))["test"]
    st.markdown(f"**Test rows they decide differently**: {d.differ:,} of {d.rows:,} · only A alerts: "
                f"{d.only_first:,} ({d.only_first_positive:,} positives) · only B alerts: "
                f"{d.only_second:,} ({d.only_second_positive:,} positives)")
    if not d.differ:
        return
    pages = (d.differ + PAGE_ROWS - 1) // PAGE_ROWS
    page = st.number_input("Page", 1, pages, key="versions_page", help=f"{PAGE_ROWS} rows a page") if pages > 1 else 1
    frame = differing_rows(s.split, a, b, "test", PAGE_ROWS, (page - 1) * PAGE_ROWS)
    frame = frame.rename(columns={"first says": "A says", "first's rule": "A's rule", "second says": "B says",
                                  "second's rule": "B's rule"})
    tail = list(frame.columns[-4:])
    frame = frame[tail + [c for c in frame.columns if c not in tail]]
    st.dataframe(frame, hide_index=True, key="versions_rows", width="stretch")
    st.download_button("Download these rows (CSV)", frame.to_csv(index=False), file_name="rows-decided-differently.csv",
                       mime="text/csv", key="versions_csv")
