#!/usr/bin/env python3
"""Abuses Strata's event-bus bridge at 127.0.0.1:PORT as a hostile client would.

   bridge_abuse.py PORT flood N       -- a client registers app.flood and never reads (4 KiB receive
                                         buffer) while another publishes N 200-byte messages to it;
                                         prints 'published N', then holds until stdin closes
   bridge_abuse.py PORT register N    -- one client sends N registrations (app.r.0 .. app.r.N-1),
                                         reading whatever comes back; prints 'registered N errs E'
                                         once the server has handled them all, then holds until
                                         stdin closes
   bridge_abuse.py PORT badframes N   -- N connections one after another to a lines listener, each
                                         sending a line over its maximum and reading until closed;
                                         prints 'sent N'
"""
import json
import socket
import struct
import sys
import threading


def frame(o):
    b = json.dumps(o).encode()
    return struct.pack(">i", len(b)) + b


def read_frames(sock, counts, done):
    buf = b""
    while True:
        try:
            d = sock.recv(1 << 16)
        except OSError:
            return
        if not d:
            return
        buf += d
        while len(buf) >= 4 and len(buf) >= 4 + struct.unpack(">i", buf[:4])[0]:
            n = struct.unpack(">i", buf[:4])[0]
            t = json.loads(buf[4:4 + n]).get("type")
            buf = buf[4 + n:]
            counts[t] = counts.get(t, 0) + 1
            if t == "pong":
                done.set()


def send_all(sock, frames, batch=2000):
    for i in range(0, len(frames), batch):
        sock.sendall(b"".join(frames[i:i + batch]))


port, mode, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
if mode == "flood":
    sleeper = socket.socket()
    sleeper.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sleeper.connect(("127.0.0.1", port))
    sleeper.sendall(frame({"type": "register", "address": "app.flood"}))
    pub = socket.create_connection(("127.0.0.1", port))
    counts, done = {}, threading.Event()
    threading.Thread(target=read_frames, args=(pub, counts, done), daemon=True).start()
    body = "x" * 200
    send_all(pub, [frame({"type": "publish", "address": "app.flood", "body": body}) for _ in range(n)])
    pub.sendall(frame({"type": "ping"}))
    done.wait(120)
    print("published", n, flush=True)
    sys.stdin.read()
    sleeper.close()
elif mode == "badframes":
    for i in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"x" * 64 + b"\n")
        while c.recv(1 << 16):
            pass
        c.close()
    print("sent", n, flush=True)
else:
    s = socket.create_connection(("127.0.0.1", port))
    counts, done = {}, threading.Event()
    threading.Thread(target=read_frames, args=(s, counts, done), daemon=True).start()
    send_all(s, [frame({"type": "register", "address": "app.r.%d" % i}) for i in range(n)])
    s.sendall(frame({"type": "ping"}))
    done.wait(600)
    print("registered", n, "errs", counts.get("err", 0), flush=True)
    sys.stdin.read()
    s.close()
