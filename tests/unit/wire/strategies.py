"""Hypothesis strategies that build valid values for any botocore shape.

Request values (``response=False``) honour the model's length, pattern and enum constraints, so the codec's
own validation accepts them. Response values ignore patterns (nothing validates output) and, with
``xml_safe``, keep to the characters XML 1.0 can carry.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape
from hypothesis import strategies as st

from hutch.wire.java_regex import compile_java

_SINGLE_CLASS = re.compile(r"^\^?(\[(?:\\.|[^\]\\])*\])([+*])\$?$")
_MAX_TEXT = 24
_MAX_ITEMS = 3
_MAX_DEPTH = 4

# Characters XML 1.0 can carry (no C0 controls but tab/LF/CR, no surrogates, no non-characters).
XML_SAFE_TEXT = st.characters(blacklist_categories=("Cs", "Cn", "Cc")) | st.sampled_from("\t\n\r")
# botocore writes request XML with ElementTree, which leaves CR unescaped; every XML parser reads it as LF.
XML_REQUEST_TEXT = st.characters(blacklist_categories=("Cs", "Cn", "Cc")) | st.sampled_from("\t\n")
ANY_TEXT = st.characters(blacklist_categories=("Cs",))


def _length_bounds(shape: Shape, cap: int) -> tuple[int, int]:
    low = int(shape.metadata.get("min", 0))
    high = int(shape.metadata.get("max", max(low, cap)))
    return low, max(low, min(high, low + cap))


def strings(shape: Shape, *, xml_safe: bool, response: bool) -> st.SearchStrategy[str]:
    if isinstance(shape, StringShape) and shape.enum:
        return st.sampled_from(list(shape.enum))
    low, high = _length_bounds(shape, _MAX_TEXT)
    pattern = None if response else shape.metadata.get("pattern")
    return _text(pattern, low, high, int(shape.metadata.get("max", 10**9)), xml_safe, response)


@cache
def _text(
    pattern: str | None, low: int, high: int, most: int, xml_safe: bool, response: bool
) -> st.SearchStrategy[str]:
    # Cached: building a strategy for a pattern with Unicode property classes is expensive.
    compiled = compile_java(pattern) if pattern else None
    if compiled is None:
        alphabet = ANY_TEXT if not xml_safe else (XML_SAFE_TEXT if response else XML_REQUEST_TEXT)
        return st.text(alphabet, min_size=low, max_size=high)
    single = _SINGLE_CLASS.match(pattern or "")
    if single:
        char_class = compile_java(single.group(1))
        assert char_class is not None
        minimum = max(low, 1 if single.group(2) == "+" else 0)
        return st.text(
            st.from_regex(char_class, fullmatch=True), min_size=minimum, max_size=max(minimum, high)
        )
    return st.from_regex(compiled, fullmatch=True).filter(lambda s: low <= len(s) <= most)


def _numbers(shape: Shape) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    if shape.type_name in ("integer", "long"):
        bits = 31 if shape.type_name == "integer" else 63
        return st.integers(int(meta.get("min", -(2**bits))), int(meta.get("max", 2**bits - 1)))
    return st.floats(
        min_value=meta.get("min"), max_value=meta.get("max"), allow_nan=False, allow_infinity=False
    )


_TIMESTAMPS = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000))
_JSON_DOCUMENT = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def values(shape: Shape, *, xml_safe: bool, response: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if shape.is_document_type:
            return st.dictionaries(st.text(max_size=5), _JSON_DOCUMENT, max_size=3)
        return structures(shape, xml_safe=xml_safe, response=response, depth=depth)
    if isinstance(shape, ListShape):
        low, high = _length_bounds(shape, _MAX_ITEMS)
        if depth >= _MAX_DEPTH:
            high = low
        return st.lists(
            values(shape.member, xml_safe=xml_safe, response=response, depth=depth + 1),
            min_size=low,
            max_size=high,
        )
    if isinstance(shape, MapShape):
        low, high = _length_bounds(shape, _MAX_ITEMS)
        if depth >= _MAX_DEPTH:
            high = low
        return st.dictionaries(
            strings(shape.key, xml_safe=xml_safe, response=response),
            values(shape.value, xml_safe=xml_safe, response=response, depth=depth + 1),
            min_size=low,
            max_size=high,
        )
    if kind == "string":
        return strings(shape, xml_safe=xml_safe, response=response)
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "long", "float", "double"):
        return _numbers(shape)
    if kind == "timestamp":
        if shape.serialization.get("timestampFormat") == "rfc822":
            return _TIMESTAMPS.map(lambda moment: moment.replace(microsecond=0))  # RFC 822 has whole seconds
        return _TIMESTAMPS
    if kind == "blob":
        low, high = _length_bounds(shape, 16)
        return st.binary(min_size=low, max_size=high)
    raise AssertionError(f"no strategy for {kind}")


def structures(
    shape: StructureShape, *, xml_safe: bool, response: bool, depth: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    members = {
        name: member
        for name, member in shape.members.items()
        if not member.serialization.get("location") and not member.serialization.get("eventstream")
    }
    if shape.is_tagged_union:
        return st.one_of(
            [
                st.fixed_dictionaries(
                    {name: values(m, xml_safe=xml_safe, response=response, depth=depth + 1)}
                )
                for name, m in members.items()
            ]
        )
    required = {
        n: values(m, xml_safe=xml_safe, response=response, depth=depth + 1)
        for n, m in members.items()
        if n in shape.required_members
    }
    optional = {}
    if depth < _MAX_DEPTH:
        optional = {
            n: values(m, xml_safe=xml_safe, response=response, depth=depth + 1)
            for n, m in members.items()
            if n not in shape.required_members
        }
    return st.fixed_dictionaries(required, optional=optional)
