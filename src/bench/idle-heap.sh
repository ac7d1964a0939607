#!/usr/bin/env bash
# Retained heap per idle connection: Strata's echo listener against a bare Vert.x NetServer, each in
# its own JVM, measured the same way: live heap (jcmd GC.class_histogram, which forces a full GC)
# before and after N idle connections, divided by N, after a warm-up round of 300 connections.
#
#   src/bench/idle-heap.sh [N]        (default 10000; run from the repository root after mvn package)
set -euo pipefail
N=${1:-10000}
ulimit -n "$(ulimit -Hn)"  # each process holds N sockets; the hard limit must exceed N
JAR=target/strata.jar
heap() { jcmd "$1" GC.class_histogram | awk '/^Total/ {print $3}'; }
measure() { # name port pid
  local before after
  # Warm up first (connect and drop a few hundred), so lazily created structures count in 'before'.
  python3 src/bench/idle_clients.py "$2" 300 </dev/null >/dev/null
  sleep 2; before=$(heap "$3")
  coproc CLIENTS { python3 src/bench/idle_clients.py "$2" "$N"; }
  read -r line <&"${CLIENTS[0]}"
  sleep 2; after=$(heap "$3")
  printf '%-22s before %10d B   after %10d B   per connection %6.0f B\n' "$1" "$before" "$after" \
    "$(awk -v a="$after" -v b="$before" -v n="$N" 'BEGIN{print (a-b)/n}')"
  eval "exec ${CLIENTS[1]}>&-"; wait "$CLIENTS_PID" 2>/dev/null || true
}
# Compiled first: run as a single-file source program, the launcher's in-memory file system is still
# in the heap at 'before' and collected by 'after', which made the bare server look ~300 B lighter.
BARE_CLASSES=$(mktemp -d)
javac -cp "$JAR" -d "$BARE_CLASSES" src/bench/BareNetServer.java
java -Xms512m -Xmx512m -cp "$JAR:$BARE_CLASSES" BareNetServer 17090 >/dev/null & BARE=$!
cat > /tmp/strata-idle.yaml <<YAML
listeners:
  - {name: echo, host: 127.0.0.1, port: 17070, codec: lines, address: app.echo, idleTimeout: 0}
apps:
  - {verticle: dev.strata.apps.EchoVerticle}
admin: {enabled: false}
YAML
java -Xms512m -Xmx512m -jar "$JAR" --conf /tmp/strata-idle.yaml >/dev/null & STRATA=$!
trap 'kill $BARE $STRATA 2>/dev/null' EXIT
sleep 4
measure "bare Vert.x NetServer" 17090 "$BARE"
measure "Strata echo listener" 17070 "$STRATA"
