#!/usr/bin/env python3
"""Tries to exhaust a Strata node's heap with unfinished frames (issue 14).

   memory_abuse.py RESP_PORT BRIDGE_PORT closed N M -- N RESP connections one after another, each
                     sending 1,000,000 bytes of a 1,048,000-byte bulk string and closing, then M
                     bridge connections each sending 900,000 bytes of a 1,000,000-byte frame;
                     prints how many it completed and whether the node still answers
   memory_abuse.py RESP_PORT BRIDGE_PORT stalled N  -- N connections held open at once, each sending
                     1,000,000 bytes of a 1,048,000-byte bulk string; a canary connection does a
                     SET/GET round trip after each; prints how many the node closed and how many
                     canary round trips failed; holds until stdin closes
"""
import socket
import struct
import sys

HEADER = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048000\r\n"
BODY = bytes(1_000_000)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def round_trip(s, value):
    v = value.encode()
    s.sendall(b"*3\r\n$3\r\nSET\r\n$6\r\ncanary\r\n$%d\r\n%s\r\n*2\r\n$3\r\nGET\r\n$6\r\ncanary\r\n" % (len(v), v))
    want = b"+OK\r\n$%d\r\n%s\r\n" % (len(v), v)
    got = b""
    while len(got) < len(want):
        d = s.recv(len(want) - len(got))
        if not d:
            raise OSError("closed")
        got += d
    if got != want:
        raise OSError("wrong answer %r" % got)


def closed_scenario(resp, bridge, n, m):
    done = 0
    try:
        for _ in range(n):
            with connect(resp) as s:
                s.sendall(HEADER + BODY)
            done += 1
        for _ in range(m):
            with connect(bridge) as s:
                s.sendall(struct.pack(">i", 1_000_000) + BODY[:900_000])
            done += 1
    except OSError as e:
        print("stopped after %d connections: %s" % (done, e), flush=True)
    try:
        with connect(resp) as c:
            round_trip(c, "after")
        alive = "answers"
    except OSError as e:
        alive = "does not answer (%s)" % e
    print("half-sent frames then closed: %d of %d; node %s" % (done, n + m, alive), flush=True)


def stalled_scenario(resp, n):
    held, failed, write_errors, in_a_row = [], 0, 0, 0
    canary = connect(resp)
    for i in range(n):
        if in_a_row == 3:
            print("the canary failed 3 times in a row after %d connections; stopping" % i, flush=True)
            break
        try:
            s = connect(resp)
            held.append(s)
            s.sendall(HEADER + BODY)
        except OSError:
            write_errors += 1
        try:
            round_trip(canary, "c%d" % i)
            in_a_row = 0
        except OSError:
            failed += 1
            in_a_row += 1
            try:
                canary = connect(resp)
            except OSError:
                pass
    closed = 0
    for s in held:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print("stalled %d: closed by the node %d, write errors %d, canary round trips failed %d of %d"
          % (len(held), closed, write_errors, failed, len(held)), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    resp, bridge, what = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if what == "closed":
        closed_scenario(resp, bridge, int(sys.argv[4]), int(sys.argv[5]))
    else:
        stalled_scenario(resp, int(sys.argv[4]))
