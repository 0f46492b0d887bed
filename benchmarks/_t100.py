import time, sys, statistics, studio
from benchmarks.bench_scale import generated
from benchmarks.bench_engine import full_refresh, peak_rss_mib, ruleset
rows = int(sys.argv[1]); mem = sys.argv[2]
t0 = time.perf_counter()
d = studio.Dataset.from_parquet(generated(rows), name="x", on_disk=True, memory_limit=mem)
print("load", time.perf_counter() - t0, peak_rss_mib(), flush=True)
import os; print("file GB", os.path.getsize(d.database) / 1e9, flush=True)
t0 = time.perf_counter(); s = d.split("Class", positive=1, test_size=0.5, seed=0); print("split", time.perf_counter() - t0, peak_rss_mib(), flush=True)
run = full_refresh(s, ruleset())
for _ in range(5):
    t0 = time.perf_counter(); run(); print("refresh", time.perf_counter() - t0, peak_rss_mib(), flush=True)
d.close()
