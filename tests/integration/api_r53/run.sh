#!/bin/sh
# Route 53-compatible API with the real clients on this machine: boto3
# (boto3_flow.py), the pyenv aws CLI v1 (AWS_ENDPOINT_URL_ROUTE_53) and
# Debian's /usr/bin/aws v2 (--endpoint-url), plus the raw XML error shapes
# with curl and the JSON API editing the same zones.  Runs on the admin
# harness (no DNS); the dig checks are in api_dns.
[ -z "$BASH_VERSION" ] && exec bash "$0" "$@"
TNAME=api_r53
. "$(dirname "$0")/../api_lib/common.sh"
aws_env
start_harness -s "$T/state.json" || { fail "harness starts"; exit 1; }

"$PY" "$(dirname "$0")/boto3_flow.py" "$U" >"$T/boto3.out" 2>&1
cat "$T/boto3.out" | grep -E '^(PASS|FAIL): '
grep -q '^PASS: ' "$T/boto3.out" || { fail "boto3 flow ran"; sed 's/^/# /' "$T/boto3.out"; }

# aws CLI v1 (pyenv) through AWS_ENDPOINT_URL_ROUTE_53
cli_flow() { # NAME AWS-COMMAND...
	local n=$1 zid cid out
	shift
	out=$("$@" route53 create-hosted-zone --name "$n.example.org" \
		--caller-reference "$n-ref" \
		--vpc VPCRegion=us-west-2,VPCId=vpc-1 \
		--hosted-zone-config Comment=cli,PrivateZone=true \
		--query HostedZone.Id --output text 2>"$T/$n.err")
	zid=$out
	check "$n: create-hosted-zone" test "${zid#/hostedzone/Z}" != "$zid"
	cat >"$T/$n-batch.json" <<JSON
{"Changes":[
 {"Action":"CREATE","ResourceRecordSet":{"Name":"$n.example.org","Type":"A","AliasTarget":{"HostedZoneId":"Z1YSA3EXCYUU9Z","DNSName":"vpce-1.example.aws","EvaluateTargetHealth":false}}},
 {"Action":"CREATE","ResourceRecordSet":{"Name":"www.$n.example.org","Type":"A","TTL":60,"ResourceRecords":[{"Value":"10.2.0.1"}]}},
 {"Action":"CREATE","ResourceRecordSet":{"Name":"c.$n.example.org","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"www.$n.example.org"}]}},
 {"Action":"CREATE","ResourceRecordSet":{"Name":"t.$n.example.org","Type":"TXT","TTL":60,"ResourceRecords":[{"Value":"\"cli $n\""}]}}]}
JSON
	cid=$("$@" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/$n-batch.json" \
		--query ChangeInfo.Id --output text 2>>"$T/$n.err")
	check "$n: change-resource-record-sets" test "${cid#/change/C}" != "$cid"
	timeout 60 "$@" route53 wait resource-record-sets-changed --id "$cid" 2>>"$T/$n.err"
	check "$n: wait resource-record-sets-changed returns" test $? -eq 0
	out=$("$@" route53 list-resource-record-sets --hosted-zone-id "$zid" \
		--query 'ResourceRecordSets[].[Name,Type]' --output text 2>>"$T/$n.err" | tr '\t\n' ' ;')
	check "$n: list-resource-record-sets" test "$out" = "$n.example.org. A;c.$n.example.org. CNAME;t.$n.example.org. TXT;www.$n.example.org. A;"
	out=$("$@" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/$n-batch.json" 2>&1)
	check "$n: repeated CREATE -> InvalidChangeBatch" sh -c "echo \"\$0\" | grep -q 'InvalidChangeBatch.*already exists'" "$out"
	out=$("$@" route53 delete-hosted-zone --id "$zid" 2>&1)
	check "$n: delete non-empty -> HostedZoneNotEmpty" sh -c "echo \"\$0\" | grep -q HostedZoneNotEmpty" "$out"
	out=$("$@" route53 list-hosted-zones-by-name --dns-name "$n.example.org" \
		--query 'HostedZones[0].Name' --output text 2>>"$T/$n.err")
	check "$n: list-hosted-zones-by-name" test "$out" = "$n.example.org."
	sed 's/"CREATE"/"DELETE"/' "$T/$n-batch.json" >"$T/$n-del.json"
	"$@" route53 change-resource-record-sets --hosted-zone-id "$zid" \
		--change-batch "file://$T/$n-del.json" >/dev/null 2>>"$T/$n.err"
	"$@" route53 delete-hosted-zone --id "$zid" >/dev/null 2>>"$T/$n.err"
	check "$n: delete records then zone" test $? -eq 0
	[ "$NFAIL" -eq 0 ] || sed 's/^/# /' "$T/$n.err"
}
if [ -x "$AWS1" ]; then cli_flow awsv1 "$AWS1"; else skip "aws v1 (pyenv aws missing)"; fi
if [ -x "$AWS2" ]; then
	cli_flow awsv2 env -u AWS_ENDPOINT_URL_ROUTE_53 "$AWS2" --endpoint-url "$U"
else
	skip "aws v2 (/usr/bin/aws missing: tests/deps.sh installs awscli)"
fi

# raw shapes
r=$(http POST /2013-04-01/hostedzone -d '<CreateHostedZoneRequest><Name>x.example</Name>')
check "malformed XML -> 400 ErrorResponse InvalidInput" expect 400 '<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidInput</Code>' '<RequestId>'
r=$(http POST /2013-04-01/hostedzone -d '<!DOCTYPE x [<!ENTITY a "aaaa">]><CreateHostedZoneRequest><Name>&a;</Name></CreateHostedZoneRequest>')
check "DOCTYPE refused" expect 400 'DOCTYPE is not allowed'
r=$(http GET /2013-04-01/hostedzone/ZNOPE)
check "NoSuchHostedZone shape" expect 404 '<Code>NoSuchHostedZone</Code>'
r=$(http POST /2013-04-01/hostedzone/ZNOPE/associatevpc -d '<x/>')
check "unsupported operation -> 400 InvalidAction" expect 400 '<Code>InvalidAction</Code>'
r=$(curl -s -m 5 -D - -o /dev/null -X POST "$U/2013-04-01/hostedzone" -d '<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>both.example</Name><CallerReference>both-1</CallerReference></CreateHostedZoneRequest>')
check "CreateHostedZone: 201, Location, text/xml" hasall 'HTTP/1.1 201' 'Location: /2013-04-01/hostedzone/Z' 'Content-Type: text/xml'
# both APIs edit the same zones
r=$(http PUT /v1/zones/both.example/records/json/A -d '{"ttl":60,"values":["10.3.0.1"]}')
check "JSON API edits a Route 53 zone" expect 201
zid=$(curl -s "$U/2013-04-01/hostedzonesbyname?dnsname=both.example" | sed -n 's|.*<Id>/hostedzone/\([A-Z0-9]*\)</Id><Name>both.example.</Name>.*|\1|p')
r=$(http GET "/2013-04-01/hostedzone/$zid/rrset")
check "Route 53 lists the JSON-made record" expect 200 '<Name>json.both.example.</Name><Type>A</Type><TTL>60</TTL>'
r=$(http GET /v1/zones)
check "JSON lists the Route 53-made zone" expect 200 "\"name\":\"both.example.\",\"id\":\"$zid\""
finish
