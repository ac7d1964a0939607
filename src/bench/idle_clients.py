#!/usr/bin/env python3
"""Opens N idle TCP connections to 127.0.0.1:PORT and holds them until stdin closes (or a kill).

   idle_clients.py PORT N     -- prints 'connected N' once all are open
"""
import socket
import sys

port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    socks.append(s)
print("connected", len(socks), flush=True)
sys.stdin.read()
