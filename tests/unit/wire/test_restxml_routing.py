"""Routing rest-xml requests to operations: every S3 operation as botocore serializes it, and S3's ambiguities."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.model import OperationModel, StructureShape
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence

from hutch.errors import ServiceError
from hutch.wire.codec import codec_for
from hutch.wire.http import Body, Headers, HttpRequest
from hutch.wire.models import service_model

# Pairs the S3 wire cannot tell apart: the deprecated operation and its replacement share method, URI and
# members; S3 Express's ListDirectoryBuckets is GET / like ListBuckets. The router picks the current one.
_SAME_ON_THE_WIRE = {
    "GetBucketLifecycle": "GetBucketLifecycleConfiguration",
    "GetBucketNotification": "GetBucketNotificationConfiguration",
    "PutBucketLifecycle": "PutBucketLifecycleConfiguration",
    "PutBucketNotification": "PutBucketNotificationConfiguration",
    "ListDirectoryBuckets": "ListBuckets",
}


def _required_only(shape: StructureShape) -> dict[str, Any]:
    sample = {
        "string": "x1",
        "integer": 1,
        "long": 1,
        "boolean": True,
        "blob": b"x",
        "timestamp": "2024-01-01T00:00:00Z",
    }
    out: dict[str, Any] = {}
    for name in shape.required_members:
        member = shape.members[name]
        if isinstance(member, StructureShape):
            out[name] = _required_only(member)
        elif member.type_name == "list":
            item = member.member
            out[name] = [_required_only(item) if isinstance(item, StructureShape) else sample[item.type_name]]
        elif member.type_name == "map":
            out[name] = {}
        else:
            out[name] = sample[member.type_name]
    return out


def _request(method: str, path: str, query: str = "", headers: dict[str, str] | None = None) -> HttpRequest:
    return HttpRequest(method, path, query, Headers((headers or {}).items()), Body.of(b""))


def _as_botocore_sends(op: OperationModel) -> HttpRequest:
    params = _required_only(op.input_shape) if op.input_shape is not None else {}
    serialized = create_serializer("rest-xml", include_validation=False).serialize_to_request(params, op)
    path, _, literal_query = serialized["url_path"].partition("?")
    query = percent_encode_sequence(serialized["query_string"])
    headers = {k: str(v) for k, v in serialized["headers"].items()}
    return _request(serialized["method"], path, "&".join(q for q in (literal_query, query) if q), headers)


def _route(request: HttpRequest) -> str:
    return codec_for("s3").find_operation(request, None).name


@pytest.mark.parametrize("operation", service_model("s3").operation_names)
def test_every_s3_operation_routes_back_to_itself(operation: str) -> None:
    op = service_model("s3").operation_model(operation)

    assert _route(_as_botocore_sends(op)) == _SAME_ON_THE_WIRE.get(operation, operation)


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "expected"),
    [
        ("PUT", "/b/k", "", {}, "PutObject"),
        ("PUT", "/b/k", "", {"x-amz-copy-source": "src/k"}, "CopyObject"),
        ("PUT", "/b/k", "partNumber=1&uploadId=u", {}, "UploadPart"),
        ("PUT", "/b/k", "partNumber=1&uploadId=u", {"x-amz-copy-source": "src/k"}, "UploadPartCopy"),
        ("PUT", "/b/k", "x-id=PutObject", {}, "PutObject"),
        ("GET", "/b/k", "", {}, "GetObject"),
        ("GET", "/b/k", "uploadId=u", {}, "ListParts"),
        ("GET", "/b/k", "tagging", {}, "GetObjectTagging"),
        ("DELETE", "/b/k", "", {}, "DeleteObject"),
        ("DELETE", "/b/k", "uploadId=u", {}, "AbortMultipartUpload"),
        ("POST", "/b/k", "uploads", {}, "CreateMultipartUpload"),
        ("POST", "/b/k", "uploadId=u", {}, "CompleteMultipartUpload"),
        ("POST", "/b", "delete", {}, "DeleteObjects"),
        ("GET", "/b", "", {}, "ListObjects"),
        ("GET", "/b/", "", {}, "ListObjects"),
        ("GET", "/b", "list-type=2&prefix=a", {}, "ListObjectsV2"),
        ("GET", "/b", "uploads", {}, "ListMultipartUploads"),
        ("GET", "/b", "location", {}, "GetBucketLocation"),
        ("GET", "/b", "policy", {}, "GetBucketPolicy"),
        ("GET", "/b", "analytics", {}, "ListBucketAnalyticsConfigurations"),
        ("GET", "/b", "analytics&id=a1", {}, "GetBucketAnalyticsConfiguration"),
        ("PUT", "/b", "", {}, "CreateBucket"),
        ("PUT", "/b", "cors", {}, "PutBucketCors"),
        ("HEAD", "/b", "", {}, "HeadBucket"),
        ("HEAD", "/b/k", "", {}, "HeadObject"),
        ("GET", "/", "", {}, "ListBuckets"),
        ("GET", "/b/a%2Fb/c", "", {}, "GetObject"),
    ],
)
def test_s3_requests_sharing_a_template_route_by_what_they_carry(
    method: str, path: str, query: str, headers: dict[str, str], expected: str
) -> None:
    assert _route(_request(method, path, query, headers)) == expected


def test_key_label_is_decoded_exactly_as_botocore_encoded_it() -> None:
    op = service_model("s3").operation_model("GetObject")
    key = "dir/a b+c%2F/ü/~!*'()&$@=;:,?#[]"
    serialized = create_serializer("rest-xml").serialize_to_request({"Bucket": "b", "Key": key}, op)

    params = codec_for("s3").parse(op, _request("GET", serialized["url_path"]), b"")

    assert params == {"Bucket": "b", "Key": key}


def test_a_method_the_resource_does_not_support_is_method_not_allowed() -> None:
    with pytest.raises(ServiceError) as caught:
        _route(_request("POST", "/b/k"))

    assert (caught.value.code, caught.value.status) == ("MethodNotAllowed", 405)
    assert caught.value.fields == {"Method": "POST", "ResourceType": "OBJECT"}


def test_an_http_method_s3_does_not_know_is_not_implemented() -> None:
    with pytest.raises(ServiceError) as caught:
        _route(_request("PATCH", "/b/k"))

    assert (caught.value.code, caught.value.status) == ("NotImplemented", 501)


def test_a_path_that_is_not_utf8_is_an_invalid_uri() -> None:
    op = service_model("s3").operation_model("GetObject")

    with pytest.raises(ServiceError) as caught:
        codec_for("s3").parse(op, _request("GET", "/b/%FF%FE"), b"")

    assert caught.value.code == "InvalidURI"
