#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# Writes the seed corpus for fuzz_query (tests/fuzz/corpus/query/): valid
# client queries of several types, with and without EDNS, for names the
# fuzz target's table answers locally, chases or forwards, and malformed
# ones (label overruns, pointer loops, bad counts, broken OPT, truncated).
# Run once with Debian's /usr/bin/python3; the files are what is committed.
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "query")


def name(s):
    b = b""
    for label in s.strip(".").split("."):
        if label:
            b += bytes([len(label)]) + label.encode()
    return b + b"\0"


def hdr(flags=0x0100, qd=1, an=0, ns=0, ar=0, qid=0x1234):
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def opt(udp=1232, version=0, do=False, rdata=b"", owner=b"\0"):
    ttl = (version << 16) | (0x8000 if do else 0)
    return owner + struct.pack("!HHIH", 41, udp, ttl, len(rdata)) + rdata


def query(qname, qtype=1, qclass=1, edns=None, **kw):
    ar = 1 if edns is not None else 0
    kw.setdefault("ar", ar)
    m = hdr(**kw) + name(qname) + struct.pack("!HH", qtype, qclass)
    if edns is not None:
        m += edns
    return m


cases = {
    "a_www": query("www.corp.example", 1),
    "a_www_case_edns": query("WwW.CoRp.ExAmPlE", 1, edns=opt(4096, do=True)),
    "aaaa_static": query("static.link.test", 28, edns=opt()),
    "a_static": query("static.link.test", 1),
    "mx_apex": query("corp.example", 15),
    "soa_apex": query("corp.example", 6, edns=opt(512)),
    "ns_apex": query("corp.example", 2),
    "txt_deep": query("t.x.corp.example", 16, edns=opt(1232)),
    "ent_nodata": query("x.corp.example", 16),
    "nxdomain": query("nope.corp.example", 1, edns=opt()),
    "wildcard": query("a.b.w.corp.example", 1),
    "cname_rrset": query("cn.corp.example", 28),
    "alias_rrset": query("al.corp.example", 28, edns=opt()),
    "alias_link_a": query("alias.link.test", 1, edns=opt(1232, do=True)),
    "alias_link_txt": query("alias.link.test", 16),
    "cname_link_a": query("cname.link.test", 1),
    "cname_link_cname": query("cname.link.test", 5),
    "wild_link": query("x.wild.link.test", 28),
    "any_static": query("static.link.test", 255),
    "forward": query("www.example.org", 1, edns=opt()),
    "forward_consul": query("web.service.consul", 33),
    "ch_version": query("version.bind", 16, qclass=3),
    "class_hs": query("www.corp.example", 1, qclass=4),
    "axfr": query("corp.example", 252),
    "tsig_qtype": query("corp.example", 250),
    "opt_qtype": query("corp.example", 41),
    "edns_v1": query("www.corp.example", 1, edns=opt(version=1)),
    "opcode_notify": query("corp.example", 6, flags=(4 << 11)),
    "qr_set": query("www.corp.example", 1, flags=0x8180),
    "tc_set": query("www.corp.example", 1, flags=0x0300),
    "qd0": hdr(qd=0),
    "qd2": hdr(qd=2) + name("a.example") + b"\0\1\0\1" + name("b.example") + b"\0\1\0\1",
    "an1": query("www.corp.example", 1, an=1),
    "ar2_two_opts": query("www.corp.example", 1, edns=opt() + opt(), ar=2),
    "opt_nonroot": query("www.corp.example", 1, edns=opt(owner=b"\xc0\x0c")),
    "opt_option_overrun": query("www.corp.example", 1, edns=opt(rdata=b"\0\x0a\0\x20abcd")),
    "opt_cookie": query("www.corp.example", 1, edns=opt(rdata=b"\0\x0a\0\x08abcdefgh")),
    "ar1_missing": query("www.corp.example", 1, ar=1),
    "label_overrun": hdr() + b"\x3fabc",
    "label_ext": hdr() + b"\x41abc\0\0\1\0\1",
    "ptr_self": hdr() + b"\xc0\x0c\0\1\0\1",
    "ptr_forward": hdr() + b"\xc0\x20\0\1\0\1" + b"\0" * 20,
    "ptr_loop_opt": query("www.corp.example", 1, edns=b"\xc0\x1d\xc0\x1b" + opt()[1:]),
    "name_too_long": hdr() + (b"\x3f" + b"a" * 63) * 4 + b"\0\0\1\0\1",
    "truncated_question": query("www.corp.example", 1)[:20],
    "short5": b"\x12\x34\x01\x00\x00",
    "header_only": hdr(),
    "empty": b"",
}

# Upstream replies for the links' target t.example.net (the target also
# runs every input as a reply): a CNAME chain to A records, a compressed
# MX, NXDOMAIN with an SOA, and a chain that loops.
T = name("t.example.net")
cases.update({
    "reply_chain_a": hdr(0x8180, an=3) + T + b"\0\1\0\1"
    + b"\xc0\x0c\0\5\0\1\0\0\0\x64\0\5\2t2\xc0\x0e"
    + b"\xc0\x2b\0\1\0\1\0\0\0\x14\0\4\x0a\0\0\1"
    + b"\xc0\x2b\0\1\0\1\0\0\0\x32\0\4\x0a\0\0\2",
    "reply_mx": hdr(0x8180, an=1) + T + b"\0\x0f\0\1"
    + b"\xc0\x0c\0\x0f\0\1\0\0\0\x64\0\7\0\5\2mx\xc0\x0c",
    "reply_nxdomain_soa": hdr(0x8183, ns=1) + T + b"\0\1\0\1"
    + b"\xc0\x0e\0\6\0\1\0\0\3\x84\0\x18\xc0\x0e\xc0\x0e"
    + struct.pack("!IIIII", 1, 2, 3, 4, 60),
    "reply_cname_loop": hdr(0x8180, an=2) + T + b"\0\1\0\1"
    + b"\xc0\x0c\0\5\0\1\0\0\0\x64\0\5\2t2\xc0\x0e"
    + b"\xc0\x2b\0\5\0\1\0\0\0\x64\0\2\xc0\x0c",
    "reply_servfail": hdr(0x8182) + T + b"\0\1\0\1",
})


def main():
    os.makedirs(OUT, exist_ok=True)
    for k, v in sorted(cases.items()):
        with open(os.path.join(OUT, k), "wb") as f:
            f.write(v)
    print("%d files in %s" % (len(cases), OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
