"""How the studio's steps grow with the rows: generated credit-card-shaped Parquet (Time, V1..V28,
Amount, Class; about 0.17% positives, shifted on a few V columns), written by DuckDB, not committed.

    .venv/bin/python -m benchmarks.bench_scale                       # 1 M and 10 M rows
    .venv/bin/python -m benchmarks.bench_scale --rows 1000000 10000000 100000000 --on-disk --memory-limit 7GB

Each size runs in a process of its own (its peak RSS is its own): load the file, split it (columns of
the data and a view, see studio/data/split_store.py), split it again with another test share and
another seed, a full refresh of ten rules (median of --repeats, the counts forgotten each time as a
rule change does), the threshold scan (every single threshold of every numeric column, 256 bins)
and Explore's train sample; then the ratio of each step's time between sizes next to the ratio of
the rows (linear growth: the two are equal). With ``--on-disk`` each dataset is kept in a DuckDB
database file of its own (studio/data/connection.py) within ``--memory-limit``: the first refresh then
reads its columns from the file, and is shown apart from the median; and the steps that read the data
are timed again from the file (``cold``: DuckDB's buffer pool and the operating system's cache of the
file emptied just before), so that every size is timed on the same footing: a size that fits within
the memory limit otherwise reads from memory what a larger one must read from the disk. Then the
whole database file is read alone, from the disk, for the disk's own ratio between sizes (a virtual
machine's disk may be faster for a file its host still caches). The Parquet file is read from the
disk at every size (its cache emptied before the load).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import duckdb

import studio
from studio.data.folders import cache_dir

from benchmarks.bench_engine import full_refresh, peak_rss_mib, ruleset

STEPS = ("load", "split", "share", "seed", "refresh", "scan", "sample")
COLD_STEPS = ("seed", "first", "scan", "sample", "read")  # timed again from the file (on disk)


def forget_files(*paths) -> None:
    """Drop the operating system's cached pages of these files (written ones are flushed first), so
    that they are next read from the disk."""
    for path in paths:
        if os.path.exists(path):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def read_through(path) -> float:
    """Seconds to read the whole file from the disk (its cached pages dropped first): what the disk
    gives the steps above at this size."""
    forget_files(path)
    t0 = time.perf_counter()
    with open(path, "rb", buffering=0) as f:
        while f.read(8 << 20):
            pass
    return time.perf_counter() - t0


def forget(data, memory_limit: str) -> None:
    """Empty a dataset kept on disk from memory: every change checkpointed into its file, DuckDB's
    buffer pool emptied (a memory limit of 1 MB evicts every block it can read again; the limit is
    then put back) and the file's pages dropped from the operating system's cache."""
    with data.lock:
        data.con.execute("CHECKPOINT")
        data.con.execute("SET memory_limit = '1MB'")
        data.con.execute(f"SET memory_limit = '{memory_limit}'")
        forget_files(data.database, f"{data.database}.wal")


def generated(rows: int):
    """The Parquet file of ``rows`` rows, made once in the cache (DuckDB writes it in row groups)."""
    path = cache_dir() / f"scale-{rows}-rows.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fraud = "(hash(i, 7) % 578 = 0)"
        shifted = {"V14": -6, "V17": -5, "V12": -5, "V10": -4, "V11": 3, "V4": 3}
        cols = ", ".join(f"(hash(i, {k}) % 2000000)::DOUBLE / 400000 - 2.5"
                         + (f" + CASE WHEN {fraud} THEN {shifted[f'V{k}']} ELSE 0 END" if f"V{k}" in shifted else "")
                         + f" AS V{k}" for k in range(1, 29))
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute(f"COPY (SELECT (i % 172800)::DOUBLE AS Time, {cols}, (hash(i, 99) % 100000)::DOUBLE / 100 AS Amount, "
                    f"{fraud}::INTEGER AS Class FROM range({rows}) t(i)) TO '{path.with_suffix('.tmp')}' (FORMAT parquet)")
        con.close()
        path.with_suffix(".tmp").replace(path)
    return path


def one_size(rows: int, repeats: int, on_disk: bool = False, memory_limit: str | None = None) -> dict:
    from studio.explore.sample import train_sample
    from studio.mining.candidates import scan_thresholds

    path = generated(rows)
    out = {}

    def timed(step, act, into=None):
        """Run ``act`` and keep its time under ``step`` (in ``into``, else in ``out``)."""
        t0 = time.perf_counter()
        result = act()
        (out if into is None else into)[step] = time.perf_counter() - t0
        return result

    forget_files(path)
    data = timed("load", lambda: studio.Dataset.from_parquet(path, name=f"{rows:,} rows", on_disk=on_disk,
                                                             memory_limit=memory_limit))
    split = timed("split", lambda: data.split("Class", positive=1, test_size=0.5, seed=0))
    # what changing the Data page's split costs: another test share, another seed
    timed("share", lambda: data.split("Class", positive=1, test_size=0.3, seed=0))
    split = timed("seed", lambda: data.split("Class", positive=1, test_size=0.5, seed=1))
    rules = ruleset()
    run = full_refresh(split, rules)
    timed("first", run)
    times = []
    for _ in range(repeats):
        timed("refresh", run)
        times.append(out["refresh"])
    out["refresh"] = statistics.median(times)
    timed("scan", lambda: scan_thresholds(split, bins=256))
    timed("sample", lambda: train_sample(split))
    if on_disk:
        limit = memory_limit or data.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        cold = out["cold"] = {}
        forget(data, limit)
        split = timed("seed", lambda: data.split("Class", positive=1, test_size=0.5, seed=2), cold)
        for step, act in (("first", full_refresh(split, rules)), ("scan", lambda: scan_thresholds(split, bins=256)),
                          ("sample", lambda: train_sample(split))):
            split.cache.clear()
            forget(data, limit)
            timed(step, act, cold)
        forget(data, limit)
        cold["read"] = read_through(data.database)
    out["rss_mib"] = peak_rss_mib()
    if on_disk:
        out["file_gib"] = data.database.stat().st_size / 2 ** 30
    data.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--on-disk", action="store_true", help="keep each dataset in a database file")
    parser.add_argument("--memory-limit", help="DuckDB's memory limit, e.g. 6GB")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.repeats, args.on_disk, args.memory_limit)))
        return
    extra = (["--on-disk"] if args.on_disk else []) + (["--memory-limit", args.memory_limit] if args.memory_limit else [])
    print(("on disk" if args.on_disk else "in memory") + (f", memory limit {args.memory_limit}" if args.memory_limit else "")
          + ":", flush=True)
    results = {}
    for rows in args.rows:
        done = subprocess.run([sys.executable, "-m", "benchmarks.bench_scale", "--one", str(rows),
                               "--repeats", str(args.repeats), *extra], capture_output=True, text=True, check=True)
        r = results[rows] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{rows:>11,} rows: load {r['load']:.2f} s, split {r['split']:.2f} s (then another share "
              f"{r['share']:.2f} s, another seed {r['seed']:.2f} s), full refresh {r['refresh'] * 1000:,.0f} ms "
              f"(median of {args.repeats}; the first {r['first'] * 1000:,.0f} ms), threshold scan {r['scan']:.2f} s, Explore sample {r['sample']:.2f} s, "
              f"peak RSS {r['rss_mib'] / 1024:.2f} GiB"
              + (f", database file {r['file_gib']:.1f} GiB" if "file_gib" in r else ""), flush=True)
        if "cold" in r:
            c = r["cold"]
            print(f"{'':>17}from the file: another seed {c['seed']:.2f} s, refresh {c['first'] * 1000:,.0f} ms, "
                  f"threshold scan {c['scan']:.2f} s, Explore sample {c['sample']:.2f} s; the file alone read in "
                  f"{c['read']:.2f} s ({r['file_gib'] / c['read']:.2f} GiB/s)", flush=True)
    sizes = sorted(results)
    for small, big in zip(sizes, sizes[1:]):
        ratios = ", ".join(f"{s} x{results[big][s] / results[small][s]:.1f}" for s in STEPS)
        print(f"{small:,} -> {big:,} rows (x{big / small:g}): {ratios}; peak RSS x{results[big]['rss_mib'] / results[small]['rss_mib']:.1f}")
        if "cold" in results[big]:
            cold = ", ".join(f"{dict(first='refresh', read='the file alone').get(s, s)} x{results[big]['cold'][s] / results[small]['cold'][s]:.1f}"
                             for s in COLD_STEPS)
            print(f"{'':>{len(f'{small:,} -> {big:,} rows')}}  from the file: load x{results[big]['load'] / results[small]['load']:.1f}, {cold}")


if __name__ == "__main__":
    main()
