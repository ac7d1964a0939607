#!/usr/bin/env python3
"""Connection accept rate: THREADS threads each open N connections one after another to a lines
listener at 127.0.0.1:PORT, send one line, read its echo, close. Prints connections per second.

   accept_rate.py PORT [N] [THREADS]
"""
import socket
import sys
import threading
import time

port = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 4
errors = []


def run():
    for _ in range(n):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(b"x\n")
                got = b""
                while not got.endswith(b"\n"):
                    d = s.recv(64)
                    if not d:
                        raise OSError("closed")
                    got += d
        except OSError as e:
            errors.append(e)


start = time.perf_counter()
ts = [threading.Thread(target=run) for _ in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
elapsed = time.perf_counter() - start
print("%d connections in %.2f s: %.0f per second, %d errors" % (n * threads, elapsed, n * threads / elapsed, len(errors)))
