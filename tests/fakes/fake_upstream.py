#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# fake_upstream: a small authoritative-ish DNS server for the integration
# tests (tests/integration/*), faithful to the wire, on loopback only.  It
# answers UDP and TCP (RFC 7766 framing, pipelined) from a zone-file-like
# data file, logs every query it receives (so a test can assert what
# linkshimd forwarded, how often, with which id/port/flags), and misbehaves
# on purpose for names whose first label starts with a behaviour prefix:
#
#   drop-*        never answer                 slowN-*   answer after N ms
#   tc-*          TC over UDP, full over TCP   noedns-*  FORMERR to EDNS queries
#   servfail-*    SERVFAIL                     refused-* REFUSED
#   nx-*          NXDOMAIN with SOA            noqr-*    reply without QR, then right
#   wrongid-*     reply with another id first, then the right reply (50 ms later)
#   wrongq-*      reply for another question first, then the right reply
#   wrongport-*   right-looking poison from another source port first, then right
#   garbage-*     random bytes first, then the right reply
#   garbageonly-* random bytes only, never a real answer
#   badrr-*       ours (id, question, QR) but with an unwalkable answer
#                 (pointer loop) first, then the right reply
#   qd0-*         a reply with our id but no question first, then right
#   addpoison-*   the right answer plus an out-of-question A record for
#                 victim.example (POISON_A) in additional (cache poisoning)
#   tcpcut-*      TC over UDP; over TCP half a message, then close
#   tcpstall-*    TC over UDP; over TCP never a reply (connection kept)
#
# Poison replies carry POISON_A (198.51.100.66) so a test can tell them apart.
# --mode BEHAVIOUR applies one behaviour to every name (e.g. a silent dead
# server: --mode drop).
#
# Data file: one record per line, "owner ttl [IN] type rdata" with absolute
# names; '#' or ';' start comments.  "$SYNTH zone." makes every unknown name
# below zone answer A (--synth-a), AAAA (--synth-aaaa) and TXT "<qname>"
# with TTL 300.  Names with a behaviour prefix are synthesized the same way
# when not in the data.  Other unknown names: NXDOMAIN, or NODATA when the
# name exists with other types, with the closest enclosing SOA in authority.
# In-data CNAMEs are chased (as an authoritative server does in-zone).
#
# Query log (--log): one line per query received, space separated key=value:
#   t=<epoch.ms> proto=udp|tcp src=127.0.0.1 sport=N id=N qname=x. qtype=A
#   rd=0|1 cd=0|1 edns=-|0|1 bufsize=N do=0|1 opcode=N
# Unparsable packets log "proto=.. bad=<len>".
import argparse
import asyncio
import os
import random
import re
import socket
import struct
import sys
import time

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

POISON_A = "198.51.100.66"
BEHAVIOUR_RE = re.compile(
    r"^(drop|slow\d+|tc|noedns|servfail|refused|nx|noqr|wrongid|wrongq|"
    r"wrongport|garbageonly|garbage|badrr|qd0|addpoison|tcpcut|tcpstall)"
    r"(-|$)")


class Data:
    def __init__(self, path, synth_a, synth_aaaa):
        self.rrsets = {}     # (name, rdtype) -> RRset
        self.names = set()   # every owner name, plus empty non-terminals
        self.soas = {}       # zone name -> SOA RRset
        self.synth = []      # zones whose unknown names are synthesized
        self.synth_a = synth_a
        self.synth_aaaa = synth_aaaa
        if path:
            self.load(path)

    def load(self, path):
        with open(path) as f:
            for lineno, line in enumerate(f, 1):
                line = re.split(r"[#;]", line, 1)[0].strip()
                if not line:
                    continue
                if line.startswith("$SYNTH"):
                    self.synth.append(dns.name.from_text(line.split()[1]))
                    continue
                f_ = line.split(None, 2)
                owner = dns.name.from_text(f_[0])
                ttl = int(f_[1])
                rest = f_[2].split(None, 1)
                if rest[0].upper() == "IN":
                    rest = rest[1].split(None, 1)
                rdtype = dns.rdatatype.from_text(rest[0])
                rr = dns.rrset.from_text(owner, ttl, "IN", rdtype, rest[1])
                key = (owner, rdtype)
                if key in self.rrsets:
                    self.rrsets[key].union_update(rr)
                else:
                    self.rrsets[key] = rr
                n = owner
                while n != dns.name.root:
                    self.names.add(n)
                    n = n.parent()
                if rdtype == dns.rdatatype.SOA:
                    self.soas[owner] = self.rrsets[key]

    def soa_for(self, name):
        n = name
        while True:
            if n in self.soas:
                return self.soas[n]
            if n == dns.name.root:
                return None
            n = n.parent()

    def synthesizable(self, name, behaviour):
        if behaviour:
            return True
        return any(name.is_subdomain(z) for z in self.synth)

    def synth_rrset(self, name, rdtype):
        if rdtype == dns.rdatatype.A:
            return dns.rrset.from_text(name, 300, "IN", "A", self.synth_a)
        if rdtype == dns.rdatatype.AAAA:
            return dns.rrset.from_text(name, 300, "IN", "AAAA",
                                       self.synth_aaaa)
        if rdtype == dns.rdatatype.TXT:
            return dns.rrset.from_text(name, 300, "IN", "TXT",
                                       '"%s"' % name.to_text())
        return None

    def answer(self, resp, qname, qtype, behaviour):
        """Fill resp's sections (authoritative data, CNAMEs chased)."""
        name = qname.canonicalize()
        for _ in range(8):
            if qtype == dns.rdatatype.ANY:
                found = [r for (n, t), r in self.rrsets.items() if n == name]
                if found:
                    resp.answer.extend(found)
                    return
            rr = self.rrsets.get((name, qtype))
            if rr is not None:
                resp.answer.append(rr)
                return
            cn = self.rrsets.get((name, dns.rdatatype.CNAME))
            if cn is not None and qtype != dns.rdatatype.CNAME:
                resp.answer.append(cn)
                name = cn[0].target.canonicalize()
                continue
            break
        if name in self.names:
            self.negative(resp, name, dns.rcode.NOERROR)
            return
        if behaviour != "nx" and self.synthesizable(name, behaviour):
            rr = self.synth_rrset(name, qtype)
            if rr is not None:
                resp.answer.append(rr)
            return
        self.negative(resp, name, dns.rcode.NXDOMAIN)

    def negative(self, resp, name, rcode):
        resp.set_rcode(rcode)
        soa = self.soa_for(name)
        if soa is not None:
            resp.authority.append(soa)


