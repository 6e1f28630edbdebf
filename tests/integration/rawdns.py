#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# rawdns: the raw-packet client of the integration tests, for what dig,
# kdig and drill cannot send or observe: hand-built malformed packets,
# several OPT records, QDCOUNT 0/2, meta qtypes, TCP pipelining with the
# arrival order of replies, idle-timeout and connection-cap probes, and
# half-open TCP clients.  Loopback only.  Subcommands:
#   send KIND [--tcp]         one built-in packet; prints "reply rcode=.. .."
#                             or "noreply"
#   malformed                 every bad packet over UDP then TCP, each
#                             followed by a good query; prints one line
#                             "KIND/proto reply=<rcode|none> alive=<0|1>"
#   pipeline NAME:TYPE..      all queries in one TCP write; prints replies
#                             in arrival order "qname rcode id"
#   idle [--query NAME]       connect (and ask), then time until the
#                             server closes: "closed_ms=N" or "open"
#   cap N NAME                N TCP connections, a query on each; prints
#                             "answered_open=K"
#   hold N SECONDS            N half-open TCP clients (partial length
#                             prefix / partial message / nothing) held
#                             for SECONDS; prints "holding" when connected
#   burst N                   N random/mutated UDP packets, no waiting
#   halfclose NAME            a query, then shutdown(SHUT_WR), then read
#   many N ZONE               N queries q<i>.ZONE in one TCP write
#   noread N NAME:TYPE SECS   N pipelined queries, replies never read
import argparse
import os
import random
import select
import socket
import struct
import sys
import time

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

ADDR = "127.0.0.1"


