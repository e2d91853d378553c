"""Listings with boto3's paginators: prefixes, delimiters, markers, url encoding, the V1 API."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

KEYS = [
    "a.txt",
    "photos/2024/jan/1.jpg",
    "photos/2024/jan/2.jpg",
    "photos/2024/feb/3.jpg",
    "photos/2025/4.jpg",
    "photos/cover.jpg",
    "videos/v.mp4",
    "with space/and+plus.txt",
    "ünï/çødé.txt",
    "z",
]


@pytest.fixture
def filled(s3: Any, bucket: str) -> str:
    for key in KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    return bucket


def v2(s3: Any, bucket: str, **kwargs: Any) -> tuple[list[str], list[str], int]:
    keys: list[str] = []
    prefixes: list[str] = []
    pages = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, **kwargs):
        pages += 1
        keys += [o["Key"] for o in page.get("Contents", [])]
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        assert page["KeyCount"] == len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
    return keys, prefixes, pages


def utf8_sorted(keys: list[str]) -> list[str]:
    return sorted(keys, key=lambda k: k.encode("utf-8"))


def test_everything_in_utf8_order_one_key_per_page(s3: Any, filled: str) -> None:
    keys, prefixes, pages = v2(s3, filled, PaginationConfig={"PageSize": 1})
    assert keys == utf8_sorted(KEYS)
    assert prefixes == []
    assert pages == len(KEYS)


def test_delimiter_rolls_up_common_prefixes(s3: Any, filled: str) -> None:
    keys, prefixes, _ = v2(s3, filled, Delimiter="/")
    assert keys == ["a.txt", "z"]
    assert prefixes == ["photos/", "videos/", "with space/", "ünï/"]


def test_prefix_and_delimiter_page_through_groups(s3: Any, filled: str) -> None:
    keys, prefixes, pages = v2(s3, filled, Prefix="photos/", Delimiter="/", PaginationConfig={"PageSize": 1})
    assert keys == ["photos/cover.jpg"]
    assert prefixes == ["photos/2024/", "photos/2025/"]
    assert pages == 3


def test_start_after(s3: Any, filled: str) -> None:
    page = s3.list_objects_v2(Bucket=filled, StartAfter="photos/2025/4.jpg", MaxKeys=2)
    assert [o["Key"] for o in page["Contents"]] == ["photos/cover.jpg", "videos/v.mp4"]
    assert page["IsTruncated"] and page["StartAfter"] == "photos/2025/4.jpg"


def test_listing_entries_describe_the_objects(s3: Any, filled: str) -> None:
    page = s3.list_objects_v2(Bucket=filled, Prefix="a.txt", FetchOwner=True)
    (entry,) = page["Contents"]
    assert entry["Size"] == len(b"a.txt")
    assert entry["StorageClass"] == "STANDARD"
    assert entry["ETag"].startswith('"')
    assert len(entry["Owner"]["ID"]) == 64


def test_max_keys_zero_and_over_1000(s3: Any, filled: str) -> None:
    empty = s3.list_objects_v2(Bucket=filled, MaxKeys=0)
    assert "Contents" not in empty and empty["KeyCount"] == 0 and not empty["IsTruncated"]
    assert s3.list_objects_v2(Bucket=filled, MaxKeys=5000)["MaxKeys"] == 1000


def test_bad_continuation_token(s3: Any, filled: str) -> None:
    with pytest.raises(ClientError) as err:
        s3.list_objects_v2(Bucket=filled, ContinuationToken="garbage!")
    assert err.value.response["Error"]["Code"] == "InvalidArgument"


def test_url_encoding_round_trips_awkward_keys(s3: Any, bucket: str) -> None:
    awkward = ["a+b c", "tab\tkey", "ctrl\x01char", "percent%41", "amp&lt;"]
    for key in awkward:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    keys, _, _ = v2(s3, bucket)  # boto3 asks for encoding-type=url and decodes
    assert keys == utf8_sorted(awkward)
    raw = s3.list_objects_v2(Bucket=bucket, EncodingType="url", Prefix="a+b")
    assert raw["EncodingType"] == "url"
    for key in awkward:
        # One by one: a control character cannot travel in DeleteObjects' XML 1.0 body.
        s3.delete_object(Bucket=bucket, Key=key)


def test_v1_listing_with_markers(s3: Any, filled: str) -> None:
    keys: list[str] = []
    prefixes: list[str] = []
    for page in s3.get_paginator("list_objects").paginate(
        Bucket=filled, Delimiter="/", PaginationConfig={"PageSize": 2}
    ):
        keys += [o["Key"] for o in page.get("Contents", [])]
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        if page["IsTruncated"]:
            assert page["NextMarker"]
    assert keys == ["a.txt", "z"]
    assert prefixes == ["photos/", "videos/", "with space/", "ünï/"]
    plain = s3.list_objects(Bucket=filled, Marker="videos/v.mp4")
    assert [o["Key"] for o in plain["Contents"]] == ["with space/and+plus.txt", "z", "ünï/çødé.txt"]


def test_many_keys_page_flat(s3: Any, bucket: str) -> None:
    total = 2100
    names = [f"bulk/{n:05d}" for n in range(total)]
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), names))
    keys, _, pages = v2(s3, bucket, Prefix="bulk/")
    assert keys == names
    assert pages == 3  # 1000 + 1000 + 100
