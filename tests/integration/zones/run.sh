#!/bin/sh
# zones: a configured zone is answered authoritatively (AA): record sets
# with their TTLs; unknown names NXDOMAIN with the apex SOA in authority
# (TTL = min(SOA TTL, soa_minimum), RFC 2308 §3); missing types and empty
# non-terminals NODATA with SOA (RFC 8020: never NXDOMAIN for an ENT);
# SOA and NS synthesized at the apex; in-zone CNAMEs followed (a stub
# cannot chase them); wildcards (RFC 4592); alias records flattened; links
# whose names fall inside the zone are records of that zone; and no name
# inside the zone is ever forwarded, even one the upstream knows; SRV, CAA,
# PTR (reverse zone) and multi-string TXT render; a nested zone wins for
# every name at or below its apex (longest match, as Route 53 does).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

Z=corp.internal
o=$(q www.$Z A)
check "record: NOERROR" is_status "$o" NOERROR
check "record: both A values" sect_count "$o" ANSWER 2 "^www\.$Z\.[[:space:]]+120[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.1[01]$"
check "record: AA" has_flag "$o" aa
check "record: the zone's data, not the upstream's" sect_none "$o" ANSWER "10\.66\.66\.67"
o=$(q www.$Z AAAA)
check "record: AAAA" sect_count "$o" ANSWER 1 "AAAA[[:space:]]+fd00:2::10$"
o=$(q txt.$Z TXT)
check "record: TXT" ans_has "$o" "TXT[[:space:]]+\"hello world\"$"
o=$(q $Z A)
check "apex: A record" sect_count "$o" ANSWER 1 "^$Z\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.2\.0\.1$"
o=$(q $Z MX)
check "apex: MX record" sect_count "$o" ANSWER 1 "MX[[:space:]]+10[[:space:]]+mail\.$Z\.$"

o=$(q $Z SOA)
check "apex: one SOA" sect_count "$o" ANSWER 1 "^$Z\.[[:space:]].*IN[[:space:]]+SOA[[:space:]]"
check "apex: SOA TTL is the zone ttl (900)" eq "$(ttl_of "$o" $Z. SOA)" 900
check "apex: SOA answer has AA" has_flag "$o" aa
o=$(q $Z NS)
check "apex: NS synthesized" sect_has "$o" ANSWER "^$Z\.[[:space:]].*IN[[:space:]]+NS[[:space:]]"
check "apex: NS answer has AA" has_flag "$o" aa

o=$(q nope.$Z A)
check "unknown name: NXDOMAIN" is_status "$o" NXDOMAIN
check "unknown name: AA" has_flag "$o" aa
check "unknown name: apex SOA in authority" sect_count "$o" AUTHORITY 1 "^$Z\.[[:space:]].*SOA"
t=$(section "$o" AUTHORITY | awk '$4 == "SOA" { print $2; exit }')
check "unknown name: SOA TTL is min(ttl, soa_minimum) = 60" eq "$t" 60
check "unknown name: empty answer" sect_count "$o" ANSWER 0

o=$(q www.$Z TXT)
check "missing type: NODATA (NOERROR)" is_status "$o" NOERROR
check "missing type: empty answer" sect_count "$o" ANSWER 0
check "missing type: SOA in authority" auth_has "$o" "^$Z\.[[:space:]].*SOA"
check "missing type: AA" has_flag "$o" aa

o=$(q b.c.$Z A)
check "empty non-terminal: NOERROR, not NXDOMAIN (RFC 8020)" is_status "$o" NOERROR
check "empty non-terminal: empty answer" sect_count "$o" ANSWER 0
check "empty non-terminal: SOA in authority" auth_has "$o" "SOA"
o=$(q c.$Z TXT)
check "empty non-terminal two up: NOERROR" is_status "$o" NOERROR
o=$(q a.b.c.$Z A)
check "deep record under ENTs" sect_count "$o" ANSWER 1 "10\.2\.0\.99$"

o=$(q cn.$Z A)
check "in-zone CNAME: the CNAME" ans_has "$o" "^cn\.$Z\.[[:space:]].*CNAME[[:space:]]+www\.$Z\.$"
check "in-zone CNAME: followed to the A records" sect_count "$o" ANSWER 2 "^www\.$Z\.[[:space:]].*A[[:space:]]+10\.2\.0\.1[01]$"
o=$(q cn.$Z CNAME)
check "in-zone CNAME: qtype CNAME alone" sect_count "$o" ANSWER 1

