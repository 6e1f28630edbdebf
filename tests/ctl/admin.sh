#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# linkshimctl's admin commands (link, zone, status, reload, stats)
# against tests/fakes/fake_admin.py, which implements the admin API JSON
# contract, over the unix socket and over HTTP with a bearer token:
# request bodies, the 409 when a registration would shadow a config
# link, 404/400 messages, reload's file:line:col error, --json output,
# a missing daemon, and that the token never shows up in output.
NAME=admin
. "$(dirname "$0")/lib.sh"
ns_reexec "$@"

start_admin --config-link cfg.example=vpce-0aaa-x.vpce-svc-1.us-west-2.vpce.amazonaws.com \
    --token s3cr3t-admin-token || { fail "fake admin API"; exit 1; }
C() { "$CTL" --socket "$ADMIN_SOCK" "$@"; }

C link add in01-x.example.com --target vpce-0abc-d.vpce-svc-1.us-west-2.vpce.amazonaws.com \
    --zonal us-west-2a=vpce-0abc-d-us-west-2a.vpce-svc-1.us-west-2.vpce.amazonaws.com \
    --ttl 30 >"$T/add.out" 2>&1
rc=$?
check "link add exit 0" test $rc -eq 0
check "link add body" "$DPY" -c "import json,sys; b=json.loads('''$(last_body PUT)''')
sys.exit(not (b=={'target':'vpce-0abc-d.vpce-svc-1.us-west-2.vpce.amazonaws.com',
 'zonal':{'us-west-2a':'vpce-0abc-d-us-west-2a.vpce-svc-1.us-west-2.vpce.amazonaws.com'},'ttl':30}))"
check "link add path and transport" grep -q '"method": "PUT", "path": "/v1/links/in01-x.example.com", "transport": "unix"' "$ALOG"
check "link add prints the link" grep -q "^in01-x.example.com. *alias vpce-0abc-d" "$T/add.out"
C link add dev.local.test --address 127.0.0.1 --address ::1 >/dev/null 2>&1
check "link add static body" sh -c "test '$(last_body PUT)' = '{\"addresses\": [\"127.0.0.1\", \"::1\"]}' || \
    test '$(last_body PUT)' = '{\"addresses\":[\"127.0.0.1\",\"::1\"]}'"
C link ls >"$T/ls.out" 2>&1
check "link ls shows config and api links" sh -c "grep -q '^cfg.example. .*source=config' '$T/ls.out' && \
grep -q '^in01-x.example.com. .*ttl=30 source=api' '$T/ls.out' && grep -q '^dev.local.test. *static 127.0.0.1 ::1' '$T/ls.out'"
C --json link ls >"$T/ls.json"
check "link ls --json" "$DPY" -c "import json,sys; d=json.load(open('$T/ls.json')); sys.exit(len(d['links'])!=3)"
C link get in01-x.example.com >"$T/get.out" 2>&1
check "link get" grep -q "^in01-x.example.com. *alias" "$T/get.out"
C link add cfg.example --target other.example >"$T/409.out" 2>&1
rc=$?
check "shadowing a config link: exit 1" test $rc -eq 1
check "shadowing a config link: the daemon's 409 message" grep -q \
    "link cfg.example: cfg.example. would shadow the config link of the same name (HTTP 409)" "$T/409.out"
C link add nothing.example >"$T/bad.out" 2>&1
rc=$?
check "link add without target: usage error (exit 2)" test $rc -eq 2
C link rm in01-x.example.com >"$T/rm.out" 2>&1
check "link rm" sh -c "grep -q '^removed in01-x.example.com' '$T/rm.out' && \
grep -q '\"method\": \"DELETE\", \"path\": \"/v1/links/in01-x.example.com\"' '$ALOG'"
C link rm in01-x.example.com >"$T/rm2.out" 2>&1
rc=$?
check "link rm unknown: exit 1 with 404 message" sh -c "test $rc -eq 1 && grep -q '(HTTP 404)' '$T/rm2.out'"

C zone add corp.example --comment "dev zone" >/dev/null 2>&1
check "zone add" grep -q '"method": "PUT", "path": "/v1/zones/corp.example"' "$ALOG"
C zone set corp.example db.corp.example A 10.0.0.5 10.0.0.6 --ttl 120 >/dev/null 2>&1
check "zone set values body" test "$(last_body PUT | tr -d ' ')" = '{"ttl":120,"values":["10.0.0.5","10.0.0.6"]}'
check "zone set path" grep -q '"path": "/v1/zones/corp.example/records/db.corp.example/A"' "$ALOG"
C zone set corp.example corp.example A --alias vpce-0abc-d.vpce-svc-1.us-west-2.vpce.amazonaws.com >/dev/null 2>&1
check "zone set alias body" test "$(last_body PUT | tr -d ' ')" = \
    '{"alias":"vpce-0abc-d.vpce-svc-1.us-west-2.vpce.amazonaws.com"}'
