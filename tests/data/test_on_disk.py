"""A dataset kept on disk (a DuckDB database file of its own under the store folder, read through
DuckDB's buffer pool within a memory limit smaller than the data) gives the same split and the same
figures as the same data in memory; its file goes when it closes, and a load that fails leaves none."""

import os
import subprocess
import sys

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


def test_files_left_by_a_process_that_died_go_when_the_next_file_is_made(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    (tmp_path / "store").mkdir()
    left = [tmp_path / "store" / f"{dead}-1-00ff00ff.duckdb", tmp_path / "store" / f"{dead}-1-00ff00ff.duckdb.wal"]
    alive = tmp_path / "store" / f"{os.getpid()}-999-00ff00ff.duckdb"  # this process's: kept
    for path in (*left, alive):
        path.write_bytes(b"x")
    data = studio.Dataset.from_parquet(_parquet(tmp_path / "t.parquet", 1000), on_disk=True)
    try:
        kept = sorted(p.name for p in (tmp_path / "store").iterdir() if not p.name.startswith(data.database.name))
        assert kept == [alive.name] and data.database.exists()
    finally:
        data.close()
