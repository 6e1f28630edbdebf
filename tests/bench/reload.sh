#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# reload: startup and reload time of linkshimd for N links, and the
# queries lost across reloads (SIGHUP) under a steady dnsperf load (issue
# 3: 100,000 links load in under 1 s; zero queries lost).  Half the links
# are static (addresses), half cname links to VPC-endpoint-shaped targets;
# dnsperf asks the static ones (local answers, no upstream needed).  Runs
# in a private network namespace, loopback only.  Not a test; root needed.
#
#   sh tests/bench/reload.sh [N=10000] [QPS=20000] [RELOADS=3]
#   WORKERS=2 sh tests/bench/reload.sh 10000
set -e
if [ -z "$RL_IN_NS" ]; then
	RL_IN_NS=1 exec unshare -n sh "$0" "$@"
fi
ip link set lo up
N=${1:-10000}
QPS=${2:-20000}
RELOADS=${3:-3}
B=${B:-build}
T=$(mktemp -d /tmp/lsreload.XXXXXX)
trap 'kill $LS_PID 2>/dev/null; rm -rf "$T"' EXIT
ms() { echo $(($(date +%s%N) / 1000000)); }
{
	echo "listen: [127.0.0.1:5353]"
	echo "upstreams: [127.0.0.1:5399]"
	echo "allow: [127.0.0.0/8]"
	echo "workers: ${WORKERS:-1}"
	echo "links:"
	awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
		if (i % 2 == 0)
			printf "  - { name: in01-%015x.aws-us-west-2.vectordb.zillizcloud.com, addresses: [10.%d.%d.%d] }\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256
		else
			printf "  - { name: in01-%015x.aws-us-west-2.vectordb.zillizcloud.com, target: vpce-0%016x-%08x.vpce-svc-0%016x.us-west-2.vpce.amazonaws.com, mode: cname }\n", i, i, i, i }'
} >"$T/ls.yaml"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i += 2)
	printf "in01-%015x.aws-us-west-2.vectordb.zillizcloud.com A\n", i }' >"$T/q"
t0=$(ms)
"$B/linkshimd" -c "$T/ls.yaml" >"$T/ls.log" 2>&1 &
LS_PID=$!
i=0
until dig @127.0.0.1 -p 5353 +tries=1 +time=1 +short \
	in01-000000000000000.aws-us-west-2.vectordb.zillizcloud.com A 2>/dev/null | grep -q 10.0.0.0; do
	i=$((i + 1))
	[ $i -lt 3000 ] || { echo "no answer"; cat "$T/ls.log"; exit 1; }
	sleep 0.01
done
t1=$(ms)
echo "links $N: startup to first answer $((t1 - t0)) ms; rss $(awk '/VmRSS/ { print $2 }' /proc/$LS_PID/status) kB"
rtimes=""
dur=$((RELOADS * 2 + 2))
dnsperf -s 127.0.0.1 -p 5353 -d "$T/q" -l "$dur" -c 4 -q 100 -Q "$QPS" -t 2 >"$T/perf.out" 2>&1 &
DP=$!
sleep 1
for r in $(seq 1 "$RELOADS"); do
	n0=$(grep -c reloaded "$T/ls.log" || true)
	t0=$(ms)
	kill -HUP $LS_PID
	while [ "$(grep -c reloaded "$T/ls.log" || true)" -le "$n0" ]; do sleep 0.005; done
	rtimes="$rtimes $(($(ms) - t0))"
	sleep 1
done
wait $DP || true
echo "links $N: reload times (ms):$rtimes"
awk '/Queries sent:/ { s = $3 } /Queries completed:/ { c = $3 } /Queries lost:/ { l = $3 }
	/Queries per second:/ { q = $4 } /Average Latency/ { a = $4; m = $8; sub(/\)/, "", m) }
	END { printf "under load across reloads: sent %d completed %d lost %d (qps %.0f, avg %.3f ms, max %s s)\n", s, c, l, q, a * 1000, m }' "$T/perf.out"
# the reload thread's own account (wall and CPU time of each build)
grep -o "config built off the loop.*" "$T/ls.log" | sed "s/^/links $N: /" || true
