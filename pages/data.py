"""Data page: choose a dataset (bundled, uploaded or a server-side file), the target and the split."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from pages.components.format import code, literal, literal_table
from pages.components.data_rows import rows_preview
from pages.components.frame import page_session
from pages.components.uploads_panel import uploads_panel
from pages.components.workspaces_panel import workspaces_panel
from studio.data.bundled import BUNDLED
from studio.data.preview import distributions
from studio.data.profile import EXACT_DISTINCT_ROWS
from studio.data.sources import MAX_MARKERS, MISSING_MARKERS, PARQUET_SUFFIXES
from studio.data.schema import NUMERIC, TEMPORAL
from studio.data.folders import available_file, server_files_enabled, uploads_dir
from studio.data.uploads import store_upload
from studio.engine.money import MoneySettings
from studio.errors import StudioError
from studio.session.studio import SplitChoice
from studio.session.workspaces import record_upload, uploads_of

s = page_session()
MAX_CLASSES = 50
SPLIT_KINDS = ("random", "out of time")


SPLIT_FORM = ("split_target", "split_positive", "split_test_size", "split_seed", "split_kind", "split_time",
              "split_cutoff", "split_gap")


def form_key(name: str) -> str:
    """The split form's widget keys name the split they show: a new dataset or split gets new widgets,
    so the browser cannot keep showing the last table's target and labels."""
    return f"{name}_{s.split.id}"


def forget_split_form() -> None:
    """The split form's widgets start again from the session's split."""
    for key in [k for k in st.session_state if str(k).startswith(SPLIT_FORM)]:
        st.session_state.pop(key, None)


def markers() -> list[str]:
    return list(st.session_state.get(f"missing_markers_{s.split.id}") or [])


def open_source(source, label: str, name: str | None = None, choice=None, missing=None) -> None:
    """Open a dataset with the missing markers given (else the ones chosen on the page)."""
    try:
        with st.spinner(f"Loading {label}…"):
            s.open(source, choice, name=name, missing=markers() if missing is None else missing)
        forget_split_form()
        st.session_state["data_notice"] = f"Opened {literal(s.dataset.label)}."
    except StudioError as err:
        st.session_state["data_error"] = f"{label} was not opened: {err}. The current dataset and rules are unchanged."
    except Exception as err:  # any other failure reading a user file must not end the session
        st.session_state["data_error"] = (f"{label} was not opened ({type(err).__name__}: {err}). "
                                          "The current dataset and rules are unchanged.")


def read_again() -> None:
    """The current file read again with the markers chosen (an upload's entry keeps them)."""
    open_source(s.source, s.dataset.label, s.source_name, s.choice)
    if any(u["path"] == Path(s.source) for u in uploads_of(s.workspace, uploads_dir())):
        say_dropped(record_upload(s.workspace, s.source_name or Path(s.source).name, Path(s.source),
                                  s.dataset.missing))


def say_dropped(dropped: list[dict]) -> None:
    """Tell which uploads the workspace's list let go of to stay within its size."""
    if dropped:
        names = ", ".join(literal(d.get("name", "?")) for d in dropped[:3]) + (" …" if len(dropped) > 3 else "")
        gone = sum(bool(d.get("deleted")) for d in dropped)
        st.session_state["data_notice"] = (st.session_state.get("data_notice", "") + f" The list of uploads is full: "
                                           f"{len(dropped)} oldest taken off ({names}); {gone} of their files deleted, "
                                           "the rest still used by a workspace.")


def open_bundled() -> None:
    name = st.session_state["bundled_choice"]
    open_source(name, name)


def open_upload() -> None:
    upload = st.session_state.get("upload_file")
    if upload is None:
        return
    try:
        path = store_upload(upload.name, upload)
    except StudioError as err:
        st.session_state["data_error"] = f"{upload.name} was not opened: {err}. The current dataset and rules are unchanged."
        return
    open_source(path, upload.name, name=upload.name)
    if s.source == str(path):  # opened: kept in the workspace's list, with the markers it was read with
        say_dropped(record_upload(s.workspace, upload.name, path, s.dataset.missing))


