#!/usr/bin/env bash
# Request/reply across cluster members against the same load on one member, side by side in one run
# (issue 10's speed box): `strata bench` against
#   1. one member: listener and echo application in one `--cluster` node (the local fast path)
#   2. across: the listener on member A, the echo application on member B (member routes: one
#      message per event-loop turn and member, and one per batch of outcomes, over each event loop's
#      link to a lane of B)
#   3. across, the listener with `dispatch: event-bus`: one cluster message per request and per reply
#      (what every cross-member request was before member routes)
# alternated for ROUNDS rounds. Run from the repository root after `mvn -q -DskipTests package`.
#   env: ROUNDS (2) BENCH ("-c 50 -P 16 -d 8s") HEAP (-Xmx512m) JAR (target/strata.jar: the build to measure;
#   the load generator is always target/strata.jar, so that two builds are measured with the same one)
set -euo pipefail
ROUNDS=${ROUNDS:-2}
BENCH=${BENCH:--c 50 -P 16 -d 8s}
HEAP=${HEAP:--Xmx512m}
JAR=${JAR:-target/strata.jar}
PORT=17070
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
yaml() { # name, listener?(yes|no|event-bus), app?(yes|no), cluster name, hazelcast port
  {
    if [ "$2" != no ]; then
      echo "listeners:"
      echo "  - {name: echo, host: 127.0.0.1, port: $PORT, codec: lines, address: app.echo$([ "$2" = event-bus ] && echo ', dispatch: event-bus')}"
    fi
    if [ "$3" = yes ]; then
      echo "apps:"
      echo "  - {verticle: dev.strata.apps.EchoVerticle}"
    fi
    echo "admin: {enabled: false}"
    echo "cluster: {name: $4, port: $5}"
  } > "$dir/$1.yaml"
}
start() { java $HEAP -jar "$JAR" --conf "$dir/$1.yaml" --cluster > "$dir/$1.log" 2>&1 & echo $!; }
wait_log() { for _ in $(seq 600); do grep -q "strata started" "$dir/$1.log" && return; sleep 0.1; done; echo "$1 did not start" >&2; tail "$dir/$1.log" >&2; exit 1; }
bench() { java -jar target/strata.jar bench -p $PORT --codec lines $BENCH; }
for round in $(seq "$ROUNDS"); do
  name=rr-$RANDOM-$round
  yaml one yes yes "$name-one" 6700
  pid=$(start one); wait_log one
  echo "== round $round: one member (listener and application in one node)"
  bench
  kill "$pid"; wait "$pid" 2>/dev/null || true
  yaml b no yes "$name-across" 6720
  yaml a yes no "$name-across" 6720
  pb=$(start b); wait_log b
  pa=$(start a); wait_log a
  echo "== round $round: across members (listener on A, application on B)"
  bench
  kill "$pa" "$pb"; wait "$pa" "$pb" 2>/dev/null || true
  yaml b no yes "$name-plain" 6740
  yaml a event-bus no "$name-plain" 6740
  pb=$(start b); wait_log b
  pa=$(start a); wait_log a
  echo "== round $round: across members, dispatch: event-bus (one cluster message per request)"
  bench
  kill "$pa" "$pb"; wait "$pa" "$pb" 2>/dev/null || true
done
