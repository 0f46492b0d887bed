"""Which server files may be opened: only regular files under the data roots, links followed, and
every refusal worded alike (it does not tell whether a file exists)."""

import os
import tomllib

import pytest

from studio.data.folders import available_file, data_roots, server_files_enabled
from studio.data.uploads import store_upload
from studio.errors import DataError
from tests.support.sample_rules import ROOT


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "data"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "ok.csv").write_text("a,b\n1,2\n")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "creds.csv").write_text("user,password\nroot,hunter2\n")
    os.symlink(secret / "creds.csv", root / "link.csv")        # a link out of the root
    os.symlink(root / "sub" / "ok.csv", root / "inner.csv")     # a link that stays inside
    os.mkfifo(root / "pipe.csv")
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", str(root))
    return root, secret


def refusal(text):
    with pytest.raises(DataError) as err:
        available_file(text)
    message = str(err.value)
    return message.replace(repr(text if len(text) <= 120 else text[:117] + "..."), "<path>")


def test_only_regular_files_under_the_roots_open(tree):
    root, secret = tree
    assert available_file(str(root / "sub" / "ok.csv")) == (root / "sub" / "ok.csv").resolve()
    assert available_file("sub/ok.csv") == (root / "sub" / "ok.csv").resolve()      # relative to a root
    assert available_file(str(root / "inner.csv")) == (root / "sub" / "ok.csv").resolve()
    hostile = ["/etc/passwd", "../secret/creds.csv", str(secret / "creds.csv"), str(root / "link.csv"),
               str(root / "sub"), str(root / "pipe.csv"), str(root / "missing.csv"), "sub/../../secret/creds.csv",
               "", "   ", "a\x00b", "/dev/zero", "~/.ssh/id_rsa", "x" * 5000]
    messages = {refusal(text) for text in hostile}
    assert messages == {"<path> is not available: open a file under the studio's data folder"}


def test_roots_and_the_server_file_switch_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RULE_STUDIO_DATA_ROOTS", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    assert data_roots() == [(tmp_path / "a").resolve(), (tmp_path / "b").resolve()]
    monkeypatch.delenv("RULE_STUDIO_DATA_ROOTS")
    monkeypatch.setenv("RULE_STUDIO_DATA", str(tmp_path / "d"))
    assert data_roots() == [(tmp_path / "d").resolve()]
    assert server_files_enabled()
    monkeypatch.setenv("RULE_STUDIO_SERVER_FILES", "off")
    assert not server_files_enabled()


def test_uploads_are_stored_once_by_content(tmp_path):
    first = store_upload("My data.CSV", b"a,b\n1,2\n", folder=tmp_path)
    again = store_upload("other name.csv", b"a,b\n1,2\n", folder=tmp_path)
    assert first == again and first.suffix == ".csv" and len(first.stem) == 64
    assert store_upload("t.parquet", b"PAR1", folder=tmp_path).suffix == ".parquet"
    with pytest.raises(DataError, match="larger than"):
        store_upload("big.csv", b"x" * 2_000_001, folder=tmp_path, max_bytes=2_000_000)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial files left


def test_the_app_listens_on_localhost_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"


def test_the_studio_own_working_files_never_open_as_data(tree, monkeypatch):
    root, _ = tree
    for name, env in (("store", "RULE_STUDIO_STORE"), ("spill", "RULE_STUDIO_SPILL")):
        folder = root / ".cache" / name
        folder.mkdir(parents=True)
        (folder / "other.duckdb").write_bytes(b"x" * 10)
        monkeypatch.setenv(env, str(folder))
        assert refusal(str(folder / "other.duckdb")) == "<path> is not available: open a file under the studio's data folder"
        assert refusal(f".cache/{name}/other.duckdb").endswith("open a file under the studio's data folder")
    assert available_file("sub/ok.csv") == (root / "sub" / "ok.csv").resolve()