def open_path() -> None:
    """A file on the server, only under the data roots (every refusal reads the same)."""
    text = st.session_state.get("server_path", "").strip()
    if not text:
        return
    try:
        path = available_file(text)
    except StudioError as err:
        st.session_state["data_error"] = f"{err}. The current dataset and rules are unchanged."
        return
    open_source(path, text)


def apply_split() -> None:
    target = st.session_state[form_key("split_target")]
    positive = st.session_state.get(form_key("split_positive")) if target == s.split.target else None
    by_time = st.session_state.get(form_key("split_kind")) == SPLIT_KINDS[1]
    cutoff = str(st.session_state.get(form_key("split_cutoff")) or "").strip() or None
    choice = SplitChoice(target, positive, float(st.session_state[form_key("split_test_size")]),
                         int(st.session_state[form_key("split_seed")]),
                         st.session_state.get(form_key("split_time")) if by_time else None, cutoff if by_time else None,
                         float(st.session_state.get(form_key("split_gap")) or 0.0) if by_time else 0.0)
    if by_time and choice.time_column is None:
        st.session_state["data_error"] = "The split was not changed: choose the time column."
        return
    try:
        s.resplit(choice)
        st.session_state["data_notice"] = f"New split: {s.split.describe()}."
    except StudioError as err:
        st.session_state["data_error"] = f"The split was not changed: {err}"
    except Exception as err:  # e.g. a column DuckDB cannot turn into labels
        st.session_state["data_error"] = f"The split was not changed ({type(err).__name__}: {err})"
    forget_split_form()


def show_notices() -> None:
    """The how-to on a first visit, then the last load's error or notice (once)."""
    if st.session_state.get("first_visit"):
        st.info("**How this works** · load a table here (the synthetic credit-card data is open and ready) → see what "
                "separates the classes on **Explore** → write rules on **Rules** or take suggestions from **Suggest**, "
                "judged live on held-out rows → take them away from **Export** as code that runs anywhere.",
                icon=":material/school:")
    for key, show in (("data_error", st.error), ("data_notice", st.success)):
        if key in st.session_state:  # an error is plain text; a notice marks what the user named
            show(literal(st.session_state.pop(key)) if key == "data_error" else st.session_state.pop(key))


st.title("Data")
with st.container():  # always drawn: a notice coming or going never moves the widgets below it (a moved
    show_notices()      # uploader loses the file being uploaded and the tabs jump back to the first)

with st.container():  # the same number of elements for every dataset, described or not
    st.markdown(f"**Current dataset:** {literal(s.dataset.label)} · {s.dataset.n_rows:,} rows · "
                f"{len(s.dataset.columns)} columns")
    if s.dataset.description:
        st.caption(s.dataset.description)

m_pick, m_again = st.columns([4, 1.3], vertical_alignment="bottom")
typed = [m for m in dict.fromkeys([*s.dataset.missing, *markers()]) if m not in MISSING_MARKERS]
m_pick.multiselect("Missing values in CSV files", [*MISSING_MARKERS, *typed], default=list(s.dataset.missing),
                   key=f"missing_markers_{s.split.id}", accept_new_options=True, max_selections=MAX_MARKERS,
                   help="Texts read as a missing value when a CSV file is opened (an empty field always is): "
                        "uploads and files below, or the current file read again. Kept with the dataset.")
if s.source not in BUNDLED and not s.source.lower().endswith(PARQUET_SUFFIXES):  # a CSV file
    m_again.button("Read the file again", on_click=read_again,
                   help="With the missing values chosen here; the target, split and rules stay.")
