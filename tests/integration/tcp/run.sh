#!/bin/sh
# tcp: DNS over TCP as RFC 7766 asks: length-prefixed messages, several
# queries pipelined on one connection all answered, replies out of order
# (a local answer is not held behind a slow forwarded one, §6.2.1.1), an
# idle connection closed after tcp_idle (1 s here), a connection cap
# (limits.tcp_clients: 4) that never lets more than 4 connections be
# served at once (100 queries in one write all answered; a pending query
# longer than tcp_idle keeps its connection; a half-closed client still
# gets its answer)
# served at once and does not stop UDP, and recovery once they close.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

o=$(q +tcp a.tcp.test A)
check "dig +tcp: answered" sect_count "$o" ANSWER 1 "10\.4\.0\.1$"
o=$(kq +tcp +keepopen a.tcp.test A b.tcp.test A c.tcp.test A known.example A)
check "kdig +keepopen: four queries on one connection answered" eq "$(printf '%s\n' "$o" | grep -cE 'IN[[:space:]]+A[[:space:]]+(10\.4\.0\.[123]|192\.0\.2\.10)$')" 4

o=$(rawq pipeline a.tcp.test b.tcp.test c.tcp.test known.example:AAAA a.tcp.test:AAAA)
check "pipelining: 5 queries in one write, 5 replies" eq "$(printf '%s\n' "$o" | grep -c ' [0-9]*$')" 5
check "pipelining: every id answered" eq "$(printf '%s\n' "$o" | awk '{ print $3 }' | sort -n | tr '\n' ' ')" "1000 1001 1002 1003 1004 "
check "pipelining: rcodes" eq "$(printf '%s\n' "$o" | awk '{ print $2 }' | sort -u)" NOERROR

o=$(rawq pipeline slow700-ooo.example a.tcp.test b.tcp.test)
first=$(printf '%s\n' "$o" | head -1 | awk '{ print $1 }')
check "out of order: all three answered" eq "$(printf '%s\n' "$o" | grep -c NOERROR)" 3
check "out of order: local answer not held behind the slow forwarded one" match "$first" "^[ab]\.tcp\.test\.$"

o=$(rawq --timeout 4 pipeline slow1300-idle.example)
check "a query pending longer than tcp_idle keeps the connection (answer after 1.3 s)" match "$o" "^slow1300-idle\.example\. NOERROR"
o=$(rawq --timeout 4 many 100 tcp.test)
check "100 queries pipelined in one write: 100 replies" eq "$o" "replies=100"
o=$(rawq --timeout 3 halfclose a.tcp.test)
check "client half-closes after its query: still answered (RFC 7766 §6.2.4)" match "$o" "rcode=NOERROR"

o=$(rawq idle --limit 4)
check "idle connection (no query) closed" match "$o" "^closed_ms="
ms=${o#closed_ms=}
check "idle connection closed after about tcp_idle (${ms} ms in 700..2500)" eval '[ "${ms:-0}" -ge 700 ] && [ "${ms:-99999}" -le 2500 ]'
o=$(rawq idle --query a.tcp.test --limit 4)
check "idle after a query: closed" match "$o" "^closed_ms="
ms=${o#closed_ms=}
check "idle after a query: closed after about tcp_idle (${ms} ms in 700..2500)" eval '[ "${ms:-0}" -ge 700 ] && [ "${ms:-99999}" -le 2500 ]'

rawq --name a.tcp.test cap 8 --hold 3 >"$T/cap.out" &
capid=$!
for ((i = 0; i < 40; i++)); do [ -s "$T/cap.out" ] && break; sleep 0.1; done
o=$(cat "$T/cap.out")
n=$(printf '%s\n' "$o" | sed -n 's/answered_open=\([0-9]*\).*/\1/p')
check "connection cap: at most 4 of 8 connections served and open (${o})" le "${n:-99}" 4
check "connection cap: some were served" ge "${n:-0}" 1
o=$(q b.tcp.test A)
check "connection cap: UDP still answered at the cap" sect_count "$o" ANSWER 1 "10\.4\.0\.2$"
wait "$capid"
sleep 0.3
o=$(q +tcp c.tcp.test A)
check "after the capped clients leave: TCP answered again" sect_count "$o" ANSWER 1 "10\.4\.0\.3$"

check "daemon alive at the end" ls_alive
ls_finish
