"""Drives the simulator's S3 subset with boto3 and the aws CLI, using credentials from its credentials endpoint.

Arguments: simulator base URL, API key, scratch directory. Prints what it observed as JSON.
"""
import hashlib
import json
import os
import subprocess
import sys
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

base, key, scratch = sys.argv[1:4]


def api(path, method="GET"):
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": "Token " + key})
    with urllib.request.urlopen(request) as response:
        return json.load(response) if response.length else None


creds = api("/api/v3/credentials/", "POST")
me = api("/api/v3/users/me/")
bucket = me["defaultStorage"]["connectionSettings"]["container"]
prefix = me["defaultStorage"]["connectionSettings"]["pathBase"]
config = Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1})
s3 = boto3.client("s3", endpoint_url=creds["endpoint"], aws_access_key_id=creds["accessKey"],
                  aws_secret_access_key=creds["secretKey"], aws_session_token=creds["sessionToken"],
                  region_name="us-east-1", config=config)
result = {}
small_key = prefix + "/small file ü.txt"
s3.put_object(Bucket=bucket, Key=small_key, Body=b"hello world", Metadata={"iv": "oKGio6SlpqeoqaqrrK2urw=="})
head = s3.head_object(Bucket=bucket, Key=small_key)
result["head_size"] = head["ContentLength"]
result["head_metadata"] = head["Metadata"]
result["range"] = s3.get_object(Bucket=bucket, Key=small_key, Range="bytes=6-10")["Body"].read().decode()
data = os.urandom((5 << 20) + 12345)
mp_key = prefix + "/multi.bin"
upload = s3.create_multipart_upload(Bucket=bucket, Key=mp_key, Metadata={"streamingformat": "cbc", "partsize": "5242880"})
etags = [s3.upload_part(Bucket=bucket, Key=mp_key, UploadId=upload["UploadId"], PartNumber=n + 1,
                        Body=data[n * (5 << 20):(n + 1) * (5 << 20)])["ETag"] for n in range(2)]
result["listed_parts"] = [p["PartNumber"] for p in
                          s3.list_parts(Bucket=bucket, Key=mp_key, UploadId=upload["UploadId"])["Parts"]]
s3.complete_multipart_upload(Bucket=bucket, Key=mp_key, UploadId=upload["UploadId"],
                             MultipartUpload={"Parts": [{"PartNumber": n + 1, "ETag": e} for n, e in enumerate(etags)]})
whole = s3.get_object(Bucket=bucket, Key=mp_key)["Body"].read()
result["multipart_ok"] = hashlib.sha256(whole).hexdigest() == hashlib.sha256(data).hexdigest()
aborted = s3.create_multipart_upload(Bucket=bucket, Key=prefix + "/aborted")
s3.abort_multipart_upload(Bucket=bucket, Key=prefix + "/aborted", UploadId=aborted["UploadId"])
try:
    s3.list_parts(Bucket=bucket, Key=prefix + "/aborted", UploadId=aborted["UploadId"])
    result["after_abort"] = "listed"
except ClientError as error:
    result["after_abort"] = error.response["Error"]["Code"]
url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": small_key}, ExpiresIn=60)
result["presigned"] = urllib.request.urlopen(url).read().decode()
bad = boto3.client("s3", endpoint_url=creds["endpoint"], aws_access_key_id=creds["accessKey"],
                   aws_secret_access_key="wrong" + creds["secretKey"], aws_session_token=creds["sessionToken"],
                   region_name="us-east-1", config=config)
try:
    bad.head_object(Bucket=bucket, Key=small_key)
    result["bad_secret"] = "accepted"
except ClientError as error:
    result["bad_secret"] = error.response["Error"]["Code"] or str(error.response["ResponseMetadata"]["HTTPStatusCode"])
try:
    bad.get_object(Bucket=bucket, Key=small_key)
except ClientError as error:
    result["bad_secret_get"] = error.response["Error"]["Code"]
# The aws CLI: upload a multipart-sized file and download it again.
env = dict(os.environ, AWS_ACCESS_KEY_ID=creds["accessKey"], AWS_SECRET_ACCESS_KEY=creds["secretKey"],
           AWS_SESSION_TOKEN=creds["sessionToken"], AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1")
source = os.path.join(scratch, "cli-source.bin")
target = os.path.join(scratch, "cli-target.bin")
with open(source, "wb") as handle:
    handle.write(os.urandom(9 << 20))
common = ["aws", "--endpoint-url", creds["endpoint"], "s3", "cp"]
for args in ([source, f"s3://{bucket}/{prefix}/cli.bin"], [f"s3://{bucket}/{prefix}/cli.bin", target]):
    subprocess.run(common + args, env=env, check=True, capture_output=True)
with open(source, "rb") as left, open(target, "rb") as right:
    result["cli_roundtrip"] = left.read() == right.read()
api("/_sim/credentials/expire", "POST")
try:
    s3.head_object(Bucket=bucket, Key=small_key)
    result["expired"] = "accepted"
except ClientError as error:
    result["expired_status"] = error.response["ResponseMetadata"]["HTTPStatusCode"]
try:
    s3.get_object(Bucket=bucket, Key=small_key)
except ClientError as error:
    result["expired"] = error.response["Error"]["Code"]
print(json.dumps(result))