o=$(q x.wild.$Z A)
check "zone wildcard: synthesized under the asked name" sect_count "$o" ANSWER 1 "^x\.wild\.$Z\.[[:space:]].*A[[:space:]]+10\.2\.0\.50$"
o=$(q wild.$Z A)
check "zone wildcard: its parent is an ENT (NOERROR)" is_status "$o" NOERROR

o=$(q alias.$Z A)
check "alias record: endpoint A flattened" sect_count "$o" ANSWER 2 "^alias\.$Z\.[[:space:]].*A[[:space:]]+10\.1\.0\.1[12]$"
check "alias record: no CNAME" sect_none "$o" ANSWER CNAME
check "alias record: AA" has_flag "$o" aa

o=$(q svc.$Z A)
check "link in zone: endpoint A under the link name" sect_count "$o" ANSWER 2 "^svc\.$Z\.[[:space:]].*A[[:space:]]+10\.1\.0\.1[12]$"
check "link in zone: AA" has_flag "$o" aa
o=$(q svc.$Z TXT)
check "link in zone: missing type NODATA with the zone's SOA" auth_has "$o" "^$Z\.[[:space:]].*SOA"
o=$(q below.svc.$Z A)
check "link in zone: name below is the zone's NXDOMAIN" auth_has "$o" "^$Z\.[[:space:]].*SOA"
check "link in zone: name below NXDOMAIN" is_status "$o" NXDOMAIN
o=$(q static.$Z A)
check "static link in zone" sect_count "$o" ANSWER 1 "10\.2\.0\.77$"

o=$(q secret.$Z A)
check "name the upstream knows: NXDOMAIN from the zone" is_status "$o" NXDOMAIN
check "name the upstream knows: upstream's address absent" sect_none "$o" ANSWER "10\.66\.66\.66"

o=$(q _ldap._tcp.$Z SRV)
check "SRV record" sect_count "$o" ANSWER 1 "SRV[[:space:]]+10 5 389 ldap\.$Z\.$"
o=$(q $Z CAA)
check "CAA record at the apex" sect_count "$o" ANSWER 1 "CAA[[:space:]]+0 issue \"letsencrypt\.org\"$"
o=$(q multi.$Z TXT)
check "TXT with two strings" sect_count "$o" ANSWER 1 "TXT[[:space:]]+\"part one\" \"part two\"$"
o=$(q -x 10.2.0.10)
check "PTR in a reverse zone (dig -x)" sect_count "$o" ANSWER 1 "PTR[[:space:]]+www\.$Z\.$"
check "PTR: AA" has_flag "$o" aa

o=$(q x.sub.$Z A)
check "nested zone: its record" sect_count "$o" ANSWER 1 "10\.2\.1\.1$"
o=$(q y.sub.$Z A)
check "nested zone: NXDOMAIN" is_status "$o" NXDOMAIN
check "nested zone: NXDOMAIN carries the child's SOA" auth_has "$o" "^sub\.$Z\.[[:space:]].*SOA"
o=$(q sub.$Z SOA)
check "nested zone: apex SOA is the child's" sect_count "$o" ANSWER 1 "^sub\.$Z\.[[:space:]].*SOA"
o=$(q sub.$Z A)
check "nested zone: its apex is answered by the child (longest zone wins, as Route 53): NODATA, not the parent's A" sect_none "$o" ANSWER "10\.2\.0\.200$"
check "nested zone: apex NODATA carries the child's SOA" auth_has "$o" "^sub\.$Z\.[[:space:]].*SOA"

o=$(q WWW.Corp.INTERNAL A)
check "0x20: question echoed" match "$o" "^;WWW\.Corp\.INTERNAL\.[[:space:]]+IN[[:space:]]+A$"
o=$(kq nope.$Z A)
check "kdig: NXDOMAIN with AA" match "$o" "status: NXDOMAIN"
o=$(dq $Z SOA)
check "drill: apex SOA" match "$o" "$Z\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+SOA"

check "no name inside the zone was ever forwarded" qlog_is up1 0 "$Z."
check "the alias/link target was resolved upstream" qlog_ge up1 1 "qname=vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc"

ls_finish
