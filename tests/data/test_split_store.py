"""The split kept as columns of the data and a view: the test rows are exactly, per class, the first
``round(n * test_size)`` in the order of ``(md5(seed:key), key)`` (checked against hashlib, with the
stored md5 prefix cut short so that rows share it and the tie path runs); no copy of the data; a
refused split leaves the last one working."""

import hashlib
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import studio
import studio.data.split_store as store
from studio.data.preview import first_rows
from studio.data.split import TimeOrder
from studio.errors import DataError


def expected_test_rows(frame: pd.DataFrame, target: str, seed: int, test_size: float, key: str | None) -> set:
    """Per class, the first round-half-up(n * test_size) rows by (md5(seed:key), key), by hand."""
    out = set()
    labelled = frame[frame[target].notna()]
    for _, rows in labelled.groupby(labelled[target].astype(str)):
        keys = [(hashlib.md5(f"{seed}:{k}".encode()).hexdigest(), k, i)
                for i, k in zip(rows.index, rows.index if key is None else rows[key])]
        keys.sort()
        n = int(len(rows) * Decimal(str(test_size)) + Decimal("0.5"))
        out |= {i for _, _, i in keys[:n]}
    return out


@settings(max_examples=40, deadline=None)
@given(n=st.integers(20, 400), classes=st.integers(2, 4), seed=st.integers(0, 10**6),
       test_size=st.sampled_from([0.1, 0.25, 0.3, 0.5, 0.8]), keyed=st.booleans(), hex_digits=st.sampled_from([1, 2, 8]),
       data=st.data())
def test_the_test_rows_are_the_first_by_md5_in_each_class(n, classes, seed, test_size, keyed, hex_digits, data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 32 - 1)))
    frame = pd.DataFrame({"x": rng.normal(size=n), "y": rng.choice([f"c{i}" for i in range(classes)], n),
                          "id": [f"k{v}" for v in rng.permutation(10 * n)[:n]]})
    frame.loc[rng.random(n) < 0.1, "y"] = None
    if frame["y"].nunique() < 2:
        frame.loc[:1, "y"] = ["c0", "c1"]
    old = (store.HASH_HEX, store.PREFIX_BITS)
    store.HASH_HEX, store.PREFIX_BITS = hex_digits, min(16, 4 * hex_digits - 1)  # short: rows share the prefix
    ds = studio.Dataset.from_dataframe(frame)
    key = "id" if keyed else None
    try:  # then another share (the md5 prefixes kept), another seed (written again), the first again
        for s, share in ((seed, test_size), (seed, 1 - test_size), (seed + 1, test_size), (seed, test_size)):
            split = ds.split("y", test_size=share, seed=s, key=key)
            test = {r for (r,) in ds.con.execute(f"SELECT __rs_row FROM {split.table} WHERE __rs_test = 1").fetchall()}
            assert test == expected_test_rows(frame, "y", s, share, key)
            assert split.excluded == int(frame["y"].isna().sum())
    finally:
        store.HASH_HEX, store.PREFIX_BITS = old


def test_no_copy_of_the_data_and_the_view_has_every_column_once(credit_split):
    con = credit_split.dataset.con
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {v for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert tables == {"data"} and views == {credit_split.table}
    names = [r[0] for r in con.execute(f"DESCRIBE {credit_split.table}").fetchall()]
    assert names == credit_split.dataset.columns + ["__rs_row", "__rs_label", "__rs_y", "__rs_test"]
    assert not any(c.startswith("__rs_") for c in credit_split.dataset.columns)
    assert list(first_rows(credit_split.dataset, 3).columns) == credit_split.dataset.columns


def test_a_refused_split_leaves_the_last_one_working():
    frame = pd.DataFrame({"t": range(200), "x": np.arange(200) % 7, "y": [int(i % 5 == 0) for i in range(200)]})
    ds = studio.Dataset.from_dataframe(frame)
    first = ds.split("y", seed=3)
    before = ds.con.execute(f"SELECT __rs_row, __rs_test FROM {first.table} ORDER BY 1").fetchall()
    with pytest.raises(DataError, match="leaves no test rows"):
        ds.split("y", by_time=TimeOrder("t", 10 ** 6))
    assert ds.con.execute(f"SELECT __rs_row, __rs_test FROM {first.table} ORDER BY 1").fetchall() == before
    assert sum(first.counts["test"].values()) == 100


def test_a_split_that_fails_after_hashing_or_while_hashing_leaves_the_last_one_and_the_next_right(monkeypatch):
    """The md5 prefixes are written before the split's transaction: a failure later in the split keeps
    the last split working and the prefixes known for the new seed; a failure while writing them leaves
    them known for no seed. Either way the next splits are exactly right."""
    import studio.data.split as split_module

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=300), "y": rng.choice(["a", "b"], 300, p=[0.8, 0.2])})
    ds = studio.Dataset.from_dataframe(frame)
    first = ds.split("y", seed=3)
    before = ds.con.execute(f"SELECT __rs_row, __rs_test FROM {first.table} ORDER BY 1").fetchall()

    def broken(*args, **kwargs):
        raise RuntimeError("the view could not be made")

    with monkeypatch.context() as m:
        m.setattr(split_module, "publish", broken)
        with pytest.raises(RuntimeError):
            ds.split("y", seed=4)
    assert ds.con.execute(f"SELECT __rs_row, __rs_test FROM {first.table} ORDER BY 1").fetchall() == before
    with monkeypatch.context() as m:
        m.setattr(store, "md5_prefix_sql", lambda *a: "no_such_function(1)")
        with pytest.raises(Exception):
            ds.split("y", seed=5)
    assert store.HASH not in ds.split_columns
    assert ds.con.execute(f"SELECT __rs_row, __rs_test FROM {first.table} ORDER BY 1").fetchall() == before
    for seed in (5, 4, 3, 4):
        split = ds.split("y", seed=seed)
        test = {r for (r,) in ds.con.execute(f"SELECT __rs_row FROM {split.table} WHERE __rs_test = 1").fetchall()}
        assert test == expected_test_rows(frame, "y", seed, 0.5, None)


@pytest.mark.parametrize("sql_type,values", [("UHUGEINT", [0, 2 ** 128 - 1]), ("HUGEINT", [-(2 ** 127), 2 ** 127 - 1]),
                                             ("UBIGINT", [1, 2 ** 64 - 1]), ("TINYINT", [-128, 127])])
def test_a_whole_number_label_is_found_by_value_at_the_ends_of_its_type(sql_type, values):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t (y {sql_type})")
    con.execute("INSERT INTO t VALUES " + ", ".join(f"(CAST('{v}' AS {sql_type}))" for v in values) + ", (NULL)")
    index = store.class_index_sql([str(v) for v in values], "CAST(y AS VARCHAR)", "y", sql_type)
    got = con.execute(f"SELECT y::VARCHAR, {index} FROM t ORDER BY y NULLS LAST").fetchall()
    assert got == [(str(values[0]), 0), (str(values[1]), 1), (None, None)]
