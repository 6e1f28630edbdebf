#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# probe: ask one name over UDP every INTERVAL ms until the file STOP
# exists (or MAX seconds passed), one query outstanding at a time, and
# print "sent N lost N wrong N max_ms N": lost = no answer within 2 s,
# wrong = an answer without the expected address.  Loopback only.
#
#   probe.py PORT NAME EXPECT STOPFILE [INTERVAL_MS=5] [MAX_S=60]
import os
import sys
import time

import dns.message
import dns.query
import dns.rdatatype

port, name, expect, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
interval = (int(sys.argv[5]) if len(sys.argv) > 5 else 5) / 1000.0
deadline = time.monotonic() + (float(sys.argv[6]) if len(sys.argv) > 6 else 60)
sent = lost = wrong = 0
worst = 0.0
while time.monotonic() < deadline and not os.path.exists(stop):
    q = dns.message.make_query(name, dns.rdatatype.A)
    t0 = time.monotonic()
    sent += 1
    try:
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=2)
        dt = time.monotonic() - t0
        worst = max(worst, dt)
        if not any(expect in rr.to_text() for rr in r.answer):
            wrong += 1
    except Exception:
        lost += 1
    time.sleep(interval)
print("sent %d lost %d wrong %d max_ms %d" % (sent, lost, wrong, worst * 1000))
