#!/bin/sh
# protocol: design §4 request checks and reply rules, seen from real
# clients and raw packets: opcode != QUERY -> NOTIMP; QDCOUNT 0 or 2 ->
# FORMERR; EDNS version 1 -> BADVERS (RFC 6891 §6.1.3); two OPTs or an OPT
# not owned by the root -> FORMERR (RFC 6891 §6.1.1); OPT in the reply only
# when the query had one; meta qtypes -> FORMERR; AXFR/IXFR -> REFUSED;
# ANY -> one RRset (RFC 8482); responses and short packets dropped; UDP
# answers cut to the client's size with TC (512 without EDNS) and whole
# over TCP; CH TXT version.bind REFUSED when `version` is unset.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

N=multi.proto.test
o=$(q +opcode=2 $N A)
check "opcode STATUS -> NOTIMP" is_status "$o" NOTIMP
o=$(q +opcode=4 $N SOA)
check "opcode NOTIFY -> NOTIMP" is_status "$o" NOTIMP
o=$(q +opcode=5 $N SOA)
check "opcode UPDATE -> NOTIMP" is_status "$o" NOTIMP
o=$(rawq --name $N send notify)
check "raw NOTIFY -> NOTIMP" match "$o" "rcode=NOTIMP"

o=$(q +header-only +nocookie)
check "QDCOUNT 0 (dig +header-only) -> FORMERR" is_status "$o" FORMERR
o=$(rawq send qd0)
check "raw QDCOUNT 0 -> FORMERR" match "$o" "rcode=FORMERR"
o=$(rawq --name $N send qd2)
check "QDCOUNT 2 -> FORMERR" match "$o" "rcode=FORMERR"
check "QDCOUNT 2 -> FORMERR without OPT (query had none)" match "$o" "opt=0"
o=$(rawq --name $N send qdcount-max)
check "QDCOUNT 65535 -> FORMERR or dropped" match "$o" "rcode=FORMERR|noreply"

o=$(q +edns=1 +noednsnegotiation +nocookie $N A)
check "EDNS version 1 -> BADVERS" is_status "$o" BADVERS
check "BADVERS reply carries OPT version 0" match "$o" "EDNS: version: 0"
check "BADVERS: no answer records" sect_count "$o" ANSWER 0
o=$(kq +edns=1 $N A)
check "kdig EDNS version 1 -> BADVERS" match "$o" "status: BADVERS"
o=$(rawq --name $N send twoopt)
check "two OPT RRs -> FORMERR" match "$o" "rcode=FORMERR"
o=$(rawq --name $N send opt-not-root)
check "OPT not owned by the root -> FORMERR" match "$o" "rcode=FORMERR"

o=$(q +noedns $N A)
check "no OPT in query: local answer has no OPT" opt_absent "$o"
check "no OPT in query: local answer given" sect_count "$o" ANSWER 1 "10\.3\.0\.2$"
o=$(q $N A)
check "OPT in query: local answer has OPT" opt_present "$o"
check "OPT in query: advertises udp 1232" match "$o" "EDNS: version: 0, flags:; udp: 1232"
o=$(q +noedns nope.proto.test A)
check "no OPT in query: NXDOMAIN has no OPT" opt_absent "$o"
o=$(q nope.proto.test A)
check "OPT in query: NXDOMAIN has OPT" opt_present "$o"
o=$(q +noedns known.example A)
check "no OPT in query: forwarded answer has no OPT" opt_absent "$o"
o=$(q +noedns +opcode=2 $N A)
check "no OPT in query: NOTIMP has no OPT" opt_absent "$o"
o=$(q +opcode=2 $N A)
check "OPT in query: NOTIMP has OPT" opt_present "$o"
o=$(q +dnssec $N A)
check "DO bit copied into the reply OPT" match "$o" "EDNS: version: 0, flags: do;"

o=$(rawq --name $N send meta-opt)
check "qtype OPT -> FORMERR" match "$o" "rcode=FORMERR"
o=$(rawq --name $N send meta-tkey)
check "qtype TKEY -> FORMERR" match "$o" "rcode=FORMERR"

