"""Objects with boto3: metadata, ranges, conditional requests, copies, tags, deletes, hostile keys."""

from __future__ import annotations

import base64
import hashlib
import os
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError


def error_of(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_put_get_head_round_trip_with_headers_and_metadata(s3: Any, bucket: str) -> None:
    body = b"hello, hutch"
    put = s3.put_object(
        Bucket=bucket,
        Key="docs/readme.txt",
        Body=body,
        ContentType="text/plain; charset=utf-8",
        CacheControl="max-age=60",
        ContentDisposition='attachment; filename="r.txt"',
        ContentLanguage="en",
        Metadata={"Colour": "blue", "owner": "alice"},
    )
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="docs/readme.txt")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/plain; charset=utf-8"
    assert got["CacheControl"] == "max-age=60"
    assert got["ContentDisposition"] == 'attachment; filename="r.txt"'
    assert got["ContentLanguage"] == "en"
    assert got["Metadata"] == {"colour": "blue", "owner": "alice"}
    assert got["ContentLength"] == len(body)
    assert got["ETag"] == put["ETag"]
    head = s3.head_object(Bucket=bucket, Key="docs/readme.txt")
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]
    assert abs(head["LastModified"] - datetime.now(UTC)) < timedelta(minutes=5)


def test_default_content_type_and_empty_object(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    got = s3.get_object(Bucket=bucket, Key="empty")
    assert got["Body"].read() == b""
    assert got["ContentLength"] == 0
    assert got["ContentType"] == "binary/octet-stream"
    assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'


@pytest.mark.parametrize("size", [100, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 7])
def test_sizes_around_the_inline_and_streaming_limits_read_back(s3: Any, bucket: str, size: int) -> None:
    body = os.urandom(size)
    s3.put_object(Bucket=bucket, Key=f"size-{size}", Body=body)
    assert s3.get_object(Bucket=bucket, Key=f"size-{size}")["Body"].read() == body
    ranged = s3.get_object(Bucket=bucket, Key=f"size-{size}", Range=f"bytes={size // 3}-{size // 2}")
    assert ranged["Body"].read() == body[size // 3 : size // 2 + 1]


def test_overwrite_replaces_the_bytes(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=os.urandom(200_000))
    s3.put_object(Bucket=bucket, Key="k", Body=b"small now")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"small now"


def test_ranges_are_206_with_content_range(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="r", Body=b"0123456789")
    for header, want, content_range in [
        ("bytes=2-5", b"2345", "bytes 2-5/10"),
        ("bytes=7-", b"789", "bytes 7-9/10"),
        ("bytes=-3", b"789", "bytes 7-9/10"),
        ("bytes=5-100", b"56789", "bytes 5-9/10"),
    ]:
        got = s3.get_object(Bucket=bucket, Key="r", Range=header)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["Body"].read() == want
        assert got["ContentRange"] == content_range
        assert got["ContentLength"] == len(want)
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="r", Range="bytes=10-")) == ("InvalidRange", 416)


def test_conditional_gets(s3: Any, bucket: str) -> None:
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"x")["ETag"]
    last_modified = s3.head_object(Bucket=bucket, Key="c")["LastModified"]
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag)["Body"].read() == b"x"
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="c", IfMatch='"nope"')) == (
        "PreconditionFailed",
        412,
    )
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)) == ("304", 304)
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=last_modified)) == (
        "304",
        304,
    )
    earlier = last_modified - timedelta(hours=1)
    assert s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=earlier)["Body"].read() == b"x"
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="c", IfUnmodifiedSince=earlier)) == (
        "PreconditionFailed",
        412,
    )
    # If-Match true beats If-Unmodified-Since false.
    assert (
        s3.get_object(Bucket=bucket, Key="c", IfMatch=etag, IfUnmodifiedSince=earlier)["Body"].read() == b"x"
    )
    assert error_of(lambda: s3.head_object(Bucket=bucket, Key="c", IfNoneMatch=etag)) == ("304", 304)


def test_conditional_writes(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="once", Body=b"first", IfNoneMatch="*")
    assert error_of(lambda: s3.put_object(Bucket=bucket, Key="once", Body=b"second", IfNoneMatch="*")) == (
        "PreconditionFailed",
        412,
    )
    etag = s3.head_object(Bucket=bucket, Key="once")["ETag"]
    s3.put_object(Bucket=bucket, Key="once", Body=b"third", IfMatch=etag)
    assert error_of(lambda: s3.put_object(Bucket=bucket, Key="once", Body=b"4", IfMatch=etag))[1] == 412
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"third"


