#!/bin/sh
# api_dns: the real linkshimd with its admin API.  Route 53 changes made
# with the aws CLIs (v1 pyenv, v2 Debian) and JSON registrations are seen
# by dig at once with exactly the new data (alias A to a VPC endpoint
# name, A, CNAME, TXT; UPSERT replaces, DELETE removes); the waiter
# returns; a registration may not shadow a config link; registrations
# survive a restart; /healthz and /metrics reflect the resolver.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

API=$((PORT + 100))
U="http://127.0.0.1:$API"
ls_conf
sed -i "s|@API@|$API|g" "$T/linkshim.yaml"
up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start || ls_finish

AWS1=/root/.pyenv/shims/aws
AWS2=/usr/bin/aws
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret
export AWS_DEFAULT_REGION=us-west-2 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
touch "$T/aws-config"
export AWS_CONFIG_FILE="$T/aws-config" AWS_SHARED_CREDENTIALS_FILE="$T/aws-config"
export AWS_ENDPOINT_URL_ROUTE_53="$U"
TGT=vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc-0b62964bfd0edfb74.us-west-2.vpce.amazonaws.com
Z=in01-dev.aws-us-west-2.vectordb.zillizcloud.com

# answers OUT TYPE VALUE..: exactly these records of TYPE in ANSWER
answers() {
	local out=$1 type=$2 got want
	shift 2
	got=$(section "$out" ANSWER | awk -v t="$type" '$4 == t { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }' | sort)
	want=$(printf '%s\n' "$@" | sort)
	[ "$got" = "$want" ] && return 0
	echo "ANSWER $type: got [$got], want [$want]"
	printf '%s\n' "$out"
	return 1
}
batch() { # ACTION NAME TYPE TTL VALUE  -> change batch json file
	printf '{"Changes":[{"Action":"%s","ResourceRecordSet":{"Name":"%s","Type":"%s","TTL":%s,"ResourceRecords":[{"Value":%s}]}}]}' \
		"$1" "$2" "$3" "$4" "$5" >"$T/b.json"
}

