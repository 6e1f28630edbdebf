# boto3 against linkshim's Route 53-compatible API (loopback endpoint from
# argv[1]).  Prints one PASS:/FAIL: line per check.  Run with the pyenv
# python (boto3 1.43).
import sys
import boto3
import botocore.exceptions

url = sys.argv[1]
c = boto3.client("route53", endpoint_url=url, region_name="us-west-2",
                 aws_access_key_id=sys.argv[2] if len(sys.argv) > 2 else "AKIDEXAMPLE",
                 aws_secret_access_key=sys.argv[3] if len(sys.argv) > 3 else "secret")
T = "api_r53/boto3"


def check(name, cond):
    print(("PASS: " if cond else "FAIL: ") + T + ": " + name)


def err_code(fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]
    return None, 200, ""


r = c.create_hosted_zone(Name="boto.example.com", CallerReference="boto-1",
                         VPC={"VPCRegion": "us-west-2", "VPCId": "vpc-0abc"},
                         HostedZoneConfig={"Comment": "boto", "PrivateZone": True})
zid = r["HostedZone"]["Id"]
check("CreateHostedZone 201 + Location", r["ResponseMetadata"]["HTTPStatusCode"] == 201
      and r["Location"].endswith(zid.split("/")[-1]))
check("zone id /hostedzone/Z...", zid.startswith("/hostedzone/Z"))
check("private zone with VPC", r["HostedZone"]["Config"]["PrivateZone"] and r["VPC"]["VPCId"] == "vpc-0abc")
r2 = c.create_hosted_zone(Name="boto.example.com", CallerReference="boto-1",
                          VPC={"VPCRegion": "us-west-2", "VPCId": "vpc-0abc"},
                          HostedZoneConfig={"Comment": "boto", "PrivateZone": True})
check("CallerReference retry returns the same zone", r2["HostedZone"]["Id"] == zid)
code, status, _ = err_code(c.create_hosted_zone, Name="other.example.com", CallerReference="boto-1")
check("CallerReference reuse -> HostedZoneAlreadyExists 409", code == "HostedZoneAlreadyExists" and status == 409)
code, status, _ = err_code(c.create_hosted_zone, Name="bad..name", CallerReference="boto-2")
check("bad zone name -> InvalidDomainName", code == "InvalidDomainName" and status == 400)

g = c.get_hosted_zone(Id=zid)
check("GetHostedZone with VPCs", g["HostedZone"]["Name"] == "boto.example.com." and g["VPCs"][0]["VPCRegion"] == "us-west-2")
code, status, _ = err_code(c.get_hosted_zone, Id="ZNOSUCHZONE")
check("NoSuchHostedZone 404", code == "NoSuchHostedZone" and status == 404)

