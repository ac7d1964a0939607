#!/usr/bin/env bash
# 1 MiB values: redis-benchmark -t set,get -d 1048576 against a fresh redis-server and a Strata
# kv listener, alternated A B A B (issue 13). Prints requests per second and the p50 latency.
#
#   src/bench/large-values.sh PORT [REPS]      (PORT: Strata's RESP listener, e.g. 6380)
#   env: N=200 C=50
set -euo pipefail
PORT=${1:?usage: large-values.sh PORT [REPS]}
REPS=${2:-2}
N=${N:-200}; C=${C:-50}
RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$RPORT" --save '' --appendonly no --daemonize no --logfile /dev/null &
RPID=$!
trap 'kill $RPID 2>/dev/null; wait $RPID 2>/dev/null' EXIT
for _ in $(seq 50); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
run() { # port
  redis-benchmark -p "$1" -t set,get -d 1048576 -n "$N" -c "$C" --csv 2>/dev/null |
    awk -F, 'NR > 1 {gsub(/"/, ""); printf "%s %s req/s p50 %s ms; ", $1, $2, $6}'
  echo
}
for r in $(seq "$REPS"); do
  printf 'redis-server  '; run "$RPORT"
  printf 'strata        '; run "$PORT"
done