def hdr(id_=0x1234, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", id_, flags, qd, an, ns, ar)


def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def question(name="example.", qtype=1):
    return qname(name) + struct.pack("!HH", qtype, 1)


def opt(size=1232, ver=0, rdata=b"", rdlen=None, owner=b"\0"):
    ttl = (ver << 16)
    return owner + struct.pack("!HHIH", 41, size, ttl,
                               len(rdata) if rdlen is None else rdlen) + rdata


def build(kind, name):
    """The built-in packets; name is a valid name to ask about."""
    q = question(name)
    table = {
        # well-formed but invalid requests
        "good": hdr() + q,
        "good-edns": hdr(ar=1) + q + opt(),
        "qd0": hdr(qd=0),
        "qd2": hdr(qd=2) + q + question("other." + name),
        "twoopt": hdr(ar=2) + q + opt() + opt(),
        "opt-not-root": hdr(ar=1) + q + opt(owner=qname("x.")),
        "axfr": hdr(flags=0) + question(name, 252),
        "ixfr": hdr(flags=0) + question(name, 251),
        "meta-opt": hdr() + question(name, 41),
        "meta-tkey": hdr() + question(name, 249),
        "response": hdr(flags=0x8100) + q,
        "notify": hdr(flags=(4 << 11)) + q,
        "class-ch-junk": hdr() + qname(name) + struct.pack("!HH", 1, 3),
        # malformed
        "short11": hdr()[:11],
        "hdr-only-qd1": hdr(),
        "label-overrun": hdr() + b"\x3fabc",
        "name-too-long": hdr() + b"\x01a" * 140 + b"\0" +
        struct.pack("!HH", 1, 1),
        "ptr-loop": hdr() + b"\xc0\x0c" + struct.pack("!HH", 1, 1),
        "ptr-loop2": hdr() + b"\x01a\xc0\x0e\xc0\x0c" +
        struct.pack("!HH", 1, 1),
        "ptr-beyond": hdr() + b"\xc3\xff" + struct.pack("!HH", 1, 1),
        "ptr-forward": hdr() + b"\xc0\x12" + struct.pack("!HH", 1, 1) +
        b"\x01a\x00",
        "label-type-40": hdr() + b"\x41a\x00" + struct.pack("!HH", 1, 1),
        "label-type-80": hdr() + b"\x81a\x00" + struct.pack("!HH", 1, 1),
        "qtype-cut": hdr() + qname(name) + b"\x00",
        "ancount-lie": hdr(an=5) + q,
        "nscount-lie": hdr(ns=65535) + q,
        "arcount-lie": hdr(ar=1) + q,
        "qdcount-max": hdr(qd=65535) + q,
        "opt-cut": hdr(ar=1) + q + opt()[:7],
        "opt-rdlen-lie": hdr(ar=1) + q + opt(rdata=b"\0\x0a\0\x04", rdlen=100),
        "opt-option-overrun": hdr(ar=1) + q + opt(rdata=b"\0\x0a\0\x40ab"),
        "opt-option-cut": hdr(ar=1) + q + opt(rdata=b"\0\x0a\0"),
        "opt-cookie-bad-len": hdr(ar=1) + q + opt(rdata=b"\0\x0a\0\x03abc"),
        "all-ff": b"\xff" * 512,
        "all-zero": b"\0" * 512,
        "trailing-junk": hdr() + q + os.urandom(40),
    }
    if kind == "names":
        return list(table)
    return table[kind]


def rcode_of(reply):
    if len(reply) < 12:
        return "short"
    flags = struct.unpack("!H", reply[2:4])[0]
    try:
        m = dns.message.from_wire(reply)
        return dns.rcode.to_text(m.rcode())
    except Exception:
        return "rcode%d" % (flags & 0xf)


def describe(reply):
    try:
        m = dns.message.from_wire(reply)
    except Exception as e:
        return "reply unparsable(%s) len=%d rcode=%s" % (
            type(e).__name__, len(reply), rcode_of(reply))
    return ("reply rcode=%s id=%d qd=%d an=%d ns=%d ar=%d opt=%d flags=%s" % (
        dns.rcode.to_text(m.rcode()), m.id, len(m.question), len(m.answer),
        len(m.authority), len(m.additional), 1 if m.edns >= 0 else 0,
        dns.flags.to_text(m.flags).lower().replace(" ", ",")))


def udp_send(port, pkt, timeout, src=ADDR):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(timeout)
    try:
        s.sendto(pkt, (ADDR, port))
        data, _ = s.recvfrom(65535)
        return data
    except (socket.timeout, ConnectionRefusedError):
        return None
    finally:
        s.close()


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def tcp_read_msg(s):
    h = recv_exact(s, 2)
    if h is None:
        return None
    return recv_exact(s, struct.unpack("!H", h)[0])


def tcp_send(port, pkt, timeout, frame=True):
    try:
        s = socket.create_connection((ADDR, port), timeout=timeout)
    except OSError:
        return None
    try:
        s.sendall((struct.pack("!H", len(pkt)) if frame else b"") + pkt)
        return tcp_read_msg(s)
    except (socket.timeout, OSError):
        return None
    finally:
        s.close()


def good_query(name):
    q = dns.message.make_query(name, "A")
    return q.to_wire()


def cmd_send(a):
    pkt = build(a.kind, a.name)
    r = (tcp_send if a.tcp else udp_send)(a.port, pkt, a.timeout)
    print(describe(r) if r is not None else "noreply")


def alive(port, name):
    for _ in range(2):
        if udp_send(port, good_query(name), 1.0) is not None:
            return True
    return False


def cmd_malformed(a):
    rnd = random.Random(7)
    kinds = [k for k in build("names", a.name) if not k.startswith("good")]
    packets = [(k, build(k, a.name)) for k in kinds]
    for i in range(a.random):
        packets.append(("random%d" % i, bytes(
            rnd.getrandbits(8) for _ in range(rnd.randint(0, 300)))))
    # mutate a good query: flip bytes, keep header sane-ish
    base = build("good-edns", a.name)
    for i in range(a.random):
        b = bytearray(base)
        for _ in range(rnd.randint(1, 6)):
            b[rnd.randrange(2, len(b))] = rnd.getrandbits(8)
        packets.append(("mutated%d" % i, bytes(b)))
    dead = 0
    for proto in ("udp", "tcp"):
        for kind, pkt in packets:
            if proto == "udp":
                r = udp_send(a.port, pkt, 0.15)
            else:
                r = tcp_send(a.port, pkt, 0.3)
            reply = "none" if r is None else rcode_of(r)
            up = alive(a.port, a.name)
            print("%s/%s reply=%s alive=%d" % (kind, proto, reply,
                                               1 if up else 0))
            sys.stdout.flush()
            dead = 0 if up else dead + 1
            if dead >= 3:
                print("ABORT daemon-not-answering")
                return
    # TCP framing abuse: a length prefix announcing more than is sent,
    # a zero-length frame, a lone byte.
    for kind, raw in (("tcp-len-lie", b"\xff\xff" + build("good", a.name)),
                      ("tcp-len-zero", b"\0\0"),
                      ("tcp-one-byte", b"\0")):
        r = tcp_send(a.port, raw, 0.5, frame=False)
        print("%s/tcp reply=%s alive=%d" % (
            kind, "none" if r is None else rcode_of(r),
            1 if alive(a.port, a.name) else 0))


def cmd_burst(a):
    rnd = random.Random(11)
    base = build("good-edns", a.name)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ADDR, 0))
    s.setblocking(False)
    sent = 0
    for i in range(a.n):
        if i % 2:
            pkt = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 120)))
        else:
            b = bytearray(base)
            for _ in range(rnd.randint(1, 4)):
                b[rnd.randrange(0, len(b))] = rnd.getrandbits(8)
            pkt = bytes(b)
        try:
            s.sendto(pkt, (ADDR, a.port))
            sent += 1
        except (BlockingIOError, ConnectionRefusedError):
            pass
        if i % 200 == 199:
            try:
                while s.recv(65535):
                    pass
            except (BlockingIOError, ConnectionRefusedError):
                pass
    print("sent=%d" % sent)


