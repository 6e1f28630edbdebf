#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# The AWS credential, region and endpoint chains of linkshimctl, shown by
# "linkshimctl aws config" (which never prints a secret): environment
# keys; ~/.aws/credentials and config profiles (AWS_PROFILE, --profile,
# and which one wins over env keys, as botocore does); the [services]
# endpoint section; AWS_ENDPOINT_URL[_EC2|_ROUTE_53] and --endpoint-url
# precedence; IMDSv2 through a fake metadata service on loopback
# (AWS_EC2_METADATA_SERVICE_ENDPOINT), and AWS_EC2_METADATA_DISABLED.
# Finally a real call signed with the IMDS session credentials goes to
# moto through the capturing proxy and botocore checks the signature.
NAME=aws_creds
. "$(dirname "$0")/lib.sh"
ns_reexec "$@"
aws_env
export HOME="$T/home"
mkdir -p "$HOME/.aws"
unset AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
ENVSECRET=$AWS_SECRET_ACCESS_KEY
cat >"$HOME/.aws/credentials" <<'INI'
[default]
aws_access_key_id = AKIDFILEDEFAULT0
aws_secret_access_key = fileDefaultSecret/0123456789
[shim]
aws_access_key_id = AKIDFILESHIM0000
aws_secret_access_key = fileShimSecret/0123456789
aws_session_token = fileShimToken
INI
cat >"$HOME/.aws/config" <<'INI'
[default]
region = ap-south-1
[profile shim]
region = eu-west-1
services = local
[services local]
route_53 =
  endpoint_url = http://127.0.0.1:18081
ec2 =
  endpoint_url = http://127.0.0.1:18083
INI
cfg() { "$CTL" --json aws config "$@" 2>&1; }
jq() { "$DPY" -c "import json,sys; d=json.loads(sys.stdin.read()); print(d['$1'])"; }

check "env keys" test "$(cfg | jq credentials)" = environment
check "env keys: key masked" test "$(cfg | jq access_key)" = "AKID…TEST"
check "region from AWS_DEFAULT_REGION" test "$(cfg | jq region_source)" = AWS_DEFAULT_REGION
check "AWS_REGION beats AWS_DEFAULT_REGION" test "$(AWS_REGION=ca-central-1 cfg | jq region)" = ca-central-1
check "--region beats both" test "$(AWS_REGION=ca-central-1 cfg --region sa-east-1 | jq region)" = sa-east-1
check "env keys beat AWS_PROFILE" test "$(AWS_PROFILE=shim cfg | jq credentials)" = environment
check "--profile beats env keys" test "$(cfg --profile shim | jq credentials)" = \
    "shared credentials file (profile shim)"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION
check "default profile from ~/.aws/credentials" test "$(cfg | jq credentials)" = \
    "shared credentials file (profile default)"
check "default profile region from ~/.aws/config" test "$(cfg | jq region)" = ap-south-1
check "AWS_PROFILE=shim: its keys and session token" sh -c "test \"\$(AWS_PROFILE=shim $CTL --json aws config | \
$DPY -c 'import json,sys; d=json.load(sys.stdin); print(d[\"credentials\"], d[\"session_token\"])')\" = \
'shared credentials file (profile shim) True'"
check "profile region" test "$(AWS_PROFILE=shim cfg | jq region)" = eu-west-1
check "[services] endpoint for Route 53" test "$(AWS_PROFILE=shim cfg | jq route53)" = http://127.0.0.1:18081
check "[services] endpoint for EC2" test "$(AWS_PROFILE=shim cfg | jq ec2)" = http://127.0.0.1:18083
check "AWS_ENDPOINT_URL_ROUTE_53 beats config" test "$(AWS_PROFILE=shim \
    AWS_ENDPOINT_URL_ROUTE_53=http://127.0.0.1:1/ cfg | jq route53)" = http://127.0.0.1:1
check "AWS_ENDPOINT_URL_ROUTE53 (no underscore) is ignored" test "$(AWS_ENDPOINT_URL_ROUTE53=http://127.0.0.1:2 \
    cfg | jq route53)" = https://route53.amazonaws.com
