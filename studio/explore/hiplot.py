"""The hiplot experiment the Explore page's parallel coordinates draw: one datapoint per drawn row
(uid = row id, so a brush maps back to rows), coloured by group. hiplot is imported only when an
experiment is built."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import pandas as pd

from ..data.tables import ROW
from .groups import color_of, ordered


def hiplot_frame_page() -> Path:
    """The page the app's hiplot component runs hiplot's own script in (shipped with the package)."""
    return Path(str(resources.files(__package__) / "hiplot_frame" / "index.html"))


def hiplot_json(experiment) -> str:
    """An experiment as the text hiplot's Streamlit component reads."""
    return json.dumps(experiment._asdict())


def _rgb(hex_color: str) -> str:
    """hiplot reads only rgb()/hsl() colours (it turns them into rgba by editing the text)."""
    h = hex_color.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


GROUP_LABEL = 14  # characters: the group axis is first, with room on its left for this much text


def short_labels(names: list[str], width: int = GROUP_LABEL) -> dict[str, str]:
    """Each group's label on the group axis: as it is, or cut to ``width`` characters with "…"
    (numbered when two cut labels would read the same)."""
    out: dict[str, str] = {}
    for name in names:
        label = name if len(name) <= width else name[:width - 1] + "…"
        n = 2
        while label in out.values():
            tail = f"…{n}"
            label, n = name[:width - len(tail)] + tail, n + 1
        out[name] = label
    return out


def hiplot_experiment(frame: pd.DataFrame, columns: list[str], groups: pd.Series, group_column: str):
    """A hiplot experiment: one datapoint per sampled row (uid = row id), the chosen columns and a
    categorical ``group_column`` that colours the lines."""
    import hiplot as hip

    names = ordered(groups)
    labels = short_labels(names)
    if group_column in columns:  # a data column of the same name keeps its name
        group_column = f"{group_column} (colour)"
    data = frame[columns].copy()
    for col in columns:  # 1/10,000 of an axis is far below a pixel: no need to ship 17 digits
        values = data[col]
        if pd.api.types.is_float_dtype(values) and values.notna().any():
            span = float(values.max() - values.min()) or abs(float(values.max())) or 1.0
            data[col] = values.round(max(0, 4 - math.floor(math.log10(span))))
    data.insert(0, group_column, groups.map(labels).to_numpy())
    data = data.astype(object).where(data.notna(), None)
    rows = frame[ROW].to_numpy()
    exp = hip.Experiment()
    for rid, values in zip(rows, data.to_dict("records")):
        exp.datapoints.append(hip.Datapoint(uid=str(int(rid)), values=values))
    exp.parameters_definition[group_column].type = hip.ValueType.CATEGORICAL
    exp.parameters_definition[group_column].colors = {labels[n]: _rgb(color_of(n, names)) for n in names}
    exp.colorby = group_column
    exp.enabledDisplays = [hip.Displays.PARALLEL_PLOT]
    exp._compress = True  # column-wise datapoints: half the text to ship and parse
    # hiplot lays ``order`` out from the right: the group axis ends up on the left
    exp.display_data(hip.Displays.PARALLEL_PLOT).update({"order": list(reversed([group_column] + list(columns)))})
    return exp
