#!/root/.pyenv/shims/python3
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# aws_oracle: check requests linkshimctl sent (captured by
# tests/fakes/capture_proxy.py) against botocore, the reference client:
#  - signature: rebuild each request with exactly the headers named in its
#    SignedHeaders and its X-Amz-Date, recompute with botocore's
#    SigV4Auth, compare; also check the scope (us-east-1/route53 for
#    Route 53, the EC2 region for ec2) and that host, x-amz-date (and
#    content-type for EC2, x-amz-security-token when sent) are signed;
#  - serialisation: turn our request back into operation parameters in
#    the model's member order, let botocore serialise them, and compare
#    the body (EC2 form, Route 53 XML) and the path/query byte for byte.
# Prints one PASS:/FAIL: line per request and check.
# Usage: aws_oracle.py LOG SECRET EC2_REGION [LABEL]
import base64
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.serialize import create_serializer

SESSION = botocore.session.get_session()
EC2 = SESSION.get_service_model("ec2")
R53 = SESSION.get_service_model("route53")


def result(ok, name, why=""):
    print(("PASS: " if ok else "FAIL: ") + name + ("" if ok else " (%s)" % why))
    return ok


def parse_authz(v):
    parts = dict(p.strip().split("=", 1) for p in v[len("AWS4-HMAC-SHA256 "):]
                 .split(","))
    akid, date, region, service, term = parts["Credential"].split("/")
    return akid, date, region, service, parts["SignedHeaders"].split(";"), \
        parts["Signature"]


def check_signature(rec, secret, ec2_region, name):
    hdrs = {k.lower(): v for k, v in rec["headers"]}
    authz = hdrs.get("authorization", "")
    if not authz.startswith("AWS4-HMAC-SHA256 "):
        return result(False, name + " signed", "no SigV4 Authorization")
    akid, date, region, service, signed, sig = parse_authz(authz)
    is_r53 = rec["target"].startswith("/2013-04-01/")
    want = ("us-east-1", "route53") if is_r53 else (ec2_region, "ec2")
    why = []
    if (region, service) != want:
        why.append("scope %s/%s != %s/%s" % (region, service) + want)
    need = {"host", "x-amz-date"} | ({"content-type"} if not is_r53 else set())
    if "x-amz-security-token" in hdrs:
        need.add("x-amz-security-token")
    if not need <= set(signed):
        why.append("%s not signed" % (need - set(signed)))
    body = base64.b64decode(rec["body_b64"])
    req = AWSRequest(method=rec["method"],
                     url="http://%s%s" % (hdrs["host"], rec["target"]),
                     data=body)
    for h in signed:
        req.headers[h] = hdrs[h]
    req.context["timestamp"] = hdrs["x-amz-date"]
    token = hdrs.get("x-amz-security-token")
    auth = SigV4Auth(Credentials(akid, secret, token), service, region)
    creq = auth.canonical_request(req)
    sts = auth.string_to_sign(req, creq)
    good = auth.signature(sts, req)
    if good != sig:
        why.append("signature ours %s botocore %s" % (sig, good))
    return result(not why, name + " SigV4 scope/headers/signature == "
                  "botocore", "; ".join(why))


def ordered(d, shape):
    return {k: d[k] for k in shape.members if k in d}


def ec2_params(body, op):
    flat = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
    shape = op.input_shape
    out = {}
    for k, v in flat:
        if k in ("Action", "Version"):
            continue
        head, _, rest = k.partition(".")
        for mname, m in shape.members.items():
            wire = m.serialization.get("name", mname)
            wire = wire[0].upper() + wire[1:]
            if wire != head:
                continue
            if m.type_name == "list" and m.member.type_name == "structure":
                idx, _, field = rest.partition(".")
                lst = out.setdefault(mname, [])
                while len(lst) < int(idx):
                    lst.append({})
                if field.startswith("Value."):
                    lst[int(idx) - 1].setdefault("Values", []).append(v)
                else:
                    lst[int(idx) - 1][field] = v
            elif m.type_name == "list":
                out.setdefault(mname, []).append(v)
            elif m.type_name == "boolean":
                out[mname] = v == "true"
            elif m.type_name == "integer":
                out[mname] = int(v)
            else:
                out[mname] = v
            break
        else:
            raise ValueError("unknown parameter " + k)
    return ordered(out, shape), flat


