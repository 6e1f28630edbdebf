# Capture the exact Route 53 request bodies botocore and the aws CLI send
# (loopback only).  Run with the pyenv python3 (boto3/awscli v1):
#   /root/.pyenv/shims/python3 tests/unit/data/r53/capture.py OUTDIR
# Every POST body is written to OUTDIR/<n>-<op>.xml; replies are canned.
import http.server, os, subprocess, sys, threading, json
import boto3

out = sys.argv[1]
bodies = []

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, body, code=200):
        self.send_response(code)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        bodies.append((self.path, self.rfile.read(n)))
        ns = b'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"'
        ci = b"<ChangeInfo><Id>/change/C1</Id><Status>INSYNC</Status><SubmittedAt>2026-11-29T00:00:00Z</SubmittedAt></ChangeInfo>"
        if self.path.endswith("/hostedzone"):
            self.reply(b"<CreateHostedZoneResponse " + ns + b"><HostedZone><Id>/hostedzone/Z1</Id><Name>x.</Name><CallerReference>r</CallerReference></HostedZone>" + ci + b"</CreateHostedZoneResponse>", 201)
        else:
            self.reply(b"<ChangeResourceRecordSetsResponse " + ns + b">" + ci + b"</ChangeResourceRecordSetsResponse>")

srv = http.server.HTTPServer(("127.0.0.1", 0), H)
port = srv.server_address[1]
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d" % port
os.environ.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                  AWS_DEFAULT_REGION="us-west-2", AWS_EC2_METADATA_DISABLED="true")
c = boto3.client("route53", endpoint_url=url)
c.create_hosted_zone(Name="in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com",
    CallerReference="shim-1", VPC={"VPCRegion": "us-west-2", "VPCId": "vpc-0abc1234"},
    HostedZoneConfig={"Comment": "zilliz private link", "PrivateZone": True})
c.change_resource_record_sets(HostedZoneId="/hostedzone/Z1", ChangeBatch={"Comment": "shim", "Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com", "Type": "A",
     "AliasTarget": {"HostedZoneId": "Z1YSA3EXCYUU9Z", "DNSName": "vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc-0b62964bfd0edfb74.us-west-2.vpce.amazonaws.com", "EvaluateTargetHealth": False}}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com", "Type": "A", "TTL": 300,
     "ResourceRecords": [{"Value": "10.0.0.1"}, {"Value": "10.0.0.2"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "alias.in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com.", "Type": "CNAME", "TTL": 60,
     "ResourceRecords": [{"Value": "www.in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "txt.in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com", "Type": "TXT", "TTL": 120,
     "ResourceRecords": [{"Value": "\"hello world\""}]}},
    {"Action": "DELETE", "ResourceRecordSet": {"Name": "old.in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com", "Type": "MX", "TTL": 300,
     "ResourceRecords": [{"Value": "10 mail.example.com"}]}},
]})
# aws CLI v1 with a change-batch file in the opposite key order (TTL first)
batch = {"Changes": [{"ResourceRecordSet": {"TTL": 30, "ResourceRecords": [{"Value": "0 issue \"letsencrypt.org\""}],
    "Type": "CAA", "Name": "caa.example.com"}, "Action": "UPSERT"},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "_sip._tcp.example.com", "Type": "SRV", "TTL": 300,
     "ResourceRecords": [{"Value": "1 10 5060 sip.example.com"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "1.0.0.10.in-addr.arpa", "Type": "PTR", "TTL": 300,
     "ResourceRecords": [{"Value": "host.example.com"}]}}]}
subprocess.run(["aws", "route53", "change-resource-record-sets", "--endpoint-url", url,
    "--hosted-zone-id", "Z1", "--change-batch", json.dumps(batch)], check=True, capture_output=True)
subprocess.run(["aws", "route53", "create-hosted-zone", "--endpoint-url", url, "--name", "public.example.com",
    "--caller-reference", "cli-2"], check=True, capture_output=True)
names = {"hostedzone": "create-hosted-zone", "rrset/": "change-rrsets"}
for i, (path, body) in enumerate(bodies):
    op = "create-hosted-zone" if path.endswith("/hostedzone") else "change-rrsets"
    with open(os.path.join(out, "%d-%s.xml" % (i + 1, op)), "wb") as f:
        f.write(body)
    print(path, len(body))