def parse_nt(spec):
    name, _, t = spec.partition(":")
    return name, t or "A"


def cmd_pipeline(a):
    s = socket.create_connection((ADDR, a.port), timeout=a.timeout)
    out = b""
    ids = {}
    for i, spec in enumerate(a.queries):
        name, t = parse_nt(spec)
        m = dns.message.make_query(name, t)
        m.id = 1000 + i
        ids[m.id] = name
        w = m.to_wire()
        out += struct.pack("!H", len(w)) + w
    s.sendall(out)
    s.settimeout(a.timeout)
    for _ in a.queries:
        try:
            r = tcp_read_msg(s)
        except socket.timeout:
            print("timeout")
            break
        if r is None:
            print("closed")
            break
        m = dns.message.from_wire(r)
        print("%s %s %d" % (m.question[0].name.to_text() if m.question
                            else "-", dns.rcode.to_text(m.rcode()), m.id))
    s.close()


def cmd_halfclose(a):
    """Send one query, shut our write side (RFC 7766 §6.2.4 half-close),
    then read the reply."""
    s = socket.create_connection((ADDR, a.port), timeout=a.timeout)
    w = good_query(a.query)
    s.sendall(struct.pack("!H", len(w)) + w)
    s.shutdown(socket.SHUT_WR)
    try:
        r = tcp_read_msg(s)
    except (socket.timeout, OSError):
        r = None
    print(describe(r) if r is not None else "noreply")


def cmd_many(a):
    """N queries for NAME (ids 0..N-1) in one TCP write; count replies."""
    s = socket.create_connection((ADDR, a.port), timeout=a.timeout)
    out = b""
    for i in range(a.n):
        m = dns.message.make_query("q%d.%s" % (i, a.zone), "A")
        m.id = i
        w = m.to_wire()
        out += struct.pack("!H", len(w)) + w
    s.sendall(out)
    seen = set()
    try:
        for _ in range(a.n):
            r = tcp_read_msg(s)
            if r is None:
                break
            seen.add(struct.unpack("!H", r[:2])[0])
    except (socket.timeout, OSError):
        pass
    print("replies=%d" % len(seen))


