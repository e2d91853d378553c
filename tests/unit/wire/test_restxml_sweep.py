"""Every S3 operation, with values generated from the model: its input parses back to what botocore
serialized, and its output reaches botocore as the dict the handler returned.

Headers, header maps, query members, URI labels (any key), XML payloads (flattened lists, attributes,
nested structures), raw string payloads and streamed blobs are all covered. A few values are shaped to what
HTTP and botocore's S3 customizations can carry: header text is printable ASCII without edge whitespace,
header timestamps have whole seconds, ``Expires`` and ``EncodingType`` (rewritten by botocore's S3 handlers)
and checksums and digests (computed or verified by botocore itself) are left out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hutch.wire.models import service_model
from hutch.wire.validate import violations
from tests.unit.wire.oracle import WIRE_ADDED, Oracle, without_metadata
from tests.unit.wire.strategies import values

_MODEL = service_model("s3")
_SKIPPED = {
    "SelectObjectContent",  # an event stream, which hutch does not serve
    "WriteGetObjectResponse",  # Object Lambda: botocore sends it to a per-request host
    "CreateSession",  # S3 Express: botocore routes it through session auth
    # Same on the wire as their replacements (see test_restxml_routing), so served as those.
    "GetBucketLifecycle",
    "GetBucketNotification",
    "PutBucketLifecycle",
    "PutBucketNotification",
    "ListDirectoryBuckets",
}
_REWRITTEN_BY_BOTOCORE = {"Expires", "EncodingType"}
_HEADER_TEXT = st.from_regex(r"[!-~]([ -~]{0,20}[!-~])?", fullmatch=True).filter(lambda s: "," not in s)
_HEADER_NAME = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_WHOLE_SECONDS = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
_ORACLE: list[Oracle] = []


def _oracle() -> Oracle:
    if not _ORACLE:
        _ORACLE.append(Oracle("s3"))
    return _ORACLE[0]


def _sample_input(shape: StructureShape) -> dict[str, Any]:
    samples = {
        "integer": 1,
        "long": 1,
        "boolean": True,
        "blob": b"x",
        "timestamp": datetime(2024, 1, 1, tzinfo=UTC),
    }
    out: dict[str, Any] = {}
    required = list(shape.required_members)
    if shape.is_tagged_union:
        required = list(shape.members)[:1]  # exactly one member of a union
    for name in required:
        member = shape.members[name]
        if isinstance(member, StructureShape):
            out[name] = _sample_input(member)
        elif isinstance(member, ListShape):
            item = member.member
            out[name] = [
                _sample_input(item) if isinstance(item, StructureShape) else (item.enum or ["x1"])[0]
            ]
        elif isinstance(member, MapShape):
            out[name] = {}
        elif member.type_name == "string":
            text = "bucket-1" if name == "Bucket" else "x" * max(2, int(member.metadata.get("min", 0)))
            out[name] = (getattr(member, "enum", None) or [text])[0]
        else:
            out[name] = samples[member.type_name]
    return out


def _header_value(shape: Shape) -> st.SearchStrategy[Any]:
    if shape.type_name == "string":
        enum = getattr(shape, "enum", None)
        return st.sampled_from(list(enum)) if enum else _HEADER_TEXT
    if shape.type_name == "timestamp":
        return _WHOLE_SECONDS
    if isinstance(shape, ListShape):
        return st.lists(_header_value(shape.member), min_size=1, max_size=3)
    return values(shape, xml_safe=True, response=True)


@st.composite
def _outputs(draw: st.DrawFn, operation: str) -> dict[str, Any]:
    shape = _MODEL.operation_model(operation).output_shape
    if shape is None:
        return {}
    result: dict[str, Any] = {}
    payload = shape.serialization.get("payload")
    for name, member in shape.members.items():
        streams = _MODEL.operation_model(operation).has_streaming_output
        if name in _REWRITTEN_BY_BOTOCORE or (streams and name.startswith("Checksum")):
            continue
        if not draw(st.booleans()):
            continue
        location = member.serialization.get("location")
        if location == "header":
            result[name] = draw(_header_value(member))
        elif location == "headers":
            result[name] = draw(st.dictionaries(_HEADER_NAME, _HEADER_TEXT, max_size=3))
        elif name == payload and member.type_name in ("blob", "string"):
            result[name] = draw(
                st.binary(max_size=64) if member.type_name == "blob" else st.text(max_size=64)
            )
        else:
            result[name] = draw(values(member, xml_safe=True, response=True))
    if (
        payload is not None
        and "ContentLength" in shape.members
        and shape.members[payload].type_name == "blob"
    ):
        # botocore checks a streamed body against Content-Length.
        result[payload] = result.get(payload, b"")
        result["ContentLength"] = len(result[payload])
    return result


def _as_botocore_presents(shape: Shape, value: Any) -> Any:
    """Empty flattened lists are simply absent from XML, empty header maps and header lists from headers."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        out = {}
        for name, item in value.items():
            member = shape.members[name]
            in_headers = member.serialization.get("location") in ("header", "headers")
            if (
                not item
                and isinstance(member, ListShape | MapShape)
                and (in_headers or member.serialization.get("flattened"))
            ):
                continue
            out[name] = _as_botocore_presents(member, item)
        return out
    if isinstance(shape, ListShape):
        return [_as_botocore_presents(shape.member, item) for item in value]
    return value