def test_response_header_overrides(s3v4: Any, bucket: str) -> None:
    s3v4.put_object(Bucket=bucket, Key="o", Body=b"x", ContentType="text/plain")
    got = s3v4.get_object(
        Bucket=bucket,
        Key="o",
        ResponseContentType="application/json",
        ResponseContentDisposition="inline",
        ResponseCacheControl="no-cache",
    )
    assert got["ContentType"] == "application/json"
    assert got["ContentDisposition"] == "inline"
    assert got["CacheControl"] == "no-cache"


def test_missing_keys(s3: Any, bucket: str) -> None:
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="none")) == ("NoSuchKey", 404)
    assert error_of(lambda: s3.head_object(Bucket=bucket, Key="none")) == ("404", 404)
    # Deleting what is not there succeeds, as on S3.
    assert s3.delete_object(Bucket=bucket, Key="none")["ResponseMetadata"]["HTTPStatusCode"] == 204


@pytest.mark.parametrize(
    "key",
    [
        "../../../etc/passwd",
        "/leading/slash",
        "a//double//slashes/",
        "spaces and +plus+ and %percent%",
        "ünïcødé/日本語/😀.txt",
        "nul\x00byte",
        "tab\tnewline\nkey",
        "~tilde?query=1&x#frag",
        "a" * 1024,
        ".",
        "..",
    ],
)
def test_hostile_keys_are_stored_as_keys(s3: Any, bucket: str, key: str, hutch_data_dir: Any) -> None:
    body = key.encode() + os.urandom(70_000)  # large enough to live in a blob file, not inline
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"] for o in listed] == [key]
    s3.delete_object(Bucket=bucket, Key=key)
    # Nothing outside the data directory was touched; no file is named after a key.
    names = {p.name for p in hutch_data_dir.rglob("*")}
    assert not any(part and part in names for part in key.split("/") if part not in (".", ".."))


def test_key_longer_than_1024_bytes_is_refused(s3: Any, bucket: str) -> None:
    assert error_of(lambda: s3.put_object(Bucket=bucket, Key="é" * 513, Body=b"x")) == (
        "KeyTooLongError",
        400,
    )


def test_metadata_over_2kb_is_refused(s3: Any, bucket: str) -> None:
    code, status = error_of(
        lambda: s3.put_object(Bucket=bucket, Key="m", Body=b"x", Metadata={"big": "v" * 2100})
    )
    assert (code, status) == ("MetadataTooLarge", 400)


def test_checksums_are_validated_stored_and_returned(s3: Any, bucket: str) -> None:
    body = b"checked bytes"
    crc = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
    put = s3.put_object(Bucket=bucket, Key="crc", Body=body, ChecksumAlgorithm="CRC32")
    assert put["ChecksumCRC32"] == crc
    head = s3.head_object(Bucket=bucket, Key="crc", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == crc and head["ChecksumType"] == "FULL_OBJECT"
    sha = base64.b64encode(hashlib.sha256(body).digest()).decode()
    s3.put_object(Bucket=bucket, Key="sha", Body=body, ChecksumSHA256=sha)
    got = s3.get_object(Bucket=bucket, Key="sha", ChecksumMode="ENABLED")
    assert got["ChecksumSHA256"] == sha and got["Body"].read() == body
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    assert error_of(lambda: s3.put_object(Bucket=bucket, Key="bad", Body=body, ChecksumSHA256=wrong)) == (
        "BadDigest",
        400,
    )
    assert error_of(lambda: s3.head_object(Bucket=bucket, Key="bad"))[1] == 404


def test_content_md5_is_verified(s3: Any, bucket: str) -> None:
    body = b"md5 me"
    good = base64.b64encode(hashlib.md5(body).digest()).decode()
    s3.put_object(Bucket=bucket, Key="md5", Body=body, ContentMD5=good)
    bad = base64.b64encode(hashlib.md5(b"else").digest()).decode()
    assert error_of(lambda: s3.put_object(Bucket=bucket, Key="md5x", Body=body, ContentMD5=bad)) == (
        "BadDigest",
        400,
    )


def test_server_adds_crc64nvme_when_the_client_sends_no_checksum(s3: Any, bucket: str, raw_put: Any) -> None:
    raw_put(bucket, "nochecksum", b"plain bytes")
    head = s3.head_object(Bucket=bucket, Key="nochecksum", ChecksumMode="ENABLED")
    assert "ChecksumCRC64NVME" in head
    assert (
        s3.get_object(Bucket=bucket, Key="nochecksum", ChecksumMode="ENABLED")["Body"].read()
        == b"plain bytes"
    )


def test_delete_objects_reports_each_key(s3: Any, bucket: str) -> None:
    for key in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    result = s3.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "never"}]}
    )
    assert sorted(d["Key"] for d in result["Deleted"]) == ["a", "b", "never"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "c"}], "Quiet": True})
    assert "Deleted" not in quiet and "Errors" not in quiet


