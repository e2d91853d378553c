"""Strict ``application/x-www-form-urlencoded`` decoding, for query-protocol bodies and URL query strings.

The standard library's parse_qsl silently replaces bytes that are not UTF-8; AWS refuses them, and so do
we: ``FormError`` lets each protocol answer with its own error code.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

MAX_FIELDS = 10_000


class FormError(ValueError):
    pass


def decode_component(raw: str, *, plus_is_space: bool) -> str:
    if plus_is_space:
        raw = raw.replace("+", " ")
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("Percent-encoded text is not valid UTF-8") from None


def decode_form(raw: str) -> list[tuple[str, str]]:
    """Pairs in order; a bare key (``?uploads``) has the value ""; empty segments are skipped."""
    pairs: list[tuple[str, str]] = []
    for segment in raw.split("&"):
        if not segment:
            continue
        if len(pairs) >= MAX_FIELDS:
            raise FormError(f"More than {MAX_FIELDS} parameters")
        key, _, value = segment.partition("=")
        pairs.append((decode_component(key, plus_is_space=True), decode_component(value, plus_is_space=True)))
    return pairs


def decode_form_bytes(body: bytes) -> list[tuple[str, str]]:
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        # Form bodies are percent-encoded ASCII; raw UTF-8 is tolerated as some clients send it.
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise FormError("The body is not valid UTF-8") from None
    return decode_form(text)
