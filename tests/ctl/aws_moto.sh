#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# linkshimctl against moto_server (the image's pyenv moto): aws discover,
# aws route53-sync (dry run, first run creates, second run changes
# nothing), retries on injected Throttling/RequestLimitExceeded, the
# readable EC2 error, and every captured request checked against
# botocore (SigV4 signature and request serialisation) by aws_oracle.py.
NAME=aws_moto
. "$(dirname "$0")/lib.sh"
ns_reexec "$@"
aws_env
need_moto

VPC=$(moto_aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
SUB=$(moto_aws ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.1.0/24 \
    --availability-zone us-west-2a --query Subnet.SubnetId)
SVC=com.amazonaws.vpce.us-west-2.vpce-svc-0b62964bfd0edfb74
VPCE=$(moto_aws ec2 create-vpc-endpoint --vpc-id "$VPC" --service-name "$SVC" \
    --vpc-endpoint-type Interface --subnet-ids "$SUB" \
    --query VpcEndpoint.VpcEndpointId)
REGIONAL=$(moto_aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$VPCE" \
    --query 'VpcEndpoints[0].DnsEntries[0].DnsName')
HZ=$(moto_aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$VPCE" \
    --query 'VpcEndpoints[0].DnsEntries[0].HostedZoneId')
case "$VPCE" in vpce-*) pass "setup vpc endpoint in moto" ;;
*) fail "setup vpc endpoint in moto"; exit 1 ;; esac

CAP="$T/capture.jsonl"
start_proxy "$CAP" --inject Throttling:1:/2013-04-01/ \
    --inject RequestLimitExceeded:1:=/ || { fail "capture proxy"; exit 1; }
export AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT"

# discover (the first EC2 call is answered RequestLimitExceeded: retried)
"$CTL" aws discover --vpce-id "$VPCE" >"$T/d.out" 2>"$T/d.err"
rc=$?
check "discover exit 0" test $rc -eq 0
check "discover regional name" grep -q "^regional *$REGIONAL (hosted zone $HZ)" \
    "$T/d.out"
check "discover state" grep -q "^state *available" "$T/d.out"
check "discover service" grep -q "^service *$SVC" "$T/d.out"
check "discover retried RequestLimitExceeded" grep -q '"injected": true' "$CAP"
"$CTL" --json aws discover --vpce-id "$VPCE" >"$T/dj.out" 2>&1
check "discover --json" "$PYENV" -c "import json,sys; d=json.load(open('$T/dj.out')); \
sys.exit(not (d['regional']=='$REGIONAL' and d['hosted_zone_id']=='$HZ' and d['vpce_id']=='$VPCE'))"
"$CTL" aws discover --vpce-id vpce-0123456789abcdef0 >"$T/nf.out" 2>&1
rc=$?
check "discover unknown id exits 1" test $rc -eq 1
check "discover unknown id: readable EC2 error" grep -q \
    "InvalidVpcEndpointId.NotFound: .*vpce-0123456789abcdef0" "$T/nf.out"

LINK=in01-0123456789abcde.aws-us-west-2.vectordb.zillizcloud.com
sync() {
	"$CTL" aws route53-sync --vpc-id "$VPC" --link "$LINK=$REGIONAL" \
	    --poll-interval 0.1 --wait-timeout 10 "$@"
}
sync --dry-run >"$T/s0.out" 2>&1
rc=$?
check "dry run exit 0" test $rc -eq 0
check "dry run plans the zone" grep -q "plan: create private zone $LINK" "$T/s0.out"
check "dry run plans the alias" grep -q "plan: UPSERT alias A -> $REGIONAL" "$T/s0.out"
check "dry run writes nothing" test -z "$(moto_aws route53 list-hosted-zones-by-name \
    --dns-name "$LINK" --query "HostedZones[?Name=='$LINK.'].Id")"

sync >"$T/s1.out" 2>&1
rc=$?
check "first sync exit 0" test $rc -eq 0
check "first sync creates the zone" grep -q "created private zone" "$T/s1.out"
check "first sync waits for INSYNC" grep -q "INSYNC" "$T/s1.out"
check "Route 53 Throttling was injected and retried" test \
    "$(grep -c '"injected": true' "$CAP")" -eq 2
ZID=$(moto_aws route53 list-hosted-zones-by-name --dns-name "$LINK" \
    --query "HostedZones[?Name=='$LINK.'].Id" | sed 's|/hostedzone/||')
check "zone exists in moto" test -n "$ZID"
check "zone is private" test "$(moto_aws route53 get-hosted-zone --id "$ZID" \
    --query HostedZone.Config.PrivateZone)" = True
check "zone associated with the VPC" test "$(moto_aws route53 get-hosted-zone \
    --id "$ZID" --query 'VPCs[0].VPCId')" = "$VPC"
moto_aws route53 list-resource-record-sets --hosted-zone-id "$ZID" \
    --query "ResourceRecordSets[?Type=='A']" --output json >"$T/rr.json"
check "alias A points at the endpoint" "$PYENV" -c "import json,sys; r=json.load(open('$T/rr.json')); \
a=r[0]['AliasTarget']; sys.exit(not (a['DNSName'].rstrip('.')=='$REGIONAL' and \
a['HostedZoneId']=='$HZ' and not a['EvaluateTargetHealth'] and r[0]['Name']=='$LINK.'))"

sync >"$T/s2.out" 2>&1
rc=$?
check "second sync exit 0" test $rc -eq 0
check "second sync: no changes" grep -q "^no changes: 1 link in sync" "$T/s2.out"
check "second sync created nothing" test "$(moto_aws route53 list-hosted-zones-by-name \
    --dns-name "$LINK" --query "length(HostedZones[?Name=='$LINK.'])")" = 1
sync --json >"$T/s3.json" 2>/dev/null
check "sync --json report" "$PYENV" -c "import json,sys; d=json.load(open('$T/s3.json')); \
sys.exit(not (d['changes']==0 and d['links'][0]['zone']=='$ZID' and d['links'][0]['record_action']=='none'))"

"$CTL" aws route53-sync --vpc-id "$VPC" --link "x.example=vpce-0badbadbadbadbad0-x.example" \
    >"$T/s4.out" 2>&1
rc=$?
check "sync with unknown endpoint exits 1" test $rc -eq 1
check "sync with unknown endpoint: readable error" grep -q \
    "x.example: InvalidVpcEndpointId.NotFound" "$T/s4.out"


# discover --link registers with the daemon, --write edits a config file
start_admin || { fail "fake admin API"; exit 1; }
cat >"$T/linkshim.yaml" <<YAML
# test config
listen: [127.0.0.1:5353]
upstreams: [127.0.0.1:5300]
links:
  - name: in01-dev.local.test
    addresses: [127.0.0.1]
YAML
"$CTL" aws discover --vpce-id "$VPCE" --socket "$ADMIN_SOCK" --link disc.example.com \
    --write "$T/linkshim.yaml" --ttl 45 >"$T/dl.out" 2>&1
rc=$?
check "discover --link/--write exit 0" test $rc -eq 0
check "discover --link: PUT to the daemon" test "$(last_body PUT | tr -d ' ')" = \
    "{\"target\":\"$REGIONAL\",\"mode\":\"alias\",\"ttl\":45,\"zonal\":{}}"
check "discover --write: link appended, rest kept" sh -c "grep -q '^  - name: disc.example.com' '$T/linkshim.yaml' && \
grep -q '^    target: $REGIONAL' '$T/linkshim.yaml' && grep -q '^# test config' '$T/linkshim.yaml' && \
grep -q '^  - name: in01-dev.local.test' '$T/linkshim.yaml'"
check "discover --write: the file still loads" "$CTL" check -c "$T/linkshim.yaml"
"$CTL" aws discover --vpce-id "$VPCE" --socket "$ADMIN_SOCK" --link disc.example.com \
    --write "$T/linkshim.yaml" --ttl 90 >/dev/null 2>&1
rc=$?
check "discover --write twice: updated, not duplicated" sh -c "test $rc -eq 0 && \
test \$(grep -c 'name: disc.example.com' '$T/linkshim.yaml') -eq 1 && \
grep -q '^    ttl: 90' '$T/linkshim.yaml' && ! grep -q 'ttl: 45' '$T/linkshim.yaml'"

# route53-sync -c FILE takes the links with a target from the config
"$CTL" aws route53-sync -c "$T/linkshim.yaml" --vpc-id "$VPC" --poll-interval 0.1 \
    >"$T/sc.out" 2>&1
rc=$?
check "route53-sync -c FILE: exit 0" test $rc -eq 0
check "route53-sync -c FILE: link from the config synced" grep -q \
    "^disc.example.com: UPSERT alias A -> $REGIONAL: INSYNC" "$T/sc.out"
check "route53-sync -c FILE: static link skipped" sh -c "! grep -q in01-dev '$T/sc.out'"
# without -c or --link: the running daemon's links
"$CTL" --socket "$ADMIN_SOCK" link add "daemon.example.com" --target "$REGIONAL" >/dev/null 2>&1
"$CTL" --socket "$ADMIN_SOCK" aws route53-sync --vpc-id "$VPC" --poll-interval 0.1 \
    >"$T/sd.out" 2>&1
check "route53-sync from the daemon's links" sh -c "grep -q '^daemon.example.com: created private zone' '$T/sd.out' \
 && grep -q '^disc.example.com: alias A -> .* in sync' '$T/sd.out'"

# Route 53's second error shape (<InvalidChangeBatch><Messages>): one
# readable message, not retried
CAP2="$T/capture2.jsonl"
start_proxy "$CAP2" --inject "InvalidChangeBatch:1:~/rrset/" || fail "second proxy"
AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT" "$CTL" aws route53-sync --vpc-id "$VPC" \
    --link "icb.example.com=$REGIONAL" --poll-interval 0.1 >"$T/icb.out" 2>&1
rc=$?
check "InvalidChangeBatch: exit 1" test $rc -eq 1
check "InvalidChangeBatch: messages joined in one line" grep -q \
    "icb.example.com: InvalidChangeBatch: Tried to create resource record set \[name='x.', type='A'\] but it already exists; second problem (HTTP 400, request id inj2)" \
    "$T/icb.out"
check "InvalidChangeBatch: not retried" test "$(grep -c '/rrset/' "$CAP2")" -eq 1

# exact-name match: a public zone and another VPC's private zone of the
# same name are not "the" zone; drift in the alias is repaired
VPC2=$(moto_aws ec2 create-vpc --cidr-block 10.9.0.0/16 --query Vpc.VpcId)
SH=shared.example.com
moto_aws route53 create-hosted-zone --name "$SH" --caller-reference pub-1 >/dev/null
moto_aws route53 create-hosted-zone --name "$SH" --caller-reference priv-2 \
    --vpc VPCRegion=us-west-2,VPCId="$VPC2" --hosted-zone-config PrivateZone=true >/dev/null
"$CTL" aws route53-sync --vpc-id "$VPC" --link "$SH=$REGIONAL" --poll-interval 0.1 \
    >"$T/sh1.out" 2>&1
check "public and other-VPC zones of the same name are skipped" sh -c "grep -q '^$SH: created private zone' '$T/sh1.out' && \
test \$($AWSCLI --endpoint-url http://127.0.0.1:$MOTO_PORT --output text route53 list-hosted-zones-by-name \
--dns-name $SH --query \"length(HostedZones[?Name=='$SH.'])\") -eq 3"
SZ=$(sed -n "s/^$SH: created private zone \([^ ]*\) .*/\1/p" "$T/sh1.out")
cat >"$T/drift.json" <<JSON
{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"$SH","Type":"A",
"AliasTarget":{"HostedZoneId":"$HZ","DNSName":"elsewhere.example.com","EvaluateTargetHealth":false}}}]}
JSON
moto_aws route53 change-resource-record-sets --hosted-zone-id "$SZ" --change-batch "file://$T/drift.json" >/dev/null
"$CTL" aws route53-sync --vpc-id "$VPC" --link "$SH=$REGIONAL" --poll-interval 0.1 \
    >"$T/sh2.out" 2>&1
