#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# fake_imds: an EC2 instance metadata service (IMDSv2 only) on loopback
# for the credential-chain tests: PUT /latest/api/token with
# X-aws-ec2-metadata-token-ttl-seconds gives a token; every GET needs
# X-aws-ec2-metadata-token (else 401).  Serves the role name, the role's
# temporary credentials and placement/region.  Requests are logged as
# JSON lines (token values are not).  stdlib only.
import argparse
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

A = None
TOKEN = "imds-session-token-0123"


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body):
        b = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def log(self, ok):
        with open(A.log, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path,
                                "token_ok": ok}) + "\n")

    def do_PUT(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        ok = self.path == "/latest/api/token" and \
            self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        self.log(bool(ok))
        self.send(200, TOKEN) if ok else self.send(400, "bad token request")

    def do_GET(self):
        ok = self.headers.get("X-aws-ec2-metadata-token") == TOKEN
        self.log(ok)
        if not ok:
            return self.send(401, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.send(200, A.role)
        if self.path == base + A.role:
            return self.send(200, json.dumps({
                "Code": "Success", "LastUpdated": "2026-11-29T00:00:00Z",
                "Type": "AWS-HMAC", "AccessKeyId": "ASIAFAKEIMDS",
                "SecretAccessKey": A.secret, "Token": A.session_token,
                "Expiration": "2099-01-01T00:00:00Z"}))
        if self.path == "/latest/meta-data/placement/region":
            return self.send(200, "us-west-2")
        return self.send(404, "")


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--role", default="shim-role")
    p.add_argument("--secret", required=True)
    p.add_argument("--session-token", required=True)
    A = p.parse_args()
    s = HTTPServer(("127.0.0.1", 0), H)
    with open(A.port_file + ".tmp", "w") as f:
        f.write(str(s.server_address[1]))
    os.rename(A.port_file + ".tmp", A.port_file)
    s.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