tab_names = ["Bundled", "Upload a file"] + (["File on the server"] if server_files_enabled() else [])
tab_bundled, tab_upload, *tab_path = st.tabs(tab_names)
with tab_bundled:
    names = list(BUNDLED)
    st.selectbox("Bundled dataset", names, key="bundled_choice",
                 index=names.index(s.dataset.name) if s.dataset.name in names else 0,
                 format_func=lambda n: f"{n} — {BUNDLED[n].description}")
    st.button("Open bundled dataset", on_click=open_bundled)
with tab_upload:
    st.file_uploader("CSV or Parquet file (up to 200 MB)", type=["csv", "tsv", "txt", "parquet", "pq"],
                     key="upload_file", on_change=open_upload)
    st.caption("The delimiter, quoting and column types of a CSV are detected.")
for tab in tab_path:
    with tab:
        st.text_input("Path of a CSV or Parquet file in the studio's data folder (for files too large to upload)",
                      key="server_path")
        st.button("Open file", on_click=open_path)

with st.expander("Uploaded files and workspaces"):
    uploads_panel(s, open_source)
    workspaces_panel(s)

# ---- target and split
st.subheader("Target and held-out split")
columns = s.dataset.columns
with st.form("split_form", border=True):
    c1, c2, c3, c4 = st.columns([2, 2, 1.2, 1])
    target = c1.selectbox("Target column", columns, index=columns.index(s.split.target), key=form_key("split_target"))
    classes = s.dataset.class_counts(target) if target in columns else []
    minority = classes[-1][0] if classes else None
    shown = [label for label, _ in classes[:MAX_CLASSES]]
    count_of = dict(classes)
    current_pos = s.split.positive if target == s.split.target else minority
    c2.selectbox("Positive label", shown, index=shown.index(current_pos) if current_pos in shown else 0,
                 key=form_key("split_positive"),
                 format_func=lambda l: f"{l} ({count_of.get(l, 0):,} rows{', minority' if l == minority else ''})")
    c3.number_input("Test fraction", min_value=0.05, max_value=0.95, value=s.split.test_size, step=0.05,
                    key=form_key("split_test_size"))
    c4.number_input("Seed", min_value=0, value=s.split.seed, step=1, key=form_key("split_seed"))
    k1, k2, k3, k4 = st.columns([2, 2, 1.2, 1])
    timed = s.split.time
    k1.radio("Held-out rows", SPLIT_KINDS, index=1 if timed else 0, key=form_key("split_kind"),
             help="Random: stratified by class and seeded. Out of time: train on the rows before the cutoff, "
                  "test on the later ones (as the rules will meet them).")
    times = [c for c in columns if s.dataset.schema.kind(c) in (NUMERIC, TEMPORAL)]
    k2.selectbox("Time column", times, index=times.index(timed.column) if timed and timed.column in times else None,
                 key=form_key("split_time"), placeholder="a number or a date")
    k3.text_input("Cutoff", value=str(timed.cutoff) if timed else "", key=form_key("split_cutoff"),
                  placeholder="blank: last test fraction",
                  help="Train on rows before it, test on rows from it on. Blank: the test fraction of rows, "
                       "latest first.")
    k4.number_input("Gap", min_value=0.0, value=float(timed.gap) if timed else 0.0, key=form_key("split_gap"),
                    help="Rows this long after the cutoff (days for dates) are left out of both sides.")
    st.form_submit_button("Apply", on_click=apply_split)
    st.caption("After changing the target column, press Apply to list its labels; the positive label "
               "defaults to the minority class.")
if len(classes) > MAX_CLASSES:
    st.warning(f"{code(target)} has {len(classes):,} distinct values: is it really the label?")

# ---- money
NO_AMOUNT = "(none)"


def apply_amounts() -> None:
    column = st.session_state["money_column"]
    try:
        s.choose_amounts(None if column == NO_AMOUNT else MoneySettings(
            column, float(st.session_state["money_cost"]), float(st.session_state["money_caught"]),
            float(st.session_state["money_false"])), float(st.session_state["money_budget"]))
        st.session_state["data_notice"] = ("Amounts are off." if column == NO_AMOUNT else
                                           f"Amounts from {code(column)} are shown beside precision and recall.") + (
            f" Alert budget: {s.amounts.budget:g} per 1,000 rows." if s.amounts.budget else "")
    except StudioError as err:
        st.session_state["data_error"] = f"The amounts were not changed: {err}"