check "drifted alias is repaired in the existing zone" sh -c "grep -q '^$SH: private zone $SZ ($VPC) exists' '$T/sh2.out' && \
grep -q '^$SH: UPSERT alias A -> $REGIONAL: INSYNC' '$T/sh2.out'"
check "no secret in any output" no_secret "$T"/*.out "$T"/*.err
"$PYENV" "$TOP/tests/ctl/aws_oracle.py" "$CAP" "$AWS_SECRET_ACCESS_KEY" \
    us-west-2 moto
# the oracle itself must catch a wrong signature and a reordered body
"$PYENV" - "$CAP" "$T/bad.jsonl" <<'PY'
import base64, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
out = open(sys.argv[2], "w")
for r in recs:
    r["headers"] = [[k, v[:-1] + ("0" if v[-1] != "0" else "1")]
                    if k.lower() == "authorization" else [k, v]
                    for k, v in r["headers"]]
    b = base64.b64decode(r["body_b64"]).decode()
    if "<CallerReference>" in b:  # the order botocore would keep from a caller
        vpc = b[b.index("<VPC>"):b.index("</VPC>") + 6]
        ref = b[b.index("<CallerReference>"):b.index("</CallerReference>") + 18]
        b = b.replace(vpc, "@@").replace(ref, vpc).replace("@@", ref)
        r["body_b64"] = base64.b64encode(b.encode()).decode()
    out.write(json.dumps(r) + "\n")
PY
"$PYENV" "$TOP/tests/ctl/aws_oracle.py" "$T/bad.jsonl" "$AWS_SECRET_ACCESS_KEY" \
    us-west-2 tampered >"$T/bad.out" 2>&1
check "oracle rejects tampered signatures" test "$(grep -c '^FAIL: .*signature' \
    "$T/bad.out")" -eq "$(grep -c '' "$CAP")"
check "oracle rejects an out-of-model-order Route 53 body" grep -q \
    '^FAIL: .*CreateHostedZone request == botocore (elements not in model order' \
    "$T/bad.out"
