#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# linkshimctl doctor in two network namespaces this test creates (client
# and server, joined by a veth pair, addresses in 10.203.0.0/24 that exist
# only inside them): a name whose port accepts (and answers HTTP 400), one
# whose address refuses, one where nftables drops the SYNs (bounded by
# --timeout 2), a name linkshimd does not know, a DNS server that does not
# answer, and a system resolver that disagrees.  The "linkshimd" here is
# a fake DNS server (tests/fakes/fake_dns.py) on 127.0.0.1:5354 in the
# client namespace; the system resolver is a second one on 127.0.0.1:53,
# reached through a resolv.conf bind-mounted in a private mount namespace.
NAME=doctor
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then skip "all (needs root for ip netns)"; exit 0; fi
for t in ip nft unshare mount; do
	command -v $t >/dev/null 2>&1 || { skip "all ($t not installed)"; exit 0; }
done
"$DPY" -c 'import dns.message' 2>/dev/null || {
	skip "all (python3-dnspython missing)"; exit 0; }

C=lsdc$$
S=lsds$$
if ! ip netns add "$C" 2>"$T/ns.err" || ! ip netns add "$S" 2>>"$T/ns.err"; then
	skip "all (cannot create network namespaces: $(head -1 "$T/ns.err"))"
	ip netns del "$C" 2>/dev/null
	exit 0
fi
nscleanup() {
	cleanup
	ip netns del "$C" 2>/dev/null
	ip netns del "$S" 2>/dev/null
}
trap nscleanup EXIT INT TERM
ip -n "$C" link add vc0 type veth peer name vs0 netns "$S"
ip -n "$C" link set lo up
ip -n "$S" link set lo up
ip -n "$C" addr add 10.203.0.1/24 dev vc0
for a in 2 3 4; do ip -n "$S" addr add 10.203.0.$a/24 dev vs0; done
ip -n "$C" link set vc0 up
ip -n "$S" link set vs0 up
ip netns exec "$S" nft -f - <<'NFT'
table inet lsdoctor {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr 10.203.0.4 tcp dport 19530 drop
	}
}
NFT
[ $? -eq 0 ] && pass "nftables drop rule in the server namespace" || {
	fail "nftables drop rule in the server namespace"; exit 1; }

# the service: HTTP 400 to everything on 10.203.0.2:19530 only
ip netns exec "$S" "$DPY" -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(400); self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("10.203.0.2", 19530), H)
open(sys.argv[1], "w").write("ok")
s.serve_forever()' "$T/http.ready" &
PIDS="$PIDS $!"
REC="--record ok.test=10.203.0.2 --record refused.test=10.203.0.3 \
--record dropped.test=10.203.0.4"
ip netns exec "$C" "$DPY" "$TOP/tests/fakes/fake_dns.py" --port 5354 \
    --ready "$T/shim.ready" $REC --record split.test=10.203.0.2 &
PIDS="$PIDS $!"
ip netns exec "$C" "$DPY" "$TOP/tests/fakes/fake_dns.py" --port 53 \
    --ready "$T/sys.ready" $REC --record split.test=10.203.0.3 &
PIDS="$PIDS $!"
wait_file "$T/http.ready" && wait_file "$T/shim.ready" && wait_file "$T/sys.ready" ||
	{ fail "fakes did not start"; exit 1; }
echo "nameserver 127.0.0.1" >"$T/resolv.conf"

doctor() { # OUT ARGS...
	out=$1
	shift
	ip netns exec "$C" unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf &&
exec "$@"' "$T/resolv.conf" "$CTL" doctor --server 127.0.0.1:5354 --port 19530 \
	    --timeout 2 --socket "$T/no-admin.sock" "$@" >"$T/$out" 2>&1
}

doctor ok.out ok.test --scheme http
rc=$?
check "reachable name: exit 0" test $rc -eq 0
check "reachable name: record in linkshimd" grep -q "^ok    record in linkshimd: ok.test -> 10.203.0.2" "$T/ok.out"
check "reachable name: system resolver agrees" grep -q "^ok    system resolver: ok.test -> 10.203.0.2" "$T/ok.out"
check "reachable name: tcp connected" grep -q "^ok    tcp 10.203.0.2 port 19530: connected" "$T/ok.out"
check "reachable name: HTTP 400 counts as reachable" grep -q "answered HTTP 400 (reachable)" "$T/ok.out"

doctor ref.out refused.test
rc=$?
check "refused: exit 1" test $rc -eq 1
check "refused: verdict" grep -q "^FAIL  tcp 10.203.0.3 port 19530: connection refused" "$T/ref.out"

start=$(date +%s)
doctor drop.out dropped.test
rc=$?
took=$(( $(date +%s) - start ))
check "dropped: exit 1" test $rc -eq 1
check "dropped: security group/NACL verdict" grep -q \
    "^FAIL  tcp 10.203.0.4 port 19530: no answer within 2s: security group or NACL drops traffic to port 19530 from this host" \
    "$T/drop.out"
check "dropped: fix names the port" grep -q "fix: allow inbound TCP 19530" "$T/drop.out"
check "dropped: bounded by --timeout (${took}s)" test "$took" -le 8
doctor drop.json --json dropped.test
check "dropped: --json verdict" "$DPY" -c "import json,sys; d=json.load(open('$T/drop.json')); \
t=[c for c in d['checks'] if c['check'].startswith('tcp ')]; \
sys.exit(not (d['ok'] is False and t[0]['status']=='FAIL' and 'security group' in t[0]['detail']))"

doctor nx.out nolink.test
rc=$?
check "unknown name: exit 1" test $rc -eq 1
check "unknown name: NXDOMAIN and the fix" sh -c "grep -q 'does not exist in linkshimd (NXDOMAIN)' '$T/nx.out' && \
grep -q 'fix: register the mapping: linkshimctl link add nolink.test' '$T/nx.out'"

doctor split.out split.test
check "system resolver disagrees: warned" grep -q \
    "^warn  system resolver: split.test -> 10.203.0.3, but linkshimd says 10.203.0.2" "$T/split.out"

doctor down.out ok.test --server 127.0.0.1:5399
rc=$?
check "linkshimd not answering: exit 1" test $rc -eq 1
check "linkshimd not answering: verdict" grep -q \
    "^FAIL  record in linkshimd: no answer from 127.0.0.1:5399 within 2s" "$T/down.out"
check "linkshimd not answering: still probes the system answer" grep -q \
    "^ok    tcp 10.203.0.2 port 19530: connected" "$T/down.out"
