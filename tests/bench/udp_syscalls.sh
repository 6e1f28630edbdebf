#!/bin/bash
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# udp_syscalls.sh: system calls and on-CPU time per query of linkshimd's
# UDP listener on cache hits, for A/B runs of two binaries.  Inside a
# private network namespace (unshare -n, loopback only): the fake
# upstream ($SYNTH example.test.), linkshimd pinned to core 1 (workers: 1),
# dnsperf on core 0 warming 100 names once, then `perf stat -e
# raw_syscalls:sys_enter,task-clock -p` on the daemon over a fixed run of
# NPASS x 100 queries (dnsperf -c 4 -q 200, at most QPS per second when
# set).  Prints one line per binary: syscalls/query and task-clock
# us/query (on-CPU time, user + kernel; noisy on a busy box: interleave
# A/B).  Not a test.
#   tests/bench/udp_syscalls.sh BIN [BIN...]     NPASS=2000 QPS=
set -e
PY=/usr/bin/python3
top=${TOP_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "$UDPSYS_NS" ]; then
	exec unshare -n env UDPSYS_NS=1 bash "$0" "$@"
fi
ip link set lo up
D=$(mktemp -d /tmp/udp-syscalls.XXXXXX)
trap 'kill $UPPID 2>/dev/null || true; rm -rf "$D"' EXIT
UP=5399
PORT=5398
printf '$SYNTH example.test.\n' >"$D/up.data"
cat >"$D/ls.yaml" <<Y
listen: ["127.0.0.1:$PORT"]
upstreams: ["127.0.0.1:$UP"]
allow: [127.0.0.0/8]
cache: { size: 64MiB }
workers: 1
Y
for i in $(seq 0 99); do echo "h$((i * 1000 + 7)).example.test A"; done >"$D/q.txt"
"$PY" "$top/tests/fakes/fake_upstream.py" --port $UP --data "$D/up.data" \
	--ready "$D/up.ready" --no-tcp 2>"$D/up.err" &
UPPID=$!
for _ in $(seq 100); do [ -f "$D/up.ready" ] && break; sleep 0.05; done
for bin in "$@"; do
	taskset -c 1 "$bin" -c "$D/ls.yaml" >"$D/ls.log" 2>&1 &
	lpid=$!
	sleep 0.5
	taskset -c 0 dnsperf -s 127.0.0.1 -p $PORT -d "$D/q.txt" -n 1 >/dev/null 2>&1
	perf stat -e raw_syscalls:sys_enter,task-clock -p $lpid -o "$D/perf.out" &
	ppid=$!
	sleep 0.5
	timeout 120 taskset -c 0 dnsperf -s 127.0.0.1 -p $PORT -d "$D/q.txt" \
		-n "${NPASS:-2000}" -c 4 -q 200 ${QPS:+-Q $QPS} >"$D/dnsperf.out" 2>&1 || true
	kill -INT $ppid
	wait $ppid || true
	kill $lpid
	wait $lpid 2>/dev/null || true
	awk -v bin="$bin" -v rate="${QPS:-max}" '
	    /Queries completed/ { q = $3 } /Queries per second/ { qps = $4 }
	    /Queries lost/ { lost = $3 } /Response codes/ { rc = $3 " " $4 }
	    /sys_enter/ { gsub(",", "", $1); sc = $1 }
	    /task-clock/ { gsub(",", "", $1); tc = $1 }
	    END { printf "%s Q=%s qps=%d lost=%s rcodes=%s syscalls/q=%.3f us/q=%.3f\n",
	        bin, rate, qps, lost, rc, sc / q, tc * 1000 / q }' \
	    "$D/dnsperf.out" "$D/perf.out"
done
