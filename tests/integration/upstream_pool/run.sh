#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# upstream_pool: upstream queries leave from a bounded pool of connected
# UDP sockets (src/io/upstream_pool.c, issue 3): many unique names are
# all answered, with a fresh random ID each, over a few dozen source
# ports at most (sockets are reused, not one per query), and the daemon's
# open descriptors stay bounded; an upstream that refuses (ICMP port
# unreachable on its pooled socket) is left at once for the next one
# instead of waiting for the upstream timeout; with few descriptors the
# pool makes do with the sockets it could open.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data" --synth-a 192.0.2.9
ls_start

# the refusing server first or second: every answer comes well before
# the 1 s upstream timeout
t0=$(now_ms)
o=$(q first.example A)
dt=$(($(now_ms) - t0))
check "refused upstream: answered from the next one" sect_count "$o" ANSWER 1 "192\.0\.2\.9$"
check "refused upstream: no wait for the timeout (${dt} ms < 800)" lt "$dt" 800

n=120
names=()
for ((i = 0; i < n; i++)); do names+=("u$i.example" A); done
t0=$(now_ms)
o=$(dig @"$ADDR" -p "$PORT" +tries=1 +time=2 "${names[@]}" 2>&1)
dt=$(($(now_ms) - t0))
ok=$(printf '%s\n' "$o" | grep -c 'status: NOERROR')
check "$n unique names: all answered" eq "$ok" "$n"
check "$n unique names: bounded time (${dt} ms < 8000)" lt "$dt" 8000
# IDs are drawn at random per query and kept unique per socket: two
# sockets may use the same ID (about 1 in 9 runs for 120 queries), so the
# invariant is one (source port, ID) pair per query.
ids=$(awk '/qname=u[0-9]+\.example\./ { p = d = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^id=/) d = $i; if ($i ~ /^sport=/) p = $i }; print p, d }' "$T/up1.qlog" | sort -u | wc -l)
ports=$(awk '/qname=u[0-9]+\.example\./ { for (i = 1; i <= NF; i++) if ($i ~ /^sport=/) print $i }' "$T/up1.qlog" | sort -u | wc -l)
check "$n upstream queries with distinct (port, id) pairs" eq "$ids" "$n"
check "source ports reused: $ports ports for $n queries (<= 32)" le "$ports" 32
check "source ports spread: $ports ports (>= 16)" ge "$ports" 16
fds=$(ls "/proc/$LS_PID/fd" | wc -l)
check "open descriptors bounded ($fds <= 64)" le "$fds" 64
check "daemon alive" ls_alive

# few descriptors (ulimit -n 16): the pool cannot fill its 32 slots and
# uses the sockets it has
ls_stop
lim=$(ulimit -Sn)
ulimit -Sn 16
ls_start
ulimit -Sn "$lim"
names=()
for ((i = 0; i < 60; i++)); do names+=("x$i.example" A); done
o=$(dig @"$ADDR" -p "$PORT" +tries=1 +time=2 "${names[@]}" 2>&1)
ok=$(printf '%s\n' "$o" | grep -c 'status: NOERROR')
check "ulimit -n 16: 60 unique names all answered" eq "$ok" 60
hp=$(printf ':%04X ' "$UP1")
np=$(awk -v hp="$hp" 'index($3 " ", hp) > 0' "/proc/$LS_PID/net/udp" | wc -l)
check "ulimit -n 16: fewer pool sockets than slots ($np < 32)" lt "$np" 32
check "ulimit -n 16: but some ($np >= 1)" ge "$np" 1
check "ulimit -n 16: daemon alive" ls_alive
ls_finish
