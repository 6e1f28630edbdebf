#!/usr/bin/env python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
"""One-query-at-a-time DNS client for the callgrind mode of anchors.sh.

usage: cg_client.py PORT QFILE N [DELAY_MS]

Sends one pass over QFILE ("name TYPE" lines, as dnsperf reads them) to
127.0.0.1:PORT to warm the server's cache, then N more queries cycling
through the same names, one outstanding at a time and DELAY_MS apart, so
that the server goes back to its event loop for every query (a fast
client would let a server batch reads and hide its per-wakeup cost).
Prints the number of the N queries answered with NOERROR and at least
one answer record.  Loopback only; every wait is bounded.
"""
import socket
import struct
import sys
import time

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
         "TXT": 16, "AAAA": 28, "SRV": 33}


def wire(qid, name, qtype):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", TYPES.get(qtype.upper(), 1), 1)


def main():
    port, qfile, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    delay = float(sys.argv[4]) / 1000 if len(sys.argv) > 4 else 0.002
    names = []
    with open(qfile) as fh:
        for line in fh:
            f = line.split()
            if len(f) >= 2:
                names.append((f[0], f[1]))
    if not names:
        sys.exit("cg_client: no queries in %s" % qfile)
    pkts = [wire((i % 65535) + 1, nm, t) for i, (nm, t) in enumerate(names)]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    ok = 0
    for i in range(len(pkts) + n):
        if delay:
            time.sleep(delay)
        p = pkts[i % len(pkts)]
        s.send(p)
        try:
            r = s.recv(65535)
        except socket.timeout:
            continue
        if i >= len(pkts) and r[:2] == p[:2] and (r[3] & 0xf) == 0 \
                and (r[6] << 8 | r[7]) > 0:
            ok += 1
    print(ok)


if __name__ == "__main__":
    main()
