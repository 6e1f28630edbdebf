#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# linkshimctl zilliz import / connect against the fake Zilliz control
# plane (tests/fakes/fake_zilliz.py) and moto for the AWS half:
# the API key check (HTTP 200 with code != 0), paging, a 503 retried,
# the private link appearing only after the endpoint is registered,
# a connect that times out waiting and then resumes without creating or
# registering anything twice, --route53-sync, and the AWS requests of
# connect checked against botocore.
NAME=zilliz
. "$(dirname "$0")/lib.sh"
ns_reexec "$@"
aws_env
need_moto

VPC=$(moto_aws ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
SUB=$(moto_aws ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.1.1.0/24 \
    --availability-zone us-west-2a --query Subnet.SubnetId)
SG=$(moto_aws ec2 create-security-group --group-name zilliz --description z \
    --vpc-id "$VPC" --query GroupId)
NLB=$(moto_aws elbv2 create-load-balancer --name zilliz --type network \
    --subnets "$SUB" --query 'LoadBalancers[0].LoadBalancerArn')
SVC=$(moto_aws ec2 create-vpc-endpoint-service-configuration \
    --network-load-balancer-arns "$NLB" --query ServiceConfiguration.ServiceName)
case "$SVC" in com.amazonaws.vpce.*) pass "setup endpoint service in moto" ;;
*) fail "setup endpoint service in moto"; exit 1 ;; esac

KEY=zk-test-0123456789abcdef
PROJ=proj-0123456789
start_zilliz --api-key "$KEY" --project "$PROJ" --service "$SVC" \
    --cluster in01-ccccccccccccccc:aws-eu-central-1 \
    --cluster in01-aaaaaaaaaaaaaaa:aws-us-west-2 \
    --cluster in01-bbbbbbbbbbbbbbb:aws-us-west-2 \
    --delay 3 --max-page-size 1 --flaky 1 || { fail "fake zilliz"; exit 1; }
export ZILLIZ_BASE_URL="http://127.0.0.1:$ZPORT"
CAP="$T/capture.jsonl"
start_proxy "$CAP" || { fail "capture proxy"; exit 1; }
export AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT"
H1=in01-aaaaaaaaaaaaaaa-privatelink.aws-us-west-2.vectordb.zillizcloud.com
H2=in01-bbbbbbbbbbbbbbb-privatelink.aws-us-west-2.vectordb.zillizcloud.com

# a wrong key: Zilliz answers HTTP 200 with a non-zero code
ZILLIZ_API_KEY=wrong "$CTL" zilliz import --project-id "$PROJ" >"$T/k.out" 2>&1
rc=$?
check "wrong API key exits 1" test $rc -eq 1
check "wrong API key: code != 0 under HTTP 200 reported" grep -q \
    "The apikey is illegal. (code 21119, HTTP 200)" "$T/k.out"
check "503 from Zilliz was retried" test "$(grep -c '' "$ZLOG")" -ge 2
"$CTL" zilliz import --project-id "$PROJ" >"$T/nokey.out" 2>&1
check "no API key: says what to set" grep -q "ZILLIZ_API_KEY" "$T/nokey.out"
export ZILLIZ_API_KEY="$KEY"

connect() {
	"$CTL" zilliz connect --project-id "$PROJ" --region aws-us-west-2 \
	    --vpc-id "$VPC" --subnet-ids "$SUB" --security-group-ids "$SG" \
	    --poll-interval 0.1 "$@"
}
# a region where Zilliz has no service
connect --region aws-ap-south-1 --wait-timeout 5 >"$T/c0.out" 2>&1
rc=$?
check "connect to a region without a Zilliz service: exit 1, says so" sh -c "test $rc -eq 1 && \
grep -q 'Zilliz has no private endpoint service in region aws-ap-south-1' '$T/c0.out'"

# run 1: the link needs 3 polls after registration; allow ~1 -> timeout
connect --wait-timeout 0.1 >"$T/c1.out" 2>&1
rc=$?
check "connect run 1 times out waiting (exit 1)" test $rc -eq 1
check "connect run 1: service from Zilliz" grep -q "step 1/5: endpoint service $SVC" "$T/c1.out"
check "connect run 1: endpoint created" grep -q "step 2/5: created VPC endpoint vpce-" "$T/c1.out"
check "connect run 1: registered with Zilliz" grep -q "step 3/5: registered vpce-" "$T/c1.out"
check "connect run 1: progress while waiting" grep -q "step 4/5: waiting" "$T/c1.out"
check "connect run 1: says how to resume" grep -q "re-run to resume" "$T/c1.out"
VPCE=$(moto_aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values="$VPC" \
    --query 'VpcEndpoints[0].VpcEndpointId')
