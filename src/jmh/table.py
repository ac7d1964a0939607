#!/usr/bin/env python3
"""Turns JMH's JSON (-rf json) of FramingBenchmark into the Markdown table of docs/benchmarks.md."""
import json, sys

rows = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    if not r["benchmark"].endswith(("strataRegion", "strataBuffer", "netty", "nettyPooled", "recordParser")) or "FramingBenchmark" not in r["benchmark"]:
        continue
    p = r["params"]
    key = (p["codec"], int(p["frameBytes"]))
    alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    rows.setdefault(key, {})[name] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], alloc)

print("| codec | frame | decoder | frames/s | ± | MB/s (wire) | B/frame | vs Netty | vs RecordParser |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|")
for (codec, size), impls in sorted(rows.items()):
    wire = size + (1 if codec == "lines" else 4)
    netty = impls.get("netty", (float("nan"),))[0]
    rp = impls.get("recordParser", (float("nan"),))[0]
    for name in ("strataRegion", "strataBuffer", "netty", "nettyPooled", "recordParser"):
        if name not in impls:
            continue
        score, err, alloc = impls[name]
        print(f"| {codec} | {size} B | {name} | {score:,.0f} | {err:,.0f} | {score * wire / 1e6:,.0f} | {alloc:,.0f} | "
              f"{score / netty:.2f}x | {score / rp:.2f}x |")
