"""The target heuristic: a column named like a label with 2 to 20 values first, never an id-like or
many-valued column, otherwise no guess (a provisional target the user is told to change)."""

import pandas as pd
import pytest

import studio
from studio.data.target import guess_target, id_like, opening_target
from studio.errors import DataError


def table(**columns) -> studio.Dataset:
    return studio.Dataset.from_dataframe(pd.DataFrame(columns))


N = 60
SPLIT = ["train" if i % 3 else "test" for i in range(N)]


@pytest.mark.parametrize("columns, expected", [
    ({"amount": range(N), "Class": [i % 2 for i in range(N)], "split": SPLIT}, "Class"),
    ({"is_fraud": [i % 5 == 0 for i in range(N)], "label": [i % 3 for i in range(N)], "split": SPLIT}, "label"),
    ({"Is Fraud": [i % 5 == 0 for i in range(N)], "region": [i % 4 for i in range(N)]}, "Is Fraud"),
    ({"has_chargeback": [i % 7 == 0 for i in range(N)], "split": SPLIT}, "has_chargeback"),
    ({"target": range(N), "fraud_flag": [i % 2 for i in range(N)]}, "fraud_flag"),  # 60 values: not a label
    ({"label_id": [i % 2 for i in range(N)], "y": [i % 2 for i in range(N)]}, "y"),  # an id is never the target
])
def test_a_column_named_like_a_label_wins(columns, expected):
    assert guess_target(table(**columns)).column == expected


def test_without_such_a_name_there_is_no_guess_only_a_provisional_target():
    data = table(age=range(N), income=[">50K" if i % 4 == 0 else "<=50K" for i in range(N)], split=SPLIT,
                 customer_id=[i % 2 for i in range(N)])
    guess = guess_target(data)
    assert guess.column is None and guess.provisional == "split"
    target, note = opening_target(data)
    assert target == "split" and "No column is named like a label: 'split' is the target for now" in note
    with pytest.raises(DataError, match="no column can be the target"):
        opening_target(table(a=range(N), b=[float(i) / 7 for i in range(N)]))


def test_id_like_names():
    assert all(id_like(n) for n in ("id", "ID", "customer_id", "id_card", "row", "uuid", "txn-key"))
    assert not any(id_like(n) for n in ("identity_verified", "paid", "valid", "class", "hidden"))


def test_bundled_data_keeps_its_own_target():
    data = studio.load("bank-marketing-sample")
    assert opening_target(data) == (data.suggested_target, None)


def test_list_columns_are_never_the_target_and_do_not_stop_the_guess():
    data = table(tags=[[i % 2, 1] for i in range(N)], is_fraud=[i % 6 == 0 for i in range(N)])
    assert data.schema.kind("tags") == "other"
    assert guess_target(data).column == "is_fraud"


def test_a_label_named_column_of_nulls_is_not_chosen():
    frame = pd.DataFrame({"amount": [float(i) for i in range(60)], "label": pd.Series([None] * 60, dtype="string"),
                          "kind": ["a", "b", "c"] * 20})
    dataset = studio.Dataset.from_dataframe(frame)
    assert guess_target(dataset).column is None
    assert opening_target(dataset)[0] == "kind"
