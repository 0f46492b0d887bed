"""Mining: candidate rules learned on train for the rows the current rules leave undecided,
counted exactly (:mod:`.counting`), ranked (:mod:`.objectives`) and searched (:mod:`.search`);
ruleminer-style templates with ruleminer's metrics; and an ML baseline beside the rules.

A new kind of candidate is a generator in :mod:`.candidates` returning tuples of conditions;
:func:`count_candidates` counts any of them with the rule semantics.
"""

from .candidates import Scan, conjunctions, scan_thresholds, set_candidates, tree_candidates
from .counting import count_candidates, side_totals
from .objectives import OBJECTIVES, score
from .search import candidate_rule, describe, greedy_rules, suggestions

__all__ = ["OBJECTIVES", "Scan", "candidate_rule", "conjunctions", "count_candidates", "describe", "greedy_rules",
           "scan_thresholds", "score", "set_candidates", "side_totals", "suggestions", "tree_candidates"]