check "endpoint has PrivateDnsEnabled=false" test "$(moto_aws ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids "$VPCE" --query 'VpcEndpoints[0].PrivateDnsEnabled')" = False
check "registration body" "$DPY" -c "import json,sys
r=[json.loads(l) for l in open('$ZLOG')]
p=[x for x in r if x['method']=='POST']
sys.exit(not (len(p)==1 and json.loads(p[0]['body'])=={'regionId':'aws-us-west-2','endpointId':'$VPCE'}
  and p[0]['path']=='/v2/projects/$PROJ/privateEndpoints' and p[0]['auth_ok']
  and p[0]['content_type']=='application/json'))"
check "paging followed to the last page (pageSize capped at 1)" grep -q "currentPage=3" "$ZLOG"

# run 2 resumes: reuses the endpoint, does not register again
connect --wait-timeout 10 --route53-sync >"$T/c2.out" 2>&1
rc=$?
check "connect run 2 (resume) exit 0" test $rc -eq 0
check "connect run 2 reuses the endpoint" grep -q "step 2/5: reusing VPC endpoint $VPCE" "$T/c2.out"
check "connect run 2 does not re-register" grep -q "step 3/5: $VPCE already registered" "$T/c2.out"
check "still one endpoint in the VPC" test "$(moto_aws ec2 describe-vpc-endpoints \
    --filters Name=vpc-id,Values="$VPC" --query 'length(VpcEndpoints)')" = 1
check "still one registration" test "$(grep -c '"method": "POST"' "$ZLOG")" = 1
REGIONAL=$(moto_aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$VPCE" \
    --query 'VpcEndpoints[0].DnsEntries[0].DnsName')
check "mapping for cluster aaa" grep -q "^$H1 -> $REGIONAL (cluster in01-aaaaaaaaaaaaaaa" "$T/c2.out"
check "mapping for cluster bbb" grep -q "^$H2 -> $REGIONAL" "$T/c2.out"
check "other region's cluster not mapped" test -z "$(grep in01-ccc "$T/c2.out")"
check "route53-sync of the private link hosts" test "$(grep -c 'created private zone' "$T/c2.out")" = 2
check "zone for $H1 in moto" test "$(moto_aws route53 list-hosted-zones-by-name \
    --dns-name "$H1" --query "length(HostedZones[?Name=='$H1.'])")" = 1

# import: one cluster, JSON
"$CTL" --json zilliz import --project-id "$PROJ" --cluster-id in01-bbbbbbbbbbbbbbb \
    >"$T/i.json" 2>"$T/i.err"
rc=$?
check "import --cluster-id exit 0" test $rc -eq 0
check "import --json mapping" "$PYENV" -c "import json,sys; d=json.load(open('$T/i.json'))['mappings']; \
sys.exit(not (len(d)==1 and d[0]['name']=='$H2' and d[0]['target']=='$REGIONAL' and d[0]['vpce_id']=='$VPCE'))"
"$CTL" zilliz import --project-id "$PROJ" --cluster-id in01-zzz >"$T/i2.out" 2>&1
check "import unknown cluster: Zilliz error shown" grep -q "Cluster not exist. (code 80020" "$T/i2.out"

# import --register (to the daemon) and --write (to a config file)
start_admin || fail "fake admin API"
printf 'listen: [127.0.0.1:5353]\nlinks: []\n' >"$T/z.yaml"
"$CTL" zilliz import --project-id "$PROJ" --socket "$ADMIN_SOCK" --register \
    --write "$T/z.yaml" >"$T/reg.out" 2>&1
rc=$?
check "import --register/--write exit 0" test $rc -eq 0
check "import --register: both hosts PUT to the daemon" sh -c "grep -q '\"path\": \"/v1/links/$H1\"' '$ALOG' && \
grep -q '\"path\": \"/v1/links/$H2\"' '$ALOG'"
check "import --register: body" test "$(last_body PUT | tr -d ' ')" = \
    "{\"target\":\"$REGIONAL\",\"mode\":\"alias\",\"zonal\":{}}"
check "import --write: both links in the file, which loads" sh -c "grep -q '^  - name: $H1' '$T/z.yaml' && \
grep -q '^  - name: $H2' '$T/z.yaml' && '$CTL' check -c '$T/z.yaml'"
check "no key or secret in any output" sh -c "! grep -q -e '$KEY' -e '$AWS_SECRET_ACCESS_KEY' $T/*.out $T/*.err $T/*.json"
"$PYENV" "$TOP/tests/ctl/aws_oracle.py" "$CAP" "$AWS_SECRET_ACCESS_KEY" \
    us-west-2 connect
