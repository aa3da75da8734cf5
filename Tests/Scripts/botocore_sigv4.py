#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signs the requests described in a JSON file with botocore, as boto3 signs S3 requests.

S3SignerTests (Tests/QuireStorageTests) writes the cases and compares Quire's signer with
what this prints, byte for byte. Usage: botocore_sigv4.py CASES.json  (prints JSON).
Each case: method, endpoint, bucket, key (or null: the bucket), pathStyle, region, query
([[name, value]], unencoded), headers ([[name, value]]), accessKey, secretKey, token (or
null), time (Unix seconds), body (text) or unsignedPayload, presignExpires (or null).
"""
import datetime
import json
import sys
from unittest import mock
from urllib.parse import urlsplit

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence


def url_for(case):
    """The URL botocore's S3 client builds: the key encoded as its serializer does (safe '/~')."""
    endpoint = urlsplit(case["endpoint"])
    key = case.get("key")
    encoded_key = percent_encode(key, safe="/~") if key is not None else None
    if case["pathStyle"]:
        netloc = endpoint.netloc
        path = "/" + case["bucket"] + ("/" + encoded_key if encoded_key is not None else "")
    else:
        netloc = case["bucket"] + "." + endpoint.netloc
        path = "/" + (encoded_key or "")
    url = f"{endpoint.scheme}://{netloc}{path}"
    if case["query"]:
        url += "?" + percent_encode_sequence([tuple(pair) for pair in case["query"]])
    return url


def sign(case):
    credentials = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
    now = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc)
    url = url_for(case)
    headers = {name: value for name, value in case["headers"]}
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        if case.get("presignExpires") is not None:
            request = AWSRequest(method=case["method"], url=url, headers=headers)
            S3SigV4QueryAuth(credentials, "s3", case["region"], expires=case["presignExpires"]).add_auth(request)
            return {"url": request.url, "headers": {}}
        request = AWSRequest(method=case["method"], url=url, headers=headers, data=case["body"].encode())
        if case["unsignedPayload"]:
            request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        S3SigV4Auth(credentials, "s3", case["region"]).add_auth(request)
        return {"url": request.url, "headers": {name.lower(): value for name, value in request.headers.items()}}


with open(sys.argv[1]) as file:
    cases = json.load(file)
print(json.dumps([sign(case) for case in cases]))
