"""Soak driver for src/bench/soak.sh (issue 11): steady pipelining clients plus churn for MINUTES.

Steady: 8 connections, each pipelining 32 `INCR s<i>` at a time for the whole run, every reply checked
against the next expected value. Churn: 4 threads connecting, pipelining 50 `INCR churn<t>`, reading the
50 replies and closing, in turn cleanly, with a reset (SO_LINGER 0), and in the middle of a frame (half a
command sent, then close). Each minute: the node's live heap after a full GC (jcmd GC.class_histogram) and
its open connections (`strata_connections_active`). At the end: every counter read back with GET must equal
the replies its clients received (no lost or doubled request), and once every client has gone the node must
hold no connection (none leaked).
"""
import socket, struct, subprocess, sys, threading, time, urllib.request

PORT, ADMIN, PID, MINUTES = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
PAUSE = float(sys.argv[5]) / 1000 if len(sys.argv) > 5 else 0.0  # between batches and churned connections
STEADY, CHURN, BATCH, CHURN_BATCH = 8, 4, 32, 50
stop = threading.Event()
lock = threading.Lock()
totals = {"requests": 0, "churned": 0, "errors": []}
steady_received = [0] * STEADY
churn_received = [0] * CHURN


def incr(key):
    k = key.encode()
    return b"*2\r\n$4\r\nINCR\r\n$%d\r\n%s\r\n" % (len(k), k)


def read_line(f):
    line = f.readline()
    if not line:
        raise ConnectionError("end of stream")
    return line.rstrip(b"\r\n")


def steady(i):
    s = socket.create_connection(("127.0.0.1", PORT))
    f = s.makefile("rb")
    cmd = incr("s%d" % i) * BATCH
    try:
        while not stop.is_set():
            s.sendall(cmd)
            for _ in range(BATCH):
                got = read_line(f)
                want = b":%d" % (steady_received[i] + 1)
                if got != want:
                    raise ValueError("steady %d: %r, expected %r" % (i, got, want))
                steady_received[i] += 1
            with lock:
                totals["requests"] += BATCH
            if PAUSE:
                stop.wait(PAUSE)
    except Exception as e:  # noqa: BLE001 - recorded, reported at the end
        totals["errors"].append(repr(e))
    finally:
        s.close()


def churn(t):
    cmd = incr("churn%d" % t) * CHURN_BATCH
    n = 0
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", PORT))
            f = s.makefile("rb")
            s.sendall(cmd)
            for _ in range(CHURN_BATCH):
                got = read_line(f)
                if not got.startswith(b":"):
                    raise ValueError("churn %d: %r" % (t, got))
                churn_received[t] += 1
            way = n % 3
            if way == 1:  # a reset instead of a FIN
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif way == 2:  # gone in the middle of a frame
                s.sendall(incr("churn%d" % t)[:9])
            s.close()
            n += 1
            with lock:
                totals["requests"] += CHURN_BATCH
                totals["churned"] += 1
            if PAUSE:
                stop.wait(PAUSE)
        except Exception as e:  # noqa: BLE001
            totals["errors"].append(repr(e))
            time.sleep(0.1)


def metric(name):
    for attempt in range(5):  # a loaded machine may be slow to answer; the run must not die of it
        try:
            body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % ADMIN, timeout=60).read().decode()
            break
        except OSError:
            if attempt == 4:
                raise
            time.sleep(1)
    for line in body.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            if line.split(" ")[0] == name or line.startswith(name):
                return float(line.rsplit(" ", 1)[1])
    return float("nan")


def live_heap_mb():
    out = subprocess.run(["jcmd", str(PID), "GC.class_histogram"], capture_output=True, text=True, timeout=300).stdout
    for line in out.splitlines():
        if line.startswith("Total"):
            return int(line.split()[2]) / 1048576
    return float("nan")


def get(key):
    s = socket.create_connection(("127.0.0.1", PORT))
    k = key.encode()
    s.sendall(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(k), k))
    f = s.makefile("rb")
    head = read_line(f)
    value = int(read_line(f)) if head.startswith(b"$") and head != b"$-1" else 0
    s.close()
    return value


ACTIVE = 'strata_connections_active{listener="kv"}'
threads = [threading.Thread(target=steady, args=(i,), daemon=True) for i in range(STEADY)]
threads += [threading.Thread(target=churn, args=(t,), daemon=True) for t in range(CHURN)]
for th in threads:
    th.start()
print("minute  live heap after GC  open connections (node)  churned connections  requests answered", flush=True)
heaps = []
start = time.time()
for minute in range(1, int(MINUTES) + 1):
    stop.wait(max(0, start + minute * 60 - time.time()))
    heap = live_heap_mb()
    heaps.append(heap)
    print("%6d  %15.1f MB  %23d  %19d  %17d" % (minute, heap, metric(ACTIVE), totals["churned"], totals["requests"]),
          flush=True)
stop.set()
for th in threads:
    th.join(30)
lost = 0
for i in range(STEADY):
    lost += abs(get("s%d" % i) - steady_received[i])
for t in range(CHURN):
    lost += abs(get("churn%d" % t) - churn_received[t])
deadline = time.time() + 10
while metric(ACTIVE) > 0 and time.time() < deadline:
    time.sleep(0.1)
leaked = metric(ACTIVE)
base = sorted(heaps[1:] or heaps)[len(heaps[1:] or heaps) // 2]  # the median, minute 1 (warm-up) left out
spread = max(abs(h - base) / base for h in (heaps[1:] or heaps)) * 100
print("summary: %d requests, %d connections churned; live heap after GC %.1f..%.1f MB (median %.1f, at most %.1f%% "
      "off, minute 1 left out); leaked connections %d; lost or doubled requests %d; client errors %d"
      % (totals["requests"], totals["churned"], min(heaps), max(heaps), base, spread, leaked, lost,
         len(totals["errors"])))
for e in totals["errors"][:5]:
    print("  error:", e)
ok = spread <= 10 and leaked == 0 and lost == 0 and not totals["errors"]
print("soak: " + ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
