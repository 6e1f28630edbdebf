#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# fake_dns: a tiny authoritative UDP DNS server for doctor's tests
# (Debian python3 + python3-dnspython).  --record NAME=ADDR answers A or
# AAAA for NAME; every other name gets NXDOMAIN.  Binds --addr:--port
# (loopback or an address inside a test namespace only).
import argparse
import socket
import sys

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, default=53)
    p.add_argument("--record", action="append", default=[])
    p.add_argument("--ready")
    a = p.parse_args()
    recs = {}
    for r in a.record:
        name, addr = r.split("=")
        recs.setdefault(name.lower().rstrip(".") + ".", []).append(addr)
    s = socket.socket(socket.AF_INET6 if ":" in a.addr else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    if a.ready:
        open(a.ready, "w").write("ok\n")
    while True:
        data, peer = s.recvfrom(4096)
        try:
            q = dns.message.from_wire(data)
        except Exception:
            continue
        r = dns.message.make_response(q)
        r.flags |= 0x400  # AA
        qs = q.question[0]
        name = qs.name.to_text().lower()
        if name not in recs:
            r.set_rcode(dns.rcode.NXDOMAIN)
        else:
            want = "AAAA" if qs.rdtype == dns.rdatatype.AAAA else "A"
            vals = [x for x in recs[name] if (":" in x) == (want == "AAAA")]
            if qs.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA) and vals:
                r.answer.append(dns.rrset.from_text(qs.name, 60, "IN", want,
                                                    *vals))
        s.sendto(r.to_wire(), peer)


if __name__ == "__main__":
    sys.exit(main())