o=$(rawq --name proto.test send axfr)
check "AXFR over UDP -> REFUSED" match "$o" "rcode=REFUSED"
o=$(rawq --name proto.test send axfr --tcp)
check "AXFR over TCP -> REFUSED" match "$o" "rcode=REFUSED"
o=$(rawq --name proto.test send ixfr)
check "IXFR over UDP -> REFUSED" match "$o" "rcode=REFUSED"
o=$(rawq --name proto.test send ixfr --tcp)
check "IXFR over TCP -> REFUSED" match "$o" "rcode=REFUSED"
o=$(q proto.test AXFR)
check "dig AXFR: transfer refused" match "$o" "Transfer failed|REFUSED"
check "dig AXFR: no records transferred" nomatch "$o" "IN[[:space:]]+SOA"
check "AXFR never forwarded" qlog_is up1 0 "qtype=AXFR"

o=$(q $N ANY)
types=$(section "$o" ANSWER | awk '{ print $4 }' | sort -u)
check "ANY: NOERROR" is_status "$o" NOERROR
check "ANY: exactly one RRset (RFC 8482)" eq "$(printf '%s\n' "$types" | grep -c .)" 1
o=$(q +tcp $N ANY)
types=$(section "$o" ANSWER | awk '{ print $4 }' | sort -u)
check "ANY over TCP: one RRset too" eq "$(printf '%s\n' "$types" | grep -c .)" 1

M=many.proto.test
msgsize() { printf '%s\n' "$1" | sed -n 's/.*MSG SIZE  rcvd: \([0-9]*\).*/\1/p'; }
o=$(q +bufsize=512 +ignore +notcp $M TXT)
check "big local answer, bufsize 512: TC" has_flag "$o" tc
check "big local answer, bufsize 512: reply fits 512" le "$(msgsize "$o")" 512
o=$(q +noedns +ignore +notcp $M TXT)
check "big local answer, no EDNS: TC" has_flag "$o" tc
check "big local answer, no EDNS: reply fits 512" le "$(msgsize "$o")" 512
o=$(q +ignore +notcp $M TXT)
check "big local answer, bufsize 1232: TC" has_flag "$o" tc
check "big local answer, bufsize 1232: reply fits 1232" le "$(msgsize "$o")" 1232
o=$(q +tcp $M TXT)
check "big local answer over TCP: all 20 records" sect_count "$o" ANSWER 20 "TXT"
check "big local answer over TCP: no TC" no_flag "$o" tc
check "big local answer over TCP: AA" has_flag "$o" aa
o=$(q +bufsize=512 $M TXT)
check "dig retries the TC answer over TCP and gets all 20" sect_count "$o" ANSWER 20 "TXT"
o=$(dq -t $M TXT)
check "drill over TCP: all 20 records" eq "$(printf '%s\n' "$o" | grep -c 'IN[[:space:]]*TXT[[:space:]]*"t')" 20
o=$(q +bufsize=100 +ignore +notcp $N A)
check "EDNS bufsize 100 is treated as 512 (RFC 6891 §6.2.5): no TC" no_flag "$o" tc
check "EDNS bufsize 100: answered" sect_count "$o" ANSWER 1 "10\.3\.0\.2$"
o=$(q +bufsize=512 +ignore +notcp $N A)
check "small answer with bufsize 512: no TC" no_flag "$o" tc

o=$(q +nsid $N A)
check "NSID option in the query: answered normally" sect_count "$o" ANSWER 1 "10\.3\.0\.2$"
o=$(q +ednsopt=65001:abcdef +padding=64 $N A)
check "unknown EDNS option and padding: answered normally" sect_count "$o" ANSWER 1 "10\.3\.0\.2$"
check "unknown EDNS option: not echoed back" nomatch "$(printf '%s\n' "$o" | sed -n '/OPT PSEUDOSECTION/,/QUESTION SECTION/p')" "65001"
o=$(rawq --name $N --timeout 0.5 send response)
check "a response (QR set) is dropped" eq "$o" noreply
o=$(rawq --timeout 0.5 send short11)
check "an 11-byte packet is dropped" eq "$o" noreply
o=$(rawq --name lnk.proto.test send good)
check "ID echoed (0x1234)" match "$o" "rcode=NOERROR id=4660"
check "raw query without EDNS: reply without OPT" match "$o" "opt=0"
o=$(q version.bind CH TXT)
check "CH TXT version.bind without version: REFUSED" is_status "$o" REFUSED
o=$(q +norec lnk.proto.test A)
check "RD clear: no rd in reply" no_flag "$o" rd
check "RA always set" has_flag "$o" ra

check "daemon alive at the end" ls_alive
ls_finish
