"""A split stores a compact key table (class index and side per row of the data, in its order), not
a copy of the data; its view gives every column beside the studio's, row for row the data's."""

import pandas as pd

import studio
from studio.data.tables import keys_table
from studio.mining.validation import validation_split


def tables(con) -> dict[str, list[str]]:
    rows = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                       "AND table_name IN (SELECT table_name FROM duckdb_tables())").fetchall()
    out: dict[str, list[str]] = {}
    for table, col in rows:
        out.setdefault(table, []).append(col)
    return out


def test_the_split_keeps_two_columns_per_row_and_its_view_is_the_data_row_for_row():
    frame = pd.DataFrame({"x": [0.5, 1.5, None, 3.0, 4.0, 5.5, 6.0, 7.5], "name": list("abcdefgh"),
                          "y": ["no", "yes", "no", None, "no", "yes", "no", "no"]})
    data = studio.Dataset.from_dataframe(frame)
    split = data.split("y", positive="yes", test_size=0.5, seed=3)
    assert tables(data.con) == {"data": ["x", "name", "y"], keys_table(split.id): ["__rs_y", "__rs_test"]}
    assert data.con.execute(f"SELECT count(*) FROM {keys_table(split.id)}").fetchone()[0] == len(frame)
    view = data.fetch(f"SELECT __rs_row, name, y, __rs_label, __rs_y, __rs_test FROM {split.table} ORDER BY __rs_row")
    assert view["name"].tolist() == [frame["name"][r] for r in view["__rs_row"]]  # each row beside its own keys
    assert (view["y"] == view["__rs_label"]).all() and 3 not in view["__rs_row"].tolist()  # no label: no side
    assert [split.labels[k] for k in view["__rs_y"]] == view["y"].tolist()
    assert sum(split.counts["test"].values()) == int(view["__rs_test"].sum()) == 4 and split.excluded == 1
    with validation_split(split, 0.5) as inner:
        assert set(tables(data.con)) == {"data", keys_table(split.id), keys_table(inner.id)}
        rows = data.fetch(f"SELECT __rs_row FROM {inner.table}")["__rs_row"].tolist()
        assert sorted(rows) == view.loc[view["__rs_test"] == 0, "__rs_row"].tolist()  # train rows only
    assert set(tables(data.con)) == {"data", keys_table(split.id)}
    again = data.split("y", positive="yes", test_size=0.5, seed=4)
    assert set(tables(data.con)) == {"data", keys_table(again.id)}  # the old split's table is gone
