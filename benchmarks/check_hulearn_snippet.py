"""The human-learn export run against the real CaseWhenRuler (human-learn 0.3.5, loaded from its file).

    .venv-bench/bin/python -m benchmarks.check_hulearn_snippet

The tests run the snippet against a line-for-line replica of CaseWhenRuler.predict; this check uses
the real class, in the benchmark environment where human-learn is installed. FunctionClassifier
(hulearn.classification needs shapely and bokeh 2, which do not run on numpy 2) is stood in for by
a wrapper that calls the function, which is all FunctionClassifier.predict does.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent

import numpy as np

from benchmarks import peers
import studio
from studio.export import export
from studio.rules import rule


def main() -> None:
    experimental = types.ModuleType("hulearn.experimental")
    experimental.CaseWhenRuler = peers.load_case_when_ruler()
    classification = types.ModuleType("hulearn.classification")
    classification.FunctionClassifier = lambda func: types.SimpleNamespace(predict=func)
    sys.modules.update({"hulearn": types.ModuleType("hulearn"), "hulearn.experimental": experimental,
                        "hulearn.classification": classification})

    data = studio.load("creditcard-synthetic")
    frame = data.fetch("SELECT * FROM data")
    cases = {
        "tutorial": [rule(("V11", ">", 4), then=1), rule(("V17", "<", -3), then=1), rule(("V14", "<", -8), then=1)],
        "a default-labelled rule first": [rule(("V11", ">", 6), then=0, name="keep"),
                                          rule(("V11", ">", 4), then=1), rule(("V17", "<", -3), then=1)],
    }
    for name, rules in cases.items():
        rs = studio.ruleset(rules, default=0)
        scope: dict = {}
        exec(compile(export(rs, "human-learn"), "<snippet>", "exec"), scope)
        got = np.asarray(scope["clf"].predict(frame), dtype=np.int64)
        sql = studio.engine.compile.prediction_sql(rs, data.schema).sql("duckdb")
        want = data.con.execute(f"SELECT {sql} FROM data ORDER BY rowid").fetchnumpy()
        want = np.asarray(list(want.values())[0], dtype=np.int64)
        naive = peers.hulearn_predictor([(r.when[0].column, r.when[0].op, r.when[0].value, r.then) for r in rules], 0)
        differ = int((np.asarray(naive(frame), dtype=np.int64) != want).sum())
        assert np.array_equal(got, want), name
        print(f"{name}: exported snippet on the real CaseWhenRuler equals the studio on {len(frame):,} rows "
              f"(the same rules added to CaseWhenRuler directly differ on {differ:,} rows)")


if __name__ == "__main__":
    main()
