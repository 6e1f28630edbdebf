#!/bin/sh
# api_persist: nothing acknowledged is lost.  A client streams link
# registrations over the admin socket while linkshimd is killed with
# SIGKILL at random points (5 rounds, each bounded to 300 requests and
# 10 s); after every restart each acknowledged registration is listed
# and answered, and the state file parses.  The file is replaced
# atomically (temp + fsync + rename + directory fsync), so no round may
# leave a temp file behind that the loader would need.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start || ls_finish
: >"$T/acked"

# stream FIRST: PUT links r$i.persist.test until the socket fails
stream() {
	local i=$1 end=$(($1 + 300)) code
	while [ "$i" -lt "$end" ]; do
		code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' \
			--unix-socket "$T/admin.sock" -X PUT \
			-d "{\"addresses\":[\"10.5.$((i / 250)).$((i % 250 + 1))\"]}" \
			"http://localhost/v1/links/r$i.persist.test")
		case "$code" in
		200 | 201) echo "r$i.persist.test." >>"$T/acked" ;;
		000) return 0 ;;
		*) echo "unexpected HTTP $code" >>"$T/stream.err" ;;
		esac
		i=$((i + 1))
	done
}

next=0
for round in 1 2 3 4 5; do
	stream "$next" &
	cpid=$!
	PIDS+=($cpid)
	sleep "0.$((RANDOM % 8 + 2))"
	kill -KILL "$LS_PID"
	wait "$LS_PID" 2>/dev/null
	LS_PID=
	wait "$cpid"
	next=$((next + 300))
	check "round $round: state file parses after SIGKILL" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == 1' "$T/state.json"
	ls_start || ls_finish
	curl -s -m 5 --unix-socket "$T/admin.sock" http://localhost/v1/links >"$T/links.json"
	missing=$("$PY" -c '
import json, sys
have = {l["name"] for l in json.load(open(sys.argv[1]))["links"]}
acked = [l.strip() for l in open(sys.argv[2]) if l.strip()]
print(" ".join(a for a in acked if a not in have))' "$T/links.json" "$T/acked")
	check "round $round: every acknowledged registration is back ($(wc -l <"$T/acked") so far)" eq "$missing" ""
done
check "some registrations were acknowledged" ge "$(wc -l <"$T/acked")" 5
last=$(tail -n1 "$T/acked")
o=$(q "$last" A)
check "the last acknowledged link answers" sect_count "$o" ANSWER 1 "A[[:space:]]+10\.5\."
check "no unexpected HTTP status while streaming" eq "$(cat "$T/stream.err" 2>/dev/null)" ""
check "no temp file left beside the state file after restart" eq "$(ls "$T" | grep -c 'state.json.tmp')" 0
ls_finish
