#!/usr/bin/env bash
# Connection accept rate with and without --cluster, side by side in one run (issue 10's identity box):
# src/bench/accept_rate.py (THREADS threads each open N connections one after another to a `lines`
# echo listener, send a line, read the echo, close) against
#   1. alone:     the node on its own
#   2. cluster-1: the node with --cluster, the only member
#   3. cluster-2: the node with --cluster and a second member (no listener; it holds the backups)
# for each jar given (default target/strata.jar; give the previous build's jar too to compare), each
# node started once per mode, WARMUP warm-up runs of N (the accept path is still being compiled after
# one: rates rose run after run), then RUNS measured runs, each with the server CPU it cost per
# connection (user+sys of every member, from /proc/PID/stat), which the load generator's own limits and
# a shared machine move least. Run from the repository root after `mvn -q -DskipTests package`.
#   env: RUNS (5) N (2000) THREADS (4) WARMUP (4) HEAP (default heap)
#   usage: src/bench/accept-rate.sh [label=jar ...]
set -euo pipefail
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-4}
N=${N:-2000}
THREADS=${THREADS:-4}
HEAP=${HEAP:-}
PORT=17090
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
[ $# -gt 0 ] || set -- "this=target/strata.jar"
yaml() { # name, listener?(yes|no), cluster name, hazelcast port
  {
    if [ "$2" = yes ]; then
      echo "listeners:"
      echo "  - {name: echo, host: 127.0.0.1, port: $PORT, codec: lines, address: app.echo}"
      echo "apps:"
      echo "  - {verticle: dev.strata.apps.EchoVerticle}"
    fi
    echo "admin: {enabled: false}"
    echo "cluster: {name: $3, port: $4}"
  } > "$dir/$1.yaml"
}
start() { # jar, name, extra args
  java $HEAP -jar "$1" --conf "$dir/$2.yaml" $3 > "$dir/$2.log" 2>&1 & echo $!
}
wait_log() { for _ in $(seq 600); do grep -q "strata started" "$dir/$1.log" && return; sleep 0.1; done; echo "$1 did not start" >&2; tail "$dir/$1.log" >&2; exit 1; }
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
measure() { # label, pids of the members
  local label=$1 t0 t1 out; shift
  for _ in $(seq "$WARMUP"); do python3 src/bench/accept_rate.py $PORT "$N" "$THREADS" > /dev/null; done
  for run in $(seq "$RUNS"); do
    t0=$(ticks "$@")
    out=$(python3 src/bench/accept_rate.py $PORT "$N" "$THREADS")
    t1=$(ticks "$@")
    echo "$label run $run: $out, server CPU $(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / (N * THREADS) )) us per connection"
  done
}
for spec in "$@"; do
  label=${spec%%=*}
  jar=${spec#*=}
  name=accept-$RANDOM
  yaml a yes "$name-alone" 6760
  pa=$(start "$jar" a ""); wait_log a
  measure "$label alone" "$pa"
  kill "$pa"; wait "$pa" 2>/dev/null || true
  yaml a yes "$name-c1" 6770
  pa=$(start "$jar" a --cluster); wait_log a
  measure "$label cluster-1" "$pa"
  kill "$pa"; wait "$pa" 2>/dev/null || true
  yaml b no "$name-c2" 6780
  yaml a yes "$name-c2" 6780
  pb=$(start "$jar" b --cluster); wait_log b
  pa=$(start "$jar" a --cluster); wait_log a
  measure "$label cluster-2" "$pa" "$pb"
  kill "$pa" "$pb"; wait "$pa" "$pb" 2>/dev/null || true
done
