#!/bin/sh
# hostile: the forwarding path against a misbehaving upstream (design §4,
# RFC 5452): TC over UDP -> retried over TCP; FORMERR to EDNS -> retried
# without EDNS; replies with the wrong ID, for another question, without
# QR, from another source port, or garbage bytes are ignored (the right
# reply that follows is used, never the poison 198.51.100.66, and nothing
# poisoned is cached); an upstream that only sends garbage gives SERVFAIL
# in bounded time; an upstream answer larger than 1232 bytes comes over
# TCP and is truncated to the client's UDP size with TC; a reply with an
# unwalkable answer or no question is ignored; an out-of-question record in
# the additional section is not cached; an upstream TCP connection that is
# cut mid-message or stalls ends in SERVFAIL (or TC) in bounded time.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

o=$(q tc-a.example A)
check "TC from upstream: answered" sect_count "$o" ANSWER 1 "^tc-a\.example\.[[:space:]].*192\.0\.2\.1$"
check "TC from upstream: no TC to the client" no_flag "$o" tc
check "TC from upstream: retried over TCP" qlog_is up1 1 "qname=tc-a.example." "proto=tcp"

for b in wrongid wrongq noqr wrongport garbage badrr qd0; do
	t0=$(now_ms)
	o=$(q $b-a.example A)
	dt=$(($(now_ms) - t0))
	check "$b: the right answer" sect_count "$o" ANSWER 1 "^$b-a\.example\.[[:space:]].*A[[:space:]]+192\.0\.2\.1$"
	check "$b: poison not used" sect_none "$o" ANSWER "198\.51\.100\.66"
	check "$b: answered without waiting for a timeout (${dt} ms < 400)" lt "$dt" 400
	o=$(q $b-a.example A)
	check "$b: poison not cached" sect_none "$o" ANSWER "198\.51\.100\.66"
done

o=$(q addpoison-a.example A)
check "out-of-question record in additional: answer relayed" ans_has "$o" "^addpoison-a\.example\.[[:space:]].*192\.0\.2\.1$"
o=$(q victim.example A)
check "out-of-question record not cached: victim.example asked upstream" qlog_is up1 1 "qname=victim.example."
check "out-of-question record not cached: no poison for victim.example" sect_none "$o" ANSWER "198\.51\.100\.66"
check "out-of-question record not cached: real answer" sect_count "$o" ANSWER 1 "192\.0\.2\.1$"

for b in tcpcut tcpstall; do
	t0=$(now_ms)
	o=$(q +time=5 +ignore $b-a.example A)
	dt=$(($(now_ms) - t0))
	check "$b (TCP retry fails): SERVFAIL or a TC reply" match "$(status_of "$o") $(flags_of "$o")" "^SERVFAIL|[ ]tc"
	check "$b: no data invented" sect_count "$o" ANSWER 0
	check "$b: bounded time (${dt} ms < 3000)" lt "$dt" 3000
	check "$b: daemon alive" ls_alive
done

t0=$(now_ms)
o=$(q +time=5 garbageonly-a.example A)
dt=$(($(now_ms) - t0))
check "garbage only: SERVFAIL" is_status "$o" SERVFAIL
check "garbage only: bounded time (${dt} ms < 3000)" lt "$dt" 3000
check "garbage only: daemon alive" ls_alive

o=$(q +bufsize=1232 +ignore +notcp big.example TXT)
check "big upstream answer: fetched over TCP from upstream" qlog_ge up1 1 "qname=big.example." "proto=tcp"
check "big answer over UDP to a 1232 client: TC" has_flag "$o" tc
o=$(q +tcp big.example TXT)
check "big answer over TCP: all 24 records" sect_count "$o" ANSWER 24 "TXT"
check "big answer over TCP: no TC" no_flag "$o" tc
o=$(q +noedns +ignore +notcp medium.example TXT)
check "medium answer to a no-EDNS client (512): TC" has_flag "$o" tc
o=$(q medium.example TXT)
check "medium answer to a 1232 client: complete" sect_count "$o" ANSWER 8 "TXT"
check "medium answer: no TC" no_flag "$o" tc
o=$(kq +notcp +ignore +bufsize=512 medium.example TXT)
check "kdig bufsize 512: TC" match "$o" ";; Flags:.* tc"

# last: a FORMERR to EDNS may make the daemon stop using EDNS with this
# server (RFC 6891 §7), which would change the paths tested above
o=$(q noedns-a.example A)
check "EDNS FORMERR: answered" sect_count "$o" ANSWER 1 "192\.0\.2\.1$"
check "EDNS FORMERR: status NOERROR" is_status "$o" NOERROR
check "EDNS FORMERR: first try had EDNS" qlog_ge up1 1 "qname=noedns-a.example." "edns=0"
check "EDNS FORMERR: retried without EDNS" qlog_ge up1 1 "qname=noedns-a.example." "edns=-"
o=$(q noedns-a.example A)
check "EDNS FORMERR: client still gets OPT back (our own)" opt_present "$o"

check "daemon alive at the end" ls_alive
ls_finish
