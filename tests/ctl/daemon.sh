#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# linkshimctl against the real linkshimd (in a private network namespace
# when allowed): link add/ls/get/rm (409 on a config name), zone
# add/set/records/unset/rm, status, reload, stats, the HTTP admin port
# with a bearer token, and doctor resolving a static link through the
# daemon and connecting to a local listener.
NAME=daemon
. "$(dirname "$0")/lib.sh"
ns_reexec "$@"
[ -x "$B/linkshimd" ] || { skip "all (no $B/linkshimd)"; exit 0; }

P=$(rand_port)
APORT=$(rand_port)
SVC=$(rand_port)
UP=$(rand_port)
# the upstream (the VPC resolver's stand-in) knows the endpoint's name
"$DPY" "$TOP/tests/fakes/fake_dns.py" --port "$UP" --ready "$T/up.ready" \
    --record vpce-0abc-d.example.test=127.0.0.1 >"$T/up.err" 2>&1 &
PIDS="$PIDS $!"
wait_file "$T/up.ready" || { fail "fake upstream"; exit 1; }
echo "tok-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')" >"$T/token"
cat >"$T/linkshim.yaml" <<YAML
listen: [127.0.0.1:$P]
upstreams: [127.0.0.1:$UP]
links:
  - name: ep.test
    target: vpce-0abc-d.example.test
  - name: cfg.example
    target: vpce-0aaa-x.vpce-svc-1.us-west-2.vpce.amazonaws.com
  - name: local.test
    addresses: [127.0.0.1]
api:
  socket: $T/admin.sock
  listen: 127.0.0.1:$APORT
  token_file: $T/token
state: $T/state.yaml
YAML
"$B/linkshimd" -d -c "$T/linkshim.yaml" >"$T/daemon.log" 2>&1 &
PIDS="$PIDS $!"
i=0
while [ ! -S "$T/admin.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "linkshimd started with the admin socket" test -S "$T/admin.sock" || {
	cat "$T/daemon.log"; exit 1; }
C() { "$CTL" --socket "$T/admin.sock" "$@"; }

C link ls >"$T/ls.out" 2>&1
check "link ls: config links" sh -c "grep -q '^cfg.example. *alias vpce-0aaa-x' '$T/ls.out' && \
grep -q '^local.test. *static 127.0.0.1 ttl=60 source=config' '$T/ls.out'"
C link add in01-x.example.com --target vpce-0abc-d.vpce-svc-1.us-west-2.vpce.amazonaws.com \
    --zonal us-west-2a=vpce-0abc-d-us-west-2a.vpce-svc-1.us-west-2.vpce.amazonaws.com \
    --ttl 30 >"$T/add.out" 2>&1
check "link add" grep -q "^in01-x.example.com. *alias vpce-0abc-d.* ttl=30 source=api" "$T/add.out"
C --json link get in01-x.example.com >"$T/get.json" 2>&1
check "link get --json: zonal kept" "$DPY" -c "import json,sys; d=json.load(open('$T/get.json')); \
sys.exit(not d['zonal']['us-west-2a'].startswith('vpce-0abc-d-us-west-2a'))"
C link add cfg.example --target other.example >"$T/409.out" 2>&1
rc=$?
check "link add over a config link: exit 1, 409" sh -c "test $rc -eq 1 && grep -q '(HTTP 409)' '$T/409.out'"
C link rm in01-x.example.com >/dev/null 2>&1
C link get in01-x.example.com >"$T/gone.out" 2>&1
check "link rm" grep -q "(HTTP 404)" "$T/gone.out"
C zone add corp.example >/dev/null 2>&1 &&
    C zone set corp.example db.corp.example A 10.0.0.5 --ttl 120 >/dev/null 2>&1 &&
    C zone set corp.example corp.example A --alias local.test >/dev/null 2>&1
check "zone add + set" test $? -eq 0
C zone records corp.example >"$T/rec.out" 2>&1
check "zone records" sh -c "grep -q '^db.corp.example. A ttl=120 \"10.0.0.5\"' '$T/rec.out' && \
grep -q '^corp.example. A alias local.test.' '$T/rec.out'"
C zone unset corp.example db.corp.example A >/dev/null 2>&1 && C zone rm corp.example >/dev/null 2>&1
check "zone unset + rm" test "$(C --json zone ls | tr -d ' \n')" = '{"zones":[]}'
C status >"$T/st.out" 2>&1
check "status" sh -c "grep -q '^links     3' '$T/st.out' && grep -q '^upstream  127.0.0.1:$UP ' '$T/st.out'"
C reload >"$T/rl.out" 2>&1
check "reload" grep -q "^reloaded" "$T/rl.out"
C stats >"$T/stats.out" 2>&1
check "stats" grep -q "^linkshim_queries_total" "$T/stats.out"
"$CTL" --admin-url "http://127.0.0.1:$APORT" --token-file "$T/token" status >"$T/http.out" 2>&1
check "HTTP admin with bearer token" grep -q "^links     3" "$T/http.out"
echo "wrong-token-0123456789" >"$T/bad"
"$CTL" --admin-url "http://127.0.0.1:$APORT" --token-file "$T/bad" status >"$T/http2.out" 2>&1
check "HTTP admin with a wrong token refused" test $? -eq 1

# doctor through the daemon: local.test -> 127.0.0.1, a listener answering 400
"$DPY" -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(400); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
open(sys.argv[2], "w").write("ok"); s.serve_forever()' "$SVC" "$T/svc.ready" &
PIDS="$PIDS $!"
wait_file "$T/svc.ready"
C doctor local.test --server "127.0.0.1:$P" --port "$SVC" --no-system --scheme http \
    --timeout 2 >"$T/doc.out" 2>&1
rc=$?
check "doctor via linkshimd: all checks passed" sh -c "test $rc -eq 0 && \
grep -q '^ok    record in linkshimd: local.test -> 127.0.0.1' '$T/doc.out' && \
grep -q 'answered HTTP 400 (reachable)' '$T/doc.out'"
C doctor ep.test --server "127.0.0.1:$P" --port "$SVC" --no-system --scheme http \
    --timeout 2 >"$T/doc3.out" 2>&1
rc=$?
check "doctor via linkshimd: alias link matches its endpoint's addresses" sh -c "test $rc -eq 0 && \
grep -q '^ok    record in linkshimd: ep.test -> 127.0.0.1' '$T/doc3.out' && \
grep -q '^ok    endpoint addresses: ep.test = endpoint vpce-0abc-d.example.test. (127.0.0.1)' '$T/doc3.out'"
C doctor nolink.test --server "127.0.0.1:$P" --port "$SVC" --no-system --timeout 2 \
    >"$T/doc2.out" 2>&1
check "doctor via linkshimd: unknown name" grep -q "^FAIL  record in linkshimd" "$T/doc2.out"
check "token never printed" sh -c "! grep -q -F \"\$(cat '$T/token')\" '$T'/*.out"
