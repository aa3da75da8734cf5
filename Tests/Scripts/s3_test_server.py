#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""An S3-compatible server for Quire's tests: moto, on a free loopback port, signatures enforced.

Prints one JSON line {"endpoint", "region", "accessKeyID", "secretAccessKey"} once an IAM user
with an s3:* policy and an access key exist; from then on every request must carry a valid
Signature V4 made with that key. Stops when its standard input closes, so it ends with the
test process that started it (Tests/QuireTestSupport/S3TestServer.swift).

moto 5.2.1 checks header signatures, but three gaps are filled here (all moto's, not S3's):
- it checks them over werkzeug's re-encoded URL, where `%2B` has become `+` and non-ASCII
  bytes are raw, so a correct signature of a key like "a+b" or "é" is refused (boto3's too);
  the raw request line is used instead, as S3 does;
- it does not check presigned URLs at all (with auth on it fails with HTTP 500); here they are
  checked as S3 does: the signature with botocore's S3SigV4QueryAuth, then the expiry;
- it ignores GetObject's `response-content-type` and `response-content-disposition`, which
  S3 sends back as the answer's Content-Type and Content-Disposition on signed requests.
"""
import datetime
import json
import logging
import os
import sys
from urllib.parse import parse_qsl, urlsplit

os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
from botocore.auth import S3SigV4QueryAuth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from moto import settings  # noqa: E402
from moto.core import responses as moto_responses  # noqa: E402
from moto.core.authorization import ActionAuthenticatorMixin  # noqa: E402
from moto.s3.exceptions import S3AccessDeniedError  # noqa: E402
from moto.s3.responses import S3Response  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

# CreateUser, PutUserPolicy and CreateAccessKey pass unauthenticated; nothing after them does.
SETUP_REQUESTS = 3
settings.INITIAL_NO_AUTH_ACTION_COUNT = SETUP_REQUESTS

_setup_class = moto_responses.BaseResponse.setup_class


def setup_class(self, request, full_url, headers, *args, **kwargs):
    _setup_class(self, request, full_url, headers, *args, **kwargs)
    environ = getattr(request, "environ", {})
    # werkzeug's dev server keeps the request target as sent in RAW_URI.
    self.quire_raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")


moto_responses.BaseResponse.setup_class = setup_class


class RequestExpired(S3AccessDeniedError):
    def __init__(self):
        super().__init__()
        self.message = "Request has expired"


def authenticate(self, iam_request_cls, resource="*"):
    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return
    raw = getattr(self, "quire_raw_uri", None) or self.uri
    path, _, query = raw.partition("?")
    if "Authorization" in self.headers:
        request = iam_request_cls(
            account_id=self.current_account, method=self.method, path=raw, data=self.data,
            body=self.raw_body, headers=self.headers, action=self._get_action())
        request.check_signature()
        request.check_action_permitted(resource)
        return
    params = dict(parse_qsl(query, keep_blank_values=True))
    if "X-Amz-Signature" not in params:
        raise S3AccessDeniedError()
    credential = params["X-Amz-Credential"]
    signed_names = params["X-Amz-SignedHeaders"].split(";")
    headers = {name: value for name, value in self.headers.items() if name.lower() in signed_names}
    # An Authorization header made from the query lets moto find the key and its policies.
    auth_headers = dict(self.headers.items())
    auth_headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={params['X-Amz-SignedHeaders']}, "
        f"Signature={params['X-Amz-Signature']}")
    iam_request = iam_request_cls(
        account_id=self.current_account, method=self.method, path=raw, data=self.data,
        body=self.raw_body, headers=auth_headers, action=self._get_action())
    _, region, service = credential.split("/")[1:4]
    unsigned_query = "&".join(pair for pair in query.split("&") if not pair.startswith("X-Amz-Signature="))
    request = AWSRequest(method=self.method, url=f"{path}?{unsigned_query}", headers=headers)
    request.context["timestamp"] = params["X-Amz-Date"]
    auth = S3SigV4QueryAuth(iam_request._access_key.create_credentials(), service, region)
    expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    if expected != params["X-Amz-Signature"]:
        iam_request._raise_signature_does_not_match()
    signed_at = datetime.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    expires = signed_at + datetime.timedelta(seconds=int(params["X-Amz-Expires"]))
    if datetime.datetime.now(datetime.timezone.utc) > expires:
        raise RequestExpired()
    iam_request.check_action_permitted(resource)


ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate

RESPONSE_OVERRIDES = {"response-content-type": "Content-Type", "response-content-disposition": "Content-Disposition"}
_key_response = S3Response.key_response


def key_response(self, request, full_url, headers):
    status, response_headers, body = _key_response(self, request, full_url, headers)
    if request.method in ("GET", "HEAD") and 200 <= status < 300:
        query = dict(parse_qsl(urlsplit(full_url).query, keep_blank_values=True))
        for parameter, header in RESPONSE_OVERRIDES.items():
            if parameter in query:
                response_headers = {name: value for name, value in response_headers.items() if name.lower() != header.lower()}
                response_headers[header] = query[parameter]
    return status, response_headers, body


S3Response.key_response = key_response


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on stderr
    import boto3

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup",
                       aws_secret_access_key="setup")
    iam.create_user(UserName="quire")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="quire", PolicyName="quire-s3", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="quire")["AccessKey"]
    print(json.dumps({"endpoint": endpoint, "region": "us-east-1", "accessKeyID": key["AccessKeyId"],
                      "secretAccessKey": key["SecretAccessKey"]}), flush=True)
    sys.stdin.read()  # until the test process closes our stdin (or dies)
    os._exit(0)  # the server thread is a daemon; skip its slow shutdown


if __name__ == "__main__":
    main()
