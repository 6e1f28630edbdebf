#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# Writes the seed corpus for fuzz_reply (tests/fuzz/corpus/reply/): replies
# to "www.example.com A IN", valid ones written by dnspython (compressed)
# and hostile ones by hand.  Run with Debian's /usr/bin/python3 (it has
# python3-dnspython); the output is committed, so this is only needed to
# regenerate or extend it.
import os
import struct
import sys

import dns.flags
import dns.message
import dns.rcode
import dns.rrset

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "corpus", "reply")
QNAME = "www.example.com."
SOA = "ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 60"


def reply(rcode=dns.rcode.NOERROR, answer=(), authority=(), additional=(),
          edns=True, qname=QNAME, qtype="A", flags=0, qid=0x1234):
    q = dns.message.make_query(qname, qtype, use_edns=edns, want_dnssec=False)
    q.id = qid
    r = dns.message.make_response(q)
    r.flags |= dns.flags.RA | flags
    r.set_rcode(rcode)
    for sect, rrs in ((r.answer, answer), (r.authority, authority),
                      (r.additional, additional)):
        for name, ttl, rtype, *rdatas in rrs:
            sect.append(dns.rrset.from_text(name, ttl, "IN", rtype, *rdatas))
    return r.to_wire()


def hdr(qid=0x1234, flags=0x8180, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!6H", qid, flags, qd, an, ns, ar)


def name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


QUESTION = name(QNAME) + struct.pack("!HH", 1, 1)


def rr(owner, rtype, ttl, rdata, rdlen=None):
    if rdlen is None:
        rdlen = len(rdata)
    return owner + struct.pack("!HHIH", rtype, 1, ttl, rdlen) + rdata


A = bytes([192, 0, 2, 1])
PTR_Q = b"\xc0\x0c"  # pointer to the question name

SEEDS = {
    # valid
    "a_simple": reply(answer=[(QNAME, 300, "A", "192.0.2.1")]),
    "a_no_edns": reply(answer=[(QNAME, 300, "A", "192.0.2.1")], edns=False),
    "a_multi": reply(answer=[(QNAME, 60, "A", "192.0.2.1", "192.0.2.2",
                              "192.0.2.3")]),
    "a_many": reply(answer=[(QNAME, 120, "A") + tuple(
        "192.0.2.%d" % i for i in range(1, 61))]),
    "cname_chain": reply(answer=[
        (QNAME, 3600, "CNAME", "a.example.net."),
        ("a.example.net.", 600, "CNAME", "b.example.org."),
        ("b.example.org.", 30, "A", "198.51.100.7")]),
    "cname_ns_glue": reply(
        answer=[(QNAME, 300, "CNAME", "web.example.com."),
                ("web.example.com.", 300, "A", "192.0.2.9")],
        authority=[("example.com.", 86400, "NS", "ns1.example.com.",
                    "ns2.example.com.")],
        additional=[("ns1.example.com.", 86400, "A", "192.0.2.53"),
                    ("ns2.example.com.", 86400, "AAAA", "2001:db8::53")]),
    "nxdomain_soa": reply(rcode=dns.rcode.NXDOMAIN,
                          authority=[("example.com.", 3600, "SOA", SOA)]),
    "nodata_soa": reply(authority=[("example.com.", 900, "SOA", SOA)]),
    "nxdomain_after_cname": reply(
        rcode=dns.rcode.NXDOMAIN,
        answer=[(QNAME, 300, "CNAME", "gone.example.net.")],
        authority=[("example.net.", 600, "SOA",
                    "ns.example.net. h.example.net. 1 2 3 4 300")]),
    "nxdomain_no_soa": reply(rcode=dns.rcode.NXDOMAIN),
    "referral": reply(authority=[("example.com.", 172800, "NS",
                                  "a.iana-servers.net.")]),
    "tc": reply(flags=dns.flags.TC),
    "servfail": reply(rcode=dns.rcode.SERVFAIL),
    "refused": reply(rcode=dns.rcode.REFUSED),
    "formerr": reply(rcode=dns.rcode.FORMERR, edns=False),
    "notimp": reply(rcode=dns.rcode.NOTIMP),
    "upper_case_question": reply(qname="WWW.EXAMPLE.COM.",
                                 answer=[("WWW.EXAMPLE.COM.", 300, "A",
                                          "192.0.2.1")]),
    "other_question": reply(qname="evil.example.com.",
                            answer=[("evil.example.com.", 300, "A",
                                     "192.0.2.66")]),
    "aaaa_question": reply(qtype="AAAA", answer=[(QNAME, 300, "AAAA",
                                                  "2001:db8::1")]),
    "ttl_zero": reply(answer=[(QNAME, 0, "A", "192.0.2.1")]),
    # hostile, by hand
    "huge_ttl": hdr(an=2) + QUESTION + rr(PTR_Q, 1, 0xffffffff, A)
    + rr(PTR_Q, 1, 0x7fffffff, A),
    "ptr_loop_owner": hdr(an=1) + QUESTION + rr(b"\xc0\x21", 1, 300, A),
    "ptr_loop_pair": hdr(an=1) + QUESTION + b"\x01a\xc0\x23\xc0\x21"
    + struct.pack("!HHIH", 1, 1, 300, 4) + A,
    "ptr_forward": hdr(an=1) + QUESTION + rr(b"\xc0\xff", 1, 300, A),
    "ptr_in_question_loop": hdr() + b"\xc0\x0c" + struct.pack("!HH", 1, 1),
    "counts_too_large": hdr(an=40, ns=40, ar=40) + QUESTION
    + rr(PTR_Q, 1, 300, A),
    "rdlen_past_end": hdr(an=1) + QUESTION + rr(PTR_Q, 1, 300, A, 400),
    "rr_cut_short": (hdr(an=1) + QUESTION + rr(PTR_Q, 1, 300, A))[:-7],
    "opt_in_answer": hdr(an=1) + QUESTION
    + b"\0" + struct.pack("!HHIH", 41, 1232, 0x8000, 0),
    "two_opts": hdr(an=1, ar=2) + QUESTION + rr(PTR_Q, 1, 300, A)
    + (b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)) * 2,
    "opt_not_root": hdr(an=1, ar=1) + QUESTION + rr(PTR_Q, 1, 300, A)
    + PTR_Q + struct.pack("!HHIH", 41, 1232, 0, 0),
    "soa_short_rdata": hdr(flags=0x8183, ns=1) + QUESTION
    + rr(name("example.com."), 6, 300, b"\0\0\0\0"),
    "soa_long_rdata": hdr(flags=0x8183, ns=1) + QUESTION
    + rr(name("example.com."), 6, 300, b"\0\0" + b"\1" * 30),
    "soa_huge_minimum": hdr(flags=0x8183, ns=1) + QUESTION
    + rr(name("example.com."), 6, 0xfffffff0, b"\0\0" + b"\0" * 16
         + b"\xff\xff\xff\xff"),
    "label_64": hdr(an=1) + QUESTION
    + rr(b"\x40" + b"a" * 64 + b"\0", 1, 300, A),
    "name_too_long": hdr(an=1) + QUESTION
    + rr((b"\x3f" + b"b" * 63) * 4 + b"\0", 1, 300, A),
    "bad_label_type": hdr(an=1) + QUESTION + rr(b"\x80\x01", 1, 300, A),
    "no_qr": hdr(flags=0x0100) + QUESTION,
    "qdcount_zero": hdr(qd=0, flags=0x8181),
    "qdcount_two": hdr(qd=2) + QUESTION + QUESTION,
    "short_header": hdr()[:5],
    "header_only": hdr(qd=0),
    "empty": b"",
    "trailing_garbage": reply(answer=[(QNAME, 300, "A", "192.0.2.1")])
    + b"\xde\xad\xbe\xef",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for n, data in sorted(SEEDS.items()):
        with open(os.path.join(OUT, n), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(SEEDS), OUT))


if __name__ == "__main__":
    main()
