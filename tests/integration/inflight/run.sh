#!/bin/sh
# inflight: limits.inflight bounds the outstanding upstream queries: with
# a cap of 3 and 6 distinct slow names (600 ms) asked at once, at most 3
# can complete with an answer; the others (refused at the cap, or evicted
# as the oldest, as Unbound's jostling does) get SERVFAIL or nothing, never
# a wrong answer; local names are not
# affected meanwhile; once the slow ones finish, forwarding works again.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

bg=()
for i in 1 2 3 4 5 6; do q +time=3 slow600-x$i.example A >"$T/x$i.out" & bg+=($!); done
sleep 0.15
t0=$(now_ms)
o=$(q l.inflight.test A)
dt=$(($(now_ms) - t0))
check "at the cap: local name answered" sect_count "$o" ANSWER 1 "10\.0\.0\.1$"
check "at the cap: local name not delayed (${dt} ms < 250)" lt "$dt" 250
wait "${bg[@]}"
good=0 bad=0
for i in 1 2 3 4 5 6; do
	st=$(status_of "$(cat "$T/x$i.out")")
	case "$st" in
	NOERROR) grep -q '192\.0\.2\.1$' "$T/x$i.out" && good=$((good + 1)) || bad=$((bad + 1)) ;;
	SERVFAIL | "") ;;
	*) bad=$((bad + 1)) ;;
	esac
done
check "at most 3 of 6 concurrent slow names completed (${good}): the cap holds" le "$good" 3
check "some completed (${good})" ge "$good" 1
check "the others: SERVFAIL or no reply, nothing else" eq "$bad" 0
o=$(q +time=3 after.example A)
check "after the burst: forwarding works" sect_count "$o" ANSWER 1 "192\.0\.2\.1$"

ls_finish
