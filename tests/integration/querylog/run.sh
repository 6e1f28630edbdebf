#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# querylog: with `query_log: true` every answered query gives one line
# (src/io/querylog.c): transport, name, type, class, client address and
# port, rcode, source (local, cache, upstream, stale) and latency in
# microseconds; with it off (the default) nothing is logged per query.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data" --synth-a 192.0.2.9
ls_start
L="$T/linkshimd.log"
line() { grep -E "$1" "$L" | tail -1; }
re='from 127\.0\.0\.1#[0-9]+: '

q in01-dev.local.test A >/dev/null
check "local answer logged" match "$(line 'query udp in01-dev\.local\.test\. ')" \
	"query udp in01-dev\.local\.test\. A IN ${re}NOERROR local [0-9]+us$"
q fw1.example AAAA >/dev/null
check "upstream answer logged" match "$(line 'query udp fw1\.example\. AAAA')" \
	"query udp fw1\.example\. AAAA IN ${re}NOERROR upstream [0-9]+us$"
q fw1.example AAAA >/dev/null
check "cache answer logged" match "$(line 'query udp fw1\.example\. AAAA')" \
	"query udp fw1\.example\. AAAA IN ${re}NOERROR cache [0-9]+us$"
q +tcp nosuch.local.test TXT >/dev/null
check "TCP query logged with its rcode and type" match "$(line 'query tcp nosuch\.local\.test\.')" \
	"query tcp nosuch\.local\.test\. TXT IN ${re}[A-Z]+ [a-z]+ [0-9]+us$"
q version.bind CH TXT >/dev/null
check "class shown (CH)" match "$(line 'query udp version\.bind\.')" "TXT CH ${re}"
n0=$(grep -c 'query udp' "$L")
q fw1.example AAAA >/dev/null
n1=$(grep -c 'query udp' "$L")
check "one line per query" eq "$((n1 - n0))" 1

# stale: the upstream is gone, the entry (max_ttl 1) has expired
kill "${PIDS[0]}" 2>/dev/null
sleep 2.2
q fw1.example AAAA >/dev/null
check "stale answer logged" match "$(line 'query udp fw1\.example\. AAAA')" \
	"NOERROR stale [0-9]+us$"
ls_stop

sed -i '/^query_log:/d' "$T/linkshim.yaml"
: >"$L"
ls_start
for i in 1 2 3; do q in01-dev.local.test A >/dev/null; done
check "query_log off: no query lines" eq "$(grep -c '^.*query udp' "$L")" 0
check "daemon alive" ls_alive
ls_finish
