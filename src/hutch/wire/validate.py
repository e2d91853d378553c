"""Model constraints checked on parsed input, worded as AWS's request validation words them.

AWS's json and query services check required members, lengths, ranges, patterns and enums before an
operation runs and answer, for example::

    1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint:
    Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+

Which error code carries that message differs per service (InvalidParameterException, ValidationException,
ValidationError); the protocol modules choose it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from hutch.errors import ServiceError
from hutch.wire.java_regex import compile_java
from hutch.wire.shapes import validation_path

_MAX_REPORTED = 10
# A rejected value is echoed back at most this long (a 7 MB map must not become a 7 MB error), as AWS
# shortens what it repeats.
MAX_ECHOED_CHARS = 256
_ELLIPSIS = "..."


def violations(shape: Shape, value: Any, *, constraints: bool = True) -> list[str]:
    """Every violated constraint of ``value`` against ``shape`` (input params as the codec parsed them).

    With ``constraints=False`` only missing required members are reported (S3 does not run AWS's generic
    validation; its own checks live in the service).
    """
    found: list[str] = []
    _check(shape, value, "", found, constraints)
    return found


def validation_message(found: list[str]) -> str:
    count = len(found)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(found[:_MAX_REPORTED])


def raise_if_invalid(shape: Shape | None, params: Mapping[str, Any], code: str, *, constraints: bool) -> None:
    if shape is None:
        return
    found = violations(shape, params, constraints=constraints)
    if found:
        raise ServiceError(code, validation_message(found), 400)


def _check(shape: Shape, value: Any, path: str, found: list[str], constraints: bool) -> None:
    if isinstance(shape, StructureShape):
        if not isinstance(value, Mapping) or shape.is_document_type:
            return
        for name in shape.required_members:
            if value.get(name) is None:
                found.append(
                    f"Value null at '{validation_path(path, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        for name, member_value in value.items():
            member = shape.members.get(name)
            if member is not None and member_value is not None:
                _check(member, member_value, validation_path(path, name), found, constraints)
        return
    if constraints:
        for constraint in _scalar_violations(shape, value):
            found.append(f"{_describe(shape, value, path)} failed to satisfy constraint: {constraint}")
    if isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value, 1):
            if item is not None:
                _check(shape.member, item, f"{path}.{index}.member", found, constraints)
    elif isinstance(shape, MapShape) and isinstance(value, Mapping):
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}.key", found, constraints)
            if item is not None:
                _check(shape.value, item, f"{path}.{key}.value", found, constraints)


def _scalar_violations(shape: Shape, value: Any) -> list[str]:
    meta = shape.metadata
    out: list[str] = []
    kind = shape.type_name
    if kind in ("string", "blob", "list", "map"):
        size = len(value) if hasattr(value, "__len__") else None
        if size is not None:
            if "min" in meta and size < meta["min"]:
                out.append(f"Member must have length greater than or equal to {meta['min']}")
            if "max" in meta and size > meta["max"]:
                out.append(f"Member must have length less than or equal to {meta['max']}")
    elif kind in ("integer", "long", "float", "double") and isinstance(value, int | float):
        if "min" in meta and value < meta["min"]:
            out.append(f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            out.append(f"Member must have value less than or equal to {meta['max']}")
    if kind == "string" and isinstance(value, str):
        pattern = meta.get("pattern")
        if pattern:
            compiled = compile_java(pattern)
            if compiled is not None and not compiled.fullmatch(value):
                out.append(f"Member must satisfy regular expression pattern: {pattern}")
        enum = shape.enum if isinstance(shape, StringShape) else []
        if enum and value not in enum:
            out.append(f"Member must satisfy enum value set: [{', '.join(enum)}]")
    return out


def _describe(shape: Shape, value: Any, path: str) -> str:
    # AWS never echoes a sensitive value (passwords, secrets, tokens) back in an error message, nor a
    # list or map that holds one (a Logins map's tokens, a user's attribute values).
    if _holds_sensitive(shape) or isinstance(value, bytes):
        return f"Value at '{path}'"
    return f"Value '{shown_value(value)}' at '{path}'"


def shown_value(value: Any, limit: int = MAX_ECHOED_CHARS) -> str:
    """``value`` as AWS's messages write it (lists ``[a, b]``, maps ``{k=v}``), cut after ``limit``
    characters. Only as much of a big value is rendered as is shown."""
    out: list[str] = []
    size = 0
    for piece in _pieces(value):
        out.append(piece)
        size += len(piece)
        if size > limit:
            return "".join(out)[:limit] + _ELLIPSIS
    return "".join(out)


def _pieces(value: Any) -> Iterator[str]:
    if isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _pieces(item)
        yield "]"
    elif isinstance(value, Mapping):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            if index:
                yield ", "
            yield from _pieces(key)
            yield "="
            yield from _pieces(item)
        yield "}"
    else:
        yield str(value)


@cache
def _holds_sensitive(shape: Shape) -> bool:
    return _sensitive_within(shape, set())


def _sensitive_within(shape: Shape, seen: set[str]) -> bool:
    if shape.metadata.get("sensitive"):
        return True
    if shape.name in seen:  # recursive shapes
        return False
    seen.add(shape.name)
    if isinstance(shape, StructureShape):
        return any(_sensitive_within(member, seen) for member in shape.members.values())
    if isinstance(shape, ListShape):
        return _sensitive_within(shape.member, seen)
    if isinstance(shape, MapShape):
        return _sensitive_within(shape.key, seen) or _sensitive_within(shape.value, seen)
    return False
