#!/bin/sh
# upfail: timeouts and failover (design §4): a silent upstream is given up
# after the per-try timeout and the next one answers; later queries avoid
# the dead server (RTT tracking); when every server of a set is dead the
# client gets SERVFAIL within the total timeout (config 1.5 s; checked
# < 3 s, well under 10 s); a name whose upstream never answers does not
# delay answers to other names (no head-of-line blocking, measured),
# neither on one live server nor by pushing them onto a dead one.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data" --mode drop
up_start up2 "$UP2" --data "$CDIR/../upstream.data" --synth-a 192.0.2.2
up_start up3 "$UP3" --data "$CDIR/../upstream.data" --mode drop
# nothing listens on UP4: its queries meet ICMP port unreachable
ls_start

t0=$(now_ms)
o=$(q +time=5 fo1.example A)
dt=$(($(now_ms) - t0))
check "failover: answered by the live upstream" sect_count "$o" ANSWER 1 "^fo1\.example\.[[:space:]].*192\.0\.2\.2$"
check "failover: within the total timeout (${dt} ms < 1500)" lt "$dt" 1500
check "failover: the live upstream got the query" qlog_is up2 1 "qname=fo1.example."

fast=0
for i in 2 3 4 5 6; do
	t0=$(now_ms)
	o=$(q +time=5 fo$i.example A)
	dt=$(($(now_ms) - t0))
	echo "# fo$i: ${dt} ms"
	[ "$dt" -lt 250 ] && printf '%s\n' "$o" | grep -q '192\.0\.2\.2$' && fast=$((fast + 1))
done
check "after failover: >= 4 of 5 new names answered < 250 ms (dead server avoided)" ge "$fast" 4

t0=$(now_ms)
o=$(q +time=8 x.dead.test A)
dt=$(($(now_ms) - t0))
echo "# all dead: SERVFAIL after ${dt} ms"
check "all upstreams dead: SERVFAIL" is_status "$o" SERVFAIL
check "all upstreams dead: bounded time (${dt} ms < 3000)" lt "$dt" 3000
check "all upstreams dead: the silent one was tried" qlog_ge up3 1 "qname=x.dead.test."
check "all upstreams dead: the default upstreams were not asked" qlog_is up2 0 "dead.test."
o=$(q +time=8 y.dead.test A)
check "all upstreams dead: daemon still answers SERVFAIL for the next name" is_status "$o" SERVFAIL

# head-of-line (1): one live server (forward zone live.test); names it
# never answers, in flight, must not delay other names.
bg=()
for i in $(seq 1 10); do q +time=4 drop-h$i.live.test A >/dev/null & bg+=($!); done
q +time=4 slow1200-h.live.test A >/dev/null & bg+=($!)
q +time=4 z.dead.test A >/dev/null & bg+=($!)
sleep 0.2
t0=$(now_ms)
o=$(q other1.live.test A)
dt=$(($(now_ms) - t0))
echo "# other name while 12 are stuck: ${dt} ms"
check "no head-of-line blocking: other name answered" sect_count "$o" ANSWER 1 "192\.0\.2\.2$"
check "no head-of-line blocking: other name < 250 ms while 12 stuck (${dt} ms)" lt "$dt" 250
t0=$(now_ms)
o=$(q +tcp other2.live.test AAAA)
dt=$(($(now_ms) - t0))
check "no head-of-line blocking over TCP either (${dt} ms)" lt "$dt" 250
check "no head-of-line blocking: TCP answer" sect_count "$o" ANSWER 1 "2001:db8::1$"
wait "${bg[@]}"

# head-of-line (2): default set = dead UP1 + live UP2.  Names that UP2
# never answers time out there; that must not push unrelated names onto
# the dead server (each would then wait a whole upstream timeout).
bg=()
for i in $(seq 1 10); do q +time=4 drop-hol$i.example A >/dev/null & bg+=($!); done
q +time=4 slow1200-hol.example A >/dev/null & bg+=($!)
sleep 0.5
fast=0 times=
for i in 1 2 3; do
	t0=$(now_ms)
	o=$(q other$i.example A)
	dt=$(($(now_ms) - t0))
	times="$times $dt"
	[ "$dt" -lt 250 ] && printf '%s\n' "$o" | grep -q '192\.0\.2\.2$' && fast=$((fast + 1))
done
echo "# other names after the stuck ones timed out at the live server:$times ms"
check "no head-of-line blocking: timeouts of other names at the live server do not send new names to the dead one first (3 names <250 ms:$times ms)" eq "$fast" 3
wait "${bg[@]}"

o=$(q +time=5 servfail-x.example A)
check "upstream SERVFAIL: client gets SERVFAIL" is_status "$o" SERVFAIL
check "daemon alive after all that" ls_alive

ls_finish
