#!/bin/sh
# udp_burst: the UDP listener's recvmmsg/sendmmsg batches (listener_udp.c).
# Bursts of queries sent at once from 40 source ports (160 queries: two
# full batches of 64 and a short one) each get exactly their own right
# answer (ID, question, data, to the port that asked), from the address
# asked: wildcard IPv4 listener on 127.0.0.1 and on secondary loopback
# addresses (IP_PKTINFO per message in one sendmmsg), wildcard IPv6
# listener on ::1, and an address listener; batches mixing immediate
# answers with queries that wait upstream; a query longer than a receive
# slot (2 KiB) is answered FORMERR, one of 1,500 bytes is read whole and
# answered; a cached reply bigger than any UDP answer is a cache hit cut
# to TC; the daemon exits cleanly.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start || ls_finish

burst() { "$PY" "$CDIR/burst.py" "$@"; }

check "static burst, wildcard, 127.0.0.1" burst 127.0.0.1 "$PORT" 40 4 static
check "static burst, wildcard, 127.0.0.2" burst 127.0.0.2 "$PORT" 40 4 static
check "mixed burst (local + upstream), wildcard, 127.0.0.3" burst 127.0.0.3 "$PORT" 40 4 mixed
check "forwarded burst, wildcard, 127.0.0.4" burst 127.0.0.4 "$PORT" 20 4 fwd
check "static burst, wildcard IPv6, ::1" burst ::1 "$PORT" 40 4 static
check "mixed burst, wildcard IPv6, ::1" burst ::1 "$PORT" 40 4 mixed
check "static burst, address listener" burst 127.0.0.1 "$UP4" 40 4 static
check "mixed burst, address listener" burst 127.0.0.1 "$UP4" 40 4 mixed
check "larger burst (200 queries, under the default 208 KiB receive buffer), wildcard" burst 127.0.0.5 "$PORT" 50 4 static

# long queries: EDNS padding (option 12) makes a valid query long
long() {
	"$PY" - "$1" "$PORT" "$2" "$3" <<'PYEOF'
import socket, sys
import dns.edns, dns.message
addr, port, pad, want = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
m = dns.message.make_query("b7.burst.test.", "A", use_edns=0,
                           options=[dns.edns.GenericOption(12, b"\0" * pad)])
w = m.to_wire(max_size=65535)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(w, (addr, port))
r = dns.message.from_wire(s.recv(4096))
print("query of %d bytes: rcode %d id %s" % (len(w), r.rcode(), r.id == m.id))
sys.exit(0 if r.id == m.id and r.rcode() == want else 1)
PYEOF
}
check "1,500-byte query: read whole, answered" long 127.0.0.1 1450 0
check "3,000-byte query (over a slot): FORMERR" long 127.0.0.1 2950 1
check "3,000-byte query on 127.0.0.2: FORMERR from there" long 127.0.0.2 2950 1
# a cached reply larger than any UDP answer (24 TXT, fetched over TCP)
# is still a cache hit: copied into the batch's out arena, cut to TC
o=$(q +bufsize=1232 +ignore +notcp big.example TXT)
check "big answer over UDP: TC" has_flag "$o" tc
n=$(qlog_count up1 "qname=big.example.")
o=$(q +bufsize=1232 +ignore +notcp big.example TXT)
check "big answer again: TC" has_flag "$o" tc
check "big answer again: from the cache (no new upstream query)" qlog_is up1 "$n" "qname=big.example."
o=$(q b9.burst.test A)
check "after the bursts: still answering" ans_has "$o" "10\.9\.0\.9$"
ls_finish