check "AWS_ENDPOINT_URL for all" test "$(AWS_ENDPOINT_URL=http://127.0.0.1:3 cfg | jq ec2)" = http://127.0.0.1:3
check "--endpoint-url beats everything" test "$(AWS_ENDPOINT_URL_EC2=http://127.0.0.1:4 \
    cfg --endpoint-url http://127.0.0.1:5 | jq ec2)" = http://127.0.0.1:5
check "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" test "$(AWS_PROFILE=shim AWS_ENDPOINT_URL=http://127.0.0.1:3 \
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true cfg | jq ec2)" = https://ec2.eu-west-1.amazonaws.com
"$CTL" aws config --profile nope >"$T/nope.out" 2>&1
check "unknown --profile: exit 1, named" sh -c "test $? -eq 1 && grep -q \"profile 'nope' not found\" '$T/nope.out'"

# IMDSv2
mv "$HOME/.aws" "$HOME/aws.off"
IMDS_SECRET=imdsSecret/0123456789abcdef
IMDS_TOKEN=IQoJb3JpZ2luX2VjEFAKEsession
rm -f "$T/imds.port"
"$DPY" "$TOP/tests/fakes/fake_imds.py" --port-file "$T/imds.port" --log "$T/imds.jsonl" \
    --secret "$IMDS_SECRET" --session-token "$IMDS_TOKEN" >"$T/imds.err" 2>&1 &
PIDS="$PIDS $!"
wait_file "$T/imds.port" || { fail "fake IMDS"; exit 1; }
"$CTL" aws config >"$T/dis.out" 2>&1
rc=$?
check "IMDS disabled and nothing else: exit 1 with what to set" sh -c "test $rc -eq 1 && \
grep -q 'no AWS credentials found: set AWS_ACCESS_KEY_ID' '$T/dis.out'"
check "IMDS disabled: not contacted" test ! -s "$T/imds.jsonl"
unset AWS_EC2_METADATA_DISABLED
export AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$(cat "$T/imds.port")/"
cfg >"$T/imds.out"
check "IMDS role credentials" test "$(jq credentials <"$T/imds.out")" = "instance metadata (role shim-role)"
check "IMDS region" test "$(jq region_source <"$T/imds.out")" = "instance metadata"
check "IMDSv2: token first, then GETs with the token" "$DPY" -c "import json,sys
r=[json.loads(l) for l in open('$T/imds.jsonl')]
sys.exit(not (r[0]['method']=='PUT' and r[0]['path']=='/latest/api/token' and
 all(x['token_ok'] for x in r) and
 any(x['path']=='/latest/meta-data/iam/security-credentials/shim-role' for x in r)))"

if [ -x "$MOTO" ] && start_moto; then
	CAP="$T/capture.jsonl"
	start_proxy "$CAP" && export AWS_ENDPOINT_URL="http://127.0.0.1:$PROXY_PORT"
	"$CTL" aws discover --vpce-id vpce-0123456789abcdef0 >"$T/call.out" 2>&1
	check "call with IMDS credentials reaches moto" grep -q "InvalidVpcEndpointId.NotFound" "$T/call.out"
	check "session token sent and signed" "$DPY" -c "import json,sys
r=json.loads(open('$CAP').readline()); h={k.lower():v for k,v in r['headers']}
sys.exit(not (h.get('x-amz-security-token')=='$IMDS_TOKEN' and 'x-amz-security-token' in h['authorization']
 and 'Credential=ASIAFAKEIMDS/' in h['authorization']))"
	"$PYENV" "$TOP/tests/ctl/aws_oracle.py" "$CAP" "$IMDS_SECRET" us-west-2 imds
else
	skip "signed call with IMDS credentials (moto_server not available)"
fi
check "no secret or session token in any output" sh -c "! grep -q -F -e '$ENVSECRET' -e fileShimSecret \
-e fileDefaultSecret -e '$IMDS_SECRET' -e '$IMDS_TOKEN' -e fileShimToken '$T'/*.out"
