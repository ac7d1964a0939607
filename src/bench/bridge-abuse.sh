#!/usr/bin/env bash
# The bridge under abuse (issue 14), one fresh JVM per scenario (-Xms1g -Xmx1g, admin server off):
#  1. log lines written while one client registers and never reads and 100,000 messages are
#     published to it by another, then when it leaves;
#  2. live heap (jcmd GC.class_histogram, which forces a full GC) before and after one client sends
#     800,000 registrations;
#  3. log lines written while 5,000 connections, one after another, each send a line over the
#     listener's maximum (16 bytes) and are closed (one INFO each without a rate limit).
#
#   src/bench/bridge-abuse.sh [JAR]      (default target/strata.jar; run from the repository root)
set -euo pipefail
JAR=${1:-target/strata.jar}
PUBLISHES=${PUBLISHES:-100000}
REGISTRATIONS=${REGISTRATIONS:-800000}
BAD=${BAD:-5000}
PORT=17000
heap() { jcmd "$1" GC.class_histogram | awk '/^Total/ {print $3}'; }
cat > /tmp/strata-bridge-abuse.yaml <<YAML
listeners:
  - {name: strict, host: 127.0.0.1, port: 17071, codec: lines, address: app.echo, maxFrameBytes: 16}
apps:
  - {verticle: dev.strata.apps.EchoVerticle}
bridge: {host: 127.0.0.1, port: $PORT}
admin: {enabled: false}
YAML
start() { # log file
  java -Xms1g -Xmx1g -jar "$JAR" --conf /tmp/strata-bridge-abuse.yaml >"$1" 2>&1 & PID=$!
  for _ in $(seq 50); do grep -q "strata started" "$1" 2>/dev/null && return; sleep 0.2; done
  echo "did not start: $(cat "$1")"; exit 1
}
trap 'kill $PID 2>/dev/null || true' EXIT

LOG=$(mktemp)
start "$LOG"
base=$(wc -l <"$LOG")
coproc FLOOD { python3 src/bench/bridge_abuse.py $PORT flood "$PUBLISHES"; }
read -r line <&"${FLOOD[0]}"
sleep 3
during=$(( $(wc -l <"$LOG") - base ))
eval "exec ${FLOOD[1]}>&-"; wait "$FLOOD_PID" 2>/dev/null || true
sleep 2
total=$(( $(wc -l <"$LOG") - base ))
bytes=$(( $(wc -c <"$LOG") ))
printf '%s: %d publishes to a client that never reads: %d log lines while it holds on, %d after it leaves (log %d B)\n' \
  "$line" "$PUBLISHES" "$during" "$total" "$bytes"
grep -v "^  \|strata started" "$LOG" | sed -n '1,6p' | cut -c1-200
kill $PID; wait $PID 2>/dev/null || true

start "$LOG"
sleep 2; before=$(heap $PID)
coproc REG { python3 src/bench/bridge_abuse.py $PORT register "$REGISTRATIONS"; }
read -r line <&"${REG[0]}"
after=$(heap $PID)
printf '%s: live heap before %d B, after %d B (+%.1f MB)\n' "$line" "$before" "$after" \
  "$(awk -v a="$after" -v b="$before" 'BEGIN{print (a-b)/1048576}')"
eval "exec ${REG[1]}>&-"; wait "$REG_PID" 2>/dev/null || true
kill $PID; wait $PID 2>/dev/null || true

start "$LOG"
base=$(wc -l <"$LOG")
line=$(python3 src/bench/bridge_abuse.py 17071 badframes "$BAD" </dev/null)
sleep 11 # past the rate limit's 10 s window, so that its count is written too
printf '%s connections with a frame too long: %d log lines\n' "$line" "$(( $(wc -l <"$LOG") - base ))"
tail -n +$((base + 1)) "$LOG" | tail -2 | cut -c1-200
