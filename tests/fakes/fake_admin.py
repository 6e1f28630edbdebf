#!/usr/bin/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# fake_admin: a stand-in for linkshimd's admin API (the JSON contract of
# issue 5 / design.md §5) so linkshimctl's admin commands can be tested
# before and independently of the daemon.  Serves the unix socket
# (--socket) and/or HTTP on loopback (--port-file, optional --token for
# "Authorization: Bearer").  Links from --config-link NAME=TARGET are
# "config" links: a PUT of the same name gets 409.  Every request is
# logged as one JSON line (--log) with its body; the Authorization header
# is logged only as "auth_ok".  stdlib only, Debian /usr/bin/python3.
import argparse
import json
import os
import socketserver
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

A = None
LINKS = {}
ZONES = {}
LOCK = threading.Lock()


def norm(name):
    return name.lower().rstrip(".") + "."


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def address_string(self):
        return "unix"

    def reply(self, status, obj=None, text=None):
        body = text.encode() if text is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if text is not None
                         else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def err(self, status, msg):
        self.reply(status, {"error": msg})

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        tcp = isinstance(self.server, HTTPServer)
        auth_ok = (not A.token or not tcp or self.headers.get(
            "Authorization") == "Bearer " + A.token)
        if A.log:
            with LOCK, open(A.log, "a") as f:
                f.write(json.dumps({
                    "method": self.command, "path": self.path,
                    "transport": "tcp" if tcp else "unix",
                    "auth_ok": auth_ok,
                    "body": raw.decode("utf-8", "replace")}) + "\n")
        if not auth_ok:
            return self.err(401, "missing or wrong bearer token")
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                return self.err(400, "body is not JSON")
        parts = [urllib.parse.unquote(p)
                 for p in urllib.parse.urlsplit(self.path).path.split("/")
                 if p]
        with LOCK:
            return self.route(parts, body)

    def route(self, p, body):
        m = self.command
        if p == ["metrics"] and m == "GET":
            return self.reply(200, text="# HELP linkshim_queries_total q\n"
                              "# TYPE linkshim_queries_total counter\n"
                              "linkshim_queries_total{proto=\"udp\"} 42\n"
                              "linkshim_cache_hits_total 7\n")
        if p[:1] != ["v1"]:
            return self.err(404, "not found")
        p = p[1:]
        if p == ["status"] and m == "GET":
            return self.reply(200, {
                "version": "linkshim 0.1-fake", "uptime_s": 12,
                "links": len(LINKS), "zones": len(ZONES),
                "upstreams": [{"addr": "127.0.0.1:5300", "srtt_ms": 1.5,
                               "queries": 40, "timeouts": 2}],
                "cache": {"entries": 3, "bytes": 900, "hits": 7,
                          "misses": 35}})
        if p == ["reload"] and m == "POST":
            if A.reload_error:
                return self.err(400, A.reload_error)
            return self.reply(200, {"status": "ok"})
        if p[:1] == ["links"]:
            return self.links(m, p[1:], body)
        if p[:1] == ["zones"]:
            return self.zones(m, p[1:], body)
        return self.err(404, "not found")

    def links(self, m, rest, body):
        if not rest and m == "GET":
            return self.reply(200, {"links": [
                dict(v, name=k) for k, v in sorted(LINKS.items())]})
        if len(rest) != 1:
            return self.err(404, "not found")
        name = norm(rest[0])
        cur = LINKS.get(name)
        if m == "GET":
            return self.reply(200, dict(cur, name=name)) if cur else \
                self.err(404, "no link " + name)
        if m == "DELETE":
            if not cur:
                return self.err(404, "no link " + name)
            if cur["source"] == "config":
                return self.err(409, "%s comes from the config file" % name)
            del LINKS[name]
            return self.reply(200, dict(cur, name=name))
        if m == "PUT":
            if cur and cur["source"] == "config":
                return self.err(409, "%s would shadow the config link of "
                                "the same name" % name)
            if not isinstance(body, dict) or \
                    ("target" in body) == ("addresses" in body) or \
                    body.get("mode", "alias") not in ("alias", "cname"):
                return self.err(400, "a link needs target or addresses")
            obj = dict(body, source="api")
            obj.setdefault("ttl", 60)
            if "target" in body:
                obj.setdefault("mode", "alias")
            LINKS[name] = obj
            return self.reply(200 if cur else 201, dict(obj, name=name))
        return self.err(405, "method not allowed")

    def zones(self, m, rest, body):
        if not rest and m == "GET":
            return self.reply(200, {"zones": [
                {"name": k, "id": v["id"], "records": len(v["records"]),
                 "source": "api"} for k, v in sorted(ZONES.items())]})
        if not rest:
            return self.err(405, "method not allowed")
        z = norm(rest[0])
        if len(rest) == 1 and m == "PUT":
            ZONES.setdefault(z, {"id": "Z%012d" % (len(ZONES) + 1),
                                 "records": {}})
            return self.reply(201, {"name": z, "id": ZONES[z]["id"]})
        if z not in ZONES:
            return self.err(404, "no zone " + z)
        if len(rest) == 1 and m == "DELETE":
            del ZONES[z]
            return self.reply(200, {"name": z})
        if rest[1:] == ["records"] and m == "GET":
            return self.reply(200, {"records": [
                dict(v, name=k[0], type=k[1])
                for k, v in sorted(ZONES[z]["records"].items())]})
        if len(rest) == 4 and rest[1] == "records":
            key = (norm(rest[2]), rest[3].upper())
            if m == "PUT":
                if not isinstance(body, dict) or \
                        ("alias" in body) == ("values" in body):
                    return self.err(400, "give values or alias")
                ZONES[z]["records"][key] = body
                return self.reply(200, dict(body, name=key[0], type=key[1]))
            if m == "DELETE":
                if key not in ZONES[z]["records"]:
                    return self.err(404, "no such record set")
                del ZONES[z]["records"][key]
                return self.reply(200, {"name": key[0], "type": key[1]})
        return self.err(404, "not found")

    do_GET = do_PUT = do_DELETE = do_POST = handle_any


class UnixHTTP(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TcpHTTP(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--socket")
    p.add_argument("--port-file")
    p.add_argument("--token")
    p.add_argument("--log")
    p.add_argument("--ready", required=True)
    p.add_argument("--reload-error")
    p.add_argument("--config-link", action="append", default=[])
    A = p.parse_args()
    for c in A.config_link:
        n, t = c.split("=")
        LINKS[norm(n)] = {"target": t, "mode": "alias", "ttl": 60,
                          "source": "config"}
    servers = []
    if A.socket:
        servers.append(UnixHTTP(A.socket, H))
    if A.port_file:
        s = TcpHTTP(("127.0.0.1", 0), H)
        servers.append(s)
        with open(A.port_file, "w") as f:
            f.write(str(s.server_address[1]))
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    with open(A.ready, "w") as f:
        f.write("ok\n")
    servers[0].serve_forever()


if __name__ == "__main__":
    sys.exit(main())
