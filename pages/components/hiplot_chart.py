"""hiplot's parallel coordinates inside Streamlit.

hiplot 0.1.33 ships a working Streamlit component, but ``Experiment.to_streamlit`` first
checks ``streamlit._is_running_with_streamlit``, an attribute current Streamlit no longer
has. This adapter declares a component of its own that runs hiplot's bundled script unchanged
(a copy next to our page, in a cache folder) and passes it the same arguments, so nothing in
hiplot or Streamlit is patched. Our page (``studio/explore/hiplot_frame/index.html``, shipped
with the package) holds back hiplot's
reports until something is brushed: its report on mount would rerun the page, and could undo a
page change clicked while hiplot was still drawing.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import hiplot
import streamlit.components.v1 as components

from studio.explore.hiplot import hiplot_frame_page

BUILD_DIR = Path(hiplot.__file__).parent / "static" / "built" / "streamlit_component"
BUNDLE = "hiplot_streamlit.bundle.js"
FRAME_PAGE = hiplot_frame_page()
RETURNS = ("brush_extents", "selected_uids")

_component = None


def serving_dir() -> Path:
    """A folder with our page and a copy of hiplot's script (made once per hiplot version and page)."""
    source = BUILD_DIR / BUNDLE
    if not source.is_file():
        raise RuntimeError(f"hiplot's Streamlit component is missing from {BUILD_DIR}")
    page = FRAME_PAGE.read_bytes()
    digest = hashlib.sha1(page).hexdigest()[:10]
    user = "".join(ch for ch in getpass.getuser() if ch.isalnum()) or "user"  # one folder per user
    folder = Path(tempfile.gettempdir()) / f"rule-studio-hiplot-{user}-{hiplot.__version__}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    bundle = folder / BUNDLE
    if not bundle.is_file() or bundle.stat().st_size != source.stat().st_size:
        partial = folder / f"{BUNDLE}.{os.getpid()}.partial"
        shutil.copyfile(source, partial)
        partial.replace(bundle)
    index = folder / "index.html"
    if not index.is_file():
        partial = folder / f"index.html.{os.getpid()}.partial"
        partial.write_bytes(page)
        partial.replace(index)
    return folder


def component():
    """The hiplot component (declared once per process)."""
    global _component
    if _component is None:
        _component = components.declare_component("hiplot", path=str(serving_dir()))
    return _component


def hiplot_chart(experiment_text: str, key: str) -> dict:
    """Draw an experiment (the text from :func:`studio.charts.hiplot_json`); returns the brushed axis
    ranges (``brush_extents``, {} when nothing is brushed) and the uids of the selected rows
    (None until the chart reports them)."""
    value = component()(experiment=experiment_text, ret=list(RETURNS), key=key, default=None)
    if not isinstance(value, (list, tuple)) or len(value) != len(RETURNS):
        return {"brush_extents": {}, "selected_uids": None}
    extents, uids = value
    return {"brush_extents": extents if isinstance(extents, dict) else {},
            "selected_uids": list(uids) if isinstance(uids, (list, tuple)) else None}
