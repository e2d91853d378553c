"""S3 (rest-xml) through botocore: requests parse to what botocore serialized, responses parse to what we sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from hutch.errors import ServiceError
from hutch.wire.codec import codec_for
from hutch.wire.http import Body, Headers, HttpRequest
from hutch.wire.models import service_model
from hutch.wire.xml import parse_document
from tests.unit.wire.oracle import Oracle, assert_parsed_as_sent, without_metadata

WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
OWNER = {"ID": "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "DisplayName": "hutch"}
TRICKY_KEYS = [
    "plain.txt",
    "a b/c+d",
    "percent%2Fliteral",
    "ünï/cødé/🙂.bin",
    "/leading/slash",
    "x?y#z&w=v",
    "~!*'()",
]


@pytest.fixture(scope="module")
def s3() -> Oracle:
    return Oracle("s3")


def _op(name: str) -> Any:
    return service_model("s3").operation_model(name)


def _request(method: str, path: str, query: str = "", headers: dict[str, str] | None = None) -> HttpRequest:
    return HttpRequest(method, path, query, Headers((headers or {}).items()), Body.of(b""))


@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_put_object_parses_key_metadata_and_body_as_sent(s3: Oracle, key: str) -> None:
    params = {
        "Bucket": "bucket-1",
        "Key": key,
        "Body": b"hello world",
        "ContentType": "text/plain; charset=utf-8",
        "Metadata": {"color": "blue", "owner-id": "42"},
        "CacheControl": "max-age=60",
        "Tagging": "a=1&b=2",
    }

    response = s3.call("PutObject", params, {"ETag": '"5eb63bbbe01eeed093cb22bb8f5acdc3"', "VersionId": "v1"})

    assert_parsed_as_sent(s3.last)
    assert s3.last.parsed["ContentLength"] == len(b"hello world")
    assert response["ETag"] == '"5eb63bbbe01eeed093cb22bb8f5acdc3"'
    assert response["VersionId"] == "v1"


def test_a_streaming_body_is_handed_over_as_the_stream_itself() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"part"

    stream = chunks()
    request = _request("PUT", "/b/k", headers={"content-length": "4"})

    params = codec_for("s3").parse(_op("PutObject"), request, None, stream)

    assert params["Body"] is stream
    assert params["ContentLength"] == 4


def test_aws_chunked_framing_is_not_part_of_the_object() -> None:
    headers = {
        "content-encoding": "aws-chunked,gzip",
        "content-length": "312",
        "x-amz-decoded-content-length": "256",
    }

    params = codec_for("s3").parse(_op("PutObject"), _request("PUT", "/b/k", headers=headers), None, None)

    assert params["ContentEncoding"] == "gzip"
    assert params["ContentLength"] == 256


def test_get_object_returns_bytes_and_headers(s3: Oracle) -> None:
    result = {
        "Body": b"\x00\x01binary\xff",
        "ContentLength": 9,
        "ContentType": "application/octet-stream",
        "ETag": '"abc"',
        "LastModified": WHEN,
        "Metadata": {"color": "blue"},
        "AcceptRanges": "bytes",
        "VersionId": "v2",
    }

    response = s3.call(
        "GetObject", {"Bucket": "b", "Key": "k", "Range": "bytes=0-8", "VersionId": "v2"}, result
    )

    assert_parsed_as_sent(s3.last)
    assert response.pop("Body").read() == result.pop("Body")
    assert without_metadata(response) == result


def test_get_object_streams_an_async_body_through_untouched() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"one "
        yield b"two"

    body = chunks()

    response = codec_for("s3").serialize(_op("GetObject"), {"Body": body, "ContentLength": 7}, "rid")

    assert response.body is body
    assert ("Content-Length", "7") in response.headers


def test_get_object_with_an_async_body_reaches_botocore(s3: Oracle) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"streamed "
        yield b"bytes"

    response = s3.call("GetObject", {"Bucket": "b", "Key": "k"}, {"Body": chunks(), "ContentLength": 14})

    assert response["Body"].read() == b"streamed bytes"


def test_head_object_has_headers_and_no_body(s3: Oracle) -> None:
    result = {
        "ContentLength": 1234,
        "ContentType": "image/png",
        "ETag": '"e"',
        "LastModified": WHEN,
        "Metadata": {"k": "v"},
        "DeleteMarker": False,
        "PartsCount": 3,
    }

    response = s3.call(
        "HeadObject", {"Bucket": "b", "Key": "k", "IfNoneMatch": '"x"', "PartNumber": 1}, result
    )

    assert_parsed_as_sent(s3.last)
    assert s3.last.response_body == b""
    assert without_metadata(response) == result


def test_list_objects_v2_round_trip(s3: Oracle) -> None:
    params = {
        "Bucket": "b",
        "Prefix": "photos/2024 +/",
        "Delimiter": "/",
        "MaxKeys": 2,
        "ContinuationToken": "tok==",
        "StartAfter": "photos/a",
        "FetchOwner": True,
    }
    result = {
        "IsTruncated": True,
        "Contents": [
            {
                "Key": "photos%2Fa.jpg",
                "LastModified": WHEN,
                "ETag": '"1"',
                "Size": 10,
                "StorageClass": "STANDARD",
                "Owner": OWNER,
            },
            {
                "Key": "photos%2Fb.jpg",
                "LastModified": WHEN,
                "ETag": '"2"',
                "Size": 0,
                "StorageClass": "STANDARD",
            },
        ],
        "Name": "b",
        "Prefix": "photos/",
        "Delimiter": "/",
        "MaxKeys": 2,
        "CommonPrefixes": [{"Prefix": "photos/2024/"}],
        "EncodingType": "url",
        "KeyCount": 3,
        "NextContinuationToken": "next==",
    }

    response = s3.call("ListObjectsV2", params, result)

    assert_parsed_as_sent(s3.last)
    assert s3.last.parsed["EncodingType"] == "url"  # botocore always asks for url-encoded keys
    assert (
        parse_document(s3.last.response_body).tag
        == "{http://s3.amazonaws.com/doc/2006-03-01/}ListBucketResult"
    )
    # botocore url-decodes keys and prefixes because it asked for EncodingType=url.
    assert response["Contents"][0]["Key"] == "photos/a.jpg"
    assert response["KeyCount"] == 3
    assert response["IsTruncated"] is True
    assert response["CommonPrefixes"] == [{"Prefix": "photos/2024/"}]


def test_delete_objects_reads_the_xml_payload_and_writes_flattened_results(s3: Oracle) -> None:
    params = {
        "Bucket": "b",
        "Delete": {"Objects": [{"Key": "a b"}, {"Key": "ü", "VersionId": "v1"}], "Quiet": False},
    }
    result = {
        "Deleted": [{"Key": "a b"}, {"Key": "ü", "VersionId": "v1", "DeleteMarker": True}],
        "Errors": [{"Key": "locked", "Code": "AccessDenied", "Message": "Access Denied"}],
    }

    response = s3.call("DeleteObjects", params, result)

    assert_parsed_as_sent(s3.last)
    assert without_metadata(response) == result


def test_multipart_upload_round_trip(s3: Oracle) -> None:
    created = s3.call(
        "CreateMultipartUpload",
        {"Bucket": "b", "Key": "big", "ContentType": "video/mp4", "Metadata": {"m": "1"}},
        {"Bucket": "b", "Key": "big", "UploadId": "up-1"},
    )
    assert_parsed_as_sent(s3.last)
    assert created["UploadId"] == "up-1"
    assert parse_document(s3.last.response_body).tag.endswith("InitiateMultipartUploadResult")

    part = s3.call(
        "UploadPart",
        {"Bucket": "b", "Key": "big", "PartNumber": 2, "UploadId": "up-1", "Body": b"x" * 64},
        {"ETag": '"p2"'},
    )
    assert_parsed_as_sent(s3.last)
    assert s3.last.operation == "UploadPart"
    assert part["ETag"] == '"p2"'

    parts = [{"ETag": '"p1"', "PartNumber": 1}, {"ETag": '"p2"', "PartNumber": 2}]
    done = s3.call(
        "CompleteMultipartUpload",
        {"Bucket": "b", "Key": "big", "UploadId": "up-1", "MultipartUpload": {"Parts": parts}},
        {"Location": "http://h/b/big", "Bucket": "b", "Key": "big", "ETag": '"m-2"'},
    )
    assert_parsed_as_sent(s3.last)
    assert without_metadata(done) == {
        "Location": "http://h/b/big",
        "Bucket": "b",
        "Key": "big",
        "ETag": '"m-2"',
    }


def test_list_parts_and_abort_route_by_upload_id(s3: Oracle) -> None:
    listed = s3.call(
        "ListParts",
        {"Bucket": "b", "Key": "big", "UploadId": "up-1", "MaxParts": 5},
        {
            "Bucket": "b",
            "Key": "big",
            "UploadId": "up-1",
            "Parts": [{"PartNumber": 1, "ETag": '"p1"', "Size": 5, "LastModified": WHEN}],
        },
    )
    assert s3.last.operation == "ListParts"
    assert listed["Parts"][0]["LastModified"] == WHEN

    s3.call("AbortMultipartUpload", {"Bucket": "b", "Key": "big", "UploadId": "up-1"})
    assert s3.last.operation == "AbortMultipartUpload"
    assert s3.last.response.status == 204


def test_copy_object_reads_copy_source_and_writes_its_result(s3: Oracle) -> None:
    params = {
        "Bucket": "dst",
        "Key": "copy of ü",
        "CopySource": {"Bucket": "src", "Key": "orig inal+ü", "VersionId": "v9"},
        "MetadataDirective": "REPLACE",
        "Metadata": {"a": "b"},
    }
    result = {
        "CopyObjectResult": {"ETag": '"c"', "LastModified": WHEN},
        "VersionId": "v10",
        "CopySourceVersionId": "v9",
    }

    response = s3.call("CopyObject", params, result)

    assert s3.last.operation == "CopyObject"
    assert_parsed_as_sent(s3.last)
    # botocore sends the source URL-encoded; the S3 service decodes it.
    assert s3.last.parsed["CopySource"] == "src/orig%20inal%2B%C3%BC?versionId=v9"
    assert without_metadata(response) == result


def test_upload_part_copy_is_told_from_upload_part_by_the_copy_source(s3: Oracle) -> None:
    s3.call(
        "UploadPartCopy",
        {
            "Bucket": "b",
            "Key": "big",
            "PartNumber": 3,
            "UploadId": "u",
            "CopySource": "src/k",
            "CopySourceRange": "bytes=0-9",
        },
        {"CopyPartResult": {"ETag": '"cp"', "LastModified": WHEN}},
    )

    assert s3.last.operation == "UploadPartCopy"
    assert_parsed_as_sent(s3.last)


@pytest.mark.parametrize("region", ["eu-west-1", None])
def test_get_bucket_location_is_a_bare_location_constraint(s3: Oracle, region: str | None) -> None:
    response = s3.call("GetBucketLocation", {"Bucket": "b"}, {"LocationConstraint": region} if region else {})

    assert response["LocationConstraint"] == region
    assert parse_document(s3.last.response_body).tag.endswith("}LocationConstraint")


def test_bucket_policy_travels_as_the_raw_document(s3: Oracle) -> None:
    policy = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}'
    )

    s3.call("PutBucketPolicy", {"Bucket": "b", "Policy": policy})
    assert_parsed_as_sent(s3.last)

    response = s3.call("GetBucketPolicy", {"Bucket": "b"}, {"Policy": policy})
    assert s3.last.response_body == policy.encode()
    assert response["Policy"] == policy


def test_bucket_cors_round_trip(s3: Oracle) -> None:
    rules = [
        {
            "ID": "r1",
            "AllowedHeaders": ["*"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedOrigins": ["https://app.example.com", "http://localhost:3000"],
            "ExposeHeaders": ["ETag", "x-amz-request-id"],
            "MaxAgeSeconds": 3000,
        },
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]},
    ]

    s3.call("PutBucketCors", {"Bucket": "b", "CORSConfiguration": {"CORSRules": rules}})
    assert_parsed_as_sent(s3.last)

    response = s3.call("GetBucketCors", {"Bucket": "b"}, {"CORSRules": rules})
    assert response["CORSRules"] == rules
    assert parse_document(s3.last.response_body).tag.endswith("}CORSConfiguration")


def test_object_tagging_round_trip(s3: Oracle) -> None:
    tags = [{"Key": "project", "Value": "hutch"}, {"Key": "empty", "Value": ""}]

    s3.call("PutObjectTagging", {"Bucket": "b", "Key": "k", "Tagging": {"TagSet": tags}}, {"VersionId": "v"})
    assert_parsed_as_sent(s3.last)

    response = s3.call("GetObjectTagging", {"Bucket": "b", "Key": "k"}, {"TagSet": tags, "VersionId": "v"})
    assert without_metadata(response) == {"TagSet": tags, "VersionId": "v"}
    assert parse_document(s3.last.response_body).tag.endswith("}Tagging")


@pytest.mark.parametrize("configuration", [{"LocationConstraint": "eu-central-1"}, None])
def test_create_bucket_with_and_without_a_configuration(
    s3: Oracle, configuration: dict[str, str] | None
) -> None:
    params: dict[str, Any] = {"Bucket": "new-bucket", "ACL": "private"}
    if configuration:
        params["CreateBucketConfiguration"] = configuration

    response = s3.call("CreateBucket", params, {"Location": "/new-bucket"})

    assert_parsed_as_sent(s3.last)
    assert response["Location"] == "/new-bucket"


def test_list_buckets_round_trip(s3: Oracle) -> None:
    result = {
        "Buckets": [
            {"Name": "a", "CreationDate": WHEN, "BucketRegion": "us-east-1"},
            {"Name": "b", "CreationDate": WHEN},
        ],
        "Owner": OWNER,
    }

    response = s3.call("ListBuckets", {}, result)

    assert without_metadata(response) == result
    assert parse_document(s3.last.response_body).tag.endswith("}ListAllMyBucketsResult")


def test_delete_object_answers_204(s3: Oracle) -> None:
    response = s3.call(
        "DeleteObject", {"Bucket": "b", "Key": "gone"}, {"DeleteMarker": True, "VersionId": "dm"}
    )

    assert s3.last.response.status == 204
    assert response["DeleteMarker"] is True


def test_acl_grantee_type_travels_as_an_xsi_attribute(s3: Oracle) -> None:
    grants = [
        {
            "Grantee": {"ID": OWNER["ID"], "Type": "CanonicalUser", "DisplayName": "hutch"},
            "Permission": "FULL_CONTROL",
        },
        {
            "Grantee": {"URI": "http://acs.amazonaws.com/groups/global/AllUsers", "Type": "Group"},
            "Permission": "READ",
        },
    ]

    s3.call(
        "PutObjectAcl", {"Bucket": "b", "Key": "k", "AccessControlPolicy": {"Grants": grants, "Owner": OWNER}}
    )
    assert_parsed_as_sent(s3.last)

    response = s3.call("GetObjectAcl", {"Bucket": "b", "Key": "k"}, {"Owner": OWNER, "Grants": grants})
    assert without_metadata(response) == {"Owner": OWNER, "Grants": grants}
    assert b'xsi:type="CanonicalUser"' in s3.last.response_body


# ---- errors ---------------------------------------------------------------------------------------------


def test_a_modeled_error_raises_its_exception_class_with_s3_fields(s3: Oracle) -> None:
    error = ServiceError("NoSuchKey", "The specified key does not exist.", 404, fields={"Key": "missing"})

    with pytest.raises(s3.client.exceptions.NoSuchKey) as caught:
        s3.call("GetObject", {"Bucket": "b", "Key": "missing"}, error)

    details = caught.value.response["Error"]
    assert details == {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "missing"}
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_no_such_bucket_raises_its_exception_class(s3: Oracle) -> None:
    error = ServiceError(
        "NoSuchBucket", "The specified bucket does not exist", 404, fields={"BucketName": "nope"}
    )

    with pytest.raises(s3.client.exceptions.NoSuchBucket):
        s3.call("ListObjectsV2", {"Bucket": "nope"}, error)


def test_errors_to_head_requests_have_no_body_as_s3(s3: Oracle) -> None:
    with pytest.raises(ClientError) as caught:
        s3.call("HeadObject", {"Bucket": "b", "Key": "missing"}, ServiceError("NoSuchKey", "nope", 404))

    assert s3.last.response_body == b""
    assert caught.value.response["Error"]["Code"] == "404"


def test_not_modified_has_no_body(s3: Oracle) -> None:
    with pytest.raises(ClientError) as caught:
        s3.call(
            "GetObject",
            {"Bucket": "b", "Key": "k", "IfNoneMatch": '"e"'},
            ServiceError("NotModified", "", 304),
        )

    assert s3.last.response_body == b""
    assert caught.value.response["Error"]["Code"] == "304"


def test_error_headers_and_host_id_are_sent() -> None:
    error = ServiceError(
        "PermanentRedirect", "Use the right endpoint.", 301, headers={"x-amz-bucket-region": "eu-west-1"}
    )

    response = codec_for("s3").serialize_error(error, "REQ1", _op("ListObjectsV2"))

    assert response.header("x-amz-bucket-region") == "eu-west-1"
    root = parse_document(response.body if isinstance(response.body, bytes) else b"")
    assert [child.tag for child in root] == ["Code", "Message", "RequestId", "HostId"]


# ---- bad input ------------------------------------------------------------------------------------------


def _parse(
    op: str, method: str, path: str, body: bytes, query: str = "", headers: dict[str, str] | None = None
) -> Any:
    return codec_for("s3").parse(_op(op), _request(method, path, query, headers), body)


def test_content_md5_that_does_not_match_is_bad_digest() -> None:
    body = b"<Delete><Object><Key>a</Key></Object></Delete>"

    with pytest.raises(ServiceError) as caught:
        _parse("DeleteObjects", "POST", "/b", body, "delete", {"content-md5": "1B2M2Y8AsgTpgAmY7PhCfg=="})

    assert caught.value.code == "BadDigest"


def test_content_md5_that_is_not_an_md5_is_invalid_digest() -> None:
    with pytest.raises(ServiceError) as caught:
        _parse("PutBucketPolicy", "PUT", "/b", b"{}", "policy", {"content-md5": "not-base64!"})

    assert caught.value.code == "InvalidDigest"


def test_a_matching_content_md5_is_accepted() -> None:
    params = _parse(
        "PutBucketPolicy", "PUT", "/b", b"{}", "policy", {"content-md5": "mZFLkyvTelC5g8XnyQrpOw=="}
    )

    assert params["Policy"] == "{}"


@pytest.mark.parametrize(
    "body",
    [
        b"<Delete><Object><Key>a</Key></Object>",
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><Delete/>',
    ],
)
def test_xml_that_is_malformed_or_carries_a_dtd_is_malformed_xml(body: bytes) -> None:
    with pytest.raises(ServiceError) as caught:
        _parse("DeleteObjects", "POST", "/b", body, "delete")

    assert caught.value.code == "MalformedXML"


def test_a_required_payload_that_is_missing_is_missing_request_body() -> None:
    with pytest.raises(ServiceError) as caught:
        _parse("DeleteObjects", "POST", "/b", b"", "delete")

    assert caught.value.code == "MissingRequestBodyError"


def test_a_payload_without_its_required_members_is_malformed_xml() -> None:
    with pytest.raises(ServiceError) as caught:
        _parse("DeleteObjects", "POST", "/b", b"<Delete><Quiet>true</Quiet></Delete>", "delete")

    assert caught.value.code == "MalformedXML"


def test_a_query_member_of_the_wrong_type_is_invalid_argument() -> None:
    with pytest.raises(ServiceError) as caught:
        _parse("ListObjectsV2", "GET", "/b", b"", "list-type=2&max-keys=ten")

    assert caught.value.code == "InvalidArgument"


def test_an_unparseable_conditional_date_is_ignored_as_http_says() -> None:
    params = _parse("GetObject", "GET", "/b/k", b"", headers={"if-modified-since": "yesterday"})

    assert "IfModifiedSince" not in params


def test_a_conditional_date_in_rfc822_is_parsed() -> None:
    params = _parse(
        "GetObject", "GET", "/b/k", b"", headers={"if-modified-since": "Mon, 06 May 2024 07:08:09 GMT"}
    )

    assert params["IfModifiedSince"] == WHEN


def test_header_lists_with_quoted_items_are_split_as_botocore_joins_them() -> None:
    params = _parse(
        "GetObjectAttributes",
        "GET",
        "/b/k",
        b"",
        "attributes",
        {"x-amz-object-attributes": 'ETag, "Object,Parts" ,ObjectSize'},
    )

    assert params["ObjectAttributes"] == ["ETag", "Object,Parts", "ObjectSize"]


def test_serializing_a_member_the_output_does_not_have_is_a_bug_not_a_response() -> None:
    with pytest.raises(TypeError):
        codec_for("s3").serialize(_op("PutObject"), {"NotAMember": 1}, "rid")


def test_the_decoded_length_is_the_content_length_even_without_a_content_length_header() -> None:
    headers = {"content-encoding": "aws-chunked", "x-amz-decoded-content-length": "42"}

    params = codec_for("s3").parse(_op("PutObject"), _request("PUT", "/b/k", headers=headers), None, None)

    assert params["ContentLength"] == 42
    assert "ContentEncoding" not in params


def test_header_values_http_cannot_carry_are_rfc2047_encoded() -> None:
    response = codec_for("s3").serialize(
        _op("HeadObject"), {"Metadata": {"name": "日本"}, "ContentType": "a\r\nb"}, "r"
    )

    assert response.header("x-amz-meta-name") == "=?UTF-8?B?5pel5pys?="
    assert response.header("Content-Type") == "a  b"


def test_a_content_encoding_without_aws_chunked_is_kept_exactly() -> None:
    params = _parse("PutObject", "PUT", "/b/k", b"", headers={"content-encoding": "gzip, br"})

    assert params["ContentEncoding"] == "gzip, br"
