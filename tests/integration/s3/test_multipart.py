"""Multipart uploads: boto3's transfer manager, the raw API, checksums, errors, copies, housekeeping."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
from awscrt import checksums as crt
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MIB = 1024 * 1024
TRANSFER = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=4)


def error_of(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_upload_file_and_download_file_in_parts(s3: Any, bucket: str, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    data = os.urandom(17 * MIB + 123)
    source.write_bytes(data)
    s3.upload_file(str(source), bucket, "big.bin", Config=TRANSFER)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(data)
    assert head["ETag"].endswith('-4"')
    part_md5s = b"".join(hashlib.md5(data[i : i + 5 * MIB]).digest() for i in range(0, len(data), 5 * MIB))
    assert head["ETag"] == f'"{hashlib.md5(part_md5s).hexdigest()}-4"'
    target = tmp_path / "back.bin"
    # Ranged parallel GETs, each checked by botocore against what hutch returns.
    s3.download_file(bucket, "big.bin", str(target), Config=TRANSFER)
    assert target.read_bytes() == data
    # A whole-object GET with checksum validation on.
    assert s3.get_object(Bucket=bucket, Key="big.bin", ChecksumMode="ENABLED")["Body"].read() == data


def test_part_number_reads_one_part(s3: Any, bucket: str) -> None:
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    one, two = os.urandom(5 * MIB), b"tail"
    e1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=one)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up["UploadId"], PartNumber=2, Body=two)["ETag"]
    s3.complete_multipart_upload(
        Bucket=bucket,
        Key="mp",
        UploadId=up["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]},
    )
    part = s3.get_object(Bucket=bucket, Key="mp", PartNumber=2)
    assert part["Body"].read() == two
    assert part["PartsCount"] == 2
    assert part["ContentRange"] == f"bytes {5 * MIB}-{5 * MIB + 3}/{5 * MIB + 4}"
    assert error_of(lambda: s3.get_object(Bucket=bucket, Key="mp", PartNumber=3))[1] == 416
    ranged = s3.get_object(Bucket=bucket, Key="mp", Range=f"bytes={5 * MIB - 2}-{5 * MIB + 1}")
    assert ranged["Body"].read() == one[-2:] + two[:2]


def crc(name: str, data: bytes) -> str:
    value, width = {
        "CRC32": (zlib.crc32(data), 4),
        "CRC32C": (crt.crc32c(data), 4),
        "CRC64NVME": (crt.crc64nvme(data), 8),
    }[name]
    return base64.b64encode(value.to_bytes(width, "big")).decode()


@pytest.mark.parametrize(
    ("algorithm", "kind"),
    [
        ("CRC32", "FULL_OBJECT"),
        ("CRC32C", "FULL_OBJECT"),
        ("CRC64NVME", "FULL_OBJECT"),
        ("CRC32", "COMPOSITE"),
        ("SHA256", "COMPOSITE"),
    ],
)
def test_multipart_checksums(s3: Any, bucket: str, algorithm: str, kind: str) -> None:
    parts = [os.urandom(5 * MIB), os.urandom(1000)]
    up = s3.create_multipart_upload(Bucket=bucket, Key="ck", ChecksumAlgorithm=algorithm, ChecksumType=kind)
    assert up["ChecksumAlgorithm"] == algorithm and up["ChecksumType"] == kind
    done = []
    for n, body in enumerate(parts, 1):
        r = s3.upload_part(
            Bucket=bucket,
            Key="ck",
            UploadId=up["UploadId"],
            PartNumber=n,
            Body=body,
            ChecksumAlgorithm=algorithm,
        )
        done.append({"PartNumber": n, "ETag": r["ETag"], f"Checksum{algorithm}": r[f"Checksum{algorithm}"]})
    listed = s3.list_parts(Bucket=bucket, Key="ck", UploadId=up["UploadId"])
    assert [p[f"Checksum{algorithm}"] for p in listed["Parts"]] == [d[f"Checksum{algorithm}"] for d in done]
    result = s3.complete_multipart_upload(
        Bucket=bucket, Key="ck", UploadId=up["UploadId"], MultipartUpload={"Parts": done}
    )
    assert result["ChecksumType"] == kind
    value = result[f"Checksum{algorithm}"]
    if kind == "FULL_OBJECT":
        assert value == crc(algorithm, b"".join(parts))
    else:
        assert value.endswith("-2")
    got = s3.get_object(Bucket=bucket, Key="ck", ChecksumMode="ENABLED")
    assert got[f"Checksum{algorithm}"] == value
    assert got["Body"].read() == b"".join(parts)


def test_complete_checks_order_etags_and_sizes(s3: Any, bucket: str) -> None:
    up = s3.create_multipart_upload(Bucket=bucket, Key="e")
    uid = up["UploadId"]
    small = s3.upload_part(Bucket=bucket, Key="e", UploadId=uid, PartNumber=1, Body=b"tiny")["ETag"]
    last = s3.upload_part(Bucket=bucket, Key="e", UploadId=uid, PartNumber=2, Body=b"end")["ETag"]

    def complete(parts: list[dict[str, Any]]) -> Any:
        return lambda: s3.complete_multipart_upload(
            Bucket=bucket, Key="e", UploadId=uid, MultipartUpload={"Parts": parts}
        )

    assert error_of(complete([{"PartNumber": 2, "ETag": last}, {"PartNumber": 1, "ETag": small}])) == (
        "InvalidPartOrder",
        400,
    )
    assert error_of(complete([{"PartNumber": 1, "ETag": '"0000"'}])) == ("InvalidPart", 400)
    assert error_of(complete([{"PartNumber": 3, "ETag": last}])) == ("InvalidPart", 400)
    assert error_of(complete([{"PartNumber": 1, "ETag": small}, {"PartNumber": 2, "ETag": last}])) == (
        "EntityTooSmall",
        400,
    )
    # A small last part alone is fine, and the unused part is dropped.
    s3.complete_multipart_upload(
        Bucket=bucket, Key="e", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": last}]}
    )
    assert s3.get_object(Bucket=bucket, Key="e")["Body"].read() == b"end"
    assert error_of(complete([{"PartNumber": 2, "ETag": last}])) == ("NoSuchUpload", 404)


def test_part_number_limits_and_unknown_uploads(s3: Any, bucket: str) -> None:
    uid = s3.create_multipart_upload(Bucket=bucket, Key="p")["UploadId"]
    assert (
        error_of(lambda: s3.upload_part(Bucket=bucket, Key="p", UploadId=uid, PartNumber=10001, Body=b"x"))[0]
        == "InvalidArgument"
    )
    assert error_of(
        lambda: s3.upload_part(Bucket=bucket, Key="p", UploadId="nope", PartNumber=1, Body=b"x")
    ) == ("NoSuchUpload", 404)
    assert error_of(
        lambda: s3.upload_part(Bucket=bucket, Key="other", UploadId=uid, PartNumber=1, Body=b"x")
    ) == ("NoSuchUpload", 404)


def test_abort_and_list_uploads(s3: Any, bucket: str) -> None:
    ids = [
        s3.create_multipart_upload(Bucket=bucket, Key=k)["UploadId"]
        for k in ("dir/a", "dir/a", "dir/b", "top")
    ]
    s3.upload_part(Bucket=bucket, Key="dir/a", UploadId=ids[0], PartNumber=1, Body=b"x")
    listed = s3.list_multipart_uploads(Bucket=bucket)
    assert [(u["Key"], u["UploadId"]) for u in listed["Uploads"]] == [
        ("dir/a", ids[0]),
        ("dir/a", ids[1]),
        ("dir/b", ids[2]),
        ("top", ids[3]),
    ]
    grouped = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["dir/"]
    assert [u["Key"] for u in grouped["Uploads"]] == ["top"]
    paged = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2)
    assert (
        paged["IsTruncated"] and paged["NextKeyMarker"] == "dir/a" and paged["NextUploadIdMarker"] == ids[1]
    )
    rest = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="dir/a", UploadIdMarker=ids[1])
    assert [u["UploadId"] for u in rest["Uploads"]] == [ids[2], ids[3]]
    s3.abort_multipart_upload(Bucket=bucket, Key="dir/a", UploadId=ids[0])
    assert error_of(lambda: s3.abort_multipart_upload(Bucket=bucket, Key="dir/a", UploadId=ids[0])) == (
        "NoSuchUpload",
        404,
    )
    assert error_of(lambda: s3.list_parts(Bucket=bucket, Key="dir/a", UploadId=ids[0])) == (
        "NoSuchUpload",
        404,
    )


def test_list_parts_pages(s3: Any, bucket: str) -> None:
    uid = s3.create_multipart_upload(Bucket=bucket, Key="lp")["UploadId"]
    for n in range(1, 6):
        s3.upload_part(Bucket=bucket, Key="lp", UploadId=uid, PartNumber=n, Body=bytes([n]) * n)
    page = s3.list_parts(Bucket=bucket, Key="lp", UploadId=uid, MaxParts=2)
    assert [p["PartNumber"] for p in page["Parts"]] == [1, 2] and page["IsTruncated"]
    rest = s3.list_parts(Bucket=bucket, Key="lp", UploadId=uid, PartNumberMarker=page["NextPartNumberMarker"])
    assert [(p["PartNumber"], p["Size"]) for p in rest["Parts"]] == [(3, 3), (4, 4), (5, 5)]
    assert not rest["IsTruncated"]


def test_upload_part_copy(s3: Any, bucket: str) -> None:
    source = os.urandom(6 * MIB)
    s3.put_object(Bucket=bucket, Key="src", Body=source)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="assembled")["UploadId"]
    p1 = s3.upload_part_copy(
        Bucket=bucket,
        Key="assembled",
        UploadId=uid,
        PartNumber=1,
        CopySource=f"{bucket}/src",
        CopySourceRange=f"bytes=0-{5 * MIB - 1}",
    )
    p2 = s3.upload_part_copy(
        Bucket=bucket,
        Key="assembled",
        UploadId=uid,
        PartNumber=2,
        CopySource={"Bucket": bucket, "Key": "src"},
    )
    assert p1["CopyPartResult"]["ETag"] == f'"{hashlib.md5(source[: 5 * MIB]).hexdigest()}"'
    for bad in ("bytes=0-", f"bytes=0-{6 * MIB}"):
        code, _ = error_of(
            lambda bad=bad: s3.upload_part_copy(
                Bucket=bucket,
                Key="assembled",
                UploadId=uid,
                PartNumber=3,
                CopySource=f"{bucket}/src",
                CopySourceRange=bad,
            )
        )
        assert code in ("InvalidArgument", "InvalidRange")
    s3.complete_multipart_upload(
        Bucket=bucket,
        Key="assembled",
        UploadId=uid,
        MultipartUpload={
            "Parts": [
                {"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]},
                {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]},
            ]
        },
    )
    assert s3.get_object(Bucket=bucket, Key="assembled")["Body"].read() == source[: 5 * MIB] + source


def test_metadata_and_tags_from_create_reach_the_object(s3: Any, bucket: str) -> None:
    uid = s3.create_multipart_upload(
        Bucket=bucket, Key="m", ContentType="video/mp4", Metadata={"k": "v"}, Tagging="a=1"
    )["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="m", UploadId=uid, PartNumber=1, Body=b"data")["ETag"]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="m", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    head = s3.head_object(Bucket=bucket, Key="m")
    assert head["ContentType"] == "video/mp4" and head["Metadata"] == {"k": "v"}
    assert s3.get_object_tagging(Bucket=bucket, Key="m")["TagSet"] == [{"Key": "a", "Value": "1"}]


def test_replacing_a_multipart_object_while_reading_it(s3: Any, bucket: str) -> None:
    data = os.urandom(12 * MIB)
    s3.upload_fileobj(io.BytesIO(data), bucket, "hot", Config=TRANSFER)
    reader = s3.get_object(Bucket=bucket, Key="hot")["Body"]
    first = reader.read(MIB)
    s3.put_object(Bucket=bucket, Key="hot", Body=b"replaced")
    s3.delete_object(Bucket=bucket, Key="hot")
    # The open download keeps reading the version it started with.
    assert first + reader.read() == data
