"""Garbage in, ServiceError out: no input makes a codec raise anything else (which would become a 500)."""

from __future__ import annotations

import contextlib
import json
from functools import cache
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hutch.errors import ServiceError
from hutch.wire.codec import codec_for
from hutch.wire.http import Body, Headers, HttpRequest
from hutch.wire.models import service_model

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@cache
def _vocabulary(service: str) -> list[str]:
    """Member names and wire names of the service, so fuzzed input reaches deep into the shapes."""
    model = service_model(service)
    words = {"member", "entry", "key", "value", "Action", "Version", "1", "2", "10"}
    for name in model.shape_names:
        shape = model.shape_for(name)
        for member_name, member in getattr(shape, "members", {}).items():
            words.add(member_name)
            words.add(str(member.serialization.get("name", member_name)))
    return sorted(words)


def _survives(call: Any) -> None:
    with contextlib.suppress(ServiceError):
        call()


def _request(method: str, path: str, query: str, headers: list[tuple[str, str]], body: bytes) -> HttpRequest:
    return HttpRequest(method, path, query, Headers(headers), Body.of(body))


@st.composite
def _json_bodies(draw: st.DrawFn, service: str) -> bytes:
    words = _vocabulary(service)
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=200))
    document = draw(st.dictionaries(st.sampled_from(words), _JSON, max_size=6))
    return json.dumps(document).encode()


@FUZZ
@given(data=st.data())
def test_json_codecs_answer_garbage_with_service_errors(data: st.DataObject) -> None:
    service = data.draw(st.sampled_from(["cognito-idp", "cognito-identity"]))
    codec = codec_for(service)
    prefix = codec.service_model.metadata["targetPrefix"]
    name = data.draw(st.sampled_from(codec.service_model.operation_names))
    target = data.draw(st.sampled_from([f"{prefix}.{name}"] * 6 + [name, "", f"{prefix}.Nope"]))
    body = data.draw(_json_bodies(service))
    request = _request("POST", "/", "", [("x-amz-target", target)], body)

    _survives(lambda: codec.parse(codec.find_operation(request, body), request, body))


@st.composite
def _forms(draw: st.DrawFn, service: str) -> str:
    words = _vocabulary(service)
    model = service_model(service)
    pairs = [("Action", draw(st.sampled_from(model.operation_names))), ("Version", model.api_version)]
    for _ in range(draw(st.integers(0, 12))):
        key = ".".join(draw(st.lists(st.sampled_from(words) | st.text(max_size=4), min_size=1, max_size=5)))
        value = draw(
            st.text(max_size=12) | st.sampled_from(["true", "-1", "1e9", "2024-01-01T00:00:00Z", ""])
        )
        pairs.append((key, value))
    encoded = "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)
    return draw(st.sampled_from([encoded] * 4 + [encoded + "&%FF=%", encoded.replace("=", "", 1)]))


@FUZZ
@given(data=st.data())
def test_query_codecs_answer_garbage_with_service_errors(data: st.DataObject) -> None:
    service = data.draw(st.sampled_from(["iam", "sts"]))
    codec = codec_for(service)
    mode = data.draw(st.integers(0, 5))
    body = (
        data.draw(_forms(service)).encode()
        if mode
        else data.draw(st.binary(max_size=80) | st.text().map(str.encode))
    )
    request = _request("POST", "/", "", [("content-type", "application/x-www-form-urlencoded")], body)

    _survives(lambda: codec.parse(codec.find_operation(request, body), request, body))


_S3_HEADERS = [
    "x-amz-copy-source",
    "content-md5",
    "content-length",
    "x-amz-decoded-content-length",
    "content-encoding",
    "if-modified-since",
    "x-amz-object-lock-retain-until-date",
    "x-amz-meta-a",
    "x-amz-object-attributes",
    "x-amz-mfa",
    "expires",
    "x-amz-bypass-governance-retention",
    "range",
    "x-amz-tagging",
]
_S3_QUERY_KEYS = [
    "uploads",
    "uploadId",
    "partNumber",
    "list-type",
    "max-keys",
    "prefix",
    "delete",
    "tagging",
    "acl",
    "cors",
    "location",
    "policy",
    "versionId",
    "response-expires",
    "max-parts",
    "analytics",
    "id",
    "select",
    "select-type",
]


@st.composite
def _xml_bodies(draw: st.DrawFn) -> bytes:
    words = _vocabulary("s3")

    def element(depth: int) -> str:
        name = draw(st.sampled_from(words))
        if depth > 2 or draw(st.booleans()):
            return f"<{name}>{draw(st.sampled_from(['', 'true', '12', 'x', '2024-01-01T00:00:00Z', '&amp;']))}</{name}>"
        children = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3))))
        return f"<{name}>{children}</{name}>"

    return element(0).encode()


@FUZZ
@given(data=st.data())
def test_the_rest_xml_codec_answers_garbage_with_service_errors(data: st.DataObject) -> None:
    codec = codec_for("s3")
    method = data.draw(st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"]))
    segments = data.draw(st.lists(st.text(max_size=8), max_size=4))
    path = "/" + "/".join(quote(s, safe="") if data.draw(st.booleans()) else s for s in segments)
    keys = data.draw(st.lists(st.sampled_from(_S3_QUERY_KEYS) | st.text(max_size=5), max_size=4))
    query = "&".join(f"{k}={data.draw(st.text(max_size=6))}" if data.draw(st.booleans()) else k for k in keys)
    headers = [
        (name, data.draw(st.text(alphabet=st.characters(max_codepoint=255), max_size=20)))
        for name in data.draw(st.lists(st.sampled_from(_S3_HEADERS), max_size=4))
    ]
    body = data.draw(_xml_bodies() | st.binary(max_size=100))
    request = _request(method, path, query, headers, body)

    def route_and_parse() -> None:
        op = codec.find_operation(request, None)
        if codec.has_streaming_input(op):
            codec.parse(op, request, None, None)
        else:
            codec.parse(op, request, body)

    _survives(route_and_parse)


@FUZZ
@given(data=st.data())
def test_every_s3_payload_parser_answers_garbage_with_service_errors(data: st.DataObject) -> None:
    codec = codec_for("s3")
    model = codec.service_model
    names = [
        n
        for n in model.operation_names
        if (s := model.operation_model(n).input_shape) is not None and s.serialization.get("payload")
    ]
    op = model.operation_model(data.draw(st.sampled_from(names)))
    body = data.draw(_xml_bodies() | st.binary(max_size=100))
    request = _request("PUT", "/bucket/key", "", [], body)

    _survives(lambda: codec.parse(op, request, body))
