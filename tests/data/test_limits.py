"""Bounded work: files too wide or too long are refused before or while loading, with the numbers in
the message; a query past its deadline is stopped and the connection stays usable; old work expires."""

import os
import time

import duckdb
import pytest

import studio
from studio.data.guard import QueryGuard, TimeLimitExceeded
from studio.data.limits import LoadLimits
from studio.errors import DataError
from studio.session.expiry import expire

SMALL = LoadLimits(max_columns=50, max_cells=10_000, load_seconds=30, query_seconds=5, memory_limit="1GB")


def test_a_very_wide_csv_is_refused_from_its_first_line(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_001)) + "\n" + ",".join("1" * 100_001) + "\n")
    start = time.perf_counter()
    with pytest.raises(DataError, match="wide.csv has 100,001 columns; the studio reads at most 2,000"):
        studio.load(str(path), limits=LoadLimits())
    assert time.perf_counter() - start < 30  # not the minutes DuckDB's sniffer would take


def test_a_refusal_names_the_file_as_its_user_knows_it(tmp_path):
    stored = tmp_path / ("ab" * 32 + ".csv")  # an upload is stored under its content hash
    stored.write_text(",".join(f"c{i}" for i in range(3_000)) + "\n" + ",".join("1" * 3_000) + "\n")
    with pytest.raises(DataError, match="^my data.csv has 3,000 columns; the studio reads at most 2,000"):
        studio.load(str(stored), name="my data.csv", limits=LoadLimits())


def test_a_csv_with_an_endless_first_line_is_refused(tmp_path):
    path = tmp_path / "line.csv"
    path.write_text("x" * 3_000_000)
    with pytest.raises(DataError, match="first line of line.csv is longer than 1 MB"):
        studio.load(str(path), limits=LoadLimits())


def test_a_small_parquet_file_of_many_rows_is_refused_from_its_footer(tmp_path):
    path = tmp_path / "many.parquet"
    duckdb.execute(f"COPY (SELECT 1 AS a, 2 AS b, 0 AS y FROM range(50000)) TO '{path}' (FORMAT parquet)")
    with pytest.raises(DataError, match=r"many.parquet has 50,000 rows x 3 columns = 150,000 values; the studio "
                                        r"reads at most 10,000 values \(3,333 rows of 3 columns\)"):
        studio.load(str(path), limits=SMALL)


def test_a_long_csv_is_read_only_up_to_the_limit(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(20_000)))
    with pytest.raises(DataError, match=r"long.csv has more than 3,333 rows x 3 columns"):
        studio.load(str(path), limits=SMALL)
    ok = tmp_path / "ok.csv"
    ok.write_text("a,b,y\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(3_000)))
    data = studio.load(str(ok), limits=SMALL)
    assert data.n_rows == 3_000 and data.lock.seconds == 5
    assert data.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("1.0 GiB", "953.6 MiB")


def test_a_query_past_its_deadline_is_stopped_and_the_connection_stays_usable():
    con = duckdb.connect()
    guard = QueryGuard(con, seconds=0.5)
    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded, match="took longer than 0.5 s and was stopped"):
        with guard:
            con.execute("SELECT count(*) FROM range(10000000000) t(x) WHERE hash(x) % 7 = 1").fetchone()
    assert time.perf_counter() - start < 20
    with guard:
        assert con.execute("SELECT 42").fetchone() == (42,)
    with QueryGuard(con, seconds=None):  # no limit: nothing is interrupted
        assert con.execute("SELECT count(*) FROM range(1000)").fetchone() == (1000,)


def test_old_workspaces_and_uploads_expire(tmp_path):
    roots, uploads = tmp_path / "ws", tmp_path / "uploads"
    for name in ("old", "new"):
        (roots / name / "rules").mkdir(parents=True)
        (roots / name / "rules" / "x.json").write_text("{}")
        (uploads / f"{name}.csv").parent.mkdir(exist_ok=True)
        (uploads / f"{name}.csv").write_text("a\n1\n")
    long_ago = time.time() - 40 * 86_400
    for path in [roots / "old", roots / "old" / "rules", roots / "old" / "rules" / "x.json", uploads / "old.csv"]:
        os.utime(path, (long_ago, long_ago))
    removed = expire(roots, uploads, days=30)
    assert sorted(p.name for p in removed) == ["old", "old.csv"]
    assert sorted(p.name for p in roots.iterdir()) == ["new"] and [p.name for p in uploads.iterdir()] == ["new.csv"]
    assert expire(roots, uploads, days=0) == []


def test_the_server_can_keep_every_opened_file_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    path = tmp_path / "t.csv"
    path.write_text("a,y\n" + "\n".join(f"{i},{i % 3 == 0}" for i in range(100)) + "\n")
    assert studio.load(str(path), limits=LoadLimits.from_env()).database is None  # off by default
    monkeypatch.setenv("RULE_STUDIO_ON_DISK", "on")
    data = studio.load(str(path), limits=LoadLimits.from_env())
    assert data.database.parent == (tmp_path / "store").resolve() and data.n_rows == 100
    assert data.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("3.7 GiB", "4.0 GB")
    data.close()
    assert not any((tmp_path / "store").iterdir())
