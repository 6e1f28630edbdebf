#!/bin/bash
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# hotpath_daemon.sh: user-space instructions per query of the whole
# daemon (libevent, the UDP listener, request.c and the core) under
# valgrind --tool=callgrind, for the issue 3 cases: static link answers,
# cname link answers with the target cached, and cache hits.  Everything
# runs inside a private network namespace (unshare -n, loopback only):
# tests/fakes/fake_upstream.py as the upstream, linkshimd under callgrind
# on 100 cname links and 100 static links, and a client that sends one
# query at a time.  Each run warms the cache with one pass over the 100
# names of its case, then sends N queries; two lengths are differenced,
# so startup, warm-up and shutdown cancel out.  Not a test.
#   tests/bench/hotpath_daemon.sh [case...]   (local cname hit)
#   N1=2000 N2=4000 TOP=15 DELAY_MS=2
set -e
export LC_ALL=C
cd "$(dirname "$0")/../.."
B=${B:-build}
N1=${N1:-2000}
N2=${N2:-4000}
TOP=${TOP:-15}
DELAY_MS=${DELAY_MS:-2}
PY=/usr/bin/python3
cases=${*:-local cname hit}
[ -x "$B/linkshimd" ] || { echo "build $B/linkshimd first" >&2; exit 1; }

if [ -z "$HOTPATH_NS" ]; then
	OUT=${OUT:-$(mktemp -d /tmp/hotpath-daemon.XXXXXX)}
	export OUT B N1 N2 TOP DELAY_MS
	exec unshare -n env HOTPATH_NS=1 bash "$0" "$@"
fi
ip link set lo up

UP=5399
PORT=5398
cat >"$OUT/up.data" <<EOF
\$SYNTH example.test.
\$SYNTH vpce.amazonaws.com.
EOF
{
	echo "listen: [\"127.0.0.1:$PORT\"]"
	echo "upstreams: [\"127.0.0.1:$UP\"]"
	echo "allow: [127.0.0.0/8]"
	echo "cache: { size: 64MiB }"
	echo "workers: 1"
	echo "links:"
	for i in $(seq 0 99); do
		printf '  - { name: in01-%015x.aws-us-west-2.vectordb.zillizcloud.com, ' $((i * 7919 + 12345))
		printf 'target: vpce-0%016x-abcd%04d.vpce-svc-0%016x.us-west-2.vpce.amazonaws.com, mode: cname }\n' \
			$((i * 104729)) "$i" $((i * 1299709))
		printf '  - { name: st01-%015x.aws-us-west-2.vectordb.zillizcloud.com, addresses: [10.2.0.%d] }\n' \
			$((i * 7919 + 12345)) "$i"
	done
} >"$OUT/linkshim.yaml"

"$PY" tests/fakes/fake_upstream.py --port $UP --data "$OUT/up.data" \
	--ready "$OUT/up.ready" --no-tcp 2>"$OUT/up.err" &
UPPID=$!
trap 'kill $UPPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -f "$OUT/up.ready" ] && break; sleep 0.05; done

# client CASE N: one pass over the case's 100 names, then N queries, one
# outstanding, DELAY_MS apart so that the daemon goes back to epoll for
# each (under valgrind a fast client would let the listener's recvfrom
# loop take the next query in the same wakeup, hiding libevent's cost);
# prints the number answered.
client() {
	"$PY" - "$1" "$2" "$PORT" "$DELAY_MS" <<'EOF'
import socket, struct, sys, time
case, n, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
delay = float(sys.argv[4]) / 1000
def name(i):
    if case == "local":
        return "st01-%015x.aws-us-west-2.vectordb.zillizcloud.com" % (i * 7919 + 12345)
    if case == "cname":
        return "in01-%015x.aws-us-west-2.vectordb.zillizcloud.com" % (i * 7919 + 12345)
    return "h%d.example.test" % (i * 1000 + 7)
def wire(qid, qname):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in qname.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)
pkts = [wire(i + 1, name(i)) for i in range(100)]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect(("127.0.0.1", port))
ok = 0
for i in range(100 + n):
    if delay:
        time.sleep(delay)
    s.send(pkts[i % 100])
    try:
        r = s.recv(4096)
    except socket.timeout:
        continue
    if r[:2] == pkts[i % 100][:2] and (r[3] & 0xf) == 0 and r[7] > 0:
        ok += 1
print(ok - 100 if ok >= 100 else ok)
EOF
}

# run CASE N: linkshimd under callgrind for one client run.
run() {
	local f=$OUT/cg.$1.$2 pid i
	valgrind --tool=callgrind --callgrind-out-file="$f" \
		"$B/linkshimd" -c "$OUT/linkshim.yaml" >"$OUT/ls.$1.$2.log" 2>&1 &
	pid=$!
	# ready when the port is bound (probing with queries would add a
	# varying number of them to the count)
	hex=$(printf '%04X' $PORT)
	for i in $(seq 600); do
		grep -q ":$hex 00000000:0000 07" /proc/net/udp && break
		sleep 0.1
	done
	echo "$1 N=$2 answered: $(client "$1" "$2")" >>"$OUT/answered"
	kill -TERM $pid
	wait $pid || true
}

fncost() {
	callgrind_annotate --auto=no --threshold=100 "$1" 2>/dev/null |
	    awk '/^ *[0-9,]+ +\( *[0-9.]+%\) +/ { n = $1; gsub(",", "", n);
	        n += 0; f = $0; sub(/^[^)]*\) +/, "", f); sub(/ \[.*$/, "", f);
	        sub(/^.*:/, "", f); if (f != "PROGRAM TOTALS") s[f] += n }
	        END { for (f in s) printf "%s\t%s\n", f, s[f] }' | sort
}

printf 'case\tIr/query (linkshimd, N1=%s N2=%s)\n' "$N1" "$N2"
for c in $cases; do
	run "$c" "$N1"
	run "$c" "$N2"
	t1=$(awk '/^(summary|totals):/ { print $2; exit }' "$OUT/cg.$c.$N1")
	t2=$(awk '/^(summary|totals):/ { print $2; exit }' "$OUT/cg.$c.$N2")
	echo "$c $t1 $t2" | awk -v d=$((N2 - N1)) '{ printf "%s\t%.1f\n", $1, ($3 - $2) / d }'
	fncost "$OUT/cg.$c.$N1" >"$OUT/fn.$c.$N1"
	fncost "$OUT/cg.$c.$N2" >"$OUT/fn.$c.$N2"
	join -t "$(printf '\t')" -a 2 -e 0 -o 0,1.2,2.2 "$OUT/fn.$c.$N1" "$OUT/fn.$c.$N2" |
	    awk -F '\t' -v d=$((N2 - N1)) '{ c = ($3 - $2) / d;
	        if (c >= 0.5) printf "\t%8.1f  %s\n", c, $1 }' |
	    sort -rn | head -n "$TOP"
done
cat "$OUT/answered"
echo "callgrind files: $OUT"
