# Shared by tests/integration/api_*/run.sh (bash).  A minimal local harness
# until the team's tests/integration/lib.sh is used: re-exec inside a
# private network namespace (unshare -n, lo up) so fixed loopback ports
# cannot collide, PASS/FAIL/SKIP lines, a tmp dir and PID bookkeeping.
# Only PIDs started here are killed.

if [ -z "$API_IN_NETNS" ] && command -v unshare >/dev/null 2>&1 &&
	unshare -n true 2>/dev/null; then
	export API_IN_NETNS=1
	exec unshare -n bash "$0" "$@"
fi
if [ -n "$API_IN_NETNS" ]; then
	ip link set lo up 2>/dev/null
	API_PORT=${API_PORT:-8053}
else
	API_PORT=${API_PORT:-$((20000 + RANDOM % 20000))}
fi

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
B=${B:-build}
case "$B" in /*) ;; *) B="$TOP/$B" ;; esac
HARNESS="$B/helpers/admin_harness"
T=$(mktemp -d /tmp/linkshim-api.XXXXXX)
PIDS=""
NPASS=0
NFAIL=0

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

pass() { echo "PASS: $TNAME: $1"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL: $TNAME: $1"; NFAIL=$((NFAIL + 1)); }
skip() { echo "SKIP: $TNAME: $1"; }
# check NAME COMMAND...: PASS when the command succeeds
check() {
	local n=$1
	shift
	if "$@"; then pass "$n"; else fail "$n"; fi
}

# start_harness ARGS...: admin_harness on 127.0.0.1:$API_PORT, waits for
# "ready" (bounded), sets HPID.
start_harness() {
	"$HARNESS" -l "127.0.0.1:$API_PORT" "$@" >"$T/harness.out" \
		2>"$T/harness.err" &
	HPID=$!
	PIDS="$PIDS $HPID"
	local i
	for i in $(seq 1 50); do
		grep -q ready "$T/harness.out" 2>/dev/null && return 0
		kill -0 "$HPID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# stop_harness: SIGTERM, wait; a sanitizer report (ASan builds) fails.
stop_harness() {
	kill "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
		"$T/harness.err" 2>/dev/null; then
		fail "harness exits without a sanitizer report"
		sed 's/^/    /' "$T/harness.err" | head -30
	fi
}

U="http://127.0.0.1:$API_PORT"
# http METHOD PATH [curl args...]: prints the body, then the status on
# its own last line.
http() {
	local m=$1 p=$2
	shift 2
	curl -s -m 10 -X "$m" -w '\n%{http_code}' "$@" "$U$p"
}
code_of() { tail -n1; }
body_of() { sed '$d'; }
# on the last response in $r: its status, its body, a grep over it
rcode() { printf '%s\n' "$r" | tail -n1; }
rbody() { printf '%s\n' "$r" | sed '$d'; }
has() { printf '%s\n' "$r" | grep -q -- "$1"; }
hasall() {
	local p
	for p in "$@"; do has "$p" || return 1; done
}
# expect CODE [PATTERN...]: status is CODE and every pattern is in $r
expect() {
	[ "$(rcode)" = "$1" ] || return 1
	shift
	local p
	for p in "$@"; do has "$p" || return 1; done
}

PY=/root/.pyenv/shims/python3
[ -x "$PY" ] || PY=python3
AWS1=/root/.pyenv/shims/aws
AWS2=/usr/bin/aws

aws_env() {
	export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-AKIDEXAMPLE}
	export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY}
	export AWS_DEFAULT_REGION=us-west-2 AWS_EC2_METADATA_DISABLED=true
	export AWS_ENDPOINT_URL_ROUTE_53="$U" AWS_PAGER=""
	: >"$T/aws-config"
	export AWS_CONFIG_FILE="$T/aws-config" AWS_SHARED_CREDENTIALS_FILE="$T/aws-config"
}

finish() {
	[ -n "$HPID" ] && kill -0 "$HPID" 2>/dev/null && stop_harness
	echo "$TNAME: $NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ]
}
