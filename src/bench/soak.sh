#!/usr/bin/env bash
# Soak (issue 11): churn (connect, pipeline, close: cleanly, by reset, mid-frame) plus steady pipelining
# clients against one node for MINUTES, driven by src/bench/soak.py. Records, each minute, the live heap
# after a full GC and the node's open connections; at the end checks every counter against the replies
# received (no lost request) and that no connection is left once the clients have gone. Exit status 0
# only when the heap stayed within 10% of its median (minute 1 left out), nothing leaked, nothing was lost.
#
#   src/bench/soak.sh MINUTES [JAR]      (default target/strata.jar; run from the repository root)
#   SOAK_PAUSE_MS=20 src/bench/soak.sh 30   each client pauses 20 ms between batches (default 0: flat out)
set -euo pipefail
MINUTES=${1:?usage: soak.sh MINUTES [JAR]}
JAR=${2:-target/strata.jar}
PORT=17390
ADMIN=18090
cat > /tmp/strata-soak.yaml <<YAML
listeners:
  - {name: kv, host: 127.0.0.1, port: $PORT, codec: resp, address: app.kv}
apps:
  - {verticle: dev.strata.apps.KvVerticle}
admin: {host: 127.0.0.1, port: $ADMIN}
YAML
LOG=$(mktemp)
java -Xms512m -Xmx512m -jar "$JAR" --conf /tmp/strata-soak.yaml >"$LOG" 2>&1 & PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 150); do grep -q "strata started" "$LOG" 2>/dev/null && break; sleep 0.2; done
grep -q "strata started" "$LOG" || { echo "did not start: $(cat "$LOG")"; exit 1; }
echo "soak: $MINUTES minutes against $JAR (pid $PID, -Xmx512m, pause ${SOAK_PAUSE_MS:-0} ms), $(date -u +%FT%TZ)"
status=0
python3 src/bench/soak.py $PORT $ADMIN $PID "$MINUTES" "${SOAK_PAUSE_MS:-0}" || status=$?
echo "node log: $(grep -c -i 'exception\|error' "$LOG" || true) lines with 'exception' or 'error'"
exit $status
