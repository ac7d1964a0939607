#!/usr/bin/env bash
# Runs FramingBenchmark for one case in alternated rounds (netty, strataRegion, strataBuffer, netty, ...)
# and prints each round and the median ratio to Netty. On a shared 2-core VM the speed of the machine
# drifts over minutes; alternating short runs cancels that drift, which one long JMH run cannot.
# Usage: src/jmh/alternate.sh [codec] [frameBytes] [rounds]   (after mvn -Pjmh -DskipTests package)
set -euo pipefail
codec=${1:-lines} size=${2:-16384} rounds=${3:-8}
out=$(mktemp -d)
for r in $(seq 1 "$rounds"); do
  for b in netty strataRegion strataBuffer; do
    java -jar target/benchmarks.jar "FramingBenchmark.$b\$" -p codec="$codec" -p frameBytes="$size" \
      -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff "$out/$r-$b.json" > /dev/null 2>&1
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def score(r, b):
    j = json.load(open(f"{out}/{r}-{b}.json"))[0]
    return j["primaryMetric"]["score"], j["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
ratios = {"strataRegion": [], "strataBuffer": []}
for r in range(1, rounds + 1):
    n, _ = score(r, "netty")
    row = [f"round {r}: netty {n:,.0f}/s"]
    for b in ratios:
        s, a = score(r, b)
        ratios[b].append(s / n)
        row.append(f"{b} {s:,.0f}/s ({s / n:.2f}x, {a:,.0f} B/frame)")
    print("  ".join(row))
for b, v in ratios.items():
    print(f"median {b} / netty: {statistics.median(v):.2f}x  (min {min(v):.2f}x, max {max(v):.2f}x)")
PY
