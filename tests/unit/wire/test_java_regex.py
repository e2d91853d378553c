"""Model patterns are Java regexes; they must mean in Python what they mean to AWS."""

from __future__ import annotations

import pytest

from hutch.wire.java_regex import compile_java


def _matches(pattern: str, text: str) -> bool:
    compiled = compile_java(pattern)
    assert compiled is not None
    return compiled.fullmatch(text) is not None


@pytest.mark.parametrize(
    ("text", "expected"), [("héllo!", True), ("日本語", True), ("a b", False), ("", False)]
)
def test_unicode_property_classes_are_expanded(text: str, expected: bool) -> None:
    assert _matches(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", text) is expected


def test_a_property_class_outside_brackets_works() -> None:
    assert _matches(r"\p{Lu}+", "ÀB")
    assert not _matches(r"\p{Lu}+", "àb")


def test_a_negated_property_outside_brackets_works() -> None:
    assert _matches(r"\P{Z}+", "abc")
    assert not _matches(r"\P{Z}+", "a c")


def test_a_negated_property_inside_a_class_is_not_enforced_rather_than_mistranslated() -> None:
    assert compile_java(r"[a\P{L}]+") is None


def test_shorthand_classes_are_ascii_as_in_java() -> None:
    assert _matches(r"[\w+=,.@-]+", "role_name-1")
    assert not _matches(r"[\w+=,.@-]+", "rôle")


def test_the_whole_value_must_match_as_javas_matches_does() -> None:
    assert not _matches(r"[a-z]+", "abc1")
    assert _matches(r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", "/app/")
    assert not _matches(r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", "/app")


def test_cognitos_pool_id_pattern() -> None:
    assert _matches(r"[\w-]+_[0-9a-zA-Z]+", "us-east-1_Ab12Cd34E")
    assert not _matches(r"[\w-]+_[0-9a-zA-Z]+", "us-east-1:0b5e4a3c")
