"""Paths, tags and Marker/MaxItems pagination."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.iam.validation import check_path, merge_tags, paginate, tags_from_params


@pytest.mark.parametrize("path", ["/", "/a/", "/a/b-c/"])
def test_valid_paths_pass(path: str) -> None:
    assert check_path(path) == path


@pytest.mark.parametrize("path", ["a/", "/a", "/ /", "/" + "a" * 512 + "/"])
def test_invalid_paths_are_validation_errors(path: str) -> None:
    with pytest.raises(ServiceError) as exc:
        check_path(path)
    assert exc.value.code == "ValidationError"


def test_duplicate_tag_keys_in_any_case_are_refused() -> None:
    with pytest.raises(ServiceError) as exc:
        tags_from_params([{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}])
    assert exc.value.code == "InvalidInput"


def test_more_than_fifty_tags_is_limit_exceeded() -> None:
    with pytest.raises(ServiceError) as exc:
        merge_tags(tuple((f"k{i}", "v") for i in range(50)), (("one-more", "v"),))
    assert exc.value.code == "LimitExceeded"


def test_pagination_walks_every_item_once_in_key_order() -> None:
    items = [f"item{i:03d}" for i in range(25)][::-1]
    seen: list[str] = []
    params: dict[str, object] = {"MaxItems": 10}
    while True:
        page, more = paginate(items, params, str)
        seen += page
        if not more["IsTruncated"]:
            assert "Marker" not in more
            break
        params = {"MaxItems": 10, "Marker": more["Marker"]}
    assert seen == sorted(items)


def test_garbled_marker_is_a_validation_error() -> None:
    with pytest.raises(ServiceError) as exc:
        paginate(["a"], {"Marker": "%%%"}, str)
    assert exc.value.code == "ValidationError"
