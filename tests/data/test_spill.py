"""What a query cannot keep within DuckDB's memory limit goes to a folder of the connection's own under
the studio's spill folder (never the working directory), and the folder goes when the connection closes."""

import os

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
