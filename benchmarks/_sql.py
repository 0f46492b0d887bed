import studio
from benchmarks.bench_scale import generated
from benchmarks.bench_engine import full_refresh, ruleset
class P:
    def __init__(s, c): s.c = c
    def execute(s, q, *a):
        print("SQL:", q); return s.c.execute(q, *a)
    def __getattr__(s, n): return getattr(s.c, n)
d = studio.Dataset.from_parquet(generated(100_000), name="x")
s = d.split("Class", positive=1)
d.con = P(d.con)
full_refresh(s, ruleset())()
