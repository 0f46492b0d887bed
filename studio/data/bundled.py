"""Datasets that come with the studio, and :func:`load`, which opens any source by name or path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import synthetic
from ..errors import DataError
from .dataset import Dataset
from .folders import cache_dir, data_dir
from .limits import LoadLimits

DEFAULT_DATASET = "creditcard-synthetic"


@dataclass(frozen=True)
class Bundled:
    name: str
    description: str
    target: str
    positive: object
    open: Callable[[], Dataset]
    synthetic: bool = False


def _creditcard_synthetic() -> Dataset:
    path = synthetic.ensure_parquet(cache_dir())
    return Dataset.from_parquet(path, name="creditcard-synthetic", synthetic=True,
                                description=BUNDLED["creditcard-synthetic"].description,
                                suggested_target="Class", suggested_positive=1)


def _bank(file: str, name: str) -> Callable[[], Dataset]:
    def open_() -> Dataset:
        path = data_dir() / "bank-marketing" / file
        return Dataset.from_csv(path, name=name, description=BUNDLED[name].description,
                                suggested_target="y", suggested_positive="yes")
    return open_


def _sklearn(loader_name: str, name: str, positive) -> Callable[[], Dataset]:
    def open_() -> Dataset:
        import sklearn.datasets
        bunch = getattr(sklearn.datasets, loader_name)(as_frame=True)
        frame = bunch.frame.copy()
        frame["target"] = [str(bunch.target_names[i]) for i in bunch.target]
        return Dataset.from_dataframe(frame, name=name, source=f"sklearn.datasets.{loader_name}",
                                      description=BUNDLED[name].description,
                                      suggested_target="target", suggested_positive=positive)
    return open_


BUNDLED: dict[str, Bundled] = {b.name: b for b in [
    Bundled("creditcard-synthetic",
            "SYNTHETIC credit-card fraud table with the public data's schema and size "
            "(284,807 rows, 492 frauds); generated, not real transactions",
            "Class", 1, _creditcard_synthetic, synthetic=True),
    Bundled("bank-marketing", "UCI bank marketing, real data (45,211 calls; CC BY 4.0)",
            "y", "yes", _bank("bank-full.csv", "bank-marketing")),
    Bundled("bank-marketing-sample", "UCI bank marketing, real data, 10 % sample (4,521 calls; CC BY 4.0)",
            "y", "yes", _bank("bank.csv", "bank-marketing-sample")),
    Bundled("iris", "Fisher's iris flowers (150 rows, 3 species), from scikit-learn",
            "target", "virginica", _sklearn("load_iris", "iris", "virginica")),
    Bundled("breast-cancer", "Wisconsin breast cancer (569 rows), from scikit-learn",
            "target", "malignant", _sklearn("load_breast_cancer", "breast-cancer", "malignant")),
]}


def load(source, name: str | None = None, limits: LoadLimits | None = None, missing=(), on_disk: bool = False,
         memory_limit: str | None = None) -> Dataset:
    """Open a bundled dataset by name, a CSV/Parquet path, ``openml:ID``, or a pandas DataFrame
    (``name``: the name to show for a file or a DataFrame; ``limits``: checked before a file is read,
    and applied to every later query of any source; ``missing``: texts a CSV file writes for a
    missing value; ``on_disk``, ``memory_limit``: a file kept in a database file of its own, for data
    larger than memory, see :meth:`Dataset._create`)."""
    dataset = _open(source, name, limits, missing, on_disk, memory_limit)
    return dataset.bound(limits) if limits is not None else dataset


def _open(source, name: str | None, limits: LoadLimits | None, missing=(), on_disk: bool = False,
          memory_limit: str | None = None) -> Dataset:
    if (on_disk or memory_limit) and (not isinstance(source, (str, Path)) or str(source) in BUNDLED
                                      or str(source).startswith("openml:")):
        shown = str(source) if isinstance(source, (str, Path)) else "a DataFrame"
        raise DataError(f"keeping data on disk and a memory limit apply to files, not to {shown[:60]!r}")
    if not isinstance(source, (str, Path)):
        return Dataset.from_dataframe(source, **({"name": name} if name else {}))
    text = str(source)
    if text in BUNDLED:
        return BUNDLED[text].open()
    if text.startswith("openml:"):
        ident = text.split(":", 1)[1]
        if not ident.isdigit():
            raise DataError(f"OpenML datasets are named by number, e.g. openml:1597, not {text!r}")
        return load_openml(int(ident))
    if not Path(text).exists():
        names = ", ".join(BUNDLED)
        raise DataError(f"no file or bundled dataset named {text!r} (bundled: {names})")
    return Dataset.from_file(text, name=name, limits=limits, missing=missing,
                             on_disk=on_disk or (limits is not None and limits.on_disk), memory_limit=memory_limit)


def load_openml(data_id: int) -> Dataset:
    """Fetch an OpenML dataset (e.g. 1597, credit-card fraud, labels ``'0'``/``'1'``); needs the network."""
    from sklearn.datasets import fetch_openml
    try:
        bunch = fetch_openml(data_id=data_id, as_frame=True, parser="auto")
    except Exception as err:  # network, HTTP or parse errors all end the same way for the user
        raise DataError(f"cannot fetch OpenML dataset {data_id}: {err}") from None
    return dataset_from_openml(bunch.frame, data_id, bunch.target_names)


def dataset_from_openml(frame, data_id: int, target_names) -> Dataset:
    """A :class:`Dataset` from an OpenML frame; categorical labels become plain strings."""
    frame = frame.copy()
    for name in frame.columns:
        if str(frame[name].dtype) == "category":
            frame[name] = frame[name].astype(str)
    target = target_names[0] if target_names else None
    return Dataset.from_dataframe(frame, name=f"openml-{data_id}", source=f"OpenML {data_id}",
                                  suggested_target=target)
