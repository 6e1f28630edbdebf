#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# workers: `workers: 2` runs two resolvers (threads) with SO_REUSEPORT
# sockets on the same address (src/io/workers.c): links, forwarded names
# and links added through the admin API are answered whichever socket a
# query lands on, the stats sum both workers, and reloads (SIGHUP) under
# a steady dnsperf load lose no query while every worker switches to the
# new snapshot.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data" --synth-a 192.0.2.9
ls_start

threads=$(ls "/proc/$LS_PID/task" | wc -l)
check "two threads (one per worker): $threads" eq "$threads" 2
hp=$(printf ':%04X ' "$PORT")
nu=$(grep -c "$hp" "/proc/$LS_PID/net/udp")
check "two UDP sockets on the listen port (SO_REUSEPORT): $nu" eq "$nu" 2
nt=$(grep "$hp" "/proc/$LS_PID/net/tcp" | grep -c " 0A ")
check "two TCP listening sockets on the listen port: $nt" eq "$nt" 2

# each dig uses its own source port: the kernel spreads them over both
# workers' sockets
nl=0 nf=0
for i in $(seq 1 20); do
	o=$(q in01-dev.local.test A)
	ans_has "$o" "10\.9\.0\.1$" >/dev/null && nl=$((nl + 1))
	o=$(q "w$i.example" A)
	ans_has "$o" "192\.0\.2\.9$" >/dev/null && nf=$((nf + 1))
done
check "link answered 20 of 20 times" eq "$nl" 20
check "forwarded names answered 20 of 20" eq "$nf" 20
check "each forwarded name asked upstream once" qlog_is up1 20 "qname=w"

m=$(curl -s -m 5 --unix-socket "$T/admin.sock" http://localhost/metrics)
nq=$(printf '%s\n' "$m" | sed -n 's/^linkshim_queries_total{transport="udp"} //p')
check "metrics sum both workers: udp queries ${nq:-none} >= 40" ge "${nq:-0}" 40

if ! command -v dnsperf >/dev/null 2>&1; then
	skip "reload under load" "dnsperf not installed"
else
	for i in $(seq 1 50); do
		echo "in01-dev.local.test A"
		echo "w$((i % 20 + 1)).example A"
	done >"$T/queries"
	dnsperf -s "$ADDR" -p "$PORT" -d "$T/queries" -l 4 -c 4 -q 20 -Q 2000 -t 2 \
		>"$T/dnsperf.log" 2>&1 &
	DP=$!
	PIDS+=("$DP")
	sleep 1
	ls_conf "$CDIR/reload.yaml"
	kill -HUP "$LS_PID"
	sleep 1
	kill -HUP "$LS_PID"
	sleep 1
	ls_conf "$CDIR/linkshim.yaml"
	kill -HUP "$LS_PID"
	wait "$DP"
	sent=$(sed -n 's/^ *Queries sent: *\([0-9]*\).*/\1/p' "$T/dnsperf.log")
	lost=$(sed -n 's/^ *Queries lost: *\([0-9]*\).*/\1/p' "$T/dnsperf.log")
	check "reload under load: queries sent (${sent:-none} >= 1000)" ge "${sent:-0}" 1000
	check "reload under load: ${lost:-?} of ${sent:-?} queries lost (0)" eq "${lost:-1}" 0
	nr=$(grep -c "reloaded" "$T/linkshimd.log")
	check "three reloads done ($nr)" eq "$nr" 3
fi

ls_conf "$CDIR/reload.yaml"
kill -HUP "$LS_PID"
sleep 0.5
na=0
for i in $(seq 1 20); do
	o=$(q added.local.test A)
	ans_has "$o" "10\.9\.0\.7$" >/dev/null && na=$((na + 1))
done
check "after a reload every worker answers the new link (20 of 20)" eq "$na" 20

# a dynamic link (admin API, worker 0's thread) reaches every worker
r=$(curl -s -m 5 --unix-socket "$T/admin.sock" -w '\n%{http_code}' -X PUT \
	http://localhost/v1/links/dyn.example.org -d '{"addresses":["10.7.0.1"],"ttl":45}')
check "API PUT link -> 201" match "$r" '^201$'
nd=0
for i in $(seq 1 20); do
	o=$(q dyn.example.org A)
	ans_has "$o" "10\.7\.0\.1$" >/dev/null && nd=$((nd + 1))
done
check "every worker answers the API link (20 of 20)" eq "$nd" 20
check "daemon alive" ls_alive
ls_finish