def behaviour_of(qname, mode):
    if mode:
        return mode
    if len(qname.labels) == 0:
        return None
    first = qname.labels[0].decode("ascii", "replace").lower()
    m = BEHAVIOUR_RE.match(first)
    return m.group(1) if m else None


class Server:
    def __init__(self, args):
        self.args = args
        self.data = Data(args.data, args.synth_a, args.synth_aaaa)
        self.logf = open(args.log, "a") if args.log else None
        self.side = socket.socket(
            socket.AF_INET6 if ":" in args.addr else socket.AF_INET,
            socket.SOCK_DGRAM)
        self.side.bind((args.addr, 0))
        self.udp = None

    def log(self, proto, addr, q=None, bad=None):
        if not self.logf:
            return
        t = "%.3f" % time.time()
        if q is None:
            line = "t=%s proto=%s src=%s sport=%d bad=%d" % (
                t, proto, addr[0], addr[1], bad)
        else:
            qn = q.question[0].name.to_text() if q.question else "-"
            qt = (dns.rdatatype.to_text(q.question[0].rdtype)
                  if q.question else "-")
            line = ("t=%s proto=%s src=%s sport=%d id=%d qname=%s qtype=%s "
                    "rd=%d cd=%d edns=%s bufsize=%d do=%d opcode=%d") % (
                t, proto, addr[0], addr[1], q.id, qn, qt,
                1 if q.flags & dns.flags.RD else 0,
                1 if q.flags & dns.flags.CD else 0,
                "-" if q.edns < 0 else str(q.edns),
                q.payload if q.edns >= 0 else 0,
                1 if q.ednsflags & dns.flags.DO else 0,
                q.opcode())
        self.logf.write(line + "\n")
        self.logf.flush()

    def build(self, q, behaviour, tcp):
        """The honest reply for q, as wire bytes (None: nothing to send)."""
        resp = dns.message.make_response(q, our_payload=1232)
        resp.flags |= dns.flags.AA
        resp.flags &= ~dns.flags.RA
        if q.opcode() != dns.opcode.QUERY or len(q.question) != 1:
            resp.set_rcode(dns.rcode.NOTIMP if len(q.question) == 1
                           else dns.rcode.FORMERR)
            return resp.to_wire()
        if behaviour == "noedns" and q.edns >= 0:
            # an old server: FORMERR and no OPT (RFC 6891 §7)
            resp.use_edns(False)
            resp.set_rcode(dns.rcode.FORMERR)
            return resp.to_wire()
        if behaviour == "servfail":
            resp.set_rcode(dns.rcode.SERVFAIL)
            return resp.to_wire()
        if behaviour == "refused":
            resp.set_rcode(dns.rcode.REFUSED)
            return resp.to_wire()
        qd = q.question[0]
        self.data.answer(resp, qd.name, qd.rdtype, behaviour)
        limit = 65535 if tcp else (max(q.payload, 512) if q.edns >= 0
                                   else 512)
        if behaviour == "addpoison":
            resp.additional.append(dns.rrset.from_text(
                "victim.example.", 300, "IN", "A", POISON_A))
        if behaviour in ("tc", "tcpcut", "tcpstall") and not tcp:
            limit = 0
        try:
            return resp.to_wire(max_size=limit) if limit else self.tc(resp)
        except dns.exception.TooBig:
            return self.tc(resp)

    @staticmethod
    def tc(resp):
        resp.answer = []
        resp.authority = []
        resp.additional = []
        resp.flags |= dns.flags.TC
        return resp.to_wire()

    def poison(self, q, behaviour):
        """The bogus first reply for the wrong* / garbage* behaviours."""
        if behaviour.startswith("garbage"):
            return struct.pack("!H", q.id) + os.urandom(random.randint(10, 60))
        if behaviour == "qd0":
            return struct.pack("!HHHHHH", q.id, 0x8580, 0, 0, 0, 0)
        if behaviour == "badrr":
            qd = q.question[0]
            # header (QR AA RD RA, 1 question, 1 answer) + question + an
            # answer whose owner is a pointer to itself
            hdr = struct.pack("!HHHHHH", q.id, 0x8580, 1, 1, 0, 0)
            qsec = qd.name.to_wire() + struct.pack("!HH", qd.rdtype, 1)
            off = 12 + len(qsec)
            rr = struct.pack("!H", 0xC000 | off) + struct.pack(
                "!HHIH", 1, 1, 300, 4) + bytes([198, 51, 100, 66])
            return hdr + qsec + rr
        qd = q.question[0]
        if behaviour == "wrongq":
            other_name = qd.name
            if len(qd.name.to_wire()) < 240:
                other_name = dns.name.Name((b"poison",) + qd.name.labels)
            other = dns.message.make_query(other_name, qd.rdtype)
            other.id = q.id
            resp = dns.message.make_response(other)
        else:
            resp = dns.message.make_response(q)
        if qd.rdtype == dns.rdatatype.A:
            resp.answer.append(dns.rrset.from_text(
                resp.question[0].name, 300, "IN", "A", POISON_A))
        if behaviour == "wrongid":
            resp.id = (q.id + 1) & 0xffff
        if behaviour == "noqr":
            resp.flags &= ~dns.flags.QR
        return resp.to_wire()

    def handle(self, wire, addr, send, proto):
        """Parse, log, and schedule the reply/replies through send()."""
        try:
            q = dns.message.from_wire(wire)
        except Exception:
            self.log(proto, addr, bad=len(wire))
            return
        self.log(proto, addr, q)
        if q.flags & dns.flags.QR:
            return
        behaviour = behaviour_of(q.question[0].name, self.args.mode) \
            if q.question else None
        if behaviour == "drop":
            return
        delay = 0.0
        if behaviour and behaviour.startswith("slow"):
            delay = int(behaviour[4:]) / 1000.0
        loop = asyncio.get_running_loop()
        if proto == "tcp" and behaviour == "tcpstall":
            return
        if proto == "tcp" and behaviour == "tcpcut":
            reply = self.build(q, None, True)
            send(reply, cut=True)
            return
        if behaviour in ("wrongid", "wrongq", "noqr", "garbage", "badrr",
                         "qd0",
                         "garbageonly", "wrongport"):
            bogus = self.poison(q, behaviour)
            if behaviour == "wrongport" and proto == "udp":
                self.side.sendto(bogus, addr)
            else:
                send(bogus)
            if behaviour == "garbageonly":
                return
            delay = 0.05
        reply = self.build(q, behaviour, proto == "tcp")
        if reply is None:
            return
        if delay > 0:
            loop.call_later(delay, send, reply)
        else:
            send(reply)


