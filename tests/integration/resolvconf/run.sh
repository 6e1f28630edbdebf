#!/bin/sh
# resolvconf: upstreams taken from resolv.conf when `upstreams:` is absent
# (issue 2): our own listen address (127.0.0.1:53) listed there is never
# used (no loop: the query reaches the real upstream once, fast), and a
# resolv.conf pointing at systemd-resolved's stub 127.0.0.53 is followed to
# /run/systemd/resolve/resolv.conf (a tmpfs over /run in this private mount
# namespace holds the test's copy).
LS_UNSHARE=-mn LS_PORT=53
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

if [ -z "$LS_IN_NS" ]; then
	skip "upstreams from resolv.conf" "needs unshare -mn to bind port 53 and mount over /run"
	exit 0
fi
printf 'nameserver 127.0.0.1\nnameserver 127.0.0.3\n' >"$T/up-resolv.conf"
up_start up3 53 --addr 127.0.0.3 --data "$CDIR/../upstream.data" --synth-a 192.0.2.3
ls_start

t0=$(now_ms)
o=$(q +time=4 rc1.example A)
dt=$(($(now_ms) - t0))
check "resolv.conf upstream answers" sect_count "$o" ANSWER 1 "^rc1\.example\.[[:space:]].*192\.0\.2\.3$"
check "our own address in resolv.conf skipped: answered fast (${dt} ms < 250)" lt "$dt" 250
check "the upstream got the query exactly once (no loop)" qlog_is up3 1 "qname=rc1.example."
o=$(q +time=4 rc2.example AAAA)
check "resolv.conf upstream: AAAA too" sect_count "$o" ANSWER 1 "2001:db8::1$"
ls_stop
check "first daemon: exit 0" eq "$LS_RC" 0

mount -t tmpfs tmpfs /run || { echo "FAIL: $CASE: mount tmpfs on /run"; exit 1; }
mkdir -p /run/systemd/resolve
printf 'nameserver 127.0.0.4\n' >/run/systemd/resolve/resolv.conf
printf 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n' >"$T/stub-resolv.conf"
up_start up4 53 --addr 127.0.0.4 --data "$CDIR/../upstream.data" --synth-a 192.0.2.4
PORT=5353
ls_conf "$CDIR/stub.yaml"
ls_start
o=$(q +time=4 rc3.example A)
check "127.0.0.53 followed to /run/systemd/resolve/resolv.conf" sect_count "$o" ANSWER 1 "^rc3\.example\.[[:space:]].*192\.0\.2\.4$"
check "the real upstream behind the stub got the query" qlog_is up4 1 "qname=rc3.example."

ls_finish
