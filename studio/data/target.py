"""Which column holds the label, when the data does not say.

The heuristic, in order:

1. Only columns with 2 to 20 distinct values (NULLs aside) can be the target (one of the names
   below with a single value is still chosen, so that the split says it has one class; one holding
   only NULLs never is), and never an id-like one (named ``id``, ``*_id``, ``id_*``, ``key``, ``uuid``, ``index``, ``row`` …).
2. Among them, the first column named like a label: exactly ``class``, ``target``, ``label``, ``y``,
   ``fraud``, ``is_fraud``, ``outcome``, ``response``, ``churn`` (in that order of preference), then any
   named ``is_*`` or ``has_*`` or holding ``fraud``, ``label`` or ``target`` (in the table's order).
   Case, spaces and dashes in names do not matter.
3. Otherwise there is no guess: the user chooses (the studio opens the table on a provisional target,
   the last column that can serve, and says so until a target is chosen).

The positive label then defaults to the minority class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .quoting import column_sql
from .schema import BOOLEAN, NUMERIC, STRING
from .tables import TABLE

MIN_CLASSES, MAX_CLASSES = 2, 20
PREFERRED = ("class", "target", "label", "y", "fraud", "is_fraud", "outcome", "response", "churn")
_LABEL_LIKE = re.compile(r"^(is|has)_|fraud|label|target")
_ID_LIKE = re.compile(r"^(id|key|uuid|guid|index|idx|row|row_?id|row_?number|rownum)$|^id_|_id$|_key$|_uuid$")


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def id_like(name: str) -> bool:
    return bool(_ID_LIKE.search(_norm(name)))


@dataclass(frozen=True)
class TargetGuess:
    column: str | None      # the column the heuristic names (None: the user must choose)
    provisional: str | None  # the column to open on meanwhile (the last one that can serve)


def guess_target(dataset) -> TargetGuess:
    """The target column by the heuristic above (distinct values counted exactly where it matters)."""
    schema = dataset.schema  # only plain values can be labels (not lists, structs or blobs)
    names = [n for n in dataset.columns if not id_like(n) and schema.kind(n) in (NUMERIC, STRING, BOOLEAN)]
    if not names:
        return TargetGuess(None, None)
    with dataset.lock:  # a cheap estimate first, then exact counts of the few-valued columns
        rough = dataset.con.execute(
            f"SELECT {', '.join(f'approx_count_distinct({column_sql(n)})' for n in names)} FROM {TABLE}").fetchone()
        few = [n for n, d in zip(names, rough) if int(d) <= 2 * MAX_CLASSES]
        exact = dataset.con.execute(
            f"SELECT {', '.join(f'count(DISTINCT {column_sql(n)})' for n in few)} FROM {TABLE}").fetchone() if few else ()
    distinct = {n: int(d) for n, d in zip(few, exact)}
    able = [n for n in few if MIN_CLASSES <= distinct[n] <= MAX_CLASSES]
    # a column named like a label with a single value is still the one meant: the split then says so
    by_name = {_norm(n): n for n in few if 1 <= distinct[n] <= MAX_CLASSES}  # (a column of NULLs never)
    named = next((by_name[p] for p in PREFERRED if p in by_name), None) or \
        next((n for n in able if _LABEL_LIKE.search(_norm(n))), None)
    return TargetGuess(named, named or (able[-1] if able else None))


def opening_target(dataset) -> tuple[str, str | None]:
    """The target to open ``dataset`` on, and what to tell the user when it is only provisional."""
    if dataset.suggested_target:
        return dataset.suggested_target, None
    guess = guess_target(dataset)
    if guess.column:
        return guess.column, None
    if guess.provisional:
        return guess.provisional, (f"No column is named like a label: {guess.provisional!r} is the target for now. "
                                   "Choose the target on the Data page.")
    from ..errors import DataError
    raise DataError(f"no column can be the target: a target needs {MIN_CLASSES} to {MAX_CLASSES} distinct values "
                    "and a name that is not an identifier's")