class UDP(asyncio.DatagramProtocol):
    def __init__(self, server):
        self.server = server
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        def send(b, addr=addr, cut=False):
            self.transport.sendto(b, addr)
        self.server.handle(data, addr, send, "udp")


async def tcp_client(server, reader, writer):
    addr = writer.get_extra_info("peername")

    def send(b, cut=False):
        if writer.is_closing():
            return
        if cut:   # announce the whole message, send half, hang up
            writer.write(struct.pack("!H", len(b)) + b[:len(b) // 2])
            writer.close()
            return
        writer.write(struct.pack("!H", len(b)) + b)
    try:
        while True:
            hdr = await reader.readexactly(2)
            (n,) = struct.unpack("!H", hdr)
            wire = await reader.readexactly(n)
            server.handle(wire, addr, send, "tcp")
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        await asyncio.sleep(0.5)   # let delayed replies go out
        writer.close()


async def main_async(args):
    server = Server(args)
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(
        lambda: UDP(server), local_addr=(args.addr, args.port))
    if not args.no_tcp:
        await asyncio.start_server(
            lambda r, w: tcp_client(server, r, w), args.addr, args.port)
    if args.ready:
        with open(args.ready + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(args.ready + ".tmp", args.ready)
    await asyncio.Event().wait()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--data")
    p.add_argument("--log")
    p.add_argument("--ready", help="file written once listening")
    p.add_argument("--mode", help="one behaviour for every name")
    p.add_argument("--synth-a", default="192.0.2.1")
    p.add_argument("--synth-aaaa", default="2001:db8::1")
    p.add_argument("--no-tcp", action="store_true")
    args = p.parse_args()
    if not (args.addr.startswith("127.") or args.addr == "::1"):
        sys.exit("fake_upstream: loopback addresses only")
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
