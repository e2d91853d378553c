"""Object tags as S3 validates them."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.s3 import tagging


def test_header_is_url_query_encoded() -> None:
    assert tagging.from_header("project=blue&team=a%26b&empty=") == (
        ("project", "blue"),
        ("team", "a&b"),
        ("empty", ""),
    )
    assert tagging.from_header(None) == ()


def test_document_round_trips() -> None:
    tags = tagging.from_document({"TagSet": [{"Key": "k", "Value": "v"}]})
    assert tagging.to_tag_set(tags) == [{"Key": "k", "Value": "v"}]


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        ([(f"k{i}", "v") for i in range(11)], "BadRequest"),
        ([("k" * 129, "v")], "InvalidTag"),
        ([("k", "v" * 257)], "InvalidTag"),
        ([("aws:reserved", "v")], "InvalidTag"),
        ([("k", "1"), ("k", "2")], "InvalidTag"),
        ([("", "v")], "InvalidTag"),
    ],
)
def test_invalid_tags(tags: list[tuple[str, str]], code: str) -> None:
    with pytest.raises(ServiceError) as err:
        tagging.validate(tags)
    assert err.value.code == code


def test_ten_tags_at_the_limits_are_fine() -> None:
    tags = [(f"{i}" + "k" * 127, "v" * 256) for i in range(10)]
    assert len(tagging.validate(tags)) == 10
