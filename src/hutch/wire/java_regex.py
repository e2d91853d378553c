"""The model's ``pattern`` constraints are java.util.regex patterns; this compiles them for Python's ``re``.

The two dialects agree on everything the five models use except Unicode property classes (``\\p{L}``,
``\\p{Z}``...), which Python's ``re`` lacks: those are expanded into explicit code-point ranges built from
``unicodedata``. Java's ``\\w``, ``\\d`` and ``\\s`` are ASCII-only by default, hence ``re.ASCII``. A pattern
that still cannot be translated yields ``None`` and is not enforced (validation is fidelity, not security:
services check what they rely on).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

_PROPERTY = re.compile(r"\\([pP])\{([A-Za-z]{1,2})\}")


@cache
def compile_java(pattern: str) -> re.Pattern[str] | None:
    translated = _translate(pattern)
    if translated is None:
        return None
    try:
        return re.compile(translated, re.ASCII)
    except re.error:
        return None


def _translate(pattern: str) -> str | None:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            match = _PROPERTY.match(pattern, i)
            if match:
                negated = match.group(1) == "P"
                ranges = _category_ranges(match.group(2))
                if in_class:
                    if negated:
                        return None  # a negated property inside a class has no simple Python spelling
                    out.append(ranges)
                else:
                    out.append(f"[{'^' if negated else ''}{ranges}]")
                i = match.end()
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            # A ']' right after '[' or '[^' is a literal in both dialects.
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):
                out.append("\\]")
                i += 1
        elif ch == "[" and in_class:
            return None  # Java's nested classes / intersections ([a-z&&[^e]]) are not translated
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@cache
def _category_ranges(category: str) -> str:
    """A character-class body matching every code point whose general category starts with ``category``."""
    parts: list[str] = []
    for start, end, cat in _category_runs():
        if cat.startswith(category):
            parts.append(_escape(start) if start == end else f"{_escape(start)}-{_escape(end)}")
    return "".join(parts)


@cache
def _category_runs() -> tuple[tuple[int, int, str], ...]:
    runs: list[tuple[int, int, str]] = []
    start = 0
    current = unicodedata.category(chr(0))
    for code in range(1, sys.maxunicode + 1):
        cat = unicodedata.category(chr(code))
        if cat != current:
            runs.append((start, code - 1, current))
            start, current = code, cat
    runs.append((start, sys.maxunicode, current))
    return tuple(runs)


def _escape(code: int) -> str:
    return f"\\U{code:08x}"
