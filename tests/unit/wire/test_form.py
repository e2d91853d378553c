"""Strict form decoding."""

from __future__ import annotations

import pytest

from hutch.wire.form import MAX_FIELDS, FormError, decode_component, decode_form, decode_form_bytes


def test_pairs_keep_order_and_bare_keys() -> None:
    assert decode_form("uploads&a=1&b=&a=2") == [("uploads", ""), ("a", "1"), ("b", ""), ("a", "2")]


def test_plus_is_a_space_in_forms_but_not_in_paths() -> None:
    assert decode_form("k=a+b%2Bc") == [("k", "a b+c")]
    assert decode_component("a+b", plus_is_space=False) == "a+b"


def test_percent_encoded_utf8_is_decoded() -> None:
    assert decode_form("k=%C3%BC%F0%9F%99%82") == [("k", "ü🙂")]


@pytest.mark.parametrize("raw", ["k=%FF", "k=%C3", "%ED%A0%80=v"])
def test_bytes_that_are_not_utf8_are_refused(raw: str) -> None:
    with pytest.raises(FormError):
        decode_form(raw)


def test_a_body_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(FormError):
        decode_form_bytes(b"k=\xff")


def test_the_number_of_fields_is_bounded() -> None:
    with pytest.raises(FormError):
        decode_form("&".join(f"k{i}=v" for i in range(MAX_FIELDS + 1)))
