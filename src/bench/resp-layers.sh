#!/usr/bin/env bash
# What Strata's layers cost over RESP, in one run: ../shared/bench/resp-compare.sh (redis-benchmark,
# a fresh redis-server alternated with the server under test) against
#   1. Strata's kv listener, default configuration (local-first dispatch)
#   2. the same with dispatch: event-bus (one event-bus request per frame)
#   3. the raw Vert.x RESP responder (dev.strata.bench.RawRespServer: same codec, no layers)
# Run from the repository root after `mvn -q -DskipTests package`.
#   env: REPS N C DEPTHS TESTS as for resp-compare.sh; COMPARE=path/to/resp-compare.sh
set -euo pipefail
COMPARE=${COMPARE:-../shared/bench/resp-compare.sh}
PORT=16380
conf=$(mktemp --suffix .yaml)
cat > "$conf" <<YAML
listeners:
  - {name: kv, host: 127.0.0.1, port: $PORT, codec: resp, address: app.kv}
apps:
  - {verticle: dev.strata.apps.KvVerticle}
admin: {enabled: false}
YAML
serve() { "$@" >/dev/null 2>&1 & echo $!; }
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.1; done; }
run() {
  local name=$1; shift
  local pid; pid=$(serve "$@"); wait_port
  echo "== $name"
  bash "$COMPARE" "$PORT" "$pid" 2>/dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run "Strata kv, dispatch local-first (default)" java -jar target/strata.jar --conf "$conf"
run "Strata kv, dispatch event-bus" env STRATA_LISTENERS_KV_DISPATCH=event-bus java -jar target/strata.jar --conf "$conf"
run "raw Vert.x RESP responder (no Strata layers)" java -cp target/strata.jar dev.strata.bench.RawRespServer "$PORT"
rm -f "$conf"
