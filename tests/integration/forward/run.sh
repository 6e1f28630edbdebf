#!/bin/sh
# forward: names that are not ours are forwarded and the upstream's answer
# relayed (ID/question case echoed, RA set, RD/CD copied, AA clear: the
# fake upstream answers like an authoritative server, with AA, as a
# `forward:` target such as consul does, and linkshim is not the authority
# for that data, RFC 1035 §4.1.1; Unbound clears it too); answers and
# negative answers are cached (RFC 2308) with decremented TTLs; identical
# in-flight queries are coalesced; `forward:` zones go to their own
# servers; every upstream query has a fresh random ID and source port, RD
# set and EDNS (design §4); cache min_ttl/max_ttl clamp TTLs; an IPv6
# upstream works.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
up_start up2 "$UP2" --data "$CDIR/../upstream.data" --synth-a 192.0.2.2
up_start up3 "$UP3" --addr ::1 --data "$CDIR/../upstream.data" --synth-a 192.0.2.6
ls_start

o=$(q known.example A)
check "relayed: NOERROR" is_status "$o" NOERROR
check "relayed: the upstream's answer" sect_count "$o" ANSWER 1 "^known\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.10$"
check "relayed: RA set" has_flag "$o" ra
check "relayed: RD copied" has_flag "$o" rd
check "relayed: AA clear although the upstream set it (not our data; RFC 1035 §4.1.1, as Unbound)" no_flag "$o" aa
check "relayed: OPT echoed" opt_present "$o"
check "forwarded once" qlog_is up1 1 "qname=known.example." "qtype=A"
check "upstream query has RD" qlog_is up1 1 "qname=known.example." "rd=1"
check "upstream query has EDNS" qlog_is up1 1 "qname=known.example." "edns=0"
t1=$(ttl_of "$o" known.example. A)
check "cache max_ttl 100 caps the upstream's 300" le "${t1:-999}" 100
o=$(q shortttl.example A)
t=$(ttl_of "$o" shortttl.example. A)
check "cache min_ttl 10 raises the upstream's 5" ge "${t:-0}" 9
sleep 1.1
o=$(q known.example A)
check "cached: second query answered" sect_count "$o" ANSWER 1 "192\.0\.2\.10$"
check "cached: second query not forwarded" qlog_is up1 1 "qname=known.example." "qtype=A"
check "cached: AA clear on an answer from the cache" no_flag "$o" aa
t2=$(ttl_of "$o" known.example. A)
check "cached: TTL decremented on hit" lt "${t2:-999}" "${t1:-0}"
o=$(q KNOWN.Example A)
check "cached: case-folded key (not forwarded again)" qlog_is up1 1 "qname=known.example." "qtype=A"
check "cached: client's case echoed" match "$o" "^;KNOWN\.Example\.[[:space:]]+IN[[:space:]]+A$"
o=$(q known.example AAAA)
check "cache key includes the type" qlog_is up1 1 "qname=known.example." "qtype=AAAA"
o=$(q +noedns known.example A)
check "relayed from cache without EDNS: no OPT" opt_absent "$o"
check "relayed without EDNS: answered" sect_count "$o" ANSWER 1 "192\.0\.2\.10$"
o=$(q +cd known.example A)
check "CD copied on a relayed answer" has_flag "$o" cd

o=$(rawq --name rawid.example. send good)
check "raw query: our ID 0x1234 echoed on a relayed answer" match "$o" "rcode=NOERROR id=4660"
check "raw query without EDNS: relayed answer without OPT" match "$o" "opt=0"
o=$(rawq --name known.example. send good --tcp)
check "raw TCP query: ID echoed" match "$o" "rcode=NOERROR id=4660"
check "the upstream got a fresh ID, not the client's 0x1234" qlog_is up1 0 "id=4660 " "qname=rawid.example."
check "the raw query was forwarded" qlog_is up1 1 "qname=rawid.example."
o=$(q nx-neg.example A)
check "negative: NXDOMAIN relayed" is_status "$o" NXDOMAIN
check "negative: SOA relayed" auth_has "$o" "^example\.[[:space:]].*SOA"
o=$(q nx-neg.example A)
check "negative: NXDOMAIN cached (RFC 2308)" qlog_is up1 1 "qname=nx-neg.example."
check "negative: cached answer still NXDOMAIN" is_status "$o" NXDOMAIN
o=$(q known.example MX)
o=$(q known.example MX)
check "NODATA cached" qlog_is up1 1 "qname=known.example." "qtype=MX"
check "NODATA relayed as NOERROR, empty" sect_count "$o" ANSWER 0

