"""What a query cannot keep within DuckDB's memory limit goes to a folder of the connection's own under
the studio's spill folder (never the working directory), and the folder goes when the connection closes."""

import os

import duckdb

from studio.data.connection import connect


def test_a_table_larger_than_the_memory_limit_spills_to_the_connections_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_SPILL", str(tmp_path / "spill"))
    monkeypatch.chdir(tmp_path)
    con = connect()
    other = connect()
    try:
        con.execute("SET memory_limit = '64MB'; SET threads = 1")
        own = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
        assert os.path.dirname(own) == str((tmp_path / "spill").resolve())
        assert own != other.execute("SELECT current_setting('temp_directory')").fetchone()[0]
        con.execute("CREATE TABLE t AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(3000000) ORDER BY s")
        assert con.execute("SELECT count(*), count(DISTINCT s), min(s) < max(s) FROM t").fetchone() == (3000000, 3000000, True)
        assert any(name.endswith(".tmp") for name in os.listdir(own))
    finally:
        con.close()
        other.close()
    assert not os.path.exists(own)
    assert sorted(os.listdir(tmp_path)) == ["spill"]


def test_an_asof_join_is_planned_as_one_even_where_duckdb_expects_few_rows(tmp_path, monkeypatch):
    """DuckDB plans an ASOF join as a nested loop when it expects one side to be a few rows; a rule's
    filter it cannot estimate made it expect three where 140,000 came (the candidates' amounts took
    82 s instead of one). The studio's connections, in memory and on disk, turn that off."""
    from studio.data.connection import connect_on_disk

    monkeypatch.setenv("RULE_STUDIO_STORE", str(tmp_path / "store"))
    on_disk, _ = connect_on_disk()
    query = ("SELECT t.k, e.edge, count(*) FROM t ASOF LEFT JOIN (SELECT unnest([1, 2]) AS k, unnest([0.5, 0.7]) AS edge) e "
             "ON t.k = e.k AND t.v <= e.edge GROUP BY ALL")
    for con, nested in ((duckdb.connect(), True), (connect(), False), (on_disk, False)):
        con.execute("CREATE TABLE t AS SELECT range % 7 AS k, (range * 7919 % 1000) / 1000.0 AS v FROM range(50)")
        plan = con.execute("EXPLAIN " + query).fetchall()[0][1]
        assert ("Nested Loop" in plan) == nested, plan  # 50 rows: a plain connection loops
        assert sorted(con.execute(query).fetchall(), key=str) == sorted(
            con.execute("SELECT k, (SELECT min(edge) FROM (SELECT unnest([1, 2]) AS k, unnest([0.5, 0.7]) AS edge) e "
                        "WHERE e.k = t.k AND t.v <= e.edge) AS edge, count(*) FROM t GROUP BY ALL").fetchall(), key=str)
        con.close()
