"""The Rules page's "check on the full data": the rules run on the larger source the server is
configured with (:mod:`studio.engine.full_check`), in the background, their figures beside this
data's with the time the check took."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from studio.engine.full_check import configured_source, start_check
from studio.errors import StudioError
from studio.session.studio import StudioSession

from .format import fixed, literal, literal_table
from .frame import one_line_errors


@st.fragment
def full_check_panel(s: StudioSession) -> None:
    with one_line_errors("full data check"):
        _panel(s)


def _table(s: StudioSession, job) -> pd.DataFrame:
    here, there = s.evaluation().test.metrics, job.report.test.metrics
    rows = {}
    for name, m in (("this data, test", here), ("full data, test", there), ("full data, all rows",
                                                                           job.report.all.metrics)):
        p = m.labels.index(m.positive_label)
        alerts = sum(row[p] for row in m.confusion)
        rows[name] = {"precision": fixed(m.positive.precision), "recall": fixed(m.positive.recall),
                      "F1": fixed(m.positive.f1), "rows": f"{m.n:,}", "alerts per 1,000": f"{1000 * alerts / m.n:.2f}"
                      if m.n else "–"}
    return pd.DataFrame(rows)


def _panel(s: StudioSession) -> None:
    try:
        source = configured_source()
    except StudioError as err:
        st.caption(f"The full data is misconfigured: {literal(err)}.")
        return
    if source is None or not s.rules.rules:
        return
    if not st.toggle(f"Check on the full data ({source.describe()})", key="full_check_on",
                     help="The same rules on the larger data the server names, split the same way by its key "
                          f"column ({source.key}); it runs in the background."):
        return
    job = st.session_state.get("full_check_job")
    if st.button(f"Check these {len(s.rules.rules)} rules on {source.describe()}", key="full_check_run",
                 icon=":material/fact_check:"):
        job = start_check(source, s.rules, s.split.target, s.split.positive, s.split.test_size, s.split.seed)
        st.session_state["full_check_job"] = job
    if job is None:
        return
    if not job.done:
        _waiting(job)
        return
    if job.rules != s.rules:
        st.info("The rules changed since this check: check again for the rules as they are now.")
    if job.error:
        st.error(f"The check on {literal(job.source.describe())} failed: {literal(job.error)}")
        return
    st.caption(f"Checked on {literal(job.source.describe())} in {job.seconds:.1f} s "
               f"({job.report.split.describe()}).")
    st.table(literal_table(_table(s, job)))


@st.fragment(run_every=1.0)
def _waiting(job) -> None:
    """While the check runs: how long it has been; the panel again once it is done."""
    if job.done:
        st.rerun()
    st.caption(f"Checking on {literal(job.source.describe())}… {job.elapsed():.0f} s so far.")
