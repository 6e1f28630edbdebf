#!/bin/sh
# linkshimd itself, for what packaging relies on: (1) the sd_notify
# sequence a Type=notify unit sees through a fake notify socket: READY=1
# only once queries are answered, RELOADING=1 + MONOTONIC_USEC then READY=1
# on SIGHUP, READY=1 with a failure STATUS when the new config is broken,
# STOPPING=1 on SIGTERM, all from the main PID; (2) started as root with
# `user: nobody`: bound, then every uid/gid is nobody's, no supplementary
# group, no capability, and it still answers; with `chroot:` its root is
# that directory; an unknown user stops the start.  Runs inside unshare -n.
B=${B:-build}
if [ -z "$LINKSHIM_DAEMON_NS" ] && [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	exec unshare -n env LINKSHIM_DAEMON_NS=1 sh "$0" "$@"
fi
[ -n "$LINKSHIM_DAEMON_NS" ] && ip link set lo up
ok() { echo "PASS: daemon $1"; }
ko() { echo "FAIL: daemon $1"; }
D=$(cd "$B" 2>/dev/null && pwd)/linkshimd
if [ ! -x "$D" ]; then
	ko "$B/linkshimd not built"
	exit 1
fi
PY=/usr/bin/python3
T=$(mktemp -d)
chmod 755 "$T"
DPID= RPID=
stop_all() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	wait 2>/dev/null
	DPID= RPID=
}
trap 'stop_all; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM PIPE
PORT=$(shuf -i 20000-40000 -n 1)
conf() { # extra lines...
	printf 'listen: [127.0.0.1:%s]\nupstreams: [127.0.0.1:%s]\n' "$PORT" $((PORT + 1))
	printf 'links:\n  - name: static.example.test\n    addresses: [192.0.2.7]\n'
	for l in "$@"; do printf '%s\n' "$l"; done
}
q() { dig +short +tries=1 +time=2 @127.0.0.1 -p "$PORT" static.example.test A 2>/dev/null; }
wait_for() { # file pattern: up to 5 s
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "$2" "$1" 2>/dev/null
}

# 1. sd_notify
conf >"$T/notify.yaml"
"$PY" tests/pkg/fake_notify.py "$T/notify.sock" "$T/ready" 6 20 >"$T/notify.out" 2>&1 &
RPID=$!
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
NOTIFY_SOCKET="$T/notify.sock" "$D" -d -c "$T/notify.yaml" >"$T/d1.log" 2>&1 &
DPID=$!
if wait_for "$T/notify.out" '^READY=1'; then
	# Readiness must be real: a query right after READY=1 is answered.
	[ "$(q)" = 192.0.2.7 ] && ok "READY=1 sent once it answers" || ko "READY=1 but no answer"
else
	ko "no READY=1: $(cat "$T/notify.out") $(tail -3 "$T/d1.log")"
fi
sed -n 1p "$T/notify.out" | grep -q " pid=$DPID\$" && ok "sent by the main PID" ||
	ko "sender: $(sed -n 1p "$T/notify.out") (main $DPID)"
kill -HUP "$DPID"
wait_for "$T/notify.out" '^READY=1|STATUS=reloaded|' &&
	sed -n 2p "$T/notify.out" | grep -q '^RELOADING=1|MONOTONIC_USEC=[1-9][0-9]*|' &&
	ok "SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1" ||
	ko "SIGHUP: $(tr '\n' ' ' <"$T/notify.out")"
echo "bogus_key: 1" >>"$T/notify.yaml"
kill -HUP "$DPID"
wait_for "$T/notify.out" 'STATUS=reload failed' && [ "$(q)" = 192.0.2.7 ] &&
	ok "bad config: READY=1 with a failure STATUS, still serving" ||
	ko "bad reload: $(tr '\n' ' ' <"$T/notify.out")"
kill -TERM "$DPID"
wait "$RPID"
RPID=
tail -n 1 "$T/notify.out" | grep -q '^STOPPING=1|' && ok "SIGTERM: STOPPING=1" ||
	ko "no STOPPING=1: $(tr '\n' ' ' <"$T/notify.out")"
wait "$DPID"
DPID=

# 2. privilege drop
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: daemon privilege drop (needs root)"
	exit 0
fi
NUID=$(id -u nobody) NGID=$(id -g nobody)
status_of() { # pid field
	awk -v f="$2:" '$1 == f { $1 = ""; print substr($0, 2) }' "/proc/$1/status"
}
conf "user: nobody" >"$T/user.yaml"
"$D" -d -c "$T/user.yaml" >"$T/d2.log" 2>&1 &
DPID=$!
i=0
while [ "$(q)" != 192.0.2.7 ] && [ $i -lt 50 ]; do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
[ "$(q)" = 192.0.2.7 ] && ok "user: nobody answers after the drop" || ko "user: nobody: $(tail -3 "$T/d2.log")"
u=$(status_of "$DPID" Uid | tr -s ' \t' ' ')
g=$(status_of "$DPID" Gid | tr -s ' \t' ' ')
[ "$u" = "$NUID $NUID $NUID $NUID" ] && [ "$g" = "$NGID $NGID $NGID $NGID" ] &&
	ok "/proc/PID/status Uid/Gid all nobody ($u / $g)" || ko "Uid '$u' Gid '$g'"
gr=$(status_of "$DPID" Groups | tr -d ' ')
ce=$(status_of "$DPID" CapEff)
[ "$gr" = "$NGID" ] && [ "$ce" = 0000000000000000 ] &&
	ok "only nobody's group, no effective capability" || ko "Groups '$gr' CapEff '$ce'"
stop_all

mkdir -p "$T/jail"
conf "user: nobody" "chroot: $T/jail" >"$T/chroot.yaml"
"$D" -d -c "$T/chroot.yaml" >"$T/d3.log" 2>&1 &
DPID=$!
i=0
while [ "$(q)" != 192.0.2.7 ] && [ $i -lt 50 ]; do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
r=$(readlink "/proc/$DPID/root")
[ "$(q)" = 192.0.2.7 ] && [ "$r" = "$T/jail" ] && ok "chroot: root is $r, still answers" ||
	ko "chroot: root '$r' $(tail -3 "$T/d3.log")"
stop_all

conf "user: no-such-user-linkshim" >"$T/bad.yaml"
timeout 10 "$D" -d -c "$T/bad.yaml" >"$T/d4.log" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q 'unknown user' "$T/d4.log" &&
	ok "unknown user: refuses to start (exit $rc)" || ko "unknown user: exit $rc $(cat "$T/d4.log")"
