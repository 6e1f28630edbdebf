#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# fake_zilliz: a loopback fake of the Zilliz Cloud control plane API v2
# (reference/cloud-apis.md §1) for linkshimctl's tests.  Documented
# shapes only: Bearer API key (a wrong key gets HTTP 200 with
# {"code":21119,"message":"The apikey is illegal."}), the {"code":0,"data"}
# envelope, 1-based paging (currentPage/pageSize/count), the private
# endpoint operations, and clusters whose privateLinkAddress stays ""
# until a VPC endpoint is registered for the project and region (after
# --delay more Describe Cluster calls, to exercise polling).
#
# Usage: fake_zilliz.py --port-file F --api-key K --project P
#          --service NAME --cluster ID:REGION ... [--log FILE] [--delay N]
#          [--flaky N] [--max-page-size N]
# Runs with Debian's /usr/bin/python3 (stdlib only).  Loopback only.
import argparse
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {}
LOCK = threading.Lock()


def envelope(data):
    return {"code": 0, "data": data}


def error(code, message):
    return {"code": code, "message": message}


def page(items, key, query):
    cur = int(query.get("currentPage", ["1"])[0])
    size = int(query.get("pageSize", ["10"])[0])
    if cur < 1 or size < 1 or size > 100:
        return None
    size = min(size, STATE["args"].max_page_size)
    chunk = items[(cur - 1) * size:cur * size]
    return envelope({key: chunk, "count": len(items), "currentPage": cur,
                     "pageSize": size})


def cluster_view(c, describe=False):
    a = STATE["args"]
    reg = [e for e in STATE["endpoints"] if e["regionId"] == c["region"]]
    link = ""
    if reg and c["polls_after_reg"] >= a.delay:
        link = "https://%s-privatelink.%s.vectordb.zillizcloud.com:19530" % (
            c["id"], c["region"])
    if reg and describe:  # only Describe Cluster counts as a poll
        c["polls_after_reg"] += 1
    return {"clusterId": c["id"], "clusterName": c["id"] + "-name",
            "projectId": a.project, "regionId": c["region"],
            "status": "RUNNING", "cuType": "Performance-optimized",
            "plan": "Enterprise", "cuSize": 1,
            "connectAddress": "https://%s.%s.vectordb.zillizcloud.com:19530"
            % (c["id"], c["region"]),
            "privateLinkAddress": link, "createTime": "2026-11-29T00:00:00Z"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, obj, status=200):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("requestid", "req-%d" % STATE["n"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def record(self, body):
        a = STATE["args"]
        if not a.log:
            return
        with open(a.log, "a") as f:
            f.write(json.dumps({
                "method": self.command, "path": self.path,
                "auth_ok": self.headers.get("Authorization") ==
                "Bearer " + a.api_key,
                "content_type": self.headers.get("Content-Type"),
                "body": body.decode("utf-8", "replace")}) + "\n")

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with LOCK:
            STATE["n"] += 1
            self.record(body)
            if STATE["flaky"] > 0:
                STATE["flaky"] -= 1
                return self.reply(error(503, "busy"), 503)
            a = STATE["args"]
            if self.headers.get("Authorization") != "Bearer " + a.api_key:
                return self.reply(error(21119, "The apikey is illegal."))
            u = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(u.query)
            parts = [p for p in u.path.split("/") if p]
            return self.route(parts, q, body)

    def route(self, parts, q, body):
        a = STATE["args"]
        m = self.command
        if parts[:1] != ["v2"]:
            return self.reply(error(404, "no such path"), 404)
        parts = parts[1:]
        if m == "GET" and parts == ["clusters"]:
            cl = [cluster_view(c) for c in STATE["clusters"]
                  if q.get("projectId", [a.project])[0] == a.project]
            r = page(cl, "clusters", q)
            return self.reply(r if r else error(80000, "bad paging"))
        if m == "GET" and len(parts) == 2 and parts[0] == "clusters":
            for c in STATE["clusters"]:
                if c["id"] == parts[1]:
                    return self.reply(envelope(cluster_view(c, True)))
            return self.reply(error(80020, "Cluster not exist."))
        if m == "GET" and parts == ["privateEndpointServices"]:
            region = q.get("regionId", [""])[0]
            svcs = [{"regionId": r, "cloudId": "aws",
                     "endpointService": a.service,
                     "whitelistRequired": False}
                    for r in sorted({c["region"] for c in STATE["clusters"]})
                    if r == region]
            r = page(svcs, "endpointServices", q)
            return self.reply(r if r else error(80000, "bad paging"))
        if len(parts) >= 3 and parts[0] == "projects":
            if parts[1] != a.project:
                return self.reply(error(80010, "Project not exist."))
            return self.endpoints(m, parts[2:], q, body)
        return self.reply(error(404, "no such path"), 404)

    def endpoints(self, m, rest, q, body):
        a = STATE["args"]
        eps = STATE["endpoints"]
        if rest == ["privateEndpoints"] and m == "GET":
            r = page(eps, "endpoints", q)
            return self.reply(r if r else error(80000, "bad paging"))
        if rest == ["privateEndpoints"] and m == "POST":
            try:
                req = json.loads(body)
                region, eid = req["regionId"], req["endpointId"]
            except (ValueError, KeyError, TypeError):
                return self.reply(error(80001, "Invalid parameter."), 400)
            if any(e["endpointId"] == eid for e in eps):
                return self.reply(error(80012, "Endpoint already exists."))
            eps.append({"regionId": region, "cloudId": "aws",
                        "endpointService": a.service,
                        "endpointServiceStatus": "RUNNING",
                        "endpointId": eid, "endpointStatus": "RUNNING",
                        "gcpProjectId": None})
            return self.reply(envelope({"endpointId": eid,
                                        "regionId": region}))
        if len(rest) == 2 and rest[0] == "privateEndpoints" and m == "DELETE":
            STATE["endpoints"] = [e for e in eps if e["endpointId"] != rest[1]]
            return self.reply(envelope({"endpointId": rest[1]}))
        return self.reply(error(404, "no such path"), 404)

    do_GET = do_POST = do_DELETE = do_PUT = handle_any


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--api-key", required=True)
    p.add_argument("--project", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--cluster", action="append", default=[])
    p.add_argument("--endpoint", action="append", default=[],
                   help="pre-registered REGION:VPCE_ID")
    p.add_argument("--delay", type=int, default=0)
    p.add_argument("--flaky", type=int, default=0)
    p.add_argument("--log")
    p.add_argument("--max-page-size", type=int, default=100,
                   help="server-side cap on pageSize (forces paging)")
    a = p.parse_args()
    STATE.update(args=a, n=0, flaky=a.flaky, endpoints=[], clusters=[])
    for c in a.cluster:
        cid, region = c.split(":")
        STATE["clusters"].append({"id": cid, "region": region,
                                  "polls_after_reg": 0})
    for e in a.endpoint:
        region, eid = e.split(":")
        STATE["endpoints"].append({
            "regionId": region, "cloudId": "aws",
            "endpointService": a.service, "endpointServiceStatus": "RUNNING",
            "endpointId": eid, "endpointStatus": "RUNNING",
            "gcpProjectId": None})
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