C zone records corp.example >"$T/rec.out"
check "zone records" sh -c "grep -q '^db.corp.example. A ttl=120 \"10.0.0.5\" \"10.0.0.6\"' '$T/rec.out' && \
grep -q '^corp.example. A alias vpce-0abc-d' '$T/rec.out'"
C zone ls >"$T/zls.out"
check "zone ls" grep -q "^corp.example. *Z000000000001 *records=2" "$T/zls.out"
C zone unset corp.example db.corp.example A >/dev/null && C zone rm corp.example >/dev/null
check "zone unset + rm" test "$(C --json zone ls | tr -d ' \n')" = '{"zones":[]}'

C status >"$T/st.out" 2>&1
check "status" sh -c "grep -q '^version   linkshim 0.1-fake' '$T/st.out' && \
grep -q '^upstream  127.0.0.1:5300 srtt=1.5ms queries=40 timeouts=2' '$T/st.out' && \
grep -q '^cache     3 entries, 900 bytes, 7 hits, 35 misses' '$T/st.out'"
C --json status | "$DPY" -c "import json,sys; sys.exit(json.load(sys.stdin)['uptime_s']!=12)"
check "status --json" test $? -eq 0
C reload >"$T/rl.out" 2>&1
check "reload" sh -c "test $? -eq 0 && grep -q '^reloaded' '$T/rl.out'"
C stats >"$T/stats.out"
check "stats (Prometheus text)" grep -q '^linkshim_queries_total{proto="udp"} 42' "$T/stats.out"
C --json stats | "$DPY" -c "import json,sys; d=json.load(sys.stdin); sys.exit(d['linkshim_queries_total{proto=\"udp\"}']!=42)"
check "stats --json" test $? -eq 0

# HTTP with a bearer token
echo s3cr3t-admin-token >"$T/token"
"$CTL" -v --admin-url "$ADMIN_URL" --token-file "$T/token" status >"$T/http.out" 2>&1
rc=$?
check "HTTP admin with token" sh -c "test $rc -eq 0 && grep -q '\"transport\": \"tcp\", \"auth_ok\": true' '$ALOG'"
echo wrong >"$T/badtoken"
"$CTL" --admin-url "$ADMIN_URL" --token-file "$T/badtoken" status >"$T/http2.out" 2>&1
rc=$?
check "HTTP admin with a wrong token: exit 1, 401 shown" sh -c "test $rc -eq 1 && grep -q '(HTTP 401)' '$T/http2.out'"
check "token never printed (even with -v)" sh -c "! grep -q s3cr3t-admin-token '$T'/*.out"

# reload error and a missing daemon
"$CTL" --socket "$T/none.sock" status >"$T/down.out" 2>&1
rc=$?
check "no daemon: exit 1 with a hint" sh -c "test $rc -eq 1 && grep -q 'cannot reach linkshimd.*is linkshimd running' '$T/down.out'"
T2="$T/r"
mkdir -p "$T2"
"$DPY" "$TOP/tests/fakes/fake_admin.py" --socket "$T2/a.sock" --ready "$T2/ready" \
    --reload-error "/etc/linkshim/linkshim.yaml:3:5: unknown key 'lisen', expected one of listen, upstreams, …" &
PIDS="$PIDS $!"
wait_file "$T2/ready"
"$CTL" --socket "$T2/a.sock" reload >"$T/rle.out" 2>&1
rc=$?
check "reload error: exit 1 with file:line:col" sh -c "test $rc -eq 1 && \
grep -q \"reload: /etc/linkshim/linkshim.yaml:3:5: unknown key 'lisen'\" '$T/rle.out'"
for c in "link --help" "zone --help" "status --help" "reload --help" "stats --help" \
    "aws --help" "zilliz --help" "doctor --help" "--help" "check --help"; do
	$CTL $c >"$T/help.out" 2>&1
	rc=$?
	check "$c exits 0 and prints usage" sh -c "test $rc -eq 0 && grep -q '^usage: linkshimctl' '$T/help.out'"
done
