#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# capture_proxy: a loopback HTTP reverse proxy that records every request
# exactly as received (method, raw target, headers in order, body) as one
# JSON line, then forwards it to --upstream (moto_server) and relays the
# reply.  The records feed tests/ctl/aws_oracle.py (botocore as the
# oracle for SigV4 signatures and request serialisation).  --inject
# CODE:N:PREFIX answers the first N requests whose path starts with PREFIX
# ("=/" means exactly "/", i.e. EC2; "~/rrset/" means ending in "/rrset/") with a Route 53/EC2 style
# throttling error instead of forwarding (to test retries).
# stdlib only; loopback only.
import argparse
import base64
import http.client
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
ARGS = None
INJECT = []  # [{"code", "left", "prefix"}]

THROTTLE = {
    "Throttling": ("<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://"
                   "route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>"
                   "Sender</Type><Code>Throttling</Code><Message>Rate "
                   "exceeded</Message></Error><RequestId>inj</RequestId>"
                   "</ErrorResponse>"),
    "InvalidChangeBatch": ("<?xml version=\"1.0\"?>\n<InvalidChangeBatch "
                           "xmlns=\"https://route53.amazonaws.com/doc/"
                           "2013-04-01/\"><Messages><Message>Tried to create "
                           "resource record set [name='x.', type='A'] but it "
                           "already exists</Message><Message>second problem"
                           "</Message></Messages><RequestId>inj2</RequestId>"
                           "</InvalidChangeBatch>"),
    "RequestLimitExceeded": ("<Response><Errors><Error><Code>"
                             "RequestLimitExceeded</Code><Message>Request "
                             "limit exceeded.</Message></Error></Errors>"
                             "<RequestID>inj</RequestID></Response>"),
}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        rec = {"method": self.command, "target": self.path,
               "headers": [[k, v] for k, v in self.headers.items()],
               "body_b64": base64.b64encode(body).decode()}
        with LOCK:
            inject = None
            for spec in INJECT:
                pre = spec["prefix"]
                path = self.path.split("?")[0]
                if pre.startswith("="):
                    hit = path == pre[1:]
                elif pre.startswith("~"):
                    hit = path.endswith(pre[1:])
                else:
                    hit = path.startswith(pre)
                if spec["left"] > 0 and hit:
                    spec["left"] -= 1
                    inject = spec["code"]
                    break
            rec["injected"] = inject is not None
            with open(ARGS.log, "a") as f:
                f.write(json.dumps(rec) + "\n")
        if inject:
            out = THROTTLE[inject].encode()
            self.send_response(400)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        host, port = ARGS.upstream.split(":")
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("connection", "content-length")}
        c.request(self.command, self.path, body=body, headers=hdrs)
        r = c.getresponse()
        out = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection",
                                 "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
        c.close()

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", required=True, help="127.0.0.1:PORT")
    p.add_argument("--log", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--inject", action="append", default=[],
                   help="CODE:N:PATHPREFIX (repeatable)")
    ARGS = p.parse_args()
    for spec in ARGS.inject:
        code, n, prefix = spec.split(":", 2)
        INJECT.append({"code": code, "left": int(n), "prefix": prefix})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
