"""Bucket names and object keys: what S3 accepts, and the byte bounds listings seek between."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.s3.keys import bucket_name_problem, check_bucket_name, key_bytes, prefix_end


@pytest.mark.parametrize("name", ["abc", "my-bucket.example", "a" * 63, "0bucket9", "a.b-c"])
def test_valid_bucket_names(name: str) -> None:
    assert bucket_name_problem(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "ab",
        "a" * 64,
        "Upper",
        "under_score",
        "-leading",
        "trailing-",
        "double..dot",
        "192.168.1.1",
        "xn--punycode",
        "sthree-x",
        "amzn-s3-demo-bucket",
        "name-s3alias",
        "name--ol-s3",
        "name.mrap",
        "name--x-s3",
    ],
)
def test_invalid_bucket_names_are_invalid_bucket_name(name: str) -> None:
    with pytest.raises(ServiceError) as err:
        check_bucket_name(name)
    assert err.value.code == "InvalidBucketName"
    assert err.value.status == 400


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "/absolute", "nul\x00inside", "ünïcødé/日本", "a" * 1024]
)
def test_hostile_keys_are_just_bytes(key: str) -> None:
    assert key_bytes(key) == key.encode("utf-8")


def test_key_of_1025_bytes_is_key_too_long() -> None:
    with pytest.raises(ServiceError) as err:
        key_bytes("a" * 1025)
    assert err.value.code == "KeyTooLongError"


def test_multibyte_key_length_counts_bytes_not_characters() -> None:
    key_bytes("é" * 512)  # 1024 bytes
    with pytest.raises(ServiceError):
        key_bytes("é" * 512 + "a")


def test_lone_surrogate_is_not_utf8() -> None:
    with pytest.raises(ServiceError) as err:
        key_bytes("bad\ud800")
    assert err.value.code == "InvalidArgument"


@pytest.mark.parametrize(
    ("prefix", "end"),
    [(b"a/", b"a0"), (b"abc", b"abd"), (b"a\xff", b"b"), (b"\xff\xff", None), (b"z", b"{")],
)
def test_prefix_end_is_the_least_string_above_every_extension(prefix: bytes, end: bytes | None) -> None:
    assert prefix_end(prefix) == end
    if end is not None:
        assert prefix + b"\xff" * 8 < end
        assert prefix < end
