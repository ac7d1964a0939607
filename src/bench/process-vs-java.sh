#!/usr/bin/env bash
# A process application in Python (verticles/greet.py, through the bridge) against the same
# application as a Java verticle (dev.strata.apps.GreetVerticle), answering GREET for a RESP client,
# in one run on one node: `strata bench` drives each listener in turn with the same load.
# Run from the repository root after `mvn -q -DskipTests package`.
#   env: C (connections, default 50), P (pipeline depth, default 1), D (duration, default 10s), ROUNDS (default 2)
set -euo pipefail
C=${C:-50}; P=${P:-1}; D=${D:-10s}; ROUNDS=${ROUNDS:-2}
PY=16391; JAVA=16392; BRIDGE=17091
conf=$(mktemp --suffix .yaml)
cat > "$conf" <<YAML
listeners:
  - {name: greet-python, host: 127.0.0.1, port: $PY, codec: resp, address: app.greet}
  - {name: greet-java, host: 127.0.0.1, port: $JAVA, codec: resp, address: app.greet-java}
apps:
  - {name: greet, process: [python3, verticles/greet.py], address: app.greet}
  - {name: greet-java, verticle: dev.strata.apps.GreetVerticle, config: {address: app.greet-java}}
bridge: {port: $BRIDGE}
admin: {enabled: false}
YAML
java -jar target/strata.jar --conf "$conf" >/tmp/process-vs-java.log 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; wait $node 2>/dev/null; rm -f "$conf"' EXIT
for _ in $(seq 300); do grep -q 'serves app.greet' /tmp/process-vs-java.log && break; sleep 0.1; done
bench() { java -jar target/strata.jar bench -p "$1" --codec resp --request 'GREET ada' -c "$C" -P "$P" -d "$D" --warmup 2s; }
for round in $(seq "$ROUNDS"); do
  echo "== round $round: Python process (greet.py via the bridge), -c $C -P $P"; bench $PY
  echo "== round $round: Java verticle (GreetVerticle), -c $C -P $P"; bench $JAVA
done
