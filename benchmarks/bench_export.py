"""Scoring outside the studio, timed: batch scoring Parquet to Parquet, and the HTTP API.

    bash benchmarks/setup-bench-env.sh
    .venv-bench/bin/python -m benchmarks.bench_export [--rows 10000000] [--quick]

- batch: ``studio.runtime.scoring.score_file`` (what ``python -m studio score`` runs) on a Parquet file of
  10 million distinct rows from the synthetic credit-card generator, ten rules, every input column written
  back plus ``prediction`` and ``rule``; side by side, the peers' ``predict`` on rows already in
  memory (no file reading or writing for them) — human-learn's CaseWhenRuler and sklearn2pmml's
  RuleSetClassifier, on a slice because the latter takes about 100 µs a row;
- API: ``python -m studio serve`` in its own process (the project's environment), one keep-alive
  client connection per thread, 1 and 1,000 records per request: throughput and p50/p99 latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

import duckdb
import numpy as np

import studio
from benchmarks.bench_engine import TEN_RULES, large_input, ruleset
from studio.runtime.scoring import score_file

PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"


def batch(rows: int, repeats: int, work: Path) -> float:
    from benchmarks import peers
    src, out = large_input(rows), work / "scored.parquet"
    rules = ruleset()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        n = score_file(src, rules, out)
        times.append(time.perf_counter() - t0)
    assert n == rows
    median = statistics.median(times)
    ours = rows / median
    cols = len(duckdb.sql(f"DESCRIBE SELECT * FROM '{out}'").fetchall())
    print(f"studio   score, Parquet in and out, {rows:,} rows x {cols} columns, 10 rules: median {median:.2f} s "
          f"(n={repeats}) = {ours / 1e6:.2f} million rows/s")
    size = out.stat().st_size
    print(f"         output {size / 1e9:.2f} GB: {size / median / 1e6:,.0f} MB/s written")
    keep = ["Time", "Amount"]
    narrow = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        score_file(src, rules, work / "narrow.parquet", keep=keep)
        narrow.append(time.perf_counter() - t0)
    m = statistics.median(narrow)
    print(f"studio   score --keep {' '.join(keep)}, Parquet in and out, {rows:,} rows, 10 rules (output: the 2 kept "
          f"columns, prediction, rule): median {m:.2f} s (n={repeats}) = {rows / m / 1e6:.2f} million rows/s")

    # The peers, on rows already in memory, checked against the studio's predictions.
    slice_rows = 1_000_000
    frame = duckdb.sql(f"SELECT * FROM '{src}' LIMIT {slice_rows}").df()
    expected = duckdb.sql(f"SELECT prediction FROM '{out}' LIMIT {slice_rows}").fetchnumpy()["prediction"]
    peer_rules = [(c, op, v, 1) for c, op, v in TEN_RULES]
    hl = peers.hulearn_predictor(peer_rules, 0)
    t0 = time.perf_counter()
    hl_pred = hl(frame)
    hl_rate = slice_rows / (time.perf_counter() - t0)
    assert np.array_equal(np.asarray(hl_pred, dtype=np.int64), expected)
    s2p_rows = 50_000
    s2p = peers.sklearn2pmml_predictor(peer_rules, 0, fit_df=frame.head(10))
    t0 = time.perf_counter()
    s2p_pred = s2p(frame.head(s2p_rows))
    s2p_rate = s2p_rows / (time.perf_counter() - t0)
    assert np.array_equal(np.asarray(s2p_pred, dtype=np.int64), expected[:s2p_rows])
    print(f"human-learn CaseWhenRuler.predict, in memory, {slice_rows:,} rows: {hl_rate / 1e6:.2f} million rows/s "
          f"-> studio (with file I/O) is {ours / hl_rate:.1f}x faster")
    print(f"sklearn2pmml RuleSetClassifier.predict, in memory, {s2p_rows:,} rows: {s2p_rate:,.0f} rows/s "
          f"-> studio (with file I/O) is {ours / s2p_rate:,.0f}x faster")
    print("predictions identical: studio, human-learn, sklearn2pmml (on the rows each scored)")
    return ours


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(requests_single: int, requests_batch: int, work: Path) -> None:
    rules_path = work / "rules.json"
    ruleset().save(rules_path)
    port = free_port()
    python = str(PROJECT_PYTHON if PROJECT_PYTHON.exists() else sys.executable)
    proc = subprocess.Popen([python, "-m", "studio", "serve", str(rules_path), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        frame = duckdb.sql(f"SELECT * FROM read_parquet('{studio.data.synthetic.ensure_parquet(studio.data.bundled.cache_dir())}') "
                           "LIMIT 1000").df()
        records = json.loads(frame.to_json(orient="records"))
        for size, n in ((1, requests_single), (1000, requests_batch)):
            body = json.dumps(records[:size])
            for threads in (1, 4):
                latencies, elapsed = _load(port, body, n, threads)
                print(f"API      {size:>5} record(s)/request, {threads} client thread(s), {n:,} requests: "
                      f"p50 {np.percentile(latencies, 50) * 1000:.2f} ms, p99 {np.percentile(latencies, 99) * 1000:.2f} ms,"
                      f" {n / elapsed:,.0f} requests/s = {n * size / elapsed:,.0f} records/s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _load(port: int, body: str, n: int, threads: int) -> tuple[list[float], float]:
    def worker(count: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out = []
        for _ in range(count):
            t0 = time.perf_counter()
            conn.request("POST", "/predict", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            out.append(time.perf_counter() - t0)
        conn.close()
        return out
    worker(min(50, n))  # warm-up
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(worker, [n // threads] * threads))
    return [x for p in parts for x in p], time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        batch(1_000_000 if args.quick else args.rows, 3 if args.quick else 5, work)
        api(500 if args.quick else 4000, 50 if args.quick else 400, work)


if __name__ == "__main__":
    main()
