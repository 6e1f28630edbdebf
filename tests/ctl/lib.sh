# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# Helpers for tests/ctl/*.sh (POSIX sh).  Each script sources this after
# setting NAME.  ns_reexec runs the script again inside a private network
# namespace (unshare -n, lo up) when allowed, so nothing but loopback is
# reachable and ports cannot collide; otherwise it continues on loopback
# with random high ports.  Every process started is recorded and killed
# by PID on exit.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case "$B" in /*) ;; *) B="$TOP/$B" ;; esac
CTL="$B/linkshimctl"
PYENV=/root/.pyenv/shims/python3
MOTO=/root/.pyenv/shims/moto_server
AWSCLI=/root/.pyenv/shims/aws
DPY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/linkshim-ctl.XXXXXX")
PIDS=""

pass() { echo "PASS: $NAME: $1"; }
fail() { echo "FAIL: $NAME: $1"; }
skip() { echo "SKIP: $NAME: $1"; }
check() { # name, command...: PASS when the command succeeds
	n=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$n"; else fail "$n"; fi
}

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	if [ -n "$KEEP" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT INT TERM

ns_reexec() {
	if [ -z "$LINKSHIM_IN_NS" ] && unshare -n true 2>/dev/null; then
		rm -rf "$T" # exec skips the EXIT trap; the inner run makes its own
		LINKSHIM_IN_NS=1 exec unshare -n sh "$0" "$@"
	fi
	if [ -n "$LINKSHIM_IN_NS" ]; then
		ip link set lo up
	fi
}

rand_port() {
	echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
}

# wait_file FILE: until it exists (10 s)
wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$1" ]
}

# start_moto: sets MOTO_PORT; returns 1 if moto does not come up
start_moto() {
	MOTO_PORT=$(rand_port)
	"$MOTO" -H 127.0.0.1 -p "$MOTO_PORT" >"$T/moto.log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 300 ]; do
		if curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/" 2>/dev/null
		then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start_proxy LOG [--inject SPEC]...: capture proxy in front of moto;
# sets PROXY_PORT
start_proxy() {
	log=$1
	shift
	rm -f "$T/proxy.port"
	"$PYENV" "$TOP/tests/fakes/capture_proxy.py" --upstream \
	    "127.0.0.1:$MOTO_PORT" --log "$log" --port-file "$T/proxy.port" \
	    "$@" >"$T/proxy.err" 2>&1 &
	PIDS="$PIDS $!"
	wait_file "$T/proxy.port" || return 1
	PROXY_PORT=$(cat "$T/proxy.port")
}

# The AWS environment of every test: fake keys, loopback endpoints, no
# IMDS, no user files.
aws_env() {
	export AWS_ACCESS_KEY_ID=AKIDLINKSHIMTEST
	export AWS_SECRET_ACCESS_KEY=linkshimTestSecret/Key+0123456789
	unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION
	export AWS_DEFAULT_REGION=us-west-2
	export AWS_EC2_METADATA_DISABLED=true
	export AWS_CONFIG_FILE="$T/no-config"
	export AWS_SHARED_CREDENTIALS_FILE="$T/no-credentials"
	export LINKSHIMCTL_RETRY_BASE_MS=10
	unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_EC2 AWS_ENDPOINT_URL_ROUTE_53
}

# moto_aws ARGS: the pyenv aws CLI straight at moto (setup and checks)
moto_aws() {
	"$AWSCLI" --endpoint-url "http://127.0.0.1:$MOTO_PORT" --output text "$@"
}

need_moto() {
	if [ ! -x "$MOTO" ] || [ ! -x "$AWSCLI" ] || [ ! -x "$PYENV" ]; then
		skip "all (moto_server/aws/pyenv python3 not installed)"
		exit 0
	fi
	if ! start_moto; then
		fail "moto_server did not start (see $T/moto.log)"
		exit 1
	fi
}

# no_secret FILE...: the secret key never appears in any output
no_secret() {
	! grep -F -q -- "$AWS_SECRET_ACCESS_KEY" "$@"
}

# start_zilliz ARGS...: the fake control plane; sets ZPORT, ZLOG
start_zilliz() {
	rm -f "$T/z.port"
	ZLOG="$T/zilliz.jsonl"
	: >"$ZLOG"
	"$DPY" "$TOP/tests/fakes/fake_zilliz.py" --port-file "$T/z.port" \
	    --log "$ZLOG" "$@" >"$T/zilliz.err" 2>&1 &
	ZPID=$!
	PIDS="$PIDS $ZPID"
	wait_file "$T/z.port" || return 1
	ZPORT=$(cat "$T/z.port")
}

# start_admin ARGS...: the fake admin API on $T/admin.sock and HTTP;
# sets ADMIN_SOCK, ADMIN_URL, ALOG
start_admin() {
	ADMIN_SOCK="$T/admin.sock"
	ALOG="$T/admin.jsonl"
	: >"$ALOG"
	rm -f "$T/admin.ready" "$T/admin.port"
	"$DPY" "$TOP/tests/fakes/fake_admin.py" --socket "$ADMIN_SOCK" \
	    --port-file "$T/admin.port" --log "$ALOG" --ready "$T/admin.ready" \
	    "$@" >"$T/admin.err" 2>&1 &
	PIDS="$PIDS $!"
	wait_file "$T/admin.ready" || return 1
	ADMIN_URL="http://127.0.0.1:$(cat "$T/admin.port")"
}

# last_body METHOD: the body of the last request with that method
last_body() {
	"$DPY" -c "import json,sys
r=[json.loads(l) for l in open('$ALOG') if json.loads(l)['method']=='$1']
print(r[-1]['body'] if r else '')"
}
