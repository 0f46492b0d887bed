"""Loading files and frames into DuckDB, bundled datasets, the synthetic generator, the split."""

import hashlib
import os

import numpy as np
import pandas as pd
import pytest

import studio
from studio.data import synthetic
from studio.data.bundled import dataset_from_openml


def test_bank_marketing_csv_is_sniffed(tmp_path):
    bank = studio.load("bank-marketing")
    assert bank.n_rows == 45_211 and len(bank.columns) == 17
    assert bank.schema.type_of("age") == "BIGINT" and bank.schema.type_of("job") == "VARCHAR"
    assert bank.schema.type_of("y") == "VARCHAR"  # yes/no stay as written, not booleans
    assert dict(bank.class_counts("y")) == {"no": 39_922, "yes": 5_289}


def test_synthetic_credit_card_has_the_public_schema_and_is_deterministic():
    frame = synthetic.generate()
    assert list(frame.columns) == ["Time", *[f"V{i}" for i in range(1, 29)], "Amount", "Class"]
    assert len(frame) == 284_807 and int(frame["Class"].sum()) == 492
    assert frame["Time"].is_monotonic_increasing and frame["Amount"].min() >= 0
    fraud, legit = frame[frame.Class == 1], frame[frame.Class == 0]
    for col, sign in {"V14": -1, "V17": -1, "V12": -1, "V10": -1, "V11": 1, "V4": 1, "V3": -1}.items():
        assert sign * (fraud[col].mean() - legit[col].mean()) > 2.5, col
    small = synthetic.generate(n_rows=2_000, n_positive=10, seed=7)
    pd.testing.assert_frame_equal(small, synthetic.generate(n_rows=2_000, n_positive=10, seed=7))


def test_synthetic_dataset_is_labelled_synthetic(credit):
    assert credit.synthetic and credit.label == "creditcard-synthetic (synthetic)"
    assert "SYNTHETIC" in studio.BUNDLED["creditcard-synthetic"].description


def test_kaggle_style_creditcard_csv_with_quoted_labels(tmp_path):
    frame = synthetic.generate(n_rows=3_000, n_positive=30, seed=1)
    path = tmp_path / "creditcard.csv"
    # Kaggle's file quotes every header and the Class values: "Time","V1",...,"Class" / ...,"0"
    lines = [",".join(f'"{c}"' for c in frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append(",".join([*(repr(float(v)) for v in row[:-1]), f'"{row[-1]}"']))
    path.write_text("\n".join(lines) + "\n")
    data = studio.Dataset.from_file(path)
    assert data.n_rows == 3_000 and data.columns[-1] == "Class"
    split = data.split("Class", positive=1)
    assert split.labels == ["0", "1"] and split.positive == "1"
    assert sum(split.counts["test"].values()) + sum(split.counts["train"].values()) == 3_000


def test_openml_1597_style_frame_with_quoted_category_labels():
    frame = synthetic.generate(n_rows=1_000, n_positive=20, seed=2)
    frame["Class"] = pd.Categorical(np.where(frame["Class"] == 1, "'1'", "'0'"))
    data = dataset_from_openml(frame, 1597, ["Class"])
    assert data.suggested_target == "Class" and data.name == "openml-1597"
    split = data.split("Class", positive=1)
    assert split.labels == ["0", "1"] and sum(n for s in split.counts.values() for l, n in s.items() if l == "1") == 20


def test_parquet_and_dataframe_with_missing_values(tmp_path):
    frame = pd.DataFrame({"x": [1.0, None, 3.0, 4.0], "s": ["a", None, "b", "a"], "y": [0, 1, 0, 1]})
    frame.to_parquet(tmp_path / "f.parquet")
    for data in (studio.Dataset.from_file(tmp_path / "f.parquet"), studio.Dataset.from_dataframe(frame)):
        assert data.n_rows == 4 and data.schema.kind("x") == "numeric" and data.schema.kind("s") == "string"


def test_bundled_sklearn_datasets():
    iris = studio.load("iris")
    assert iris.n_rows == 150 and dict(iris.class_counts("target")) == {
        "setosa": 50, "versicolor": 50, "virginica": 50}
    cancer = studio.load("breast-cancer")
    assert cancer.n_rows == 569 and "mean radius" in cancer.columns
    assert cancer.split("target").positive == "malignant"  # the minority class by default


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (os.urandom(4096), "cannot read"),
    (b"a,b\n", "has no rows"),
])
def test_bad_files_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(studio.DataError, match=message):
        studio.Dataset.from_file(path)


