"""The studio session behind the pages: autosave, restore, undo/redo, import, bad files."""

import json

import duckdb
import pytest

import studio
from studio.errors import DataError, RuleSetError
from studio.rules import rule
from studio.session.studio import SplitChoice, StudioSession
from studio.data.uploads import store_upload
from studio.session.workspace import Workspace, new_id


@pytest.fixture
def ws(tmp_path):
    return Workspace("w1", tmp_path)


def test_starts_on_the_synthetic_default_and_restores_after_restart(ws):
    s = StudioSession.start(ws)
    assert s.dataset.name == "creditcard-synthetic" and s.dataset.synthetic
    assert s.split.target == "Class" and s.split.positive == "1" and s.rules.default == 0
    s.apply(s.rules.add(rule(("V11", ">", 4), then=1, name="large V11")))
    s.apply(s.rules.add(rule(("V17", "<", -3), then=1, name="deep V17")))
    again = StudioSession.start(Workspace("w1", ws.path.parent))  # a new process, same workspace
    assert again.rules == s.rules
    assert again.evaluation().test.metrics.positive == s.evaluation().test.metrics.positive
    other = StudioSession.start(Workspace("w2", ws.path.parent))
    assert other.rules.rules == ()


def test_undo_redo_and_autosave_of_every_change(ws):
    s = StudioSession.start(ws)
    r1 = s.rules.add(rule(("V11", ">", 4), then=1))
    s.apply(r1)
    s.apply(r1.toggle(0))
    assert not s.rules.rules[0].enabled
    s.undo()
    assert s.rules == r1 and ws.load_rules(s.rules_key) == r1
    s.redo()
    assert not ws.load_rules(s.rules_key).rules[0].enabled
    assert s.apply(s.rules) is False  # no change, no history entry


def test_an_invalid_import_is_refused_and_the_rules_stay(ws):
    s = StudioSession.start(ws)
    s.apply(s.rules.add(rule(("V11", ">", 4), then=1)))
    before = s.rules
    with pytest.raises(RuleSetError) as err:
        s.import_json(json.dumps({"default": 0, "rules": [
            {"name": "x", "when": [{"column": "V99", "op": ">", "value": 1}], "then": 1}]}))
    assert "unknown column 'V99'" in str(err.value)
    with pytest.raises(RuleSetError, match="malformed JSON"):
        s.import_json("{nope")
    assert s.rules == before
    s.import_json(json.dumps({"default": 0, "rules": [
        {"name": "deep V14", "when": [{"column": "V14", "op": "<", "value": -8}], "then": 1}]}))
    assert [r.name for r in s.rules.rules] == ["deep V14"]


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x00\x01\x02garbage\xff\xfe" * 500, "cannot read"),
    (b"only\n1\n2\n3\n", "at least one column besides the target"),
    (b"x,y\n1,a\n2,a\n3,a\n", "fewer than two classes"),
])
def test_bad_files_leave_the_dataset_and_rules_intact(ws, tmp_path, content, message):
    s = StudioSession.start(ws)
    s.apply(s.rules.add(rule(("V11", ">", 4), then=1)))
    before = (s.dataset, s.split, s.rules)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(DataError, match=message):
        s.open(bad)
    assert (s.dataset, s.split, s.rules) == before
    assert s.evaluation().test.metrics.n == 142_404


def test_wide_and_large_csv_files_load(ws, tmp_path):
    s = StudioSession.start(ws)
    wide = tmp_path / "wide.csv"
    duckdb.sql(f"COPY (SELECT {', '.join(f'random() AS c{i}' for i in range(199))}, "
               f"(i % 7 = 0)::INT AS label FROM range(2000) t(i)) TO '{wide}'")
    s.open(wide, SplitChoice("label", 1))
    assert len(s.dataset.columns) == 200 and s.split.positive == "1"
    assert len(s.profiles()) == 200

    big = tmp_path / "big.csv"  # about 150 MB, the size the upload limit is set for
    duckdb.sql(f"COPY (SELECT i AS id, {', '.join(f'round(random() * 1e6, 6) AS f{k}' for k in range(10))}, "
               f"CASE WHEN i % 97 = 0 THEN 'fraud' ELSE 'ok' END AS kind FROM range(1400000) t(i)) TO '{big}'")
    assert big.stat().st_size > 150e6
    s.open(big, SplitChoice("kind", "fraud"))
    assert s.dataset.n_rows == 1_400_000 and s.split.positive == "fraud"
    s.apply(s.rules.add(rule(("f0", ">", 900000.0), then="fraud")))
    assert s.evaluation().all.metrics.n == 1_400_000


def test_resplit_keeps_rules_and_a_new_target_gets_its_own(ws):
    s = StudioSession.start(ws)
    s.apply(s.rules.add(rule(("V11", ">", 4), then=1)))
    s.resplit(SplitChoice("Class", 1, test_size=0.3, seed=9))
    assert s.split.test_size == 0.3 and len(s.rules.rules) == 1
    assert sum(s.split.counts["test"].values()) == int(284_315 * 0.3 + 0.5) + int(492 * 0.3 + 0.5)  # half up
    with pytest.raises(DataError):
        s.resplit(SplitChoice("Class", 7))
    assert s.split.test_size == 0.3


def test_workspace_ids_and_upload_names_are_safe(tmp_path):
    with pytest.raises(ValueError):
        Workspace("../escape", tmp_path)
    for bad in ("", "a/b", "..", "x" * 65, None, "id\x00"):
        with pytest.raises(ValueError):
            Workspace(bad, tmp_path)
    path = store_upload("../../etc/pass wd.csv", b"a,b\n1,2\n", folder=tmp_path / "uploads")
    assert path.parent == tmp_path / "uploads" and path.name.endswith(".csv") and len(path.stem) == 64
    assert len(new_id()) == 32 and int(new_id(), 16) >= 0  # 128 random bits


def test_concurrent_sessions_and_threads_give_no_duckdb_errors(tmp_path):
    """Two users at once, and one user's reruns overlapping: no thread-safety errors, same numbers."""
    from concurrent.futures import ThreadPoolExecutor

    a = StudioSession.start(Workspace("a", tmp_path))
    b = StudioSession.start(Workspace("b", tmp_path))
    a.apply(a.rules.add(rule(("V11", ">", 4), then=1)))
    b.apply(b.rules.add(rule(("V17", "<", -3), then=1)))
    expected = {id(a): a.evaluation().test.metrics.positive, id(b): b.evaluation().test.metrics.positive}

    def work(s, k):
        s.split.cache.clear()  # force real queries, not cached counts
        extra = s.rules.add(rule(("V14", "<", -8 - k % 3), then=1))
        studio.evaluate(s.split, extra)
        return id(s), studio.evaluate(s.split, s.rules).test.metrics.positive

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, [a, b, a, b] * 10, range(40)))
    assert all(expected[key] == got for key, got in results)


def test_opening_another_dataset_while_the_last_is_busy_in_the_background(tmp_path):
    """The Explore defaults are computed in a background thread when a dataset opens; opening another
    dataset at once must wait for (or stop) that work, never close the connection under it."""
    for _ in range(3):
        s = StudioSession.start(Workspace("busy", tmp_path))
        s.open("bank-marketing-sample")
        s.open("creditcard-synthetic")
        assert s.evaluation().test.metrics.n > 0
        s.close()
