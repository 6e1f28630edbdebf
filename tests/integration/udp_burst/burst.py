#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# burst.py: the udp_burst integration case's client.  Opens NSOCKS UDP
# sockets (NSOCKS source ports), sends PER queries on each, all of them
# before reading any answer (so the daemon finds a full queue and reads
# it in recvmmsg batches), then collects the answers for up to TIMEOUT
# seconds and checks each one: it comes from the address and port the
# query was sent to, to the socket that asked, with an ID outstanding on
# that socket, the question sent under that ID, and the right data for
# that name (link b<i>.burst.test A -> 10.9.0.<i>; forwarded
# f<..>.fwd.test TXT -> "<qname>", the fake upstream's synthesized TXT).
# Prints one summary line; exit 0 only when every query got exactly one
# right answer.
#   burst.py ADDR PORT NSOCKS PER MODE(static|fwd|mixed) [TIMEOUT]
import random, select, socket, sys, time

import dns.message, dns.rdatatype

addr, port = sys.argv[1], int(sys.argv[2])
nsocks, per, mode = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
timeout = float(sys.argv[6]) if len(sys.argv) > 6 else 5.0
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
tag = random.randrange(1 << 20)

socks, want = [], {}  # want[(sock index, id)] = (qname, qtype, expected)
for j in range(nsocks):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 0))
    s.setblocking(False)
    socks.append(s)
pkts = []
for j in range(nsocks):
    ids = random.sample(range(65536), per)
    for k in range(per):
        n = j * per + k
        static = mode == "static" or (mode == "mixed" and n % 2 == 0)
        if static:
            i = n % 200
            qname, qtype, exp = "b%d.burst.test." % i, "A", "10.9.0.%d" % i
        else:
            qname, qtype = "f%d-%d-%d.fwd.test." % (tag, j, k), "TXT"
            exp = '"%s"' % qname
        m = dns.message.make_query(qname, qtype)
        m.id = ids[k]
        want[(j, ids[k])] = (qname, qtype, exp)
        pkts.append((j, m.to_wire()))
random.shuffle(pkts)  # interleave the sockets
for j, w in pkts:
    socks[j].sendto(w, (addr, port))

got, wrong, notes = set(), 0, []
deadline = time.monotonic() + timeout
index = {s.fileno(): j for j, s in enumerate(socks)}
while len(got) < len(want) and time.monotonic() < deadline:
    r, _, _ = select.select(socks, [], [], max(0.0, deadline - time.monotonic()))
    for s in r:
        j = index[s.fileno()]
        while True:
            try:
                data, src = s.recvfrom(4096)
            except BlockingIOError:
                break
            why = None
            try:
                m = dns.message.from_wire(data)
            except Exception as e:
                m, why = None, "unparsable: %s" % e
            key = (j, m.id) if m is not None else None
            if why is None and (src[0] != addr or src[1] != port):
                why = "from %s:%d, asked %s:%d" % (src[0], src[1], addr, port)
            if why is None and key not in want:
                why = "id %d not asked on socket %d" % (m.id, j)
            if why is None and key in got:
                why = "second answer for id %d" % m.id
            if why is None:
                qname, qtype, exp = want[key]
                q = m.question
                if len(q) != 1 or q[0].name.to_text() != qname or \
                        dns.rdatatype.to_text(q[0].rdtype) != qtype:
                    why = "question %s, asked %s" % (q, qname)
                else:
                    vals = [rd.to_text() for rr in m.answer for rd in rr]
                    if m.rcode() != 0 or exp not in vals:
                        why = "%s: rcode %d answer %s, want %s" % (
                            qname, m.rcode(), vals, exp)
            if why is not None:
                wrong += 1
                notes.append(why)
            else:
                got.add(key)
print("%s %s: %d sockets x %d queries: %d answered right, %d missing, %d wrong"
      % (mode, addr, nsocks, per, len(got), len(want) - len(got), wrong))
for n in notes[:10]:
    print("  " + n)
sys.exit(0 if len(got) == len(want) and wrong == 0 else 1)
