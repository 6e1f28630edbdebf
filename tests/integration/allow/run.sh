#!/bin/sh
# allow: clients outside `allow` get REFUSED (UDP and TCP) for local and
# forwarded names alike, and nothing is forwarded on their behalf; the
# allowed address is answered normally.  The other client uses source
# address 127.0.0.2 (all of 127/8 is on lo).  `version:` answers CH TXT
# version.bind, to allowed clients only.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

o=$(q -b 127.0.0.1 ok.allow.test A)
check "allowed client: answered" sect_count "$o" ANSWER 1 "10\.5\.0\.1$"
o=$(q -b 127.0.0.1 known.example A)
check "allowed client: forwarded name answered" sect_count "$o" ANSWER 1 "192\.0\.2\.10$"

o=$(q -b 127.0.0.2 ok.allow.test A)
check "other client: local name REFUSED" is_status "$o" REFUSED
check "other client: no answer records" sect_count "$o" ANSWER 0
o=$(q -b 127.0.0.2 other.example A)
check "other client: forwarded name REFUSED" is_status "$o" REFUSED
check "other client: nothing forwarded on its behalf" qlog_is up1 0 "qname=other.example."
o=$(q -b 127.0.0.2 known.example A)
check "other client: cached name REFUSED too" is_status "$o" REFUSED
o=$(q -b 127.0.0.2 +tcp ok.allow.test A)
check "other client over TCP: REFUSED or closed" match "$o" "status: REFUSED|connection reset|end of file|communications error|closed"
check "other client over TCP: no answer" nomatch "$o" "10\.5\.0\.1$"
o=$(kq -b 127.0.0.2 ok.allow.test A)
check "kdig from the other client: REFUSED" match "$o" "status: REFUSED"
o=$(q -b 127.0.0.2 +noedns ok.allow.test A)
check "other client without EDNS: REFUSED without OPT" opt_absent "$o"
o=$(dig @::1 -p "$PORT" +tries=1 +time=2 ok.allow.test A 2>&1)
check "IPv6 client ::1 not in allow: REFUSED" is_status "$o" REFUSED
o=$(q -b 127.0.0.1 version.bind CH TXT)
check "CH TXT version.bind with version set: the configured string" ans_has "$o" "TXT[[:space:]]+\"linkshim-test\"$"
o=$(q -b 127.0.0.2 version.bind CH TXT)
check "CH TXT version.bind from the other client: REFUSED" is_status "$o" REFUSED
o=$(q -b 127.0.0.1 ok.allow.test A)
check "allowed client still answered afterwards" sect_count "$o" ANSWER 1 "10\.5\.0\.1$"

ls_finish
