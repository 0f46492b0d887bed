"""The scoring API, over real HTTP on localhost: predictions, rules, health, errors, concurrency."""

import http.client
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

import studio
from studio.rules import rule
from studio.runtime.scoring import scoring_select

from tests.support.browser import free_port
from tests.support.sample_rules import ROOT

RULES = {"format": "rule-studio/1", "target": "Class", "positive": 1, "default": 0, "rules": [
    {"name": "large V11", "when": [{"column": "V11", "op": ">", "value": 4}], "then": 1},
    {"name": "deep V17", "when": [{"column": "V17", "op": "<", "value": -3},
                                  {"column": "kind", "op": "in", "value": ["card", "web"]}], "then": 1},
    {"name": "keep", "when": [{"column": "V14", "op": "is null"}], "then": 0},
    {"name": "deep V14", "when": [{"column": "V14", "op": "<", "value": -8}], "then": 1}]}


@contextmanager
def serving(rules_path, env=None):
    """``rule-studio serve`` on a free loopback port for the length of the block; yields the port once
    /health answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "studio", "serve", str(rules_path), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if call(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "rules.json"
    path.write_text(json.dumps(RULES))
    with serving(path) as port:
        yield port


def call(port, method, path, body=None, raw=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = json.loads(response.read())
    conn.close()
    return response.status, payload


RECORDS = [
    {"V11": 5, "V17": 0, "kind": "card", "V14": 1.0},
    {"V11": None, "V17": -4.5, "kind": "web", "V14": 0},
    {"V11": 1, "V17": -4.5, "kind": "shop", "V14": None},
    {"V11": 1, "V17": -4.5, "kind": None, "V14": -9},
    {"V11": 0, "V17": 0, "kind": "card", "V14": 0, "extra": "ignored"},
]


def test_predictions_equal_the_studio(api):
    status, out = call(api, "POST", "/predict", RECORDS)
    assert status == 200
    import pandas as pd
    frame = pd.DataFrame(RECORDS)
    data = studio.Dataset.from_dataframe(frame)
    rules = studio.RuleSet.from_dict(RULES)
    expected = data.con.execute(f"SELECT prediction, rule FROM ({scoring_select(rules, data.schema, 'data')} "
                                "ORDER BY rowid)").fetchall()
    assert list(zip(out["predictions"], out["rules"])) == [tuple(r) for r in expected]
    assert out == {"predictions": [1, 1, 0, 1, 0], "rules": ["large V11", "deep V17", "keep", "deep V14", None]}
    assert call(api, "POST", "/predict", {"records": RECORDS[:1]})[1]["predictions"] == [1]
    assert call(api, "POST", "/predict", RECORDS[1])[1]["rules"] == ["deep V17"]


def test_rules_and_health(api):
    assert call(api, "GET", "/rules") == (200, studio.RuleSet.from_dict(RULES).to_dict())
    status, health = call(api, "GET", "/health")
    assert status == 200 and health == {"status": "ok", "rules": 4, "columns": ["V11", "V14", "V17", "kind"]}


@pytest.mark.parametrize("raw, status, message", [
    ("{not json", 400, "malformed JSON"),
    ('"text"', 422, "send a JSON list of records"),
    ('[{"V11": 1, "V17": 0, "kind": "card"}]', 422, "record 0 has no column 'V14'"),
    ('[{"V11": "abc", "V17": 0, "kind": "card", "V14": 0}]', 422,
     "record 0, column 'V11': expected a number, got \"abc\""),
    ('[{"V11": 1, "V17": 0, "kind": 7, "V14": 0}]', 422, "record 0, column 'kind': expected a string, got 7"),
    ('[1, 2]', 422, "record 0 is not a JSON object"),
])
def test_bad_requests_get_4xx_and_the_server_keeps_serving(api, raw, status, message):
    got_status, out = call(api, "POST", "/predict", raw=raw)
    assert got_status == status and out["error"].startswith(message)
    assert call(api, "POST", "/predict", RECORDS[:1])[0] == 200


def test_concurrent_requests(api):
    batches = [RECORDS[i % 5:] + RECORDS[:i % 5] for i in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda b: call(api, "POST", "/predict", b), batches))
    single = call(api, "POST", "/predict", RECORDS)[1]
    for batch, (status, out) in zip(batches, results):
        assert status == 200
        order = [RECORDS.index(r) for r in batch]
        assert out["predictions"] == [single["predictions"][i] for i in order]


def test_scorer_takes_column_types_from_the_dataset(credit):
    from studio.runtime.serve import BadRequest, Scorer
    rules = studio.ruleset([rule(("V11", ">", 4), then=1, name="large V11"), rule(("V1", "is null"), then=0)],
                           default=0)
    scorer = Scorer(rules, credit.schema)
    assert scorer.kinds == {"V11": "numeric", "V1": "numeric"}  # 'is null' alone says nothing; the data does
    assert scorer.score([{"V11": 5, "V1": 0}, {"V11": 1, "V1": None}]) == {
        "predictions": [1, 0], "rules": ["large V11", "rule 2"]}
    with pytest.raises(BadRequest, match="column 'V1': expected a number"):
        scorer.score([{"V11": 1, "V1": "x"}])


def test_hostile_bodies_get_a_json_4xx(api):
    for raw, status, message in (("[" * 100_000 + "]" * 100_000, 400, "nested more than 64 levels deep"),
                                 ("\udcff".encode("utf-8", "surrogatepass"), 400, "not UTF-8"),
                                 ('{"records": 5}', 422, "send a JSON list of records")):
        got, out = call(api, "POST", "/predict", raw=raw)
        assert got == status and message in out["error"]
    assert call(api, "GET", "/health")[0] == 200


TIMES = {"format": "rule-studio/1", "default": "day", "rules": [
    {"name": "night", "when": [{"column": "at", "op": ">", "value": "20:00:00"}], "then": "night"},
    {"name": "early", "when": [{"column": "at", "op": "<", "value": "06:30:00"}], "then": "night"},
    {"name": "old", "when": [{"column": "on", "op": "<", "value": "2010-01-01"}], "then": "old"}]}


def test_times_and_dates_are_compared_as_such_with_or_without_the_data(tmp_path):
    from studio.runtime.serve import BadRequest, Scorer
    import duckdb

    data = tmp_path / "times.parquet"
    duckdb.execute(f"COPY (SELECT TIME '21:00:00' AS at, DATE '2012-05-01' AS on) TO '{data}' (FORMAT parquet)")
    schema = studio.load(str(data)).schema
    rules = studio.RuleSet.from_dict(TIMES)
    records = [{"at": "21:00:00", "on": "2012-05-01"}, {"at": "3:00:00", "on": "2012-05-01"},
               {"at": "12:00:00", "on": "2009-12-31"}, {"at": "12:00:00.5", "on": None}]
    for scorer in (Scorer(rules, schema), Scorer(rules)):
        assert scorer.times == {"at": "TIME", "on": "DATE"}
        assert scorer.score(records) == {"predictions": ["night", "night", "old", "day"],
                                         "rules": ["night", "early", "old", None]}
        with pytest.raises(BadRequest, match="column 'at': expected an ISO time"):
            scorer.score([{"at": "25:99", "on": None}])
        with pytest.raises(BadRequest, match="column 'on': expected an ISO date"):
            scorer.score([{"at": None, "on": 20100101}])


def test_slow_connections_do_not_starve_the_server(tmp_path):
    """1,000 clients each send part of a request head and stall: /health still answers, and the stalled
    connections are closed after the header time limit. (Loopback only; bounded.)"""
    import resource
    import socket

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2_200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4_096), hard))
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(RULES))
    env = {**os.environ, "RULE_STUDIO_HEADER_SECONDS": "3"}
    slow = []
    with serving(path, env) as port:
        try:
            for _ in range(1_000):
                s = socket.create_connection(("127.0.0.1", port), timeout=30)
                s.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\n")
                slow.append(s)
            assert call(port, "GET", "/health")[0] == 200
            assert call(port, "POST", "/predict", RECORDS)[0] == 200
            closed = 0
            for s in slow:  # the server closes them (recv sees the end), within the header time limit and some
                s.settimeout(30)
                try:
                    closed += s.recv(1) == b""
                except OSError:
                    closed += 1
            assert closed == 1_000
        finally:
            for s in slow:
                s.close()


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return {int(p) for p in f.read().split()}


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] == "Z"  # a zombie has ended
    except FileNotFoundError:
        return True


def test_the_workers_end_when_the_server_is_killed(tmp_path):
    """A server killed outright (no time to stop its workers) leaves no worker process behind."""
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(RULES))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "studio", "serve", str(path), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if call(port, "GET", "/health")[0] == 200 and len(_children(proc.pid)) >= 2:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        workers = _children(proc.pid)
        assert workers
    finally:
        proc.kill()
        proc.wait(timeout=10)
    deadline = time.time() + 60  # each worker looks for its server every second
    while time.time() < deadline and not all(_gone(p) for p in workers):
        time.sleep(0.2)
    assert all(_gone(p) for p in workers), [p for p in workers if not _gone(p)]
