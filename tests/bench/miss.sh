#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# miss: CPU per cache-miss query of linkshimd (issue 3, "Upstream path").
# Inside a private network namespace (loopback only) it starts nsd
# answering a wildcard zone (*.u.example.test), then linkshimd forwarding
# to it, then drives linkshimd with dnsperf over N unique names (every
# query a miss).  Prints qps, lost queries and linkshimd's CPU time
# (utime+stime from /proc) per query.  Not a test; root needed.
#
#   sh tests/bench/miss.sh [N=100000] [DURATION=10]   (from the top dir)
#   WORKERS=2 sh tests/bench/miss.sh
#   PERF_OUT=/tmp/miss.perf sh tests/bench/miss.sh   (perf record as well)
set -e
if [ -z "$MISS_IN_NS" ]; then
	MISS_IN_NS=1 exec unshare -n sh "$0" "$@"
fi
ip link set lo up
N=${1:-100000}
DUR=${2:-10}
B=${B:-build}
T=$(mktemp -d /tmp/lsmiss.XXXXXX)
trap 'kill $NSD_PID $LS_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
cat >"$T/u.zone" <<Z
\$TTL 300
u.example.test. IN SOA ns.u.example.test. h.u.example.test. 1 3600 600 86400 300
u.example.test. IN NS ns.u.example.test.
ns.u.example.test. IN A 127.0.0.1
*.u.example.test. IN A 192.0.2.1
Z
cat >"$T/nsd.conf" <<Z
server:
    ip-address: 127.0.0.1@5399
    server-count: 1
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$T"
    pidfile: "$T/nsd.pid"
    xfrdfile: "$T/xfrd.state"
    zonelistfile: "$T/zone.list"
    xfrdir: "$T"
    logfile: "$T/nsd.log"
    verbosity: 0
    rrl-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "u.example.test"
    zonefile: "u.zone"
Z
taskset -c 0 nsd -d -c "$T/nsd.conf" >"$T/nsd.out" 2>&1 &
NSD_PID=$!
cat >"$T/ls.yaml" <<Z
listen: [127.0.0.1:5353]
upstreams: [127.0.0.1:5399]
allow: [127.0.0.0/8]
cache: { size: 256MiB }
workers: ${WORKERS:-1}
Z
taskset -c 1 "$B/linkshimd" -c "$T/ls.yaml" >"$T/ls.out" 2>&1 &
LS_PID=$!
sleep 1
awk -v n="$N" 'BEGIN { srand(); t = int(rand() * 1e9);
	for (i = 0; i < n; i++) printf "q%d.r%d.u.example.test A\n", i, t }' >"$T/q"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
t0=$(ticks $LS_PID)
if [ -n "$PERF_OUT" ]; then # PERF_OUT=file: perf record the daemon too
	perf record -e cpu-clock -g -q -o "$PERF_OUT" -p $LS_PID 2>/dev/null &
	PERF_PID=$!
fi
taskset -c 0 dnsperf -s 127.0.0.1 -p 5353 -d "$T/q" -n 1 -l "$DUR" -c 4 -q 200 -t 5 >"$T/perf.out" 2>&1 || true
t1=$(ticks $LS_PID)
if [ -n "$PERF_OUT" ]; then kill -INT $PERF_PID; wait $PERF_PID || true; fi
hz=$(getconf CLK_TCK)
awk -v t=$((t1 - t0)) -v hz="$hz" '
	/Queries completed:/ { done_ = $3 }
	/Queries lost:/ { lost = $3 }
	/Queries per second:/ { qps = $4 }
	/Average Latency/ { avg = $4 }
	END { printf "miss: completed %d lost %d qps %.0f avg_lat_ms %.3f cpu_us_per_query %.1f\n",
	    done_, lost, qps, avg * 1000, t * 1e6 / hz / (done_ > 0 ? done_ : 1) }' "$T/perf.out"
