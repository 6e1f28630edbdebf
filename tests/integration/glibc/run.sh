#!/bin/sh
# glibc: what applications see.  Inside `unshare -mn` the test bind-mounts
# its own /etc/resolv.conf (nameserver 127.0.0.1), nsswitch.conf (hosts:
# files dns) and hosts over the real ones, runs linkshimd on 127.0.0.1:53,
# and resolves through glibc's own stub resolver (getent ahosts, which
# sends A and AAAA in parallel on one socket): a link must yield the VPC
# endpoint's addresses in alias AND cname modes (a CNAME-only answer makes
# getaddrinfo fail), a static link its addresses, a forwarded name its
# upstream address.
LS_UNSHARE=-mn LS_PORT=53
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

if [ -z "$LS_IN_NS" ]; then
	skip "getent through glibc" "needs unshare -mn to replace /etc/resolv.conf and bind port 53"
	exit 0
fi
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n' >"$T/resolv.conf"
printf 'hosts: files dns\n' >"$T/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$T/hosts"
for f in resolv.conf nsswitch.conf hosts; do
	mount --bind "$T/$f" "/etc/$f" || { echo "FAIL: $CASE: bind-mount /etc/$f"; exit 1; }
done

# getaddrinfo's AI_ADDRCONFIG (getent ahostsv4, most applications) ignores
# families for which the host has only 127.0.0.1/::1: give this namespace's
# lo one more address of each, as a real host has.
ip addr add 10.255.0.1/32 dev lo && ip addr add fd00:ffff::1/128 dev lo ||
	echo "# could not add non-loopback addresses to lo"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

ga() { timeout 10 getent "$@" 2>&1; }
o=$(ga ahosts in01-alias.aws-us-west-2.vectordb.zillizcloud.com)
check "alias mode: getent ahosts succeeds" match "$o" "STREAM"
check "alias mode: 10.1.0.11 returned" match "$o" "^10\.1\.0\.11[[:space:]]+STREAM"
check "alias mode: 10.1.0.12 returned" match "$o" "^10\.1\.0\.12[[:space:]]+STREAM"
check "alias mode: the endpoint IPv6 address" match "$o" "^fd00:1::11[[:space:]]+STREAM"
check "alias mode: nothing else" nomatch "$o" "^(192\.0\.2|198\.51)"
o=$(ga ahostsv4 in01-alias.aws-us-west-2.vectordb.zillizcloud.com)
check "alias mode: getent ahostsv4" match "$o" "^10\.1\.0\.1[12][[:space:]]+STREAM"

o=$(ga ahosts in01-cname.aws-us-west-2.vectordb.zillizcloud.com)
check "cname mode: getent ahosts succeeds" match "$o" "STREAM"
check "cname mode: 10.1.0.11 returned" match "$o" "^10\.1\.0\.11[[:space:]]+STREAM"
check "cname mode: 10.1.0.12 returned" match "$o" "^10\.1\.0\.12[[:space:]]+STREAM"
check "cname mode: the endpoint IPv6 address" match "$o" "^fd00:1::11[[:space:]]+STREAM"
o=$(ga ahostsv4 in01-cname.aws-us-west-2.vectordb.zillizcloud.com)
check "cname mode: getent ahostsv4" match "$o" "^10\.1\.0\.1[12][[:space:]]+STREAM"
o=$(ga ahostsv6 in01-cname.aws-us-west-2.vectordb.zillizcloud.com)
check "cname mode: getent ahostsv6" match "$o" "^fd00:1::11[[:space:]]+STREAM"
o=$(ga hosts in01-cname.aws-us-west-2.vectordb.zillizcloud.com)
check "cname mode: gethostbyname (getent hosts)" match "$o" "^(10\.1\.0\.1[12]|fd00:1::11)[[:space:]]"

o=$(ga ahosts in01-static.local.test)
check "static link: IPv4 via glibc" match "$o" "^10\.8\.0\.1[[:space:]]+STREAM"
check "static link: IPv6 via glibc" match "$o" "^fd00:8::1[[:space:]]+STREAM"
o=$(ga ahosts known.example)
check "forwarded name via glibc" match "$o" "^192\.0\.2\.10[[:space:]]+STREAM"
ga ahosts nx-nothing.example >/dev/null
check "NXDOMAIN via glibc: getent exits 2 (not found)" eq "$?" 2

# the same with EDNS in glibc's queries (systemd's default resolv.conf)
printf 'nameserver 127.0.0.1\noptions edns0 trust-ad timeout:2 attempts:1\n' >"$T/resolv.conf"
o=$(ga ahosts in01-cname.aws-us-west-2.vectordb.zillizcloud.com)
check "options edns0: cname mode via glibc" match "$o" "^10\.1\.0\.1[12][[:space:]]+STREAM"
o=$(ga ahosts in01-alias.aws-us-west-2.vectordb.zillizcloud.com)
check "options edns0: alias mode via glibc" match "$o" "^fd00:1::11[[:space:]]+STREAM"

ls_finish