changes = [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "boto.example.com", "Type": "A", "AliasTarget": {
        "HostedZoneId": "Z1YSA3EXCYUU9Z", "DNSName": "vpce-0ce9.vpce-svc-0b62.us-west-2.vpce.amazonaws.com",
        "EvaluateTargetHealth": False}}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "a.boto.example.com", "Type": "A", "TTL": 60,
                                               "ResourceRecords": [{"Value": "10.0.0.1"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "c.boto.example.com", "Type": "CNAME", "TTL": 60,
                                               "ResourceRecords": [{"Value": "a.boto.example.com"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "t.boto.example.com", "Type": "TXT", "TTL": 60,
                                               "ResourceRecords": [{"Value": '"v=1 hello"'}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "m.boto.example.com", "Type": "MX", "TTL": 60,
                                               "ResourceRecords": [{"Value": "10 mail.boto.example.com"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "_s._tcp.boto.example.com", "Type": "SRV", "TTL": 60,
                                               "ResourceRecords": [{"Value": "1 2 443 a.boto.example.com"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "boto.example.com", "Type": "CAA", "TTL": 60,
                                               "ResourceRecords": [{"Value": '0 issue "amazon.com"'}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "boto.example.com", "Type": "AAAA", "TTL": 60,
                                               "ResourceRecords": [{"Value": "2001:db8::1"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "p.boto.example.com", "Type": "PTR", "TTL": 60,
                                               "ResourceRecords": [{"Value": "host.boto.example.com"}]}},
]
r = c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Comment": "all types", "Changes": changes})
cid = r["ChangeInfo"]["Id"]
check("ChangeResourceRecordSets INSYNC", r["ChangeInfo"]["Status"] == "INSYNC" and cid.startswith("/change/C"))
check("GetChange INSYNC", c.get_change(Id=cid)["ChangeInfo"]["Status"] == "INSYNC")
c.get_waiter("resource_record_sets_changed").wait(Id=cid, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
check("waiter resource_record_sets_changed returns", True)
code, status, _ = err_code(c.get_change, Id="CNOSUCHCHANGE")
check("NoSuchChange 404", code == "NoSuchChange" and status == 404)

sets = c.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]
check("ListResourceRecordSets returns 9 sets", len(sets) == 9)
alias = [s for s in sets if s["Type"] == "A" and s["Name"] == "boto.example.com."]
check("alias set round-trips", alias and alias[0]["AliasTarget"]["HostedZoneId"] == "Z1YSA3EXCYUU9Z"
      and alias[0]["AliasTarget"]["DNSName"] == "vpce-0ce9.vpce-svc-0b62.us-west-2.vpce.amazonaws.com.")
check("names in canonical order, apex first", sets[0]["Name"] == "boto.example.com.")
# paging: one set per page through the paginator
pages = list(c.get_paginator("list_resource_record_sets").paginate(
    HostedZoneId=zid, PaginationConfig={"PageSize": 2}))
got = [s for p in pages for s in p["ResourceRecordSets"]]
check("paging with MaxItems=2 sees all 9 once", len(pages) == 5 and
      [(s["Name"], s["Type"]) for s in got] == [(s["Name"], s["Type"]) for s in sets])
p1 = c.list_resource_record_sets(HostedZoneId=zid, MaxItems="1")
check("IsTruncated/NextRecordName/NextRecordType", p1["IsTruncated"] and p1["NextRecordName"] and p1["NextRecordType"])
p2 = c.list_resource_record_sets(HostedZoneId=zid, StartRecordName="t.boto.example.com", StartRecordType="TXT")
check("StartRecordName/Type starts there", p2["ResourceRecordSets"][0]["Name"] == "t.boto.example.com.")

# atomic: a batch with one bad change changes nothing
bad = [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.boto.example.com", "Type": "A", "TTL": 60,
                                                  "ResourceRecords": [{"Value": "10.9.9.9"}]}},
       {"Action": "DELETE", "ResourceRecordSet": {"Name": "nope.boto.example.com", "Type": "A", "TTL": 60,
                                                  "ResourceRecords": [{"Value": "10.0.0.1"}]}}]
code, status, msg = err_code(c.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": bad})
check("InvalidChangeBatch 400 with Route 53's message", code == "InvalidChangeBatch" and status == 400
      and "but it was not found" in msg)
a = [s for s in c.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"] if s["Name"] == "a.boto.example.com."]
check("batch was atomic (value unchanged)", a[0]["ResourceRecords"][0]["Value"] == "10.0.0.1")
code, status, msg = err_code(c.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "a.boto.example.com", "Type": "A", "TTL": 60,
                                               "ResourceRecords": [{"Value": "10.0.0.1"}]}}]})
check("CREATE existing -> already exists", code == "InvalidChangeBatch" and "already exists" in msg)
code, status, msg = err_code(c.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "x.boto.example.com", "Type": "A", "TTL": 60,
                                               "ResourceRecords": [{"Value": "not-an-ip"}]}}]})
check("bad rdata -> InvalidChangeBatch", code == "InvalidChangeBatch" and "bad A value" in msg)
code, status, msg = err_code(c.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "x.boto.example.com", "Type": "A", "SetIdentifier": "w",
                                               "Weight": 1, "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]}}]})
check("weighted routing -> InvalidInput", code == "InvalidInput" and status == 400)
r = c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.boto.example.com", "Type": "A", "TTL": 30,
                                               "ResourceRecords": [{"Value": "10.0.0.2"}, {"Value": "10.0.0.3"}]}}]})
a = [s for s in c.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"] if s["Name"] == "a.boto.example.com."]
check("UPSERT replaces", sorted(v["Value"] for v in a[0]["ResourceRecords"]) == ["10.0.0.2", "10.0.0.3"] and a[0]["TTL"] == 30)

z = c.list_hosted_zones()
check("ListHostedZones has the zone", any(h["Id"] == zid for h in z["HostedZones"]) and z["IsTruncated"] is False)
zb = c.list_hosted_zones_by_name(DNSName="boto.example.com")
check("ListHostedZonesByName starts at the name", zb["HostedZones"][0]["Name"] == "boto.example.com."
      and zb["HostedZones"][0]["Config"]["PrivateZone"] is True)

code, status, _ = err_code(c.delete_hosted_zone, Id=zid)
check("DeleteHostedZone non-empty -> HostedZoneNotEmpty", code == "HostedZoneNotEmpty" and status == 400)
sets = c.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]
c.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
    {"Action": "DELETE", "ResourceRecordSet": s} for s in sets]})
check("DELETE every set in one batch", c.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"] == [])
r = c.delete_hosted_zone(Id=zid)
check("DeleteHostedZone -> ChangeInfo", r["ChangeInfo"]["Status"] == "INSYNC")
code, status, _ = err_code(c.get_hosted_zone, Id=zid)
check("deleted zone is gone", code == "NoSuchHostedZone")
