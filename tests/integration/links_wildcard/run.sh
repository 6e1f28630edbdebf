#!/bin/sh
# links_wildcard: a "*." link answers every name below its parent with the
# asked name as owner (RFC 4592 synthesis), at any depth; an exact link
# beside it wins; wildcards work in static, alias and cname mode; nothing
# under a wildcard link is forwarded except the alias/cname target.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

TGT=vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc-0b62964bfd0edfb74.us-west-2.vpce.amazonaws.com
o=$(q a.wild.local.test A)
check "static wildcard: NOERROR" is_status "$o" NOERROR
check "static wildcard: owner is the asked name" sect_count "$o" ANSWER 1 "^a\.wild\.local\.test\.[[:space:]].*A[[:space:]]+10\.9\.1\.1$"
check "static wildcard: no '*' owner in the answer" sect_none "$o" ANSWER "^\*"
check "static wildcard: AA" has_flag "$o" aa
o=$(q b.a.wild.local.test A)
check "static wildcard: matches two labels deep" sect_count "$o" ANSWER 1 "^b\.a\.wild\.local\.test\.[[:space:]].*10\.9\.1\.1$"
o=$(q exact.wild.local.test A)
check "exact link beside the wildcard wins" sect_count "$o" ANSWER 1 "10\.9\.1\.2$"
check "exact link: wildcard address absent" sect_none "$o" ANSWER "10\.9\.1\.1$"
o=$(q sub.exact.wild.local.test A)
check "below the exact link: NXDOMAIN (RFC 4592 closest encloser)" is_status "$o" NXDOMAIN
o=$(q A.Wild.Local.TEST A)
check "0x20: wildcard question echoed" match "$o" "^;A\.Wild\.Local\.TEST\.[[:space:]]+IN[[:space:]]+A$"
check "0x20: answered" sect_count "$o" ANSWER 1 "10\.9\.1\.1$"
o=$(q a.wild.local.test AAAA)
check "static wildcard: AAAA NODATA" sect_count "$o" ANSWER 0
check "static wildcard: AAAA NODATA is NOERROR" is_status "$o" NOERROR

o=$(q x.walias.local.test A)
check "alias wildcard: endpoint A under the asked name" sect_count "$o" ANSWER 2 "^x\.walias\.local\.test\.[[:space:]].*A[[:space:]]+10\.1\.0\.1[12]$"
check "alias wildcard: no CNAME" sect_none "$o" ANSWER CNAME
t=$(ttl_of "$o" x.walias.local.test. A)
check "alias wildcard: TTL bounded by the target" le "${t:-999}" 60
o=$(q y.wcname.local.test A)
check "cname wildcard: CNAME under the asked name" sect_count "$o" ANSWER 1 "^y\.wcname\.local\.test\.[[:space:]].*CNAME[[:space:]]+$TGT\.$"
check "cname wildcard: target A follows" sect_count "$o" ANSWER 2 "^$TGT\.[[:space:]].*A[[:space:]]+10\.1\.0\.1[12]$"

check "no name under a wildcard link forwarded" qlog_is up1 0 "local.test."
check "the target was resolved upstream" qlog_ge up1 1 "qname=$TGT."

ls_finish
