"""Hostile input against a running studio and a running scoring API, with their limits on:

- the studio (Streamlit, the project's app.py): files that exhausted a server before are uploaded
  through the Data page in Chromium (a small Parquet file of 50 million constant rows, a CSV of
  100,001 columns); for each: the time to the refusal, the message, the server's peak memory, and
  the health check's latency while it is loaded;
- the command line: a gzip CSV whose first line inflates to 200 MB (the upload form takes no gzip);
- the API (``python -m studio serve``): /health latency while 1,000 connections that never finish
  their request head are open, and while heavy batches are being scored.

    .venv/bin/python -m benchmarks.bench_hostile
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import duckdb

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, wait_healthy
from tests.support.studio_page import open_studio, wait_idle

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            out += [int(child), *children(int(child))]
    return out


class HealthProbe:
    """Polls a health URL every 50 ms in a thread; latencies in ms (failures as inf)."""

    def __init__(self, url: str):
        self.url, self.latencies, self._stop = url, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as r:
                    r.read()
                self.latencies.append((time.perf_counter() - start) * 1000)
            except OSError:
                self.latencies.append(float("inf"))
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        lat = self.latencies or [float("nan")]
        failed = sum(1 for v in lat if v == float("inf"))
        ok = sorted(v for v in lat if v != float("inf")) or [float("nan")]
        p95 = ok[min(len(ok) - 1, int(0.95 * len(ok)))]
        slow = sum(1 for v in ok if v > 100)
        return (f"health checks: {len(lat)}, failed {failed}, median {statistics.median(ok):.0f} ms, "
                f"95th percentile {p95:.0f} ms, max {max(ok):.0f} ms, over 100 ms: {slow}")


def hostile_uploads(folder: Path) -> list[Path]:
    many = folder / "constant-50M-rows.parquet"
    duckdb.execute(f"COPY (SELECT 1 AS a, 0 AS y FROM range(50000000)) TO '{many}' (FORMAT parquet)")
    wide = folder / "wide-100001-columns.csv"
    wide.write_text(",".join(f"c{i}" for i in range(100_001)) + "\n" + ",".join("1" * 100_001) + "\n")
    return [many, wide]


def cli_part(folder: Path) -> None:
    """A file the upload form does not take (gzip), read by the command line: a first line that
    inflates to 200 MB."""
    bomb = folder / "one-line.csv.gz"
    with gzip.open(bomb, "wb") as out:
        for _ in range(200):
            out.write(b"x" * 1_000_000)
    rules = folder / "one-rule.json"
    rules.write_text(json.dumps({"format": "rule-studio/1", "default": 0, "rules": [
        {"when": [{"column": "x", "op": ">", "value": 1}], "then": 1}]}))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "studio", "evaluate", str(bomb), "--target", "y", "--rules", str(rules)],
                          cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"CLI evaluate {bomb.name} ({bomb.stat().st_size / 1e6:.1f} MB, 200 MB inflated): exit {proc.returncode} "
          f"after {seconds:.1f} s, peak memory {peak:,.0f} MiB; stderr: {proc.stderr.strip()}")


def studio_part(folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    files = hostile_uploads(folder)
    port = free_port()
    proc = start_streamlit(folder / "ws", port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_studio(page, url + "/data")
            print(f"studio server after start: peak memory {peak_rss_mib(proc.pid):,.0f} MiB")
            for path in files:
                with HealthProbe(url + "/_stcore/health") as probe:
                    start = time.perf_counter()
                    page.get_by_role("tab", name="Upload a file").click()
                    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
                    page.get_by_text(f"{path.name} was not opened").first.wait_for(timeout=600_000)
                    wait_idle(page, timeout=600_000)
                    seconds = time.perf_counter() - start
                message = page.get_by_text(f"{path.name} was not opened").first.inner_text().splitlines()[0]
                print(f"upload {path.name} ({path.stat().st_size / 1e6:.1f} MB): refused after {seconds:.1f} s; "
                      f"peak memory of the server so far {peak_rss_mib(proc.pid):,.0f} MiB; {probe.summary()}")
                print(f"         message: {message}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def api_part(folder: Path) -> None:
    rules = folder / "rules.json"
    many = [{"name": f"r{k}", "when": [{"column": f"V{1 + k % 28}", "op": ">" if k % 2 else "<",
                                        "value": (k % 17) / 4 - 2}], "then": 1} for k in range(400)]
    rules.write_text(json.dumps({"format": "rule-studio/1", "default": 0, "rules": many}))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "studio", "serve", str(rules), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    slow = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        with HealthProbe(url + "/health") as probe:
            time.sleep(2)
        print(f"API, quiet: {probe.summary()}")
        for _ in range(1_000):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        with HealthProbe(url + "/health") as probe:
            time.sleep(5)
        print(f"API, 1,000 connections stalled in their request head: {probe.summary()} (target: under 100 ms)")
        record = {f"V{k}": 0.5 for k in range(1, 29)}
        body = json.dumps([record] * 20_000).encode()

        def heavy() -> None:
            req = urllib.request.Request(url + "/predict", data=body, headers={"Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=120).read()

        with HealthProbe(url + "/health") as probe:
            workers = [threading.Thread(target=heavy) for _ in range(8)]
            start = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            seconds = time.perf_counter() - start
        print(f"API, 8 batches of 20,000 records x 400 rules scored in {seconds:.1f} s: {probe.summary()}")
        workers = children(proc.pid)
        print(f"API server peak memory: {peak_rss_mib(proc.pid):,.0f} MiB, and {len(workers)} scoring worker "
              f"processes {sum(peak_rss_mib(w) for w in workers):,.0f} MiB together")
    finally:
        for s in slow:
            s.close()
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # 1,000 client sockets here, as many in the server
    if soft < 2_200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4_096), hard))
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["RULE_STUDIO_UPLOADS"] = str(folder / "uploads")
        cli_part(folder)
        api_part(folder)
        studio_part(folder)


if __name__ == "__main__":
    main()
