"""A dataset kept on disk (a DuckDB database file of its own under the store folder, read through
DuckDB's buffer pool within a memory limit smaller than the data) gives the same split and the same
figures as the same data in memory; its file goes when it closes, and a load that fails leaves none."""

import os
import subprocess
import sys
import time

import duckdb
import pytest

import studio
from studio.data.quoting import string_sql
from studio.errors import DataError


def _parquet(path, rows: int):
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT range AS id, (hash(range, 1) % 1000000)::DOUBLE / 1e5 - 5 AS a,
                        CASE WHEN range % 97 = 0 THEN 'NaN'::DOUBLE WHEN range % 89 = 0 THEN NULL
                             ELSE (hash(range, 2) % 1000000)::DOUBLE / 1e5 END AS b,
                        {', '.join(f'hash(range, {k})::DOUBLE AS noise{k}' for k in range(5, 13))}, ['no', 'yes'][1 + (hash(range, 3) % 10 = 0)::INTEGER] AS y
                        FROM range({rows})) TO {string_sql(str(path))} (FORMAT parquet)""")
    con.close()
    return path


RULES = studio.ruleset([studio.rule(("a", ">", 3.5), then="yes"), studio.rule(("b", ">=", 9.25), then="yes"),
                        studio.rule(("a", "<", -4.0), ("b", "!=", 1.5), then="yes")], default="no",
                       target="y", positive="yes")


def test_on_disk_equals_in_memory_with_a_memory_limit_below_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    path = _parquet(tmp_path / "t.parquet", 1_500_000)
    memory = studio.Dataset.from_parquet(path, name="t")
    disk = studio.Dataset.from_parquet(path, name="t", on_disk=True, memory_limit="64MB")
    try:
        assert disk.database.parent == (tmp_path / "store").resolve() and disk.database.exists()
        assert disk.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("61.0 MiB", "64.0 MB")
        (size,) = disk.con.execute("SELECT used_blocks * block_size FROM pragma_database_size()").fetchone()
        assert size > 1.5 * 64_000_000  # the table does not fit within the memory limit
        for kwargs in ({}, {"key": "id", "seed": 3, "test_size": 0.3}):
            a = memory.split("y", **kwargs)
            b = disk.split("y", **kwargs)
            assert a.counts == b.counts
            side = "SELECT __rs_row, __rs_test FROM {} ORDER BY __rs_row"
            assert memory.con.execute(side.format(a.table)).fetchall() == disk.con.execute(side.format(b.table)).fetchall()
            assert studio.evaluate(a, RULES).to_dict() == studio.evaluate(b, RULES).to_dict()
    finally:
        memory.close()
        disk.close()
    assert list((tmp_path / "store").iterdir()) == []


def test_a_load_that_fails_leaves_no_database_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet at all\n")
    with pytest.raises(DataError, match="cannot read bad.parquet"):
        studio.Dataset.from_parquet(bad, on_disk=True)
    assert list((tmp_path / "store").iterdir()) == []


def test_files_no_process_holds_go_when_the_next_file_is_made(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    store = tmp_path / "store"
    store.mkdir()
    left = store / "1-1-00ff00ff.duckdb"  # a process that died (its id may be taken again: only the lock counts)
    duckdb.connect(str(left)).close()
    (store / "1-1-00ff00ff.duckdb.wal").write_bytes(b"x")
    held = store / "2-1-00ff00ff.duckdb"  # another process's, in use
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(held)!r}); "
                               "print('open', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        young = store / "3-1-00ff00ff.duckdb"  # being made by another process this very moment
        duckdb.connect(str(young)).close()
        old = time.time() - 3600
        for path in (left, held):
            os.utime(path, (old, old))
        data = studio.Dataset.from_parquet(_parquet(tmp_path / "t.parquet", 1000), on_disk=True)
        try:
            kept = sorted(p.name for p in store.iterdir() if not p.name.startswith(data.database.name))
            assert kept == sorted([held.name, young.name]) and data.database.exists()
            os.utime(data.database, (old, old))  # this process's own file is never swept, however old
            other = studio.Dataset.from_parquet(_parquet(tmp_path / "t.parquet", 1000), on_disk=True)
            assert data.database.exists() and data.n_rows == 1000
            other.close()
        finally:
            data.close()
    finally:
        holder.stdin.close()
        holder.wait()


def test_a_store_folder_that_cannot_be_made_is_said_in_one_line(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "file" / "store"))
    with pytest.raises(DataError, match=r"^the store folder for data kept on disk cannot be made \(Not a directory\)$"):
        studio.Dataset.from_parquet(_parquet(tmp_path / "t.parquet", 10), on_disk=True)
