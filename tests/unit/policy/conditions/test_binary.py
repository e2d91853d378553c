from __future__ import annotations

import base64

from tests.unit.policy.conditions.helpers import holds


def test_binary_equals_compares_decoded_bytes() -> None:
    encoded = base64.b64encode(b"\x00\x01secret").decode()
    assert holds("BinaryEquals", "k", encoded, {"k": encoded}) is True
    assert holds("BinaryEquals", "k", encoded, {"k": base64.b64encode(b"other").decode()}) is False
    assert holds("BinaryEquals", "k", encoded, {"k": "not base64!"}) is False
