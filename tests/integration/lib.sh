# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# lib.sh: the shared harness of the integration tests (style.md §12, the
# Unbound tdir shape).  A case is tests/integration/<case>/run.sh plus its
# linkshim.yaml and upstream data; run.sh starts with
#     [ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
#     . "$(dirname "$0")/../lib.sh"
# Sourcing this file re-executes the case inside a private network
# namespace (`unshare -n`, or `unshare -mn` when LS_UNSHARE=-mn is set
# first) with lo up, so fixed ports cannot collide and nothing off-box is
# reachable.  Where unshare is not permitted it prints a SKIP line and
# falls back to random high ports on 127.0.0.1.  Then it offers:
#   up_start NAME PORT ARGS..   a fake upstream (tests/fakes/fake_upstream.py)
#   ls_conf [FILE]              render a config (@PORT@ @UP1@..@UP4@ @T@)
#   ls_start [ARGS..]           start $B/linkshimd -c $T/linkshim.yaml, wait
#   q ARGS..                    dig at the daemon (output on stdout)
#   check NAME CMD..            run CMD: "PASS: case: NAME" / "FAIL: ..."
#   ls_finish                   SIGTERM the daemon, check a clean exit
# and predicates for check (is_status, has_flag, ans_has, qlog_count, ...).
# The EXIT trap kills only the PIDs started here.  Every wait is bounded.

