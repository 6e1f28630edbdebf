#!/bin/sh
# JSON admin API on the admin harness (stub resolver): link and zone CRUD,
# 409 against config entries, 4xx with a message and state unchanged on
# bad input, 413 over the body cap, unix socket peer check, bearer token,
# refusal to listen off-loopback without a token, reload, status,
# healthz, metrics.
[ -z "$BASH_VERSION" ] && exec bash "$0" "$@"
TNAME=api_json
. "$(dirname "$0")/../api_lib/common.sh"

ST="$T/state.json"
start_harness -s "$ST" -u "$T/admin.sock" || { fail "harness starts"; cat "$T/harness.err"; exit 1; }

r=$(http PUT /v1/links/Foo.Example.com -d '{"target":"vpce-1.example.aws","ttl":30,"zonal":{"us-west-2a":"vpce-1-az.example.aws"}}')
check "PUT link -> 201" [ "$(echo "$r" | code_of)" = 201 ]
check "PUT link echoes normalised object" has '"name":"foo.example.com.","target":"vpce-1.example.aws.","mode":"alias","ttl":30,"zonal":{"us-west-2a":"vpce-1-az.example.aws."},"source":"api"'
r=$(http PUT /v1/links/foo.example.com. -d '{"target":"vpce-2.example.aws","mode":"cname"}')
check "PUT existing link -> 200" [ "$(echo "$r" | code_of)" = 200 ]
r=$(http PUT /v1/links/static.example.com -d '{"addresses":["10.0.0.1","2001:db8::1"],"ttl":5}')
check "PUT static link -> 201" [ "$(echo "$r" | code_of)" = 201 ]
r=$(http GET /v1/links)
check "GET links lists config and api" expect 200 '"source":"config"' 'static.example.com.' '"mode":"cname"'
r=$(curl -s -m 5 --unix-socket "$T/admin.sock" -w '\n%{http_code}' http://localhost/v1/links/static.example.com)
check "GET link over unix socket" expect 200 '"addresses":\["10.0.0.1","2001:db8::1"\]'

sum_before=$(md5sum <"$ST")
r=$(http PUT /v1/links/cfg-link.example.com -d '{"target":"x.example"}')
check "shadowing a config link -> 409 with message" expect 409 'config link'
r=$(http DELETE /v1/links/cfg-link.example.com)
check "DELETE config link -> 409" [ "$(echo "$r" | code_of)" = 409 ]
r=$(http PUT /v1/links/bad.example.com -d '{"target":')
check "malformed JSON -> 400 {error}" expect 400 '"error":"malformed JSON'
r=$(http PUT '/v1/links/bad..name' -d '{"target":"x.example"}')
check "bad name -> 400" [ "$(echo "$r" | code_of)" = 400 ]
r=$(http PUT /v1/links/bad.example.com -d '{"addresses":["10.0.0.300"]}')
check "bad address -> 400" [ "$(echo "$r" | code_of)" = 400 ]
r=$(http PUT /v1/links/bad.example.com -d '{"target":"x.example","colour":"red"}')
check "unknown key -> 400" expect 400 'unknown key'
head -c 1100000 /dev/zero | tr '\0' a >"$T/big"
r=$(http PUT /v1/links/big.example.com --data-binary @"$T/big")
check "body over 1 MiB -> 413" [ "$(echo "$r" | code_of)" = 413 ]
check "state file unchanged after rejected requests" [ "$(md5sum <"$ST")" = "$sum_before" ]
r=$(http GET /v1/links/nope.example.com)
check "unknown link -> 404" [ "$(echo "$r" | code_of)" = 404 ]
r=$(http DELETE /v1/links/static.example.com)
check "DELETE link -> 200 {}" expect 200 '^{}$'
r=$(http DELETE /v1/links/static.example.com)
check "DELETE again -> 404" [ "$(echo "$r" | code_of)" = 404 ]
r=$(http POST /v1/links)
check "wrong method -> 405" [ "$(echo "$r" | code_of)" = 405 ]

# zones and record sets
r=$(http PUT /v1/zones/dev.example -d '{"comment":"dev zone"}')
check "PUT zone -> 201" [ "$(echo "$r" | code_of)" = 201 ]
r=$(http PUT /v1/zones/cfg-zone.example)
check "zone shadowing config zone -> 409" [ "$(echo "$r" | code_of)" = 409 ]
r=$(http PUT /v1/zones/foo.example.com)
check "zone shadowing an api link -> 409" [ "$(echo "$r" | code_of)" = 409 ]
r=$(http PUT /v1/zones/dev.example/records/www/A -d '{"ttl":120,"values":["10.1.1.1","10.1.1.2"]}')
check "PUT record set -> 201" [ "$(echo "$r" | code_of)" = 201 ]
r=$(http PUT /v1/zones/dev.example/records/@/A -d '{"alias":"vpce-1.example.aws."}')
check "PUT apex alias -> 201" expect 201 '"alias":"vpce-1.example.aws."'
r=$(http PUT /v1/zones/dev.example/records/txt.dev.example./TXT -d '{"ttl":60,"values":["\"hello world\""]}')
check "PUT TXT by absolute name -> 201" [ "$(echo "$r" | code_of)" = 201 ]
r=$(http PUT /v1/zones/dev.example/records/www/CNAME -d '{"ttl":60,"values":["x.example."]}')
check "CNAME beside A -> 400" expect 400 conflicting
r=$(http PUT /v1/zones/dev.example/records/www/AAAA -d '{"ttl":60,"values":["10.0.0.1"]}')
check "bad rdata -> 400 with message" expect 400 'bad AAAA value'
r=$(http PUT /v1/zones/dev.example/records/www/SOA -d '{"ttl":60,"values":["x"]}')
check "unsupported type -> 400" [ "$(echo "$r" | code_of)" = 400 ]
r=$(http GET /v1/zones/dev.example/records)
check "GET records lists 3 sets" [ "$(echo "$r" | body_of | grep -o '"type"' | wc -l)" = 3 ]
r=$(http GET /v1/zones)
check "GET zones has records count" expect 200 '"name":"dev.example.","id":"Z[A-Z0-9]*","records":3,"source":"api"'
r=$(http DELETE /v1/zones/dev.example/records/www/A)
check "DELETE record set -> 200" [ "$(echo "$r" | code_of)" = 200 ]
r=$(http DELETE /v1/zones/dev.example/records/www/A)
check "DELETE missing record set -> 404" [ "$(echo "$r" | code_of)" = 404 ]
r=$(http DELETE /v1/zones/dev.example)
check "DELETE zone -> 200" [ "$(echo "$r" | code_of)" = 200 ]
r=$(http GET /v1/zones/dev.example/records)
check "deleted zone -> 404" [ "$(echo "$r" | code_of)" = 404 ]

# operations endpoints
r=$(http POST /v1/reload)
check "reload -> 200 ok" expect 200 '{"status":"ok"}'
r=$(http GET /v1/status)
rbody >"$T/status.json"
check "status has the contract keys" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert set(d)>={"version","uptime_s","links","zones","upstreams","cache"}; assert set(d["cache"])=={"entries","bytes","hits","misses"}; assert d["upstreams"][0]["addr"]' "$T/status.json"
r=$(http GET /healthz)
check "healthz -> 200" [ "$(echo "$r" | code_of)" = 200 ]
r=$(http GET /metrics)
check "metrics in Prometheus text" expect 200 '^linkshim_queries_total{transport="udp"} 3' '^# TYPE linkshim_cache_hits_total counter' 'linkshim_upstream_srtt_seconds{upstream="127.0.0.1:5300"} 0.012'
r=$(http GET /nope)
check "unknown endpoint -> 404 {error}" expect 404 '"error"'

# unix socket: another uid is refused by SO_PEERCRED even when it can connect
chmod 0755 "$T"
chmod 0666 "$T/admin.sock"
if command -v setpriv >/dev/null; then
	r=$(setpriv --reuid=65534 --regid=65534 --clear-groups curl -s -m 5 --unix-socket "$T/admin.sock" -w '\n%{http_code}' http://localhost/v1/links)
	check "unix socket: other uid -> 403" [ "$(echo "$r" | code_of)" = 403 ]
else
	skip "unix socket peer check (no setpriv)"
fi
stop_harness

# reload failure keeps serving and reports file:line:col
start_harness -s "$ST" -r || fail "harness -r starts"
r=$(http POST /v1/reload)
check "failed reload -> 400 file:line:col" expect 400 'linkshim.yaml:3:5:'
r=$(http GET /v1/links/foo.example.com)
check "still serving after failed reload" [ "$(echo "$r" | code_of)" = 200 ]
stop_harness

# bearer token
printf 'tok-0123456789abcdef\n' >"$T/token"
start_harness -s "$ST" -t "$T/token" || fail "harness -t starts"
r=$(http GET /v1/links)
check "token configured: no token -> 401" [ "$(echo "$r" | code_of)" = 401 ]
r=$(http GET /v1/links -H 'Authorization: Bearer wrong-0123456789')
check "wrong token -> 401" [ "$(echo "$r" | code_of)" = 401 ]
r=$(http GET /v1/links -H 'Authorization: Bearer tok-0123456789abcdef')
check "right token -> 200" [ "$(echo "$r" | code_of)" = 200 ]
r=$(http GET /healthz)
check "healthz needs no token" [ "$(echo "$r" | code_of)" = 200 ]
stop_harness
if [ -n "$API_IN_NETNS" ]; then
	start_harness -s "$ST" -t "$T/token" -l "0.0.0.0:$API_PORT" || fail "harness on 0.0.0.0 starts"
	r=$(http GET /v1/links -H 'Authorization: Bearer tok-0123456789abcdef')
	check "non-loopback listener with token serves JSON" expect 200
	r=$(http GET /2013-04-01/hostedzone)
	check "non-loopback without aws_credentials: Route 53 API -> 403" expect 403 '<Code>AccessDenied</Code>'
	stop_harness
else
	skip "non-loopback listener checks (no private network namespace)"
fi
"$HARNESS" -s "$ST" -l 0.0.0.0:$((API_PORT + 1)) >"$T/o" 2>"$T/e" &
p=$!
PIDS="$PIDS $p"
wait $p
rc=$?
check "non-loopback listen without token refuses to start" test $rc -ne 0 -a -n "$(grep token_file "$T/e")"

finish
