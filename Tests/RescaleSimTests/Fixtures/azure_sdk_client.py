"""Drives the fake blob service with Microsoft's azure-storage-blob SDK and prints what it observed as JSON.

Arguments: account URL, account name, account key, container.
"""
import datetime
import hashlib
import json
import random
import sys

from azure.core.exceptions import HttpResponseError
from azure.storage.blob import (BlobClient, BlobSasPermissions, ContainerSasPermissions, generate_blob_sas,
                                generate_container_sas)

account_url, account, key, container = sys.argv[1:5]
expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
result = {}


def client(blob, sas, **kwargs):
    return BlobClient(account_url=account_url, container_name=container, blob_name=blob, credential=sas,
                      retry_total=0, **kwargs)


container_sas = generate_container_sas(account, container, account_key=key,
                                       permission=ContainerSasPermissions(read=True, write=True, create=True),
                                       expiry=expiry, start=start)
data = random.Random(7).randbytes(1_000_003)
big = client("sdk dir/blocks ü.bin", container_sas, max_single_put_size=64 * 1024, max_block_size=128 * 1024)
big.upload_blob(data, metadata={"iv": "oKGio6SlpqeoqaqrrK2urw==", "streamingformat": "cbc"})
props = big.get_blob_properties()
result["size"] = props.size
result["metadata"] = dict(props.metadata)
result["sha256"] = hashlib.sha256(data).hexdigest()
result["range_ok"] = big.download_blob(offset=1000, length=5000).readall() == data[1000:6000]
result["tail_ok"] = big.download_blob(offset=999_000).readall() == data[999_000:]
chunked = client("sdk dir/blocks ü.bin", container_sas, max_single_get_size=100_000, max_chunk_get_size=100_000)
result["whole_ok"] = chunked.download_blob(max_concurrency=3).readall() == data

blob_sas = generate_blob_sas(account, container, "small.txt", account_key=key,
                             permission=BlobSasPermissions(create=True, write=True, read=True), expiry=expiry)
small = client("small.txt", blob_sas)
small.upload_blob(b"hello", metadata={"Kind": "note"})
result["small"] = small.download_blob().readall().decode()
result["small_metadata"] = dict(small.get_blob_properties().metadata)

read_only = generate_blob_sas(account, container, "small.txt", account_key=key,
                              permission=BlobSasPermissions(read=True), expiry=expiry)
try:
    client("small.txt", read_only).upload_blob(b"nope", overwrite=True)
    result["read_only_write"] = "accepted"
except HttpResponseError as error:
    result["read_only_write"] = error.error_code

other_blob = client("other.txt", blob_sas)
try:
    other_blob.upload_blob(b"wrong resource")
    result["wrong_blob"] = "accepted"
except HttpResponseError as error:
    result["wrong_blob"] = error.error_code

expired = generate_blob_sas(account, container, "small.txt", account_key=key,
                            permission=BlobSasPermissions(read=True),
                            expiry=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1))
try:
    client("small.txt", expired).download_blob().readall()
    result["expired"] = "accepted"
except HttpResponseError as error:
    result["expired"] = error.error_code

try:
    client("missing.bin", container_sas).get_blob_properties()
    result["missing"] = "found"
except HttpResponseError as error:
    result["missing"] = error.error_code

json.dump(result, sys.stdout)