@pytest.mark.parametrize("operation", sorted(set(_MODEL.operation_names) - _SKIPPED))
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(data=st.data())
def test_s3_output_reaches_botocore_as_returned(operation: str, data: st.DataObject) -> None:
    op = _MODEL.operation_model(operation)
    params = _sample_input(op.input_shape) if op.input_shape is not None else {}
    result = data.draw(_outputs(operation))
    oracle = _oracle()

    response = without_metadata(oracle.call(operation, params, result))

    assert oracle.last.operation == operation
    response = {k: v.read() if hasattr(v, "read") else v for k, v in response.items()}  # streamed payloads
    expected = _as_botocore_presents(op.output_shape, result) if op.output_shape is not None else {}
    payload = op.output_shape.serialization.get("payload") if op.output_shape is not None else None
    if payload is not None and payload not in expected:
        # botocore always presents the payload member: an empty stream, string or structure.
        kind = op.output_shape.members[payload].type_name
        if kind == "blob":
            expected[payload] = b""
        elif kind == "string":
            expected[payload] = ""
        elif kind == "structure":
            expected[payload] = {}
    for name, member in op.output_shape.members.items() if op.output_shape is not None else ():
        if member.serialization.get("location") == "headers":
            expected.setdefault(name, {})  # botocore always presents header maps (x-amz-meta-*)
    if operation == "GetBucketLocation":
        # botocore reads the bare root's text: absent or empty is None (us-east-1).
        expected["LocationConstraint"] = expected.get("LocationConstraint") or None
    assert response == expected


# ---- requests -------------------------------------------------------------------------------------------

# Members botocore computes or rewrites on the wire itself (checksums, lengths, digests the codec verifies).
_COMPUTED_BY_BOTOCORE = {"ContentLength", "ContentMD5"}
_BUCKET = st.from_regex(r"[a-z0-9][a-z0-9-]{1,20}[a-z0-9]", fullmatch=True)
_KEY = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


def _query_value(shape: Shape) -> st.SearchStrategy[Any]:
    if shape.type_name == "string":
        enum = getattr(shape, "enum", None)
        return (
            st.sampled_from(list(enum))
            if enum
            else st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
        )
    if shape.type_name == "timestamp" and shape.serialization.get("timestampFormat") == "rfc822":
        return _WHOLE_SECONDS
    return values(shape, xml_safe=False, response=False)


@st.composite
def _inputs(draw: st.DrawFn, operation: str) -> dict[str, Any]:
    shape = _MODEL.operation_model(operation).input_shape
    if shape is None:
        return {}
    params: dict[str, Any] = {}
    payload = shape.serialization.get("payload")
    for name, member in shape.members.items():
        if name in _COMPUTED_BY_BOTOCORE or name.startswith("Checksum"):
            continue
        if name not in shape.required_members and not draw(st.booleans()):
            continue
        location = member.serialization.get("location")
        if location == "uri":
            params[name] = draw(_BUCKET if name == "Bucket" else _KEY)
        elif location == "querystring":
            params[name] = draw(_query_value(member))
        elif location == "header":
            params[name] = draw(_header_value(member))
        elif location == "headers":
            params[name] = draw(st.dictionaries(_HEADER_NAME, _HEADER_TEXT, max_size=3))
        elif name == payload and member.type_name == "blob":
            params[name] = draw(st.binary(max_size=64))
        elif name == payload and member.type_name == "string":
            # An empty document is no body at all (MissingRequestBodyError when required).
            params[name] = draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=64))
        else:
            params[name] = draw(values(member, xml_safe=True, response=False))
    if params.get("ContentEncoding") and "aws-chunked" in params["ContentEncoding"]:
        del params["ContentEncoding"]  # framing the pipeline has already undone
    return params


@pytest.mark.parametrize("operation", sorted(set(_MODEL.operation_names) - _SKIPPED))
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(data=st.data())
def test_s3_input_parses_as_botocore_sent_it(operation: str, data: st.DataObject) -> None:
    params = data.draw(_inputs(operation))
    shape = _MODEL.operation_model(operation).input_shape
    if shape is not None:
        # A required flattened list left empty puts nothing on the wire (S3 would answer MalformedXML).
        assume(not violations(shape, _as_botocore_presents(shape, params), constraints=False))
    oracle = _oracle()

    oracle.call(operation, params, {})

    exchange = oracle.last
    assert exchange.operation == operation
    extra = set(exchange.parsed) - set(exchange.sent)
    op = _MODEL.operation_model(operation)
    streamed = {op.input_shape.serialization["payload"]} if op.has_streaming_input else set()
    # A streamed payload is always handed over, empty when the client sent none.
    assert extra <= WIRE_ADDED | streamed
    sent = _as_botocore_presents(shape, exchange.sent) if shape is not None else {}
    assert {k: exchange.parsed.get(k) for k in sent} == sent
