#!/usr/bin/env python3
"""Drives the running server's /open311/v2/ with a real Open311 client from
PyPI: `georeport` 0.3.1 (the GeoReport v2 wrapper; it reads services,
definitions and requests in JSON and XML, but cannot create requests, so the
post is made with `requests`, form-encoded, as the spec describes).

    georeport_client.py BASE_URL API_KEY   # BASE_URL ends in /open311/v2

Prints one JSON line with what it saw; exits non-zero on any mismatch.
`scripts/open311-client.sh` makes the virtual environment it runs in.
"""
import json
import sys

import requests
from georeport import GeoReport

base, key = sys.argv[1], sys.argv[2]
seen = {}

# Post one request (幸福社区第一网格, 东乡区).
r = requests.post(
    f"{base}/requests.json",
    data={
        "api_key": key,
        "jurisdiction_id": "C",
        "service_code": "environment",
        "lat": "28.2412",
        "long": "116.6020",
        "description": "小区南门人行道井盖缺失,请尽快处理",
        "first_name": "建国",
        "last_name": "王",
        "phone": "13812345678",
    },
    timeout=10,
)
assert r.status_code == 201, (r.status_code, r.text)
posted = r.json()[0]
request_id = posted["service_request_id"]
seen["posted"] = request_id

for fmt in ("json", "xml"):
    client = GeoReport(base, jurisdiction="C", api_key=key, output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "environment" in codes, codes
    definition = client.get_service_definition("environment")
    assert definition["service_code"] == "environment", definition
    one = client.get_service_request(request_id)
    assert one["service_request_id"] == request_id, one
    assert one["status"] == "open", one
    assert one["requested_datetime"].endswith("+08:00"), one
    assert "13812345678" not in json.dumps(one, ensure_ascii=False), one
    listed = client.get_service_requests(service_request_id=request_id, status="open")
    # xmltodict gives a single dict for a one-item list.
    listed = listed if isinstance(listed, list) else [listed]
    assert [x["service_request_id"] for x in listed] == [request_id], listed
    seen[fmt] = {"services": len(codes), "status": one["status"], "requested": one["requested_datetime"]}

# A bad key is the spec's 403 with its error list.
bad = requests.post(f"{base}/requests.json", data={"api_key": "nope", "service_code": "environment"}, timeout=10)
assert bad.status_code == 403 and bad.json()[0]["code"] == 403, bad.text
print(json.dumps(seen, ensure_ascii=False))
