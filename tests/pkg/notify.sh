#!/bin/sh
# sd_notify without libsystemd (src/io/notify.c): a fake notify receiver
# (tests/pkg/fake_notify.py) on a filesystem path and on an abstract
# "@name" socket gets READY/STATUS, RELOADING with MONOTONIC_USEC, READY,
# a one-line STATUS and STOPPING from build/helpers/notify_probe; the
# connected socket survives a chroot; without $NOTIFY_SOCKET nothing is
# sent and nothing fails.  The daemon's own notifications are checked in
# tests/pkg/daemon.sh.
B=${B:-build}
P=$B/helpers/notify_probe
PY=/usr/bin/python3
FAKE=tests/pkg/fake_notify.py
ok() { echo "PASS: notify $1"; }
ko() { echo "FAIL: notify $1"; }
if [ ! -x "$P" ]; then
	echo "FAIL: notify ($P not built)"
	exit 1
fi
T=$(mktemp -d)
RPID=
trap '[ -n "$RPID" ] && kill "$RPID" 2>/dev/null; rm -rf "$T"' EXIT

# start_receiver SOCKET OUT: the fake, waiting (bounded) until it is bound
start_receiver() {
	rm -f "$T/ready"
	"$PY" "$FAKE" "$1" "$T/ready" 5 10 >"$2" 2>&1 &
	RPID=$!
	i=0
	while [ ! -e "$T/ready" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# expect OUT LABEL: the five datagrams in order
expect() {
	sed -n 1p "$1" | grep -qx 'READY=1|STATUS=serving 2 links| pid=[0-9]*' &&
		ok "$2 READY with STATUS" || ko "$2 READY with STATUS: $(sed -n 1p "$1")"
	sed -n 2p "$1" | grep -qx 'RELOADING=1|MONOTONIC_USEC=[1-9][0-9]*| pid=[0-9]*' &&
		ok "$2 RELOADING with MONOTONIC_USEC" || ko "$2 RELOADING: $(sed -n 2p "$1")"
	sed -n 3p "$1" | grep -qx 'READY=1| pid=[0-9]*' &&
		ok "$2 READY after reload" || ko "$2 READY after reload: $(sed -n 3p "$1")"
	sed -n 4p "$1" | grep -qx 'STATUS=reload failed: kept old config| pid=[0-9]*' &&
		ok "$2 STATUS one line" || ko "$2 STATUS: $(sed -n 4p "$1")"
	sed -n 5p "$1" | grep -qx 'STOPPING=1| pid=[0-9]*' &&
		ok "$2 STOPPING" || ko "$2 STOPPING: $(sed -n 5p "$1")"
}

# 1. filesystem path
start_receiver "$T/notify.sock" "$T/path.out"
NOTIFY_SOCKET="$T/notify.sock" "$P" >"$T/probe1" 2>&1 && ok "path: every send succeeded" || ko "path: probe failed: $(cat "$T/probe1")"
wait "$RPID"
RPID=
expect "$T/path.out" "path:"

# 2. abstract namespace, unique per run
ABS="@linkshim-test-notify-$$"
start_receiver "$ABS" "$T/abs.out"
NOTIFY_SOCKET="$ABS" "$P" >"$T/probe2" 2>&1 && ok "abstract: every send succeeded" || ko "abstract: probe failed: $(cat "$T/probe2")"
wait "$RPID"
RPID=
expect "$T/abs.out" "abstract:"

# 3. connected before chroot, still delivers inside it (root only)
if [ "$(id -u)" -eq 0 ]; then
	mkdir "$T/jail"
	start_receiver "$T/chroot.sock" "$T/chroot.out"
	# LeakSanitizer (ASan builds) needs /proc, which a chroot hides.
	NOTIFY_SOCKET="$T/chroot.sock" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$P" chroot "$T/jail" >"$T/probe3" 2>&1 &&
		ok "chroot: every send succeeded" || ko "chroot: $(cat "$T/probe3")"
	wait "$RPID"
	RPID=
	grep -q '^STOPPING=1|' "$T/chroot.out" && ok "chroot: STOPPING arrived after chroot" ||
		ko "chroot: $(cat "$T/chroot.out")"
else
	echo "SKIP: notify chroot (needs root)"
fi

# 4. not under systemd: no socket, calls succeed
env -u NOTIFY_SOCKET "$P" >"$T/probe4" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -qx 'fd=none' "$T/probe4" && ok "unset: no-op success" || ko "unset: rc=$rc $(cat "$T/probe4")"

# 5. a relative path is refused once, clearly
NOTIFY_SOCKET="relative/notify" "$P" >"$T/probe5" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'unusable NOTIFY_SOCKET' "$T/probe5" && ok "relative path refused" || ko "relative: rc=$rc $(cat "$T/probe5")"