money_now = s.amounts.settings
with st.expander("Money and alerts: judge the rules by amounts and an alert budget too"
                 + (f" · now {money_now.column}" if money_now else ""),
                 expanded=money_now is not None or s.amounts.budget is not None):
    with st.form("money_form", border=False):
        m1, m2, m3, m4, m5 = st.columns([1.6, 1.1, 1.1, 1.1, 1.1])
        amounts = [NO_AMOUNT] + [c for c in columns if s.dataset.schema.kind(c) == NUMERIC and c != s.split.target]
        m1.selectbox("Amount column", amounts, key="money_column",
                     index=amounts.index(money_now.column) if money_now and money_now.column in amounts else 0)
        m2.number_input("Review cost per alert", min_value=0.0, value=money_now.review_cost if money_now else 0.0,
                        key="money_cost")
        m3.number_input("Share of a caught amount saved", min_value=0.0, max_value=1.0, step=0.1,
                        value=money_now.caught_share if money_now else 1.0, key="money_caught")
        m4.number_input("Share of a false alert's amount lost", min_value=0.0, max_value=1.0, step=0.1,
                        value=money_now.false_alert_share if money_now else 0.0, key="money_false")
        m5.number_input("Alert budget per 1,000 rows", min_value=0.0, value=s.amounts.budget or 0.0, step=0.5,
                        key="money_budget", help="What the review team can handle (0: no budget). The sidebar "
                                                 "says when the rules raise more alerts on test.")
        st.form_submit_button("Apply", on_click=apply_amounts)
        st.caption("Net benefit = saved share × amount caught − review cost × alerts − lost share × false-alert "
                   "amount. A row with no amount counts 0; negative amounts are refused.")

# ---- class balance and schema
left, right = st.columns([1.5, 3])
with left:
    st.markdown(f"**Class balance of {code(s.split.target)}**")
    total = {l: s.split.counts["train"][l] + s.split.counts["test"][l] for l in s.split.labels}
    n = sum(total.values())
    st.table(literal_table(pd.DataFrame([
        {"class": l, "rows": f"{v:,}", "share": f"{v / n:.3%}", "train": f"{s.split.counts['train'][l]:,}",
         "test": f"{s.split.counts['test'][l]:,}"} for l, v in total.items()]).set_index("class")))
    if s.split.excluded:
        st.caption(f"{s.split.excluded:,} rows without a target are left out of the split.")
with right:
    st.markdown("**Columns**")
    profiles = s.profiles()
    shapes = s.cache.memo(("distributions",), lambda: distributions(s.dataset, profiles))
    schema = pd.DataFrame([{
        "column": p.name, "type": p.type, "missing": p.missing, "distinct": p.distinct,
        "distribution": shapes.get(p.name, []),
        "min": None if p.min is None else str(p.min), "max": None if p.max is None else str(p.max),
        "mean": p.mean, "top values": ", ".join(f"{v} ({c:,})" for v, c in p.top[:5]),
    } for p in profiles.values()])
    st.dataframe(schema, hide_index=True, width="stretch", height=min(38 + 35 * len(schema), 560),
                 column_config={"mean": st.column_config.NumberColumn(format="%.4g"),
                                "distribution": st.column_config.BarChartColumn(
                                    help="Rows per equal-width bin from min to max (numbers), or of the most "
                                         "frequent values (text)")})
    if s.dataset.n_rows > EXACT_DISTINCT_ROWS:
        st.caption(f"Distinct counts are DuckDB's estimates above {EXACT_DISTINCT_ROWS:,} rows.")
    if s.dataset.missing:
        st.caption("Read as missing: " + ", ".join(code(m) if m else "empty fields" for m in s.dataset.missing))

st.subheader("Rows")
rows_preview(s)
