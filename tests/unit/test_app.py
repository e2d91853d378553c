"""The pipeline in process (ASGI calls on a real Runtime): what runs on the event loop, and body limits.

Every connection shares the event loop, so decoding a big body there stalls them all: such bodies are
routed, decoded and parsed in a worker thread, while small ones (nearly every request) stay inline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import unquote, urlencode, urlsplit

import anyio
import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from hutch import app as app_module
from hutch.app import INLINE_PARSE_BYTES, MAX_API_BODY_BYTES, HutchApp
from hutch.config import Config
from hutch.runtime import Runtime
from hutch.wire import routing
from hutch.wire.json_protocol import JsonCodec

ENDPOINT = "http://127.0.0.1:4577"


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    runtime = Runtime(Config(data_dir=Path(tmp_path_factory.mktemp("app")) / "data"))
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def hutch_app(rt: Runtime) -> HutchApp:
    return HutchApp(rt)


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, loop_thread: int) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.loop_thread = loop_thread

    def __repr__(self) -> str:
        return f"Answer({self.status}, {self.body[:300]!r})"


def call(
    app: HutchApp, method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> Answer:
    parts = urlsplit(url)
    header_list = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    if not any(name == b"host" for name, _ in header_list):
        header_list.append((b"host", parts.netloc.encode()))
    scope = {
        "type": "http",
        "method": method,
        "path": unquote(parts.path),
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "headers": header_list,
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
    }
    messages: list[dict[str, Any]] = []
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return pending.pop() if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    async def run() -> int:
        await app(scope, receive, send)
        return threading.get_ident()

    loop_thread = anyio.run(run)
    start = messages[0]
    return Answer(
        start["status"],
        {k.decode(): v.decode() for k, v in start["headers"]},
        b"".join(m.get("body", b"") for m in messages[1:]),
        loop_thread,
    )


def signed(
    rt: Runtime, service: str, method: str, url: str, headers: dict[str, str], body: bytes = b""
) -> dict[str, str]:
    root = rt.installation.root
    if service == "s3" and body:
        # DeleteObjects (and other bodies S3 must not misread) require an integrity header.
        headers = {**headers, "content-md5": base64.b64encode(hashlib.md5(body).digest()).decode()}
    request = AWSRequest(method=method, url=url, headers=headers, data=body)
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(Credentials(root.access_key_id, root.secret_access_key), service, rt.region).add_auth(request)
    return dict(request.headers.items())


def recording(calls: list[int], work: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(threading.get_ident())
        return work(*args, **kwargs)

    return wrapper


def _initiate_auth(metadata_bytes: int) -> bytes:
    document = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": "noclient",
        "AuthParameters": {"USERNAME": "u", "PASSWORD": "p"},
        "ClientMetadata": {"pad": "x" * metadata_bytes},
    }
    return json.dumps(document).encode()


JSON_HEADERS = {
    "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
    "content-type": "application/x-amz-json-1.1",
}


# --- what runs on the event loop --------------------------------------------------------------------------


def test_a_large_json_body_is_parsed_off_the_event_loop(hutch_app: HutchApp) -> None:
    parsed_in: list[int] = []
    with mock.patch.object(JsonCodec, "parse", recording(parsed_in, JsonCodec.parse)):
        answer = call(hutch_app, "POST", ENDPOINT + "/", JSON_HEADERS, _initiate_auth(4 * INLINE_PARSE_BYTES))
    assert answer.status == 400  # no such client: the request got through parsing to the handler
    assert parsed_in and parsed_in[0] != answer.loop_thread


def test_a_large_form_body_is_routed_and_parsed_off_the_event_loop(hutch_app: HutchApp) -> None:
    form = urlencode(
        {
            "Action": "AssumeRoleWithWebIdentity",
            "Version": "2011-06-15",
            "RoleArn": "arn:aws:iam::123456789012:role/r",
            "RoleSessionName": "s",
            "WebIdentityToken": "t" * (2 * INLINE_PARSE_BYTES),
        }
    ).encode()
    routed_in: list[int] = []
    with mock.patch.object(routing, "route", recording(routed_in, routing.route)):
        answer = call(
            hutch_app,
            "POST",
            ENDPOINT + "/",
            {"content-type": "application/x-www-form-urlencoded"},
            form,
        )
    assert b"<ErrorResponse" in answer.body  # a token that is no JWT, refused by STS itself
    assert routed_in and routed_in[0] != answer.loop_thread


def test_a_small_form_body_is_routed_inline(hutch_app: HutchApp) -> None:
    routed_in: list[int] = []
    with mock.patch.object(routing, "route", recording(routed_in, routing.route)):
        answer = call(
            hutch_app,
            "POST",
            ENDPOINT + "/",
            {"content-type": "application/x-www-form-urlencoded"},
            b"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&WebIdentityToken=t",
        )
    assert routed_in == [answer.loop_thread]


def test_a_large_s3_xml_body_is_parsed_off_the_event_loop(rt: Runtime, hutch_app: HutchApp) -> None:
    bucket_url = ENDPOINT + "/parse-thread"
    call(
        hutch_app,
        "PUT",
        bucket_url,
        signed(rt, "s3", "PUT", bucket_url, {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}),
    )
    keys = "".join(f"<Object><Key>{'k' * 900}{i}</Key></Object>" for i in range(40))
    body = f"<Delete><Quiet>true</Quiet>{keys}</Delete>".encode()
    assert len(body) > INLINE_PARSE_BYTES
    url = bucket_url + "?delete"
    headers = signed(rt, "s3", "POST", url, {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}, body)
    codec = app_module.codec_for("s3")
    parsed_in: list[int] = []
    with mock.patch.object(type(codec), "parse", recording(parsed_in, type(codec).parse)):
        answer = call(hutch_app, "POST", url, headers, body)
    assert answer.status == 200, answer
    assert parsed_in and parsed_in[0] != answer.loop_thread


# --- body limits ------------------------------------------------------------------------------------------


def test_a_json_body_over_the_api_limit_is_refused(hutch_app: HutchApp) -> None:
    answer = call(hutch_app, "POST", ENDPOINT + "/", JSON_HEADERS, _initiate_auth(MAX_API_BODY_BYTES))
    assert answer.status == 413
    assert json.loads(answer.body)["__type"] == "RequestEntityTooLarge"


def test_a_form_body_over_the_api_limit_is_refused(hutch_app: HutchApp) -> None:
    body = b"Action=GetCallerIdentity&Version=2011-06-15&Pad=" + b"x" * MAX_API_BODY_BYTES
    answer = call(
        hutch_app, "POST", ENDPOINT + "/", {"content-type": "application/x-www-form-urlencoded"}, body
    )
    assert answer.status == 413


def _s3_body_answer(rt: Runtime, app: HutchApp, url: str, body: bytes) -> Answer:
    headers = signed(
        rt,
        "s3",
        "POST" if "delete" in url else "PUT",
        url,
        {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
        body,
    )
    return call(app, "POST" if "delete" in url else "PUT", url, headers, body)


def test_only_the_big_s3_xml_bodies_may_exceed_the_api_limit(rt: Runtime, hutch_app: HutchApp) -> None:
    bucket_url = ENDPOINT + "/big-bodies"
    call(
        hutch_app,
        "PUT",
        bucket_url,
        signed(rt, "s3", "PUT", bucket_url, {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}),
    )
    # 1,000 keys of 1,024 bytes: a DeleteObjects AWS accepts, past the 1 MiB of every other API body.
    keys = "".join(f"<Object><Key>{i:04d}{'k' * 1020}</Key></Object>" for i in range(1000))
    delete = f"<Delete><Quiet>true</Quiet>{keys}</Delete>".encode()
    assert len(delete) > MAX_API_BODY_BYTES
    assert _s3_body_answer(rt, hutch_app, bucket_url + "?delete", delete).status == 200

    tags = "".join(f"<Tag><Key>k{i}</Key><Value>v</Value></Tag>" for i in range(40_000))
    tagging = f"<Tagging><TagSet>{tags}</TagSet></Tagging>".encode()
    assert len(tagging) > MAX_API_BODY_BYTES
    refused = _s3_body_answer(rt, hutch_app, bucket_url + "?tagging", tagging)
    assert refused.status == 400
    assert b"<Code>MaxMessageLengthExceeded</Code>" in refused.body