def cmd_noread(a):
    """N pipelined queries for NAME:TYPE, then never read (a slow reader
    whose replies pile up in the server's send buffer)."""
    s = socket.create_connection((ADDR, a.port), timeout=a.timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    name, t = parse_nt(a.query)
    out = b""
    for i in range(a.n):
        m = dns.message.make_query(name, t)
        m.id = i & 0xffff
        w = m.to_wire()
        out += struct.pack("!H", len(w)) + w
    s.settimeout(2)
    try:
        s.sendall(out)
        sent = "all"
    except (socket.timeout, OSError):
        sent = "partial"
    print("sent=%s" % sent)
    sys.stdout.flush()
    time.sleep(a.seconds)


def wait_closed(s, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        r, _, _ = select.select([s], [], [], 0.05)
        if r:
            try:
                d = s.recv(4096)
            except ConnectionResetError:
                d = b""
            if not d:
                return int((time.monotonic() - t0) * 1000)
    return None


def cmd_idle(a):
    s = socket.create_connection((ADDR, a.port), timeout=2)
    if a.query:
        w = good_query(a.query)
        s.sendall(struct.pack("!H", len(w)) + w)
        if tcp_read_msg(s) is None:
            print("noreply")
            return
    ms = wait_closed(s, a.limit)
    print("open" if ms is None else "closed_ms=%d" % ms)


def cmd_cap(a):
    conns = []
    answered = []
    for i in range(a.n):
        try:
            s = socket.create_connection((ADDR, a.port), timeout=1)
        except OSError:
            conns.append(None)
            answered.append(False)
            continue
        w = good_query(a.name)
        ok = False
        try:
            s.sendall(struct.pack("!H", len(w)) + w)
            s.settimeout(1.0)
            ok = tcp_read_msg(s) is not None
        except OSError:
            ok = False
        conns.append(s)
        answered.append(ok)
    time.sleep(0.2)
    n = 0
    for s, ok in zip(conns, answered):
        if s is None or not ok:
            continue
        r, _, _ = select.select([s], [], [], 0)
        still_open = True
        if r:
            try:
                still_open = s.recv(1, socket.MSG_PEEK) != b""
            except OSError:
                still_open = False
        if still_open:
            n += 1
    print("answered_open=%d answered=%d" % (n, sum(answered)))
    sys.stdout.flush()
    if a.hold:
        time.sleep(a.hold)


def cmd_hold(a):
    conns = []
    w = good_query(a.name)
    for i in range(a.n):
        try:
            s = socket.create_connection((ADDR, a.port), timeout=1)
        except OSError:
            continue
        part = (b"", b"\0", struct.pack("!H", len(w)) + w[:5])[i % 3]
        if part:
            s.sendall(part)
        conns.append(s)
    print("holding %d" % len(conns))
    sys.stdout.flush()
    time.sleep(a.seconds)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--name", default="example.")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("kind")
    s.add_argument("--tcp", action="store_true")
    s = sub.add_parser("malformed")
    s.add_argument("--random", type=int, default=20)
    s = sub.add_parser("pipeline")
    s.add_argument("queries", nargs="+")
    s = sub.add_parser("idle")
    s.add_argument("--query")
    s.add_argument("--limit", type=float, default=5.0)
    s = sub.add_parser("cap")
    s.add_argument("n", type=int)
    s.add_argument("--hold", type=float, default=0)
    s = sub.add_parser("hold")
    s.add_argument("n", type=int)
    s.add_argument("seconds", type=float)
    s = sub.add_parser("halfclose")
    s.add_argument("query")
    s = sub.add_parser("many")
    s.add_argument("n", type=int)
    s.add_argument("zone")
    s = sub.add_parser("noread")
    s.add_argument("n", type=int)
    s.add_argument("query")
    s.add_argument("seconds", type=float)
    s = sub.add_parser("burst")
    s.add_argument("n", type=int)
    a = p.parse_args()
    {"send": cmd_send, "malformed": cmd_malformed, "pipeline": cmd_pipeline,
     "idle": cmd_idle, "cap": cmd_cap, "hold": cmd_hold,
     "burst": cmd_burst, "halfclose": cmd_halfclose, "many": cmd_many,
     "noread": cmd_noread}[a.cmd](a)


if __name__ == "__main__":
    main()
