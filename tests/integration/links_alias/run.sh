#!/bin/sh
# links_alias: mode alias answers the endpoint's A/AAAA (resolved through
# the fake upstream) under the link's own name: no CNAME in the answer, AA,
# TTL = min(link ttl, target TTL); zonal targets are chosen by
# availability_zone (falling back to the regional name); the link is its
# own zone apex (names below it NXDOMAIN, never forwarded); the target's
# resolution is cached; a target that does not exist gives NODATA
# (answer.h), never a CNAME-only answer.  A repeat is answered from the
# kept composed answer (same records, TTLs counting down, NODATA with its
# SOA); a reload that moves the link is seen at once.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

L=in01-0123456789abcde.aws-us-west-2.vectordb.zillizcloud.com
TGT=vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc-0b62964bfd0edfb74.us-west-2.vpce.amazonaws.com
o=$(q $L A)
check "A: NOERROR" is_status "$o" NOERROR
check "A: endpoint addresses under the link name" sect_count "$o" ANSWER 2 "^$L\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.1\.0\.1[12]$"
check "A: no CNAME in the answer" sect_none "$o" ANSWER "CNAME"
check "A: nothing but the two A records" sect_count "$o" ANSWER 2
check "A: AA set" has_flag "$o" aa
check "A: RA set" has_flag "$o" ra
t=$(ttl_of "$o" $L. A)
check "A: TTL bounded by the target's 60 (link ttl 300)" le "${t:-999}" 60
check "A: TTL positive" ge "${t:-0}" 1
check "target resolved upstream (A)" qlog_ge up1 1 "qname=$TGT." "qtype=A"

o=$(q $L AAAA)
check "AAAA: endpoint IPv6 under the link name" sect_count "$o" ANSWER 1 "^$L\.[[:space:]].*AAAA[[:space:]]+fd00:1::11$"
check "AAAA: no CNAME" sect_none "$o" ANSWER "CNAME"
check "AAAA: AA set" has_flag "$o" aa

o=$(q IN01-0123456789ABCDE.Aws-Us-West-2.VectorDB.ZillizCloud.com A)
check "0x20: question echoed in the client's case" match "$o" "^;IN01-0123456789ABCDE\.Aws-Us-West-2\.VectorDB\.ZillizCloud\.com\.[[:space:]]+IN[[:space:]]+A$"
check "0x20: answered" sect_count "$o" ANSWER 2

n=$(qlog_count up1 "qname=$TGT." "qtype=A")
o=$(q $L A)
check "second query: answered" sect_count "$o" ANSWER 2
check "second query: target answered from the cache" qlog_is up1 "$n" "qname=$TGT." "qtype=A"

o=$(q in01-short.aws-us-west-2.vectordb.zillizcloud.com A)
t=$(ttl_of "$o" in01-short.aws-us-west-2.vectordb.zillizcloud.com. A)
check "link ttl 30 below the target's 60 bounds the TTL" le "${t:-999}" 30
check "short-ttl link answered" sect_count "$o" ANSWER 2 "10\.1\.0\.1[12]$"

o=$(q in01-zonal.aws-us-west-2.vectordb.zillizcloud.com A)
check "zonal: availability_zone us-west-2a picks the zonal name" sect_count "$o" ANSWER 1 "^in01-zonal\.aws-us-west-2\.vectordb\.zillizcloud\.com\.[[:space:]].*A[[:space:]]+10\.1\.1\.11$"
check "zonal: no CNAME" sect_none "$o" ANSWER "CNAME"
check "zonal: the us-west-2a name was resolved" qlog_ge up1 1 "qname=vpce-0ce90d01341533a5c-ngbqfdnj-us-west-2a."
check "zonal: the us-west-2b name was not" qlog_is up1 0 "qname=vpce-0ce90d01341533a5c-ngbqfdnj-us-west-2b."
o=$(q in01-zonal.aws-us-west-2.vectordb.zillizcloud.com AAAA)
check "zonal: AAAA from the us-west-2a name" sect_count "$o" ANSWER 1 "AAAA[[:space:]]+fd00:1:1::11$"
o=$(q in01-otheraz.aws-us-west-2.vectordb.zillizcloud.com A)
check "zonal: no entry for our AZ falls back to the regional name" sect_count "$o" ANSWER 2 "A[[:space:]]+10\.1\.0\.1[12]$"

o=$(q sub.$L A)
check "own apex: name below the link is NXDOMAIN" is_status "$o" NXDOMAIN
check "own apex: NXDOMAIN carries the link's SOA" auth_has "$o" "^$L\.[[:space:]].*SOA"
check "own apex: name below never forwarded" qlog_is up1 0 "qname=sub.$L."
o=$(q $L TXT)
check "own apex: TXT is NODATA" sect_count "$o" ANSWER 0
check "own apex: TXT NODATA is NOERROR" is_status "$o" NOERROR
check "own apex: NODATA carries SOA" auth_has "$o" "SOA"
o=$(q $L SOA)
check "own apex: SOA synthesized" sect_count "$o" ANSWER 1 "SOA"
check "link name itself never forwarded" qlog_is up1 0 "qname=$L."

