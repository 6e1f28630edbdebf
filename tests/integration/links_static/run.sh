#!/bin/sh
# links_static: a link with `addresses:` answers A/AAAA locally with AA,
# the link TTL (default 60), the client's name case echoed (0x20), RD/CD
# copied and RA set; the link is the apex of its own zone (NODATA/NXDOMAIN
# with SOA, SOA/NS synthesized); nothing about it is ever forwarded.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

L=in01-dev.local.test
o=$(q $L A)
check "A: NOERROR" is_status "$o" NOERROR
check "A: both addresses" sect_count "$o" ANSWER 2 "IN[[:space:]]+A[[:space:]]+10\.9\.0\.[12]$"
check "A: only the A records" sect_count "$o" ANSWER 2
check "A: AA set" has_flag "$o" aa
check "A: RA set" has_flag "$o" ra
check "A: RD copied" has_flag "$o" rd
check "A: TTL is the link ttl (120)" eq "$(ttl_of "$o" $L. A)" 120
check "A: OPT echoed (query had EDNS)" opt_present "$o"

o=$(q $L AAAA)
check "AAAA: the IPv6 address" ans_has "$o" "IN[[:space:]]+AAAA[[:space:]]+fd00:9::1$"
check "AAAA: one record" sect_count "$o" ANSWER 1
check "AAAA: AA set" has_flag "$o" aa

o=$(q In01-DEV.Local.TEST A)
check "0x20: question echoed in the client's case" match "$o" "^;In01-DEV\.Local\.TEST\.[[:space:]]+IN[[:space:]]+A$"
check "0x20: still answered" sect_count "$o" ANSWER 2

o=$(q +norec $L A)
check "RD clear copied" no_flag "$o" rd
check "RD clear: still answered" sect_count "$o" ANSWER 2
o=$(q +cd $L A)
check "CD copied" has_flag "$o" cd
o=$(q +noedns $L A)
check "no EDNS in query: no OPT in reply" opt_absent "$o"

o=$(kq $L A)
check "kdig: A answered with AA" match "$o" ";; Flags:.* aa"
check "kdig: both addresses" match "$(kq +short $L A | sort | tr '\n' ' ')" "^10\.9\.0\.1 10\.9\.0\.2 $"
o=$(dq $L A)
check "drill: NOERROR" match "$o" "rcode: NOERROR"
check "drill: address" match "$o" "IN[[:space:]]+A[[:space:]]+10\.9\.0\.1"

o=$(q single.local.test A)
check "default link ttl is 60" eq "$(ttl_of "$o" single.local.test. A)" 60
check "single address" sect_count "$o" ANSWER 1 "10\.9\.0\.3$"

o=$(q $L TXT)
check "own apex: TXT is NODATA (NOERROR)" is_status "$o" NOERROR
check "own apex: TXT NODATA has no answer" sect_count "$o" ANSWER 0
check "own apex: NODATA has SOA in authority" auth_has "$o" "IN[[:space:]]+SOA[[:space:]]"
check "own apex: NODATA has AA" has_flag "$o" aa

o=$(q sub.$L A)
check "own apex: name below is NXDOMAIN" is_status "$o" NXDOMAIN
check "own apex: NXDOMAIN has SOA of the link" auth_has "$o" "^$L\.[[:space:]].*SOA"
o=$(q $L SOA)
check "own apex: SOA synthesized" sect_count "$o" ANSWER 1 "IN[[:space:]]+SOA[[:space:]]"
o=$(q $L NS)
check "own apex: NS synthesized" ans_has "$o" "IN[[:space:]]+NS[[:space:]]"

o=$(q mixedcase.local.test A)
check "a link written in mixed case matches any case" sect_count "$o" ANSWER 1 "10\.9\.0\.4$"
o=$(q x$L A)
check "label boundary: x$L is not the link" sect_none "$o" ANSWER "10\.9\.0\."
o=$(q local.test A)
check "the link's parent is not ours" sect_none "$o" ANSWER "10\.9\.0\."
check "label boundary: x$L forwarded" qlog_is up1 1 "qname=x$L."
check "the link's parent forwarded" qlog_is up1 1 "qname=local.test."
check "query_log: the queries are logged" match "$(cat "$T/linkshimd.log")" "in01-dev\.local\.test"
check "nothing about the link was forwarded" qlog_is up1 0 "qname=$L."
check "nothing below the link was forwarded" qlog_is up1 0 ".$L."

ls_finish
