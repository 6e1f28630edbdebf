#!/bin/sh
# Privilege drop (src/daemon/privdrop.c) through build/helpers/privdrop_probe:
# bound as root, dropped to nobody (ids, groups, no way back, the socket
# bound before the drop still works), chroot, and the refusals.  Needs root
# (CI runs as root); SKIPs otherwise.
B=${B:-build}
P=$B/helpers/privdrop_probe
ok() { echo "PASS: privdrop $1"; }
ko() { echo "FAIL: privdrop $1"; }
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: privdrop (needs root)"
	exit 0
fi
if [ ! -x "$P" ]; then
	echo "FAIL: privdrop ($P not built)"
	exit 1
fi
NUID=$(id -u nobody) NGID=$(id -g nobody)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

"$P" nobody >"$T/out" 2>&1
rc=$?
check() { # name pattern file
	if grep -qx "$2" "$3"; then ok "$1"; else ko "$1: want $2, got: $(tr '\n' ' ' <"$3")"; fi
}
[ $rc -eq 0 ] && ok "nobody exit 0" || ko "nobody exit $rc"
check "nobody dropped" "dropped=1" "$T/out"
check "nobody uid r/e/s" "uid=$NUID,$NUID,$NUID" "$T/out"
check "nobody gid r/e/s" "gid=$NGID,$NGID,$NGID" "$T/out"
check "nobody only its group" "groups=$NGID" "$T/out"
check "nobody cannot regain root" "regain=denied" "$T/out"
check "socket bound as root still works" "socket=ok" "$T/out"

mkdir "$T/root" && : >"$T/root/privdrop-marker"
# LeakSanitizer (ASan builds) needs /proc, which a chroot hides.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$P" nobody "$T/root" >"$T/chroot" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "chroot exit 0" || ko "chroot exit $rc"
check "chroot dropped" "dropped=1" "$T/chroot"
check "chroot root is the directory" "marker=visible" "$T/chroot"
check "chroot uid" "uid=$NUID,$NUID,$NUID" "$T/chroot"

"$P" no-such-user-linkshim >"$T/unk" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'unknown user "no-such-user-linkshim"' "$T/unk"; then
	ok "unknown user refused"
else
	ko "unknown user: rc=$rc $(cat "$T/unk")"
fi
"$P" "" "$T/root" >"$T/nouser" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'needs user' "$T/nouser"; then
	ok "chroot without user refused"
else
	ko "chroot without user: rc=$rc $(cat "$T/nouser")"
fi
"$P" "" >"$T/none" 2>&1
check "no user: stays root, nothing dropped" "dropped=0" "$T/none"
