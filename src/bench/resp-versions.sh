#!/usr/bin/env bash
# Two builds of Strata's kv listener over RESP, each against a fresh redis-server, alternated
# (A B A B ...): what a change costs, as a ratio to redis and as server CPU per request, in one run.
# Runs ../shared/bench/resp-compare.sh for each; same config as resp-layers.sh (admin off).
#   resp-versions.sh BEFORE.jar AFTER.jar   env: ROUNDS=2, and REPS N C DEPTHS TESTS as for resp-compare.sh
set -euo pipefail
A=${1:?usage: resp-versions.sh BEFORE.jar AFTER.jar}; B=${2:?}
COMPARE=${COMPARE:-../shared/bench/resp-compare.sh}
ROUNDS=${ROUNDS:-2}
PORT=16380
conf=$(mktemp --suffix .yaml)
cat > "$conf" <<YAML
listeners:
  - {name: kv, host: 127.0.0.1, port: $PORT, codec: resp, address: app.kv}
apps:
  - {verticle: dev.strata.apps.KvVerticle}
admin: {enabled: false}
YAML
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.1; done; }
run() {
  local name=$1 jar=$2
  java -jar "$jar" --conf "$conf" >/dev/null 2>&1 & local pid=$!
  wait_port
  echo "== $name ($jar)"
  bash "$COMPARE" "$PORT" "$pid" 2>/dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for r in $(seq "$ROUNDS"); do
  run "round $r: before" "$A"
  run "round $r: after" "$B"
done
rm -f "$conf"
