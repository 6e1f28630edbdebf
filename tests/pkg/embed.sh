#!/bin/sh
# liblinkshim embedded in someone else's event loop: build/helpers/embed
# (tests/helpers/embed.c, static library) and the same program linked
# against build/liblinkshim.so.0 each create their own event_base, build a
# config in code, add a link at run time and answer: the config link, the
# run-time link and a name forwarded to a loopback fake upstream
# (ldns-testns).  SIGTERM ends the loop; the program prints its statistics
# and exits 0.  Runs inside unshare -n when allowed.
B=${B:-build}
if [ -z "$LINKSHIM_EMBED_NS" ] && [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	exec unshare -n env LINKSHIM_EMBED_NS=1 sh "$0" "$@"
fi
[ -n "$LINKSHIM_EMBED_NS" ] && ip link set lo up
ok() { echo "PASS: embed $1"; }
ko() { echo "FAIL: embed $1"; }
if [ ! -x "$B/helpers/embed" ] || [ ! -f "$B/liblinkshim.so.0" ]; then
	ko "$B/helpers/embed or $B/liblinkshim.so.0 not built"
	exit 1
fi
T=$(mktemp -d)
EPID= UPID=
trap '[ -n "$EPID" ] && kill "$EPID" 2>/dev/null; [ -n "$UPID" ] && kill "$UPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM PIPE

PORT=$(shuf -i 20000-40000 -n 1)
UP=$((PORT + 1))
cat >"$T/up.testns" <<EOT
ENTRY_BEGIN
MATCH opcode qtype qname
ADJUST copy_id
REPLY QR RD RA NOERROR
SECTION QUESTION
www.forward.test. IN A
SECTION ANSWER
www.forward.test. 300 IN A 10.9.9.9
ENTRY_END
EOT
ldns-testns -p "$UP" "$T/up.testns" >"$T/up.log" 2>&1 &
UPID=$!

# The shared-library build: only the exported API is available to it.  An
# ASan-built library (make asan-test) needs the program built the same way.
SAN=
nm -D "$B/liblinkshim.so.0" | grep -q ' U __asan_init' && SAN=-fsanitize=address,undefined
if cc -std=c11 -D_DEFAULT_SOURCE $SAN -Iinclude -o "$T/embed-so" tests/helpers/embed.c \
	-L"$B" -llinkshim -levent_core >"$T/cc.log" 2>&1; then
	ok "embed.c links against liblinkshim.so with the exported symbols only"
else
	ko "embed.c against the .so: $(tail -5 "$T/cc.log")"
fi

q() { dig +short +tries=1 +time=2 @127.0.0.1 -p "$PORT" "$1" A 2>/dev/null; }

# run LABEL PROGRAM...: start, wait for "ready", query three names, stop.
run() {
	label=$1
	shift
	"$@" "$PORT" "$UP" >"$T/out" 2>"$T/err" &
	EPID=$!
	i=0
	while ! grep -qx ready "$T/out" && [ $i -lt 50 ]; do
		kill -0 "$EPID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if ! grep -qx ready "$T/out"; then
		ko "$label: not ready: $(cat "$T/err")"
		kill "$EPID" 2>/dev/null
		EPID=
		return
	fi
	a=$(q in01-embed.example.test) b=$(q dyn-embed.example.test) c=$(q www.forward.test)
	d=$(q async-embed.example.test)
	[ "$a" = 192.0.2.10 ] && ok "$label: link from the config built in code" || ko "$label: config link '$a'"
	[ "$b" = 192.0.2.11 ] && ok "$label: link added at run time (linkshim_set_dynamic)" || ko "$label: dynamic link '$b'"
	[ "$c" = 10.9.9.9 ] && ok "$label: forwarded name" || ko "$label: forwarded '$c'"
	[ "$d" = 192.0.2.12 ] && ok "$label: link added by linkshim_set_dynamic_async" || ko "$label: async dynamic link '$d'"
	kill -TERM "$EPID"
	wait "$EPID"
	rc=$?
	EPID=
	s=$(grep '^links=' "$T/out")
	if [ $rc -eq 0 ] && echo "$s" | grep -q '^links=3 queries_udp=[4-9][0-9]* answers_local=[3-9]'; then
		ok "$label: SIGTERM, clean exit, statistics ($s)"
	else
		ko "$label: exit $rc, statistics '$s' $(cat "$T/err")"
	fi
}
run static "$B/helpers/embed"
[ -x "$T/embed-so" ] && run shared env LD_LIBRARY_PATH="$B" "$T/embed-so"