def test_unknown_sources():
    with pytest.raises(studio.DataError, match="no file or bundled dataset named 'nope.csv'"):
        studio.load("nope.csv")


def test_split_is_stratified_seeded_and_reproducible_by_md5(credit_split):
    s = credit_split
    assert s.counts["test"] == {"0": 142_158, "1": 246} and s.counts["train"] == {"0": 142_157, "1": 246}
    # Recompute the assignment independently in Python: per class, order by md5("<seed>:<row>").
    rows = s.dataset.fetch(f"SELECT __rs_row, __rs_label, __rs_test FROM {s.table} WHERE __rs_label = '1'")
    ranked = sorted(rows["__rs_row"], key=lambda r: (hashlib.md5(f"0:{r}".encode()).hexdigest(), r))
    expected_test = set(ranked[:246])
    assert set(rows.loc[rows["__rs_test"] == 1, "__rs_row"]) == expected_test


def test_split_options_and_errors():
    frame = pd.DataFrame({"x": range(100), "y": ["a"] * 80 + ["b"] * 20})
    data = studio.Dataset.from_dataframe(frame)
    a = data.split("y", test_size=0.25, seed=5)
    rows_a = set(data.fetch(f"SELECT __rs_row FROM {a.table} WHERE __rs_test = 1")["__rs_row"])
    b = data.split("y", test_size=0.25, seed=6)
    rows_b = set(data.fetch(f"SELECT __rs_row FROM {b.table} WHERE __rs_test = 1")["__rs_row"])
    assert a.positive == "b" and a.counts["test"] == {"a": 20, "b": 5} and rows_a != rows_b
    with pytest.raises(studio.DataError, match="unknown target column 'Y' \\(did you mean 'y'\\?\\)"):
        data.split("Y")
    with pytest.raises(studio.DataError, match="positive label 'c' is not a class of 'y'"):
        data.split("y", positive="c")
    with pytest.raises(studio.DataError, match="test fraction must be between 0 and 1"):
        data.split("y", test_size=1.0)
    one = studio.Dataset.from_dataframe(pd.DataFrame({"x": [1, 2], "y": [1, 1]}))
    with pytest.raises(studio.DataError, match="fewer than two classes"):
        one.split("y")
    many = studio.Dataset.from_dataframe(pd.DataFrame({"x": range(3000), "y": range(3000)}))
    with pytest.raises(studio.DataError, match="has 3,000 distinct values"):
        many.split("y")
    single = studio.Dataset.from_dataframe(pd.DataFrame({"y": [0, 1]}))
    with pytest.raises(studio.DataError, match="at least one column besides the target"):
        single.split("y")


def test_rows_without_a_target_are_left_out():
    data = studio.Dataset.from_dataframe(pd.DataFrame({"x": [1, 2, 3, 4], "y": [0, 1, None, 1]}))
    split = data.split("y")
    assert split.excluded == 1 and split.labels == ["0", "1"]


def test_the_studios_own_column_prefix_is_reserved():
    import pandas as pd
    from studio.errors import DataError

    for name in ("__rs_test", "__RS_p"):
        with pytest.raises(DataError, match="reserved column name"):
            studio.Dataset.from_dataframe(pd.DataFrame({name: [1, 2], "y": [0, 1]}))


def test_a_column_that_would_hide_the_row_number_is_refused():
    import pandas as pd
    from studio.errors import DataError

    for name in ("rowid", "RowID"):
        with pytest.raises(DataError, match=f"has a column named '{name}'.*rename that column"):
            studio.Dataset.from_dataframe(pd.DataFrame({name: [5] * 10, "x": range(10), "y": [i % 2 for i in range(10)]}))


def test_synthetic_time_and_amount_look_like_card_traffic():
    """Two days in seconds with a night-time dip for legitimate traffic (frauds come at any hour);
    heavy-tailed amounts, frauds with their own: many tiny test charges, the rest larger than usual."""
    from studio.data.synthetic import generate

    frame = generate()
    legit, fraud = frame[frame.Class == 0], frame[frame.Class == 1]
    assert 0 <= frame.Time.min() and frame.Time.max() <= 2 * 86_400
    night = lambda part: ((part.Time / 3600) % 24 < 6).mean()  # noqa: E731
    assert night(legit) < 0.15 < 0.20 < night(fraud)  # an even spread would put 25 % of rows at night
    assert legit.Amount.quantile(0.99) > 20 * legit.Amount.median()  # heavy tail
    assert (fraud.Amount < 2).mean() > 5 * (legit.Amount < 2).mean()
    assert fraud.Amount[fraud.Amount >= 2].median() > 3 * legit.Amount.median()