o=$(q in01-missing.aws-us-west-2.vectordb.zillizcloud.com A)
check "missing target: NODATA, not SERVFAIL" is_status "$o" NOERROR
check "missing target: empty answer (no CNAME-only answer)" sect_count "$o" ANSWER 0

o=$(q in01-aliaschain.aws-us-west-2.vectordb.zillizcloud.com A)
check "target behind a CNAME chain: final A flattened under the link name" sect_count "$o" ANSWER 1 "^in01-aliaschain\.aws-us-west-2\.vectordb\.zillizcloud\.com\.[[:space:]].*A[[:space:]]+192\.0\.2\.20$"
check "target behind a CNAME chain: no CNAME in the answer" sect_none "$o" ANSWER CNAME
check "target behind a CNAME chain: chain names not in the answer" sect_none "$o" ANSWER "example\.[[:space:]]"
o=$(q in01-v4only.aws-us-west-2.vectordb.zillizcloud.com AAAA)
check "target without AAAA: NODATA" sect_count "$o" ANSWER 0
check "target without AAAA: NOERROR" is_status "$o" NOERROR
o=$(q in01-v4only.aws-us-west-2.vectordb.zillizcloud.com A)
t=$(ttl_of "$o" in01-v4only.aws-us-west-2.vectordb.zillizcloud.com. A)
check "target TTL 5: answer TTL <= 5" le "${t:-999}" 5
o=$(q +time=4 in01-broken.aws-us-west-2.vectordb.zillizcloud.com A)
check "target SERVFAIL upstream: SERVFAIL to the client" is_status "$o" SERVFAIL
check "target SERVFAIL: no answer invented" sect_count "$o" ANSWER 0
o=$(q +tcp $L A)
check "over TCP: alias answer" sect_count "$o" ANSWER 2 "^$L\.[[:space:]].*A[[:space:]]+10\.1\.0\.1[12]$"
bg=()
for i in 1 2 3 4 5; do q in01-slow.aws-us-west-2.vectordb.zillizcloud.com A >"$T/co.$i" & bg+=($!); done
wait "${bg[@]}"
ok=0
for i in 1 2 3 4 5; do grep -q '^in01-slow.*192\.0\.2\.1$' "$T/co.$i" && ok=$((ok + 1)); done
check "5 concurrent queries for a link with a slow target: all answered" eq "$ok" 5
check "5 concurrent queries for a link: one upstream query for the target (coalesced)" qlog_is up1 1 "qname=slow200-coal.example." "qtype=A"
o=$(kq $L A)
check "kdig: alias answer" match "$o" "$L\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.1\.0\.1[12]"
o=$(dq $L AAAA)
check "drill: alias AAAA" match "$o" "IN[[:space:]]+AAAA[[:space:]]+fd00:1::11"

# Composed answers are kept (issue 3): a repeat is the same data, AA,
# TTLs counting down; a kept NODATA keeps its SOA.
o1=$(q $L A)
sleep 1.2
o2=$(q $L A)
data() { section "$1" ANSWER | awk '{ $2 = ""; print }' | sort; }
check "repeat: the same records" eq "$(data "$o2")" "$(data "$o1")"
check "repeat: two A" sect_count "$o2" ANSWER 2
check "repeat: AA set" has_flag "$o2" aa
t1=$(ttl_of "$o1" $L. A)
t2=$(ttl_of "$o2" $L. A)
check "repeat: the TTL counts down" lt "${t2:-999}" "${t1:-0}"
M=in01-missing.aws-us-west-2.vectordb.zillizcloud.com
o=$(q $M A)
check "repeat NODATA: NOERROR, empty answer" sect_count "$o" ANSWER 0
check "repeat NODATA: AA set" has_flag "$o" aa
check "repeat NODATA: the link's SOA" auth_has "$o" "^$M\.[[:space:]].*SOA"

# A reload that moves the link serves the new target at once.
sed -i -e "/name: $L/{n;s|target: .*|target: chain.example|}" "$T/linkshim.yaml"
printf '  - name: reload-marker.test\n    addresses: [10.9.9.9]\n' >>"$T/linkshim.yaml"
kill -HUP "$LS_PID"
got=
for ((i = 0; i < 30; i++)); do
	got=$(q +short reload-marker.test A)
	[ "$got" = 10.9.9.9 ] && break
	sleep 0.1
done
check "reload: applied" eq "$got" 10.9.9.9
o=$(q $L A)
check "reload: the new target's A under the link name" sect_count "$o" ANSWER 1 "^$L\.[[:space:]].*A[[:space:]]+192\.0\.2\.20$"
check "reload: nothing of the old target" sect_none "$o" ANSWER "10\.1\.0\.1[12]$"

ls_finish
