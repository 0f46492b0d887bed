"""hiplot's parallel coordinates inside Streamlit.

hiplot 0.1.33 ships a working Streamlit component, but ``Experiment.to_streamlit`` first
checks ``streamlit._is_running_with_streamlit``, an attribute current Streamlit no longer
has. This adapter declares hiplot's bundled component itself and passes it the same
arguments, so nothing in hiplot or Streamlit is patched.
"""

from __future__ import annotations

from pathlib import Path

import hiplot
import streamlit.components.v1 as components

BUILD_DIR = Path(hiplot.__file__).parent / "static" / "built" / "streamlit_component"
RETURNS = ("brush_extents", "selected_uids")

_component = None


def component():
    """hiplot's bundled Streamlit component (declared once per process)."""
    global _component
    if _component is None:
        if not (BUILD_DIR / "index.html").is_file():
            raise RuntimeError(f"hiplot's Streamlit component is missing from {BUILD_DIR}")
        _component = components.declare_component("hiplot", path=str(BUILD_DIR))
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
