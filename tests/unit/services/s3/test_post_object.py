"""POST Object's pieces that need no server: which requests it serves, and the file kept within its size range."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

from hutch.auth.checksums import BodyChecksums
from hutch.errors import ServiceError
from hutch.services.s3 import post_object
from hutch.services.s3.api_objects import PutPlan
from hutch.services.s3.model import Bucket
from hutch.services.s3.post_object import BoundedFile, UploadPlan, is_form_upload
from hutch.wire.http import Body, Headers, HttpRequest


def request(method: str, path: str, query: str = "") -> HttpRequest:
    return HttpRequest(method, path, query, Headers(), Body.of(b""))


@pytest.mark.parametrize(
    ("method", "path", "query", "expected"),
    [
        ("POST", "/photos", "", True),
        ("POST", "/photos/", "", True),
        ("POST", "/photos", "delete", False),  # DeleteObjects
        ("POST", "/photos/key", "uploads", False),  # CreateMultipartUpload
        ("POST", "/photos/key", "", False),
        ("PUT", "/photos", "", False),
        ("POST", "/WriteGetObjectResponse", "", False),  # not a bucket name
        ("POST", "/", "", False),
    ],
)
def test_only_a_post_to_a_bucket_without_a_query_is_a_form_upload(
    method: str, path: str, query: str, expected: bool
) -> None:
    assert is_form_upload(request(method, path, query)) is expected


def plan(low: int, high: int | None) -> UploadPlan:
    put = PutPlan(Bucket("b", "us-east-1", "123456789012", 0), "k", {}, {}, (), None, 0)
    return UploadPlan(put, BodyChecksums(None, None, None), low, high)


async def chunks(total: int, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


def consume(total: int, low: int, high: int | None) -> int:
    async def go() -> int:
        return sum([len(c) async for c in BoundedFile(chunks(total), plan(low, high))])

    return anyio.run(go)


def test_a_file_within_the_range_passes_whole_with_both_bounds_inclusive() -> None:
    assert consume(5, 5, 10) == 5
    assert consume(10, 5, 10) == 10


def test_a_file_over_the_maximum_is_refused_with_its_size() -> None:
    with pytest.raises(ServiceError) as caught:
        consume(12_345, 0, 10_000)
    assert caught.value.code == "EntityTooLarge"
    assert caught.value.fields == {"ProposedSize": "12345", "MaxSizeAllowed": "10000"}


def test_a_file_far_over_the_maximum_is_refused_without_reading_it_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(post_object, "PROPOSED_SIZE_SCAN", 5_000)
    with pytest.raises(ServiceError) as caught:
        consume(1_000_000, 0, 10_000)
    assert caught.value.fields == {"MaxSizeAllowed": "10000"}


def test_a_file_under_the_minimum_is_refused_with_its_size() -> None:
    with pytest.raises(ServiceError) as caught:
        consume(3, 5, None)
    assert caught.value.code == "EntityTooSmall"
    assert caught.value.fields == {"ProposedSize": "3", "MinSizeAllowed": "5"}
