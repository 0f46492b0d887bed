"""Exceptions for a rule list: conditions put before the list's own rules with the default label,
which take rows back from all of them at once (say the legitimate look-alikes of several fraud rules,
where each rule would need a condition more). The list search (:mod:`.listsearch`) extends its lists
by them for the objectives whose value follows from a list's counts alone."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ..data.split import Split
from ..rules.condition import Condition
from ..rules.model import RuleSet
from .candidates import scan_thresholds, set_candidates
from .counting import Caught, count_candidates
from .objectives import improves, score

EXCEPTION_OBJECTIVES = ("f1", "fbeta")


def exception_candidates(inner: Split, rules: RuleSet, first: int, columns: list[str] | None, support: int,
                         objective: str = "f1", beta: float = 1.0) -> pd.DataFrame:
    """Exceptions: single thresholds and value sets that, put before the search's rules (at ``first``)
    with the default label, take back ``support`` or more of the fit rows those rules predict positive
    and make the list better. ``train_fired`` and ``train_tp`` are what they change in the list's counts
    (negative)."""
    caught = Caught(rules, first)
    scan = scan_thresholds(inner, caught, columns)
    if scan.undecided == 0:
        return pd.DataFrame()
    whens = [(Condition(str(c), str(o), float(t)),) for c, o, t in
             zip(scan.candidates["column"], scan.candidates["op"], scan.candidates["threshold"])]
    sets = set_candidates(inner, caught, columns, most_positive=False)
    counted = pd.concat([pd.DataFrame({"when": pd.Series(whens, dtype=object),
                                       "train_fired": scan.candidates["train_fired"].to_numpy(),
                                       "train_tp": scan.candidates["train_tp"].to_numpy()}),
                         count_candidates(inner, caught, sets)], ignore_index=True)
    # what the list's counts change by: score and improves read a list's value off its counts
    scored = score(replace(scan, candidates=counted.assign(train_fired=-counted["train_fired"],
                                                           train_tp=-counted["train_tp"])),
                   objective, beta=beta, min_rows=-math.inf)
    better = improves(scored, scan, objective, beta)
    return scored[better & (-scored["train_fired"].to_numpy() >= support)].assign(precision=np.nan, exception=True)
