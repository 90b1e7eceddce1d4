"""Runs a job on rescale-sim for an Azure user with Microsoft's SDK, using only what the API hands out.

Usage: azure_sim_job.py BASE_URL API_KEY
Gets a SAS from POST /api/v3/credentials/, encrypts an input as v0 (AES-256-CBC, PKCS#7, metadata iv), uploads it
in blocks, registers it, runs a job, downloads and decrypts the outputs, then checks that a revoked SAS fails and a
fresh one works. Prints JSON observations on stdout.
"""
import base64
import hashlib
import json
import os
import sys
import time
import urllib.request

from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobClient
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BASE, KEY = sys.argv[1], sys.argv[2]


def api(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", "Token " + KEY)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def blob(credentials, name):
    return BlobClient(
        account_url=credentials["endpoint"],
        container_name=storage["connectionSettings"]["container"],
        blob_name=name,
        credential=credentials["sasToken"],
    )


def decrypt(data, key, iv):
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


observed = {}
storage = api("GET", "/api/v3/users/me/")["defaultStorage"]
observed["storage_type"] = storage["storageType"]
credentials = api("POST", "/api/v3/credentials/")

plaintext = b"line one\nline two\n" * 1000
key, iv = os.urandom(32), os.urandom(16)
padder = padding.PKCS7(128).padder()
encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
ciphertext = encryptor.update(padder.update(plaintext) + padder.finalize()) + encryptor.finalize()

name = "input.txt-q3ZkT0aLm9XcVb2nRw8YpE"
client = blob(credentials, name)
blocks = []
for index, start in enumerate(range(0, len(ciphertext), 8192)):
    block_id = base64.b64encode(("block-%010d" % index).encode()).decode()
    client.stage_block(block_id, ciphertext[start:start + 8192])
    blocks.append(block_id)
client.commit_block_list(blocks, metadata={"iv": base64.b64encode(iv).decode()})
observed["blocks"] = len(blocks)

record = api("POST", "/api/v3/files/", {
    "typeId": 1, "name": "input.txt", "encodedEncryptionKey": base64.b64encode(key).decode(),
    "pathParts": {"container": storage["connectionSettings"]["container"], "path": name},
    "storage": {"id": storage["id"], "storageType": storage["storageType"],
                "encryptionType": storage["encryptionType"], "connectionSettings": {}},
    "isUploaded": True, "decryptedSize": len(plaintext),
    "fileChecksums": [{"hashFunction": "sha512", "fileHash": hashlib.sha512(plaintext).hexdigest()}],
})
job = api("POST", "/api/v3/jobs/", {
    "name": "azure-sdk", "isLowPriority": False,
    "jobanalyses": [{"command": "wc -l < input.txt > count.txt; rev input.txt | head -n 1 > first.txt",
                     "analysis": {"code": "user_included"},
                     "hardware": {"coreType": {"code": "emerald"}, "coresPerSlot": 4},
                     "inputFiles": [{"id": record["id"], "decompress": False}],
                     "useRescaleLicense": False, "onDemandLicenseSeller": None,
                     "userDefinedLicenseSettings": None}],
})
api("POST", "/api/v2/jobs/%s/submit/" % job["id"])
deadline = time.time() + 60
while time.time() < deadline:
    status = api("GET", "/api/v3/jobs/%s/statuses/" % job["id"])["results"][0]
    if status["status"] == "Completed":
        break
    time.sleep(0.05)
observed["final"] = [status["status"], status.get("statusReason", "")]

outputs = api("GET", "/api/v2/jobs/%s/files/" % job["id"])["results"]
credentials = api("POST", "/api/v3/credentials/")
contents = {}
for output in outputs:
    client = blob(credentials, output["pathParts"]["path"])
    properties = client.get_blob_properties()
    meta = {k.lower(): v for k, v in properties.metadata.items()}
    observed.setdefault("output_metadata_keys", sorted(meta))
    data = decrypt(client.download_blob().readall(), base64.b64decode(output["encodedEncryptionKey"]),
                   base64.b64decode(meta["iv"]))
    if hashlib.sha512(data).hexdigest() != output["fileChecksums"][0]["fileHash"]:
        raise SystemExit("checksum mismatch for " + output["name"])
    contents[output["name"]] = data.decode()
observed["outputs"] = contents

first = outputs[0]["pathParts"]["path"]
urllib.request.urlopen(urllib.request.Request(BASE + "/_sim/credentials/expire", data=b"", method="POST"))
try:
    blob(credentials, first).get_blob_properties()
    observed["revoked"] = "accepted"
except HttpResponseError as error:
    observed["revoked"] = error.error_code
fresh = api("POST", "/api/v3/credentials/")
observed["fresh_size"] = blob(fresh, first).get_blob_properties().size
print(json.dumps(observed))
