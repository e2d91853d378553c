"""Where each statement sits in the policy text (for the simulator's StartPosition / EndPosition).

The document has already been parsed by ``json``; this walks its top level again with
``JSONDecoder.raw_decode`` to learn the character span of each element of ``Statement``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column, as the IAM simulator reports them."""

    line: int
    column: int


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def statement_spans(text: str) -> list[tuple[int, int]]:
    """Character spans [start, end) of every statement; empty if the text is not a JSON object."""
    spans: list[tuple[int, int]] = []
    try:
        i = _skip(text, 0)
        if text[i] != "{":
            return []
        i = _skip(text, i + 1)
        while i < len(text) and text[i] != "}":
            key, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            i = _skip(text, i + 1)  # the colon
            if key == "Statement":
                spans = []
                if text[i] == "[":
                    i = _skip(text, i + 1)
                    while text[i] != "]":
                        _, end = _DECODER.raw_decode(text, i)
                        spans.append((i, end))
                        i = _skip(text, end)
                        if text[i] == ",":
                            i = _skip(text, i + 1)
                    i += 1
                else:
                    _, end = _DECODER.raw_decode(text, i)
                    spans.append((i, end))
                    i = end
            else:
                _, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
    except (ValueError, IndexError):
        return []
    return spans


def position_of(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Position(line, column)