if [ -x "$AWS1" ]; then
	zid=$("$AWS1" route53 create-hosted-zone --name $Z --caller-reference dns-1 \
		--vpc VPCRegion=us-west-2,VPCId=vpc-1 --query HostedZone.Id --output text 2>"$T/aws.err")
	check "aws v1: create-hosted-zone" match "$zid" '^/hostedzone/Z'
	o=$(q $Z SOA)
	check "new zone answers authoritatively at once" has_flag "$o" aa
	cat >"$T/b.json" <<JSON
{"Changes":[
 {"Action":"CREATE","ResourceRecordSet":{"Name":"$Z","Type":"A","AliasTarget":{"HostedZoneId":"Z1YSA3EXCYUU9Z","DNSName":"$TGT","EvaluateTargetHealth":false}}},
 {"Action":"CREATE","ResourceRecordSet":{"Name":"www.$Z","Type":"A","TTL":60,"ResourceRecords":[{"Value":"10.9.0.1"},{"Value":"10.9.0.2"}]}},
 {"Action":"CREATE","ResourceRecordSet":{"Name":"web.$Z","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"www.$Z"}]}},
 {"Action":"CREATE","ResourceRecordSet":{"Name":"txt.$Z","Type":"TXT","TTL":60,"ResourceRecords":[{"Value":"\"hello from aws\""}]}}]}
JSON
	cid=$("$AWS1" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/b.json" --query ChangeInfo.Id --output text 2>>"$T/aws.err")
	check "aws v1: change-resource-record-sets" match "$cid" '^/change/C'
	timeout 60 "$AWS1" route53 wait resource-record-sets-changed --id "$cid" 2>>"$T/aws.err"
	check "aws v1: wait resource-record-sets-changed" eq $? 0
	o=$(q $Z A)
	check "dig: apex alias A = the endpoint's addresses" answers "$o" A 10.1.0.11 10.1.0.12
	check "dig: alias is flattened (no CNAME)" ans_none "$o" CNAME
	t=$(ttl_of "$o" $Z. A)
	check "dig: alias TTL is the target's (<= 60, > 0)" test "${t:-0}" -ge 1 -a "${t:-0}" -le 60
	o=$(q www.$Z A)
	check "dig: A record set" answers "$o" A 10.9.0.1 10.9.0.2
	o=$(q web.$Z A)
	check "dig: CNAME record set" answers "$o" CNAME "www.$Z."
	check "dig: CNAME to an in-zone name is followed" answers "$o" A 10.9.0.1 10.9.0.2
	o=$(q txt.$Z TXT)
	check "dig: TXT" answers "$o" TXT '"hello from aws"'
	o=$(q nope.$Z A)
	check "dig: unknown name in the zone is NXDOMAIN" is_status "$o" NXDOMAIN

	batch UPSERT "www.$Z" A 30 '"10.9.0.3"'
	"$AWS1" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/b.json" >/dev/null 2>>"$T/aws.err"
	o=$(q www.$Z A)
	check "dig after UPSERT: exactly the new value" answers "$o" A 10.9.0.3
	batch DELETE "txt.$Z" TXT 60 '"\"hello from aws\""'
	"$AWS1" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/b.json" >/dev/null 2>>"$T/aws.err"
	o=$(q txt.$Z TXT)
	check "dig after DELETE: gone" is_status "$o" NXDOMAIN
	batch CREATE "bad.$Z" A 60 '"10.9.0.300"'
	out=$("$AWS1" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/b.json" 2>&1)
	check "bad rdata refused with InvalidChangeBatch" match "$out" 'InvalidChangeBatch'
else
	skip "aws v1 flow" "pyenv aws missing"
fi

if [ -x "$AWS2" ]; then
	zid2=$(env -u AWS_ENDPOINT_URL_ROUTE_53 "$AWS2" --endpoint-url "$U" route53 create-hosted-zone \
		--name v2.example.net --caller-reference dns-2 --query HostedZone.Id --output text 2>>"$T/aws.err")
	check "aws v2: create-hosted-zone" match "$zid2" '^/hostedzone/Z'
	batch CREATE "api.v2.example.net" A 120 '"10.8.0.1"'
	env -u AWS_ENDPOINT_URL_ROUTE_53 "$AWS2" --endpoint-url "$U" route53 change-resource-record-sets \
		--hosted-zone-id "$zid2" --change-batch "file://$T/b.json" >/dev/null 2>>"$T/aws.err"
	o=$(q api.v2.example.net A)
	check "aws v2 change: dig sees it" answers "$o" A 10.8.0.1
else
	skip "aws v2 flow" "/usr/bin/aws missing"
fi

# JSON API over the unix socket and HTTP
js() { curl -s -m 5 --unix-socket "$T/admin.sock" -w '\n%{http_code}' -X "$1" "http://localhost$2" "${@:3}"; }
r=$(js PUT /v1/links/json.example.org -d '{"addresses":["10.7.0.1"],"ttl":45}')
check "JSON PUT link -> 201" match "$r" '^201$'
o=$(q json.example.org A)
check "dig: static link registered through JSON" answers "$o" A 10.7.0.1
r=$(js PUT /v1/links/alias.example.org -d "{\"target\":\"$TGT\"}")
o=$(q alias.example.org A)
check "dig: alias link registered through JSON" answers "$o" A 10.1.0.11 10.1.0.12
r=$(js PUT /v1/links/cfg.example.com -d '{"addresses":["10.7.0.9"]}')
check "JSON: shadowing a config link -> 409" match "$r" '^409$'
o=$(q cfg.example.com A)
check "dig: the config link still answers" answers "$o" A 192.0.2.99

r=$(curl -s -m 5 "$U/healthz" -w '\n%{http_code}')
check "healthz 200 after upstream answers" match "$r" '^200$'
r=$(curl -s -m 5 "$U/metrics")
check "metrics count the queries" match "$r" '^linkshim_queries_total\{transport="udp"\} [1-9]'
check "metrics count local answers" match "$r" '^linkshim_answers_total\{source="local"\} [1-9]'

# persistence: restart and ask again
ls_stop
check "state file is valid JSON" "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/state.json"
ls_start || ls_finish
o=$(q json.example.org A)
check "after restart: JSON link answers" answers "$o" A 10.7.0.1
if [ -x "$AWS1" ]; then
	o=$(q www.$Z A)
	check "after restart: Route 53 record answers" answers "$o" A 10.9.0.3
	o=$(q $Z A)
	check "after restart: alias answers" answers "$o" A 10.1.0.11 10.1.0.12
	out=$("$AWS1" route53 list-resource-record-sets --hosted-zone-id "$zid" --query 'ResourceRecordSets[?Type==`A`].AliasTarget.HostedZoneId' --output text 2>&1)
	check "after restart: AliasTarget HostedZoneId kept" match "$out" 'Z1YSA3EXCYUU9Z'
fi
# the config wins: a reload that defines a registered name, then a restart
r=$(js PUT /v1/links/later.example.org -d '{"addresses":["10.7.0.2"]}')
printf '  - name: later.example.org\n    addresses: [192.0.2.77]\n' >>"$T/linkshim.yaml"
r=$(js POST /v1/reload)
check "reload with a config link over a registration -> 200" match "$r" '^200$'
o=$(q later.example.org A)
check "dig: the config link wins after reload" answers "$o" A 192.0.2.77
r=$(js PUT /v1/links/after.example.org -d '{"addresses":["10.7.0.3"]}')
check "a stale shadowed registration does not block new ones" match "$r" '^201$'
r=$(js GET /v1/links)
check "the shadowed registration is gone from the API" nomatch "$r" '"name":"later.example.org.","addresses":\["10.7.0.2"\]'
ls_stop
printf '  - name: json.example.org\n    addresses: [192.0.2.78]\n' >>"$T/linkshim.yaml"
ls_start || ls_finish
o=$(q json.example.org A)
check "restart with a config link over a state entry: starts, config wins" answers "$o" A 192.0.2.78
r=$(js PUT /v1/links/json2.example.org -d '{"addresses":["10.7.0.4"]}')
check "registrations work after that restart" match "$r" '^201$'
r=$(js DELETE /v1/links/json2.example.org)
o=$(q json2.example.org A)
check "dig after JSON DELETE: no longer local" nomatch "$(section "$o" ANSWER)" '10\.7\.0\.4'
[ "$NFAIL" -eq 0 ] || sed 's/^/    /' "$T/aws.err" | tail -20
ls_finish