LS_TOP=$(cd "$(dirname "$0")/../../.." && pwd)
CDIR=$(cd "$(dirname "$0")" && pwd)
CASE=$(basename "$CDIR")
B=${B:-build}
case "$B" in /*) ;; *) B="$LS_TOP/$B" ;; esac
export B
PY=/usr/bin/python3
FAKE="$LS_TOP/tests/fakes/fake_upstream.py"
LS_UNSHARE=${LS_UNSHARE:--n}

if [ -z "$LS_IN_NS" ] && [ -z "$LS_NO_NS" ]; then
	if unshare "$LS_UNSHARE" true 2>/dev/null; then
		export LS_IN_NS=1
		exec unshare "$LS_UNSHARE" bash "$0" "$@"
	fi
	export LS_NO_NS=1
	echo "SKIP: $CASE: private network namespace (unshare $LS_UNSHARE not permitted; random ports on 127.0.0.1)"
fi

ADDR=127.0.0.1
if [ -n "$LS_IN_NS" ]; then
	ip link set lo up || { echo "FAIL: $CASE: ip link set lo up"; exit 1; }
	PORT=${LS_PORT:-5353}
	UP1=5301 UP2=5302 UP3=5303 UP4=5304
else
	base=$((20000 + (RANDOM % 4000) * 10))
	PORT=$base UP1=$((base + 1)) UP2=$((base + 2)) UP3=$((base + 3))
	UP4=$((base + 4))
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/linkshim-it-$CASE.XXXXXX")
PIDS=()
LS_PID=
NPASS=0 NFAIL=0

ls_cleanup() {
	local i
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill "${PIDS[i]}" 2>/dev/null
	done
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		wait "${PIDS[i]}" 2>/dev/null
	done
	if [ -n "$KEEP" ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}
trap ls_cleanup EXIT
trap 'exit 1' INT TERM

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# check NAME CMD..: one PASS/FAIL line; CMD's stderr/stdout become the
# indented diagnostics of a FAIL.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "PASS: $CASE: $name"
		NPASS=$((NPASS + 1))
	else
		echo "FAIL: $CASE: $name"
		[ -n "$out" ] && printf '%s\n' "$out" | head -40 | sed 's/^/    /'
		NFAIL=$((NFAIL + 1))
	fi
}
skip() { echo "SKIP: $CASE: $1 ($2)"; }

# ---- fake upstreams -------------------------------------------------------

# up_start NAME PORT [fake_upstream args..]: query log in $T/NAME.qlog.
up_start() {
	local name=$1 port=$2 i
	shift 2
	rm -f "$T/$name.ready"
	"$PY" "$FAKE" --port "$port" --log "$T/$name.qlog" \
		--ready "$T/$name.ready" "$@" 2>"$T/$name.err" &
	PIDS+=($!)
	: >>"$T/$name.qlog"
	for ((i = 0; i < 100; i++)); do
		[ -f "$T/$name.ready" ] && return 0
		sleep 0.05
	done
	echo "FAIL: $CASE: fake upstream $name did not start"
	sed 's/^/    /' "$T/$name.err"
	return 1
}
qlog() { echo "$T/$1.qlog"; }

# qlog_count NAME PATTERN..: lines of NAME's query log containing every
# PATTERN (fixed strings, e.g. "qname=a.example." "proto=tcp").
qlog_count() {
	local f=$T/$1.qlog p
	shift
	local data
	data=$(cat "$f")
	for p in "$@"; do
		data=$(printf '%s\n' "$data" | grep -F -- "$p")
	done
	if [ -z "$data" ]; then echo 0; else printf '%s\n' "$data" | wc -l; fi
}
# qlog_is NAME N PATTERN..: predicate form of qlog_count.
qlog_is() {
	local name=$1 want=$2 got
	shift 2
	got=$(qlog_count "$name" "$@")
	[ "$got" -eq "$want" ] && return 0
	echo "upstream $name saw $got queries matching [$*], want $want"
	tail -5 "$T/$name.qlog"
	return 1
}
qlog_ge() {
	local name=$1 want=$2 got
	shift 2
	got=$(qlog_count "$name" "$@")
	[ "$got" -ge "$want" ] && return 0
	echo "upstream $name saw $got queries matching [$*], want >= $want"
	tail -5 "$T/$name.qlog"
	return 1
}

# ---- the daemon -----------------------------------------------------------

# ls_conf [FILE [DEST]]: render a config template into $T.
ls_conf() {
	local src=${1:-$CDIR/linkshim.yaml} dst=${2:-$T/linkshim.yaml}
	sed -e "s|@PORT@|$PORT|g" -e "s|@UP1@|$UP1|g" -e "s|@UP2@|$UP2|g" \
		-e "s|@UP3@|$UP3|g" -e "s|@UP4@|$UP4|g" -e "s|@T@|$T|g" \
		"$src" >"$dst"
}

# ls_answers: true when the daemon sends any reply on UDP.
ls_answers() {
	dig @"$ADDR" -p "$PORT" +tries=1 +time=1 +norec version.bind CH TXT \
		2>/dev/null | grep -q 'status:'
}

# ls_start [ARGS..]: start linkshimd on $T/linkshim.yaml (rendered first
# if missing), wait up to 5 s until it answers.  When it does not start
# the case ends here with one FAIL (its checks could not run).
ls_start() {
	local i
	[ -f "$T/linkshim.yaml" ] || ls_conf
	if [ ! -x "$B/linkshimd" ]; then
		echo "FAIL: $CASE: daemon starts ($B/linkshimd not built)"
		exit 1
	fi
	"$B/linkshimd" -c "$T/linkshim.yaml" "$@" >>"$T/linkshimd.log" 2>&1 &
	LS_PID=$!
	PIDS+=("$LS_PID")
	for ((i = 0; i < 50; i++)); do
		if ! kill -0 "$LS_PID" 2>/dev/null; then
			echo "FAIL: $CASE: daemon starts (exited early)"
			sed 's/^/    /' "$T/linkshimd.log" | tail -20
			exit 1
		fi
		ls_answers && return 0
		sleep 0.1
	done
	echo "FAIL: $CASE: daemon starts (no answer within 5 s)"
	tail -20 "$T/linkshimd.log" | sed 's/^/    /'
	exit 1
}

ls_alive() {
	if [ -z "$LS_PID" ] || ! kill -0 "$LS_PID" 2>/dev/null; then
		echo "daemon is not running"
		tail -20 "$T/linkshimd.log"
		return 1
	fi
	ls_answers || { echo "daemon does not answer"; return 1; }
}

# ls_stop: SIGTERM, wait up to 5 s; the exit code in LS_RC (-1: had to
# SIGKILL).
ls_stop() {
	local i
	LS_RC=-1
	[ -n "$LS_PID" ] || return 1
	kill -TERM "$LS_PID" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$LS_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$LS_PID" 2>/dev/null; then
		kill -KILL "$LS_PID" 2>/dev/null
		wait "$LS_PID" 2>/dev/null
	else
		wait "$LS_PID"
		LS_RC=$?
	fi
	LS_PID=
}

no_sanitizer_report() {
	if grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
		"$T/linkshimd.log"; then
		return 1
	fi
}

# ls_finish: stop the daemon and check it exits 0 with no sanitizer
# report; then exit with the case's status.
ls_finish() {
	if [ -n "$LS_PID" ]; then
		ls_stop
		check "daemon exits 0 on SIGTERM" eq "$LS_RC" 0
		check "no sanitizer report in the daemon log" no_sanitizer_report
	fi
	[ "$NFAIL" -eq 0 ]
	exit
}

# ---- queries and predicates -----------------------------------------------

# q ARGS..: dig at the daemon, one try, 2 s.
q() { dig @"$ADDR" -p "$PORT" +tries=1 +time=2 "$@" 2>&1; }
kq() { kdig @"$ADDR" -p "$PORT" +retry=0 +timeout=2 "$@" 2>&1; }
dq() { timeout 5 drill -p "$PORT" "$@" @"$ADDR" 2>&1; }

status_of() { printf '%s\n' "$1" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -1; }
flags_of() { printf '%s\n' "$1" | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' | head -1; }
# section OUT NAME: the RR lines of dig's ANSWER/AUTHORITY/ADDITIONAL.
section() {
	printf '%s\n' "$1" | awk -v s=";; $2 SECTION:" '
		$0 == s { on = 1; next }
		on && /^$/ { on = 0 }
		on && !/^;/ { print }'
}

is_status() {
	local got
	got=$(status_of "$1")
	[ "$got" = "$2" ] && return 0
	echo "status '$got', want '$2'"
	printf '%s\n' "$1"
	return 1
}
has_flag() {
	case " $(flags_of "$1") " in *" $2 "*) return 0 ;; esac
	echo "flag '$2' missing: flags '$(flags_of "$1")'"
	printf '%s\n' "$1"
	return 1
}
no_flag() {
	case " $(flags_of "$1") " in *" $2 "*)
		echo "flag '$2' set: flags '$(flags_of "$1")'"
		printf '%s\n' "$1"
		return 1 ;;
	esac
	return 0
}
# sect_has OUT SECTION ERE / sect_none / sect_count OUT SECTION N [ERE]
sect_has() {
	section "$1" "$2" | grep -Eq -- "$3" && return 0
	echo "no $2 record matching /$3/"
	printf '%s\n' "$1"
	return 1
}
sect_none() {
	section "$1" "$2" | grep -Eq -- "$3" || return 0
	echo "unexpected $2 record matching /$3/"
	printf '%s\n' "$1"
	return 1
}
sect_count() {
	local n
	n=$(section "$1" "$2" | grep -Ec -- "${4:-.}")
	[ "$n" -eq "$3" ] && return 0
	echo "$2 has $n records matching /${4:-.}/, want $3"
	printf '%s\n' "$1"
	return 1
}
ans_has() { sect_has "$1" ANSWER "$2"; }
ans_none() { sect_none "$1" ANSWER "$2"; }
auth_has() { sect_has "$1" AUTHORITY "$2"; }
# opt_present OUT: dig shows "; OPT PSEUDOSECTION:" when the reply had OPT
opt_present() {
	printf '%s\n' "$1" | grep -q '^;; OPT PSEUDOSECTION:' && return 0
	echo "no OPT in the reply"
	printf '%s\n' "$1"
	return 1
}
opt_absent() {
	printf '%s\n' "$1" | grep -q '^;; OPT PSEUDOSECTION:' || return 0
	echo "OPT in the reply"
	printf '%s\n' "$1"
	return 1
}
# ttl_of OUT NAME TYPE: the TTL of the first matching answer record.
ttl_of() {
	section "$1" ANSWER | awk -v n="$2" -v t="$3" \
		'tolower($1) == tolower(n) && $4 == t { print $2; exit }'
}

eq() {
	[ "$1" = "$2" ] && return 0
	echo "got '$1', want '$2'"
	return 1
}
match() {
	printf '%s\n' "$1" | grep -Eq -- "$2" && return 0
	echo "output does not match /$2/:"
	printf '%s\n' "$1"
	return 1
}
nomatch() {
	printf '%s\n' "$1" | grep -Eq -- "$2" || return 0
	echo "output matches /$2/:"
	printf '%s\n' "$1"
	return 1
}
# le A B / lt A B / ge A B: integers
le() { [ "$1" -le "$2" ] && return 0; echo "$1 > $2"; return 1; }
lt() { [ "$1" -lt "$2" ] && return 0; echo "$1 >= $2"; return 1; }
ge() { [ "$1" -ge "$2" ] && return 0; echo "$1 < $2"; return 1; }

# rawq ARGS..: the raw-packet helper (tests/integration/rawdns.py).
rawq() { "$PY" "$LS_TOP/tests/integration/rawdns.py" --port "$PORT" "$@"; }
