#!/usr/bin/env bash
# Strata's event-bus bridge against the reference (Vert.x's vertx-tcp-eventbus-bridge 5.0.7), in one run:
# the same request/reply (a `send` with a replyAddress to app.echo, a consumer replying with the body;
# 16-byte JSON body {"k":"xxxxxxxx"}) over 50 connections, at 16 requests in flight per connection and
# at 1, with the built-in load tool (`strata bench --codec bridge`). Each server runs alone, in its own
# JVM, so that its CPU (utime+stime from /proc/<pid>/stat) is its own; CPU per request = that CPU over
# the measured run / the replies counted. Each measured run follows an unmeasured warm-up run.
# Run from the repository root after `mvn -q -DskipTests package` (and test-compile).
#   env: DURATION (10s) WARMUP (5s) CONNECTIONS (50) DEPTHS ("16 1") REPS (2)
set -euo pipefail
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-50}
DEPTHS=${DEPTHS:-16 1}
REPS=${REPS:-2}
PORT=17001
[ -f target/bench-classpath ] ||
  mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath >/dev/null
conf=$(mktemp --suffix .yaml)
cat > "$conf" <<YAML
listeners: []
apps:
  - {name: echo, verticle: dev.strata.apps.EchoVerticle}
bridge: {host: 127.0.0.1, port: $PORT}
admin: {enabled: false}
YAML
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 300); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.1; done; echo "no server on $PORT" >&2; exit 1; }
bench() { java -jar target/strata.jar bench -p "$PORT" --codec bridge --payload 8 -c "$CONNECTIONS" "$@" 2>/dev/null; }
measure() { # name pid depth
  local name=$1 pid=$2 depth=$3
  bench -P "$depth" -d "$WARMUP" --warmup 0s >/dev/null
  local before; before=$(cpu_ticks "$pid")
  local out; out=$(bench -P "$depth" -d "$DURATION" --warmup 0s)
  local after; after=$(cpu_ticks "$pid")
  local rps replies errors p50 p99
  replies=$(echo "$out" | awk '/replies/ {gsub(",", "", $2); print $2}')
  errors=$(echo "$out" | awk '/replies/ {gsub(/[(),]/, "", $4); print $4}')
  rps=$(echo "$out" | awk '/throughput/ {gsub(",", "", $2); print $2}')
  p50=$(echo "$out" | awk '/latency/ {print $4}')
  p99=$(echo "$out" | awk '/latency/ {print $8}')
  local us; us=$(awk -v d=$((after - before)) -v t="$TCK" -v n="$replies" 'BEGIN {printf "%.1f", d / t * 1e6 / n}')
  printf "%-34s P=%-3s %10s req/s  errors %s  p50 %s ms  p99 %s ms  server CPU %s us/req\n" \
    "$name" "$depth" "$rps" "$errors" "$p50" "$p99" "$us"
}
run() { # name command...
  local name=$1; shift
  if (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT is already in use" >&2; exit 1; fi
  "$@" >/dev/null 2>&1 &
  local pid=$!
  wait_port
  for depth in $DEPTHS; do measure "$name" "$pid" "$depth"; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "bridge-compare: $CONNECTIONS connections, send+reply to app.echo, body {\"k\":\"xxxxxxxx\"}, $DURATION per run, $(nproc) cores"
for rep in $(seq "$REPS"); do
  run "reference vertx-tcp-eventbus-bridge" java -cp "target/test-classes:$(cat target/bench-classpath)" \
    dev.strata.bench.ReferenceBridgeServer "$PORT"
  run "Strata bridge" java -jar target/strata.jar --conf "$conf"
done
rm -f "$conf"
