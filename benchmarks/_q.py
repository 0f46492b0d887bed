import time, statistics, studio
from benchmarks.bench_scale import generated
d = studio.Dataset.from_parquet(generated(10_000_000), name="x")
s = d.split("Class", positive=1)
con = d.con
R = [("V11", ">", 4.0, True), ("V17", "<", -3.0, False), ("V14", "<", -8.0, False), ("V12", "<", -7.0, False),
     ("V10", "<", -6.0, False), ("V4", ">", 6.0, True), ("V3", "<", -9.0, False), ("V16", "<", -6.0, False),
     ("V7", "<", -8.0, False), ("Amount", ">", 20000.0, True)]
def case(c, op, v, nan): 
    x = f'NULLIF("{c}", CAST(\'NaN\' AS DOUBLE))' if nan else f'"{c}"'
    return f"{x} {op} {v}"
variants = {
 "now": " + ".join(f"CASE WHEN {case(*r)} THEN {1<<i} ELSE 0 END" for i, r in enumerate(R)),
 "coalesce": " + ".join(f"COALESCE(CAST({case(*r)} AS INTEGER), 0) * {1<<i}" for i, r in enumerate(R)),
 "isnan": " + ".join("CASE WHEN \"%s\" %s %s%s THEN %d ELSE 0 END" % (r[0], r[1], r[2], (' AND NOT isnan("%s")' % r[0]) if r[3] else '', 1 << i) for i, r in enumerate(R)),
 "inf": " + ".join("CASE WHEN \"%s\" %s %s%s THEN %d ELSE 0 END" % (r[0], r[1], r[2], (' AND "%s" <= CAST(\'Infinity\' AS DOUBLE)' % r[0]) if r[3] else '', 1 << i) for i, r in enumerate(R)),
 "bitor": " | ".join(f"CASE WHEN {case(*r)} THEN {1<<i} ELSE 0 END" for i, r in enumerate(R)),
 "nonan": " + ".join(f"CASE WHEN \"{r[0]}\" {r[1]} {r[2]} THEN {1<<i} ELSE 0 END" for i, r in enumerate(R)),
}
def t(name, q):
    ts = []
    for _ in range(7):
        t0 = time.perf_counter(); con.execute(q).fetchall(); ts.append(time.perf_counter() - t0)
    print(f"{statistics.median(ts)*1000:7.1f} ms {name}")
for name, e in variants.items():
    t(name, f"SELECT CAST({e} AS BIGINT) * 4 + __rs_y * 2 + __rs_test AS k0, count(*) AS n FROM split_1 GROUP BY ALL")
e = variants["inf"]
t("int key", f"SELECT CAST(({e}) * 4 + __rs_y * 2 + __rs_test AS INTEGER) AS k0, count(*) AS n FROM split_1 GROUP BY ALL")
t("sum only", f"SELECT sum({e}) FROM split_1")
t("scan only", "SELECT count(*) FROM split_1 WHERE " + " OR ".join(f'"{r[0]}" = 12345.5' for r in R))
t("from data", f"SELECT CAST({e} AS BIGINT) * 4 + __rs_y * 2 + __rs_test AS k0, count(*) AS n FROM data WHERE __rs_test IS NOT NULL GROUP BY ALL")
t("from data no filter", f"SELECT CAST({e} AS BIGINT) * 4 + __rs_y * 2 + __rs_test AS k0, count(*) AS n FROM data GROUP BY ALL")
