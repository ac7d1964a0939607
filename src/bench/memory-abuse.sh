#!/usr/bin/env bash
# Unfinished frames against a node with a 256 MB heap (issue 14), one fresh JVM per scenario
# (-Xmx256m, every limit at its default), driven by src/bench/memory_abuse.py:
#  1. 250 RESP connections one after another, each sending 1 MB of an unfinished bulk string and
#     closing, then 100 bridge connections doing the same with a 1,000,000-byte frame;
#  2. 300 connections holding such a frame at once, a canary doing round trips between openings.
# Live heap from jcmd GC.class_histogram (a full GC first), before and after (once the node has
# read and closed every connection, from its /metrics); OutOfMemoryError from the node's log.
#
#   src/bench/memory-abuse.sh [JAR]      (default target/strata.jar; run from the repository root)
set -euo pipefail
JAR=${1:-target/strata.jar}
RESP=17380
BRIDGE=17000
heap() { timeout 60 jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ {printf "%.1f MB", $3/1048576}' || echo "no answer in 60 s"; }
cat > /tmp/strata-memory-abuse.yaml <<YAML
listeners:
  - {name: kv, host: 127.0.0.1, port: $RESP, codec: resp, address: app.kv}
apps:
  - {verticle: dev.strata.apps.KvVerticle}
bridge: {host: 127.0.0.1, port: $BRIDGE}
admin: {host: 127.0.0.1, port: 18081}
YAML
start() { # log file
  java -Xmx256m -jar "$JAR" --conf /tmp/strata-memory-abuse.yaml >"$1" 2>&1 & PID=$!
  for _ in $(seq 100); do grep -q "strata started" "$1" 2>/dev/null && return; sleep 0.2; done
  echo "did not start: $(cat "$1")"; exit 1
}
metric() { curl -s -m 2 http://127.0.0.1:18081/metrics | awk -v m="$1" '$1 == m {print $2}'; }
settled() { # wait (at most 30 s) until no connection is open and no partial frame is held
  local until=$((SECONDS + 30))
  while [ $SECONDS -lt $until ]; do
    [ "$(metric 'strata_connections_active{listener="kv"}')" = "0.0" ] && [ "$(metric strata_pending_frame_bytes)" = "0.0" ] && return
    sleep 0.1
  done
}
report() { # log file
  if kill -0 $PID 2>/dev/null; then echo "  live heap after: $(heap $PID)"; else echo "  node exited"; fi
  echo "  OutOfMemoryError in the log: $(grep -c OutOfMemoryError "$1" || true)"
}
trap 'kill $PID 2>/dev/null || true' EXIT
LOG=$(mktemp)

start "$LOG"
echo "closed: live heap before: $(heap $PID)"
python3 src/bench/memory_abuse.py $RESP $BRIDGE closed 250 100 </dev/null | sed 's/^/  /'
settled
report "$LOG"
kill $PID; wait $PID 2>/dev/null || true

start "$LOG"
echo "stalled: live heap before: $(heap $PID)"
coproc STALL { python3 src/bench/memory_abuse.py $RESP $BRIDGE stalled 300; }
while read -r line <&"${STALL[0]}"; do
  echo "  $line"
  case $line in stalled*) break ;; esac
done
echo "  closed for memory (the node's count): $(metric 'strata_connections_closed_memory_total{listener="kv"}')"
report "$LOG"
eval "exec ${STALL[1]}>&-"; wait "$STALL_PID" 2>/dev/null || true
kill $PID; wait $PID 2>/dev/null || true
