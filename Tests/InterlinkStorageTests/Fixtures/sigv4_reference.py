"""Signs the requests described on stdin with botocore and prints the resulting headers and URLs as JSON."""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode

cases = json.load(sys.stdin)
results = []
for case in cases:
    creds = Credentials(case["accessKey"], case["secretKey"], case.get("sessionToken"))
    path = "/" + percent_encode(case["key"], safe="/~")
    url = case["endpoint"] + path
    if case["query"]:
        url += "?" + "&".join(percent_encode(k) + "=" + percent_encode(v) for k, v in case["query"])
    request = AWSRequest(method=case["method"], url=url, headers=dict(case["headers"]),
                         data=bytes(case["body"], "utf-8"))
    if not case["signPayload"]:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    when = datetime.datetime.fromtimestamp(case["epoch"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        if case["mode"] == "query":
            S3SigV4QueryAuth(creds, "s3", case["region"], expires=case["expires"]).add_auth(request)
        else:
            S3SigV4Auth(creds, "s3", case["region"]).add_auth(request)
    results.append({"url": request.url, "headers": {k.lower(): v for k, v in request.headers.items()}})
json.dump(results, sys.stdout)
