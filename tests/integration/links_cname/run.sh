#!/bin/sh
# links_cname: mode cname answers "link CNAME target" followed by the
# target's records of the asked type, chased upstream (also through a
# CNAME chain); qtype CNAME gets the CNAME alone; names below the link are
# forwarded as usual; a dangling target gives the CNAME plus NXDOMAIN
# (answer.h, as Unbound's local-zone redirect + recursion does).  A repeat
# is answered from the kept composed answer (same records, TTLs counting
# down, EDNS as asked); a reload that moves the link is seen at once.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

L=in01-cname.aws-us-west-2.vectordb.zillizcloud.com
TGT=vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc-0b62964bfd0edfb74.us-west-2.vpce.amazonaws.com
o=$(q $L A)
check "A: NOERROR" is_status "$o" NOERROR
check "A: CNAME to the target first" match "$(section "$o" ANSWER | head -1)" "^$L\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+CNAME[[:space:]]+$TGT\.$"
check "A: the target's A records follow" sect_count "$o" ANSWER 2 "^$TGT\.[[:space:]].*[[:space:]]A[[:space:]]+10\.1\.0\.1[12]$"
check "A: CNAME + 2 A, nothing else" sect_count "$o" ANSWER 3
check "A: CNAME TTL is the link ttl" eq "$(ttl_of "$o" $L. CNAME)" 120
check "A: RA set" has_flag "$o" ra
check "target chased upstream" qlog_ge up1 1 "qname=$TGT." "qtype=A"

o=$(q $L AAAA)
check "AAAA: CNAME then the target's AAAA" sect_count "$o" ANSWER 1 "^$TGT\.[[:space:]].*AAAA[[:space:]]+fd00:1::11$"
check "AAAA: the CNAME is there" sect_count "$o" ANSWER 1 "CNAME"

o=$(q $L CNAME)
check "qtype CNAME: NOERROR" is_status "$o" NOERROR
check "qtype CNAME: the CNAME alone" sect_count "$o" ANSWER 1 "^$L\.[[:space:]].*CNAME[[:space:]]+$TGT\.$"
check "qtype CNAME: nothing else in the answer" sect_count "$o" ANSWER 1

o=$(q In01-CNAME.aws-us-west-2.VectorDB.zillizcloud.com A)
check "0x20: question echoed" match "$o" "^;In01-CNAME\.aws-us-west-2\.VectorDB\.zillizcloud\.com\.[[:space:]]+IN[[:space:]]+A$"
check "0x20: answered" sect_count "$o" ANSWER 3

o=$(q below.$L A)
check "name below the link is forwarded" qlog_is up1 1 "qname=below.$L."
check "name below: the upstream's answer relayed" sect_count "$o" ANSWER 1 "^below\.$L\.[[:space:]].*A[[:space:]]+192\.0\.2\.1$"
check "name below: no CNAME synthesized" sect_none "$o" ANSWER "CNAME"

o=$(q in01-chain.aws-us-west-2.vectordb.zillizcloud.com A)
check "chain: link CNAME chain.example first" match "$(section "$o" ANSWER | head -1)" "CNAME[[:space:]]+chain\.example\.$"
check "chain: the upstream's CNAME chain follows" sect_count "$o" ANSWER 2 "CNAME[[:space:]]+(chain2|final)\.example\.$"
check "chain: ends in the final A" ans_has "$o" "^final\.example\.[[:space:]].*A[[:space:]]+192\.0\.2\.20$"

o=$(q in01-dangling.aws-us-west-2.vectordb.zillizcloud.com A)
check "dangling target: NXDOMAIN from the target" is_status "$o" NXDOMAIN
check "dangling target: the CNAME is kept" ans_has "$o" "CNAME[[:space:]]+nx-gone\.example\.$"

B=in01-big.aws-us-west-2.vectordb.zillizcloud.com
o=$(q +noedns +ignore +notcp $B TXT)
check "big chased answer to a 512-byte client: TC" has_flag "$o" tc
o=$(q +ignore +notcp $B TXT)
check "big chased answer (2.6 kB) to a 1232-byte client: TC" has_flag "$o" tc
o=$(q +tcp $B TXT)
check "big chased answer over TCP: CNAME + all 24 TXT" sect_count "$o" ANSWER 25
check "big chased answer over TCP: no TC" no_flag "$o" tc
o=$(q +noedns $B TXT)
check "dig falls back to TCP on TC and gets everything" sect_count "$o" ANSWER 24 "TXT"
o=$(kq $L A)
check "kdig: CNAME + A" match "$o" "$TGT\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.1\.0\.1[12]"
o=$(dq $L A)
check "drill: CNAME + A" match "$o" "CNAME[[:space:]]+$TGT"
check "link name itself never forwarded" qlog_is up1 0 "qname=$L."

# Composed answers are kept (issue 3): a repeat is the same data, AA,
# TTLs counting down, the target not asked again.
n=$(qlog_count up1 "qname=$TGT." "qtype=A")
o1=$(q $L A)
sleep 1.2
o2=$(q $L A)
data() { section "$1" ANSWER | awk '{ $2 = ""; print }' | sort; }
check "repeat: the same records" eq "$(data "$o2")" "$(data "$o1")"
check "repeat: CNAME + 2 A" sect_count "$o2" ANSWER 3
check "repeat: AA set" has_flag "$o2" aa
t1=$(ttl_of "$o1" $TGT. A)
t2=$(ttl_of "$o2" $TGT. A)
check "repeat: the target's TTL counts down" lt "${t2:-999}" "${t1:-0}"
t2=$(ttl_of "$o2" $L. CNAME)
check "repeat: the CNAME's TTL is bounded by the link ttl" le "${t2:-999}" 120
check "repeat: the target was not asked again" qlog_is up1 "$n" "qname=$TGT." "qtype=A"
o=$(q +dnssec $L A)
check "repeat with DO: answered, OPT with DO" match "$o" "flags: do;"
check "repeat with DO: CNAME + 2 A" sect_count "$o" ANSWER 3
o=$(q +noedns $L A)
check "repeat without EDNS: no OPT" opt_absent "$o"
check "repeat without EDNS: CNAME + 2 A" sect_count "$o" ANSWER 3

# A reload that moves the link serves the new target at once, never the
# kept answer of the old one (it would live up to 60 s more).
sed -i -e "s|target: $TGT|target: final.example|" "$T/linkshim.yaml"
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
check "reload: the link's CNAME names the new target" ans_has "$o" "^$L\.[[:space:]].*CNAME[[:space:]]+final\.example\.$"
check "reload: the new target's A" ans_has "$o" "^final\.example\.[[:space:]].*A[[:space:]]+192\.0\.2\.20$"
check "reload: nothing of the old target" sect_none "$o" ANSWER "$TGT"

ls_finish