def check_ec2(rec, name):
    body = base64.b64decode(rec["body_b64"])
    q = dict(urllib.parse.parse_qsl(body.decode()))
    op = EC2.operation_model(q["Action"])
    params, flat = ec2_params(body, op)
    ser = create_serializer("ec2").serialize_to_request(params, op)
    ours = [(k, v) for k, v in flat]
    theirs = list(ser["body"].items())
    enc = urllib.parse.urlencode(ser["body"])
    return result(ours == theirs and body.decode() == enc, name +
                  " %s body == botocore (model order)" % q["Action"],
                  "ours %r botocore %r" % (body.decode(), enc))


def strip(tag):
    return tag.split("}", 1)[-1]


def xml_params(elem, shape):
    t = shape.type_name
    if t == "structure":
        d = {}
        for child in elem:
            tag = strip(child.tag)
            for mname, m in shape.members.items():
                if m.serialization.get("name", mname) == tag:
                    d[mname] = xml_params(child, m)
                    break
            else:
                raise ValueError("unknown element " + tag)
        return d  # keep OUR order: botocore serialises in caller order
    if t == "list":
        return [xml_params(c, shape.member) for c in elem]
    if t == "boolean":
        return elem.text == "true"
    if t in ("integer", "long"):
        return int(elem.text)
    return elem.text or ""


def model_order(d, shape):
    if shape.type_name == "structure" and isinstance(d, dict):
        return {k: model_order(d[k], shape.members[k])
                for k in shape.members if k in d}
    if shape.type_name == "list":
        return [model_order(x, shape.member) for x in d]
    return d


def r53_op(method, path):
    p = path.split("?")[0]
    if method == "POST" and p == "/2013-04-01/hostedzone":
        return "CreateHostedZone", {}
    if method == "POST" and p.endswith("/rrset/"):
        return "ChangeResourceRecordSets", {"HostedZoneId": p.split("/")[3]}
    if method == "GET" and p == "/2013-04-01/hostedzonesbyname":
        return "ListHostedZonesByName", {}
    if method == "GET" and p.endswith("/rrset"):
        return "ListResourceRecordSets", {"HostedZoneId": p.split("/")[3]}
    if method == "GET" and p.startswith("/2013-04-01/change/"):
        return "GetChange", {"Id": p.split("/")[3]}
    if method == "GET" and p.startswith("/2013-04-01/hostedzone/"):
        return "GetHostedZone", {"Id": p.split("/")[3]}
    raise ValueError("unknown Route 53 request %s %s" % (method, path))


QUERY = {"dnsname": "DNSName", "hostedzoneid": "HostedZoneId",
         "maxitems": "MaxItems", "name": "StartRecordName",
         "type": "StartRecordType"}


def check_r53(rec, name):
    opname, params = r53_op(rec["method"], rec["target"])
    op = R53.operation_model(opname)
    body = base64.b64decode(rec["body_b64"])
    why = []
    if body:
        root = ET.fromstring(body)
        ours = xml_params(root, op.input_shape)
        if list(ours) != list(model_order(ours, op.input_shape)):
            why.append("elements not in model order")
        params.update(model_order(ours, op.input_shape))
    q = urllib.parse.urlsplit(rec["target"]).query
    for k, v in urllib.parse.parse_qsl(q):
        params[QUERY[k]] = v
    params = model_order(params, op.input_shape)
    ser = create_serializer("rest-xml").serialize_to_request(params, op)
    want_q = urllib.parse.urlencode(ser["query_string"],
                                    quote_via=urllib.parse.quote)
    want_t = ser["url_path"] + ("?" + want_q if want_q else "")
    if rec["target"] != want_t:
        why.append("target ours %s botocore %s" % (rec["target"], want_t))
    if body and body != ser["body"]:
        why.append("body ours %r botocore %r" % (body, ser["body"]))
    return result(not why, name + " %s request == botocore" % opname,
                  "; ".join(why))


def main():
    log, secret, region = sys.argv[1:4]
    label = sys.argv[4] if len(sys.argv) > 4 else "aws"
    recs = [json.loads(l) for l in open(log)]
    if not recs:
        result(False, label + " requests captured", "none")
        return 1
    for i, rec in enumerate(recs):
        name = "%s req%d %s %s" % (label, i + 1, rec["method"],
                                   rec["target"].split("?")[0])
        check_signature(rec, secret, region, name)
        try:
            if rec["target"].startswith("/2013-04-01/"):
                check_r53(rec, name)
            else:
                check_ec2(rec, name)
        except Exception as e:  # a parse failure is a test failure
            result(False, name + " serialisation", repr(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