o=$(q +dnssec known.example A)
check "DO set: answered" sect_count "$o" ANSWER 1 "192\.0\.2\.10$"
check "DO set: DO copied to the reply" match "$o" "flags: do;"
check "DO is part of the cache key: forwarded with DO" qlog_is up1 1 "qname=known.example." "qtype=A" "do=1"
L63=$(printf 'a%.0s' $(seq 1 63))
LONG=$L63.$L63.$L63.$(printf 'b%.0s' $(seq 1 52)).example
o=$(q $LONG A)
check "253-character name forwarded and relayed" sect_count "$o" ANSWER 1 "192\.0\.2\.1$"
o=$(q chain.example A)
check "CNAME chain relayed" ans_has "$o" "^final\.example\.[[:space:]].*192\.0\.2\.20$"

# coalescing: five identical queries while the first is in flight
bg=()
for i in 1 2 3 4 5; do q slow250-coal.example A >"$T/coal.$i" & bg+=($!); done
wait "${bg[@]}"
ok=0
for i in 1 2 3 4 5; do grep -q '192\.0\.2\.1$' "$T/coal.$i" && ok=$((ok + 1)); done
check "coalescing: all five clients answered" eq "$ok" 5
check "coalescing: one upstream query for five identical" qlog_is up1 1 "qname=slow250-coal.example."

o=$(q host.fwd.test A)
check "forward zone: answered by its own server" sect_count "$o" ANSWER 1 "192\.0\.2\.2$"
check "forward zone: query went to the zone's server" qlog_is up2 1 "qname=host.fwd.test."
check "forward zone: not to the default upstream" qlog_is up1 0 "fwd.test."
o=$(q deep.sub.fwd.test A)
check "forward zone: names deeper below go there too" qlog_is up2 1 "qname=deep.sub.fwd.test."
o=$(q notfwd.test.example A)
check "default upstream for other names" qlog_is up1 1 "qname=notfwd.test.example."
check "... and not the forward server" qlog_is up2 0 "qname=notfwd.test.example."

o=$(q host.v6.test A)
check "IPv6 upstream ([::1]) for a forward zone: answered" sect_count "$o" ANSWER 1 "192\.0\.2\.6$"
check "IPv6 upstream: query arrived over IPv6" qlog_is up3 1 "qname=host.v6.test." "src=::1"

# minimal responses (cache.minimal_responses, default on): an answer
# that came with an extra record in additional is relayed, first time and
# from the cache, with its answer section only; a negative answer keeps
# its SOA
o=$(q addpoison-min.example A)
check "minimal responses: first answer has its A" sect_count "$o" ANSWER 1 "[[:space:]]A[[:space:]]"
check "minimal responses: first answer has no additional record" match "$o" "ADDITIONAL: 1$"
o=$(q addpoison-min.example A)
check "minimal responses: cached answer has no additional record" match "$o" "ADDITIONAL: 1$"
check "minimal responses: answered from the cache" qlog_is up1 1 "qname=addpoison-min.example."
o=$(q nothere.corp.internal A)
o=$(q nothere.corp.internal A)
check "minimal responses: cached NXDOMAIN keeps its SOA" auth_has "$o" "SOA"

# random ids and source ports (RFC 5452 §4, design §4)
for i in $(seq 1 12); do q rnd$i.example A >/dev/null; done
ids=$(awk '/qname=rnd[0-9]+\.example\./ { for (i = 1; i <= NF; i++) if ($i ~ /^id=/) print $i }' "$T/up1.qlog" | sort -u | wc -l)
ports=$(awk '/qname=rnd[0-9]+\.example\./ { for (i = 1; i <= NF; i++) if ($i ~ /^sport=/) print $i }' "$T/up1.qlog" | sort -u | wc -l)
check "random ids: 12 upstream queries, 12 distinct ids" eq "$ids" 12
check "random source ports: at least 10 distinct of 12" ge "$ports" 10
idrun=$(awk '/qname=rnd[0-9]+\.example\./ { for (i = 1; i <= NF; i++) if ($i ~ /^id=/) { sub("id=", "", $i); print $i } }' "$T/up1.qlog" | awk 'NR > 1 && ($1 == p + 1) { seq++ } { p = $1 } END { print seq + 0 }')
check "random ids: not sequential" lt "$idrun" 3

ls_finish