def test_copy_object_copies_or_replaces_metadata(s3: Any, bucket: str) -> None:
    body = os.urandom(100_000)
    s3.put_object(
        Bucket=bucket, Key="src", Body=body, ContentType="image/png", Metadata={"a": "1"}, Tagging="t=1"
    )
    copied = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert copied["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == body and got["ContentType"] == "image/png" and got["Metadata"] == {"a": "1"}
    assert s3.get_object_tagging(Bucket=bucket, Key="dst")["TagSet"] == [{"Key": "t", "Value": "1"}]
    s3.copy_object(
        Bucket=bucket,
        Key="dst2",
        CopySource=f"{bucket}/src",
        MetadataDirective="REPLACE",
        ContentType="text/plain",
        Metadata={"b": "2"},
    )
    got2 = s3.head_object(Bucket=bucket, Key="dst2")
    assert got2["ContentType"] == "text/plain" and got2["Metadata"] == {"b": "2"}


def test_copy_onto_itself_needs_a_change(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="self", Body=b"x")
    assert error_of(lambda: s3.copy_object(Bucket=bucket, Key="self", CopySource=f"{bucket}/self")) == (
        "InvalidRequest",
        400,
    )
    s3.copy_object(
        Bucket=bucket,
        Key="self",
        CopySource=f"{bucket}/self",
        MetadataDirective="REPLACE",
        Metadata={"new": "1"},
    )
    assert s3.head_object(Bucket=bucket, Key="self")["Metadata"] == {"new": "1"}


def test_copy_source_conditions_and_missing_source(s3: Any, bucket: str) -> None:
    etag = s3.put_object(Bucket=bucket, Key="s", Body=b"x")["ETag"]
    s3.copy_object(Bucket=bucket, Key="d", CopySource=f"{bucket}/s", CopySourceIfMatch=etag)
    assert error_of(
        lambda: s3.copy_object(Bucket=bucket, Key="d", CopySource=f"{bucket}/s", CopySourceIfNoneMatch=etag)
    ) == ("PreconditionFailed", 412)
    assert error_of(lambda: s3.copy_object(Bucket=bucket, Key="d", CopySource=f"{bucket}/nope")) == (
        "NoSuchKey",
        404,
    )


def test_tagging_round_trip(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="t", Body=b"x", Tagging="project=blue&team=a%20b")
    assert s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"] == [
        {"Key": "project", "Value": "blue"},
        {"Key": "team", "Value": "a b"},
    ]
    assert s3.get_object(Bucket=bucket, Key="t")["TagCount"] == 2
    s3.put_object_tagging(Bucket=bucket, Key="t", Tagging={"TagSet": [{"Key": "only", "Value": "one"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"] == [{"Key": "only", "Value": "one"}]
    s3.delete_object_tagging(Bucket=bucket, Key="t")
    assert s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"] == []
    too_many = {"TagSet": [{"Key": f"k{i}", "Value": "v"} for i in range(11)]}
    assert (
        error_of(lambda: s3.put_object_tagging(Bucket=bucket, Key="t", Tagging=too_many))[0] == "BadRequest"
    )
    assert error_of(lambda: s3.get_object_tagging(Bucket=bucket, Key="missing")) == ("NoSuchKey", 404)


def test_versions_other_than_null_do_not_exist(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="v", Body=b"x")
    assert s3.get_object(Bucket=bucket, Key="v", VersionId="null")["Body"].read() == b"x"
    assert (
        error_of(lambda: s3.get_object(Bucket=bucket, Key="v", VersionId="3HL4kqtJlcpXroDTDmJ"))[0]
        == "InvalidArgument"
    )


def test_unsupported_encryption_and_acls_are_refused_not_ignored(s3: Any, bucket: str) -> None:
    assert error_of(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="public-read")) == (
        "AccessControlListNotSupported",
        400,
    )
    assert error_of(
        lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms")
    ) == ("NotImplemented", 501)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="private")
