#!/bin/sh
# api_sigv4: with api.aws_credentials set, every Route 53 request must
# carry a valid SigV4 signature for one of the configured key pairs (any
# region, service route53), else 403 in the AWS error shape.  Signers:
# aws CLI v1, aws CLI v2, boto3, curl --aws-sigv4.
[ -z "$BASH_VERSION" ] && exec bash "$0" "$@"
TNAME=api_sigv4
. "$(dirname "$0")/../api_lib/common.sh"

cat >"$T/creds" <<'INI'
# linkshim api.aws_credentials: ~/.aws/credentials shape
[ci]
aws_access_key_id = AKIDLINKSHIMTEST
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

[other]
aws_access_key_id=AKIDSECOND
aws_secret_access_key=second/secret+key
INI
start_harness -s "$T/state.json" -a "$T/creds" || { fail "harness starts"; cat "$T/harness.err"; exit 1; }
aws_env
export AWS_ACCESS_KEY_ID=AKIDLINKSHIMTEST AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

out=$("$AWS1" route53 create-hosted-zone --name signed.example --caller-reference s1 --query HostedZone.Id --output text 2>&1)
check "aws v1 signed (us-west-2 scope) -> accepted" test "${out#/hostedzone/Z}" != "$out"
out=$(AWS_DEFAULT_REGION=eu-central-1 "$AWS1" route53 list-hosted-zones --query 'HostedZones[0].Name' --output text 2>&1)
check "any region in the scope is accepted" test "$out" = "signed.example."
out=$(AWS_ACCESS_KEY_ID=AKIDSECOND AWS_SECRET_ACCESS_KEY=second/secret+key "$AWS1" route53 list-hosted-zones --output text 2>&1)
check "second key pair accepted" test $? -eq 0
out=$(AWS_SECRET_ACCESS_KEY=wrong "$AWS1" route53 list-hosted-zones 2>&1)
check "wrong secret -> 403 SignatureDoesNotMatch" sh -c 'echo "$0" | grep -q "(SignatureDoesNotMatch)"' "$out"
out=$(AWS_ACCESS_KEY_ID=AKIDUNKNOWN "$AWS1" route53 list-hosted-zones 2>&1)
check "unknown key -> 403 InvalidClientTokenId" sh -c 'echo "$0" | grep -q "(InvalidClientTokenId)"' "$out"
if [ -x "$AWS2" ]; then
	out=$(env -u AWS_ENDPOINT_URL_ROUTE_53 "$AWS2" --endpoint-url "$U" route53 list-hosted-zones --query 'HostedZones[0].Name' --output text 2>&1)
	check "aws v2 signed -> accepted" test "$out" = "signed.example."
	out=$(AWS_SECRET_ACCESS_KEY=wrong env -u AWS_ENDPOINT_URL_ROUTE_53 "$AWS2" --endpoint-url "$U" route53 list-hosted-zones 2>&1)
	check "aws v2 wrong secret -> SignatureDoesNotMatch" sh -c 'echo "$0" | grep -q SignatureDoesNotMatch' "$out"
else
	skip "aws v2 (not installed)"
fi
"$PY" - "$U" >"$T/boto.out" 2>&1 <<'PY'
import sys, boto3
c = boto3.client("route53", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="AKIDLINKSHIMTEST",
                 aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                 aws_session_token="FAKESESSIONTOKEN")
z = c.list_hosted_zones_by_name(DNSName="signed.example")["HostedZones"][0]["Id"]
c.change_resource_record_sets(HostedZoneId=z, ChangeBatch={"Changes": [{"Action": "CREATE",
    "ResourceRecordSet": {"Name": "b.signed.example", "Type": "TXT", "TTL": 60,
                          "ResourceRecords": [{"Value": '"signed body"'}]}}]})
print("ok", len(c.list_resource_record_sets(HostedZoneId=z)["ResourceRecordSets"]))
PY
check "boto3 with a session token, signed POST body -> accepted" grep -q '^ok 1$' "$T/boto.out"
r=$(http GET /2013-04-01/hostedzone)
check "unsigned -> 403 MissingAuthenticationToken" expect 403 '<Code>MissingAuthenticationToken</Code>' '<Type>Sender</Type>'
r=$(http GET /2013-04-01/hostedzone --aws-sigv4 "aws:amz:us-east-1:route53" --user "AKIDLINKSHIMTEST:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
check "curl --aws-sigv4 -> 200" expect 200 '<Name>signed.example.</Name>'
r=$(http GET /2013-04-01/hostedzone --aws-sigv4 "aws:amz:us-east-1:s3" --user "AKIDLINKSHIMTEST:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
check "wrong service in the scope -> 403" expect 403 "route53"
r=$(http GET /2013-04-01/hostedzone -H 'X-Amz-Date: 20150830T123600Z' -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDLINKSHIMTEST/20150830/us-east-1/route53/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000')
check "stale X-Amz-Date -> 403" expect 403 'SignatureDoesNotMatch' '15 minutes'
r=$(http GET /2013-04-01/hostedzone -H "X-Amz-Date: $(date -u +%Y%m%dT%H%M%SZ)" -H 'Authorization: AWS4-HMAC-SHA256 garbage')
check "malformed Authorization -> 403 IncompleteSignature" expect 403 'IncompleteSignature'
r=$(http GET /v1/links)
check "JSON API unaffected by aws_credentials" expect 200
stop_harness
printf '[x]\naws_access_key_id = only-a-key\n' >"$T/bad-creds"
"$HARNESS" -s "$T/state.json" -a "$T/bad-creds" -l "127.0.0.1:$((API_PORT + 2))" >"$T/o" 2>"$T/e"
check "credentials file without a pair refuses to start" grep -q 'no aws_access_key_id' "$T/e"
finish
