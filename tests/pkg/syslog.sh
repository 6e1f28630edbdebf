#!/bin/sh
# linkshimd with `syslog: true` and `query_log: true`: log lines, including
# one line per query, go to syslog (/dev/log), not to stderr.  Runs in
# private mount and network namespaces (unshare -m -n): a fresh tmpfs over
# /dev holds only null/zero/random/urandom (made with mknod, nothing of the
# real /dev is mounted anywhere, so no cleanup can reach it) and a fake
# /dev/log receiver (tests/pkg/fake_notify.py prints each datagram), so
# nothing reaches the host's log.  Needs root; SKIPs otherwise.
B=${B:-build}
if [ -z "$LINKSHIM_SYSLOG_NS" ]; then
	if [ "$(id -u)" -ne 0 ] || ! unshare -m -n true 2>/dev/null; then
		echo "SKIP: syslog (needs root and unshare -m -n)"
		exit 0
	fi
	exec unshare -m -n env LINKSHIM_SYSLOG_NS=1 sh "$0" "$@"
fi
ok() { echo "PASS: syslog $1"; }
ko() { echo "FAIL: syslog $1"; }
D=$(cd "$B" 2>/dev/null && pwd)/linkshimd
if [ ! -x "$D" ]; then
	ko "$B/linkshimd not built"
	exit 1
fi
ip link set lo up
T=$(mktemp -d)
DPID= RPID=
trap '[ -n "$DPID" ] && kill "$DPID" 2>/dev/null; [ -n "$RPID" ] && kill "$RPID" 2>/dev/null; wait 2>/dev/null; rm -rf --one-file-system "$T"' EXIT
trap 'exit 1' HUP INT TERM PIPE
# The private /dev: the mount namespace is private (unshare -m makes
# propagation private), so this tmpfs is invisible outside and goes away
# with the namespace.
mount -t tmpfs -o mode=0755 tmpfs /dev || { ko "cannot mount a private /dev"; exit 1; }
mknod -m 0666 /dev/null c 1 3 && mknod -m 0666 /dev/zero c 1 5 &&
	mknod -m 0666 /dev/random c 1 8 && mknod -m 0666 /dev/urandom c 1 9 ||
	{ ko "cannot create device nodes in the private /dev"; exit 1; }

/usr/bin/python3 tests/pkg/fake_notify.py /dev/log "$T/ready" 100 20 >"$T/syslog.out" 2>&1 &
RPID=$!
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(shuf -i 20000-40000 -n 1)
cat >"$T/l.yaml" <<EOT
listen: [127.0.0.1:$PORT]
upstreams: [127.0.0.1:$((PORT + 1))]
syslog: true
query_log: true
links:
  - name: static.example.test
    addresses: [192.0.2.7]
EOT
"$D" -d -c "$T/l.yaml" >"$T/stderr" 2>&1 &
DPID=$!
i=0
a=
while [ "$a" != 192.0.2.7 ] && [ $i -lt 50 ]; do
	a=$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$PORT" static.example.test A 2>/dev/null)
	sleep 0.1
	i=$((i + 1))
done
[ "$a" = 192.0.2.7 ] && ok "daemon answers with syslog: true" || ko "no answer: $(cat "$T/stderr")"
sleep 0.3
kill "$DPID"
wait "$DPID"
DPID=
kill "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
RPID=
grep -q 'linkshimd\[[0-9]*\]: started' "$T/syslog.out" && ok "start-up line in syslog" ||
	ko "no start-up line in syslog: $(head -3 "$T/syslog.out")"
grep -q 'linkshimd\[[0-9]*\]: query udp static.example.test' "$T/syslog.out" &&
	ok "query_log line in syslog" || ko "no query line: $(cat "$T/syslog.out")"
grep -q 'query udp' "$T/stderr" && ko "query lines also on stderr" || ok "nothing logged to stderr after the switch"
