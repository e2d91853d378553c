"""Scalar conversions and naming rules shared by every protocol.

Incoming values are converted to the Python types botocore's client-side input uses (datetime, bytes, int,
float, bool); outgoing values are rendered the way botocore's response parsers expect them. A value from the
network that cannot be converted raises ``WireValueError``; each protocol turns that into its own error code.
A value from a handler that has the wrong type raises ``TypeError``: that is a bug in hutch, not bad input.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
import math
import re
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from botocore.model import Shape

ISO8601 = "iso8601"
RFC822 = "rfc822"
UNIX = "unixtimestamp"

_INTEGER = re.compile(r"[+-]?[0-9]+")
_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class WireValueError(ValueError):
    """A value from the network that does not fit its shape; ``path`` names the member (camelCase, as AWS)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


# ---- names ------------------------------------------------------------------------------------------------


def wire_name(shape: Shape, default: str) -> str:
    """The member's name on the wire: its locationName when the model gives one."""
    name = shape.serialization.get("name")
    return name if isinstance(name, str) and name else default


def xml_member_name(shape: Shape, member_name: str) -> str:
    """The element name of a structure member in XML, as botocore's XML parser looks it up.

    A flattened list whose member has a locationName repeats elements named after the list *member*.
    """
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        inner = shape.member.serialization.get("name")
        if inner:
            return str(inner)
    return wire_name(shape, member_name)


def validation_path(parent: str, member_name: str) -> str:
    """AWS names members in validation messages in camelCase: 'roleName', 'tags.1.member.key'."""
    name = member_name[:1].lower() + member_name[1:]
    return f"{parent}.{name}" if parent else name


def is_json_value(shape: Shape) -> bool:
    """String members carried as base64-encoded JSON in a header (botocore's jsonvalue trait)."""
    return shape.type_name == "string" and bool(shape.serialization.get("jsonvalue"))


# ---- network text -> Python -------------------------------------------------------------------------------


def parse_integer(text: str, path: str = "") -> int:
    stripped = text.strip()
    if not _INTEGER.fullmatch(stripped):
        raise WireValueError(f"Value '{text}' is not a valid integer", path)
    return int(stripped)


def parse_float(text: str, path: str = "") -> float:
    stripped = text.strip()
    if stripped in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[stripped]
    try:
        value = float(stripped)
    except ValueError:
        raise WireValueError(f"Value '{text}' is not a valid number", path) from None
    if not math.isfinite(value):  # "inf", "nan" spelled other ways than AWS spells them
        raise WireValueError(f"Value '{text}' is not a valid number", path)
    return value


def parse_boolean(text: str, path: str = "") -> bool:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise WireValueError(f"Value '{text}' is not a valid boolean", path)


def parse_blob(text: str, path: str = "") -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise WireValueError("Value is not valid base64", path) from None


def parse_timestamp(value: str | float, fmt: str | None, path: str = "") -> datetime:
    """A tz-aware UTC datetime; the declared format is tried first, then the other two AWS formats."""
    if isinstance(value, bool):
        raise WireValueError(f"Value '{value}' is not a valid timestamp", path)
    if isinstance(value, int | float):
        return _from_epoch(float(value), path)
    order = {ISO8601: (_iso, _rfc822, _epoch), RFC822: (_rfc822, _iso, _epoch)}.get(
        (fmt or "").lower(), (_epoch, _iso, _rfc822)
    )
    text = value.strip()
    for attempt in order:
        parsed = attempt(text)
        if parsed is not None:
            return parsed
    raise WireValueError(f"Value '{value}' is not a valid timestamp", path)


def _iso(text: str) -> datetime | None:
    if not text[:4].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _as_utc(parsed)


def _rfc822(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _as_utc(parsed)


def _epoch(text: str) -> datetime | None:
    try:
        seconds = float(text)
    except ValueError:
        return None
    if not math.isfinite(seconds):
        return None
    try:
        return _from_epoch(seconds, "")
    except WireValueError:
        return None


def _from_epoch(seconds: float, path: str) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise WireValueError(f"Value '{seconds}' is not a valid timestamp", path) from None


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_json_value(text: str, path: str = "") -> Any:
    """A jsonvalue header: base64 of a JSON document."""
    try:
        return json.loads(base64.b64decode(text.strip(), validate=True).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise WireValueError("Value is not base64-encoded JSON", path) from None


# ---- handler values -> wire text --------------------------------------------------------------------------


def result_datetime(value: Any, where: str) -> datetime:
    """Handlers return datetimes (naive ones are taken as UTC); epoch numbers are accepted too."""
    if isinstance(value, datetime):
        return _as_utc(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    raise TypeError(f"{where}: expected a datetime, got {type(value).__name__}")


def format_timestamp(value: Any, fmt: str, where: str) -> str | int | float:
    """A timestamp as the protocol writes it: ISO 8601 (milliseconds, as AWS), RFC 822, or epoch seconds."""
    moment = result_datetime(value, where)
    fmt = fmt.lower()
    if fmt == RFC822:
        return format_datetime(moment.replace(microsecond=0), usegmt=True)
    if fmt == UNIX:
        seconds = calendar.timegm(moment.timetuple())
        millis = moment.microsecond // 1000
        return seconds + millis / 1000 if millis else seconds
    return iso8601(moment, always_millis=False)


def iso8601(moment: datetime, *, always_millis: bool) -> str:
    moment = _as_utc(moment)
    millis = moment.microsecond // 1000
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if millis or always_millis:
        return f"{base}.{millis:03d}Z"
    return f"{base}Z"


def result_bytes(value: Any, where: str) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"{where}: expected bytes, got {type(value).__name__}")


def result_base64(value: Any, where: str) -> str:
    return base64.b64encode(result_bytes(value, where)).decode("ascii")


def result_text(shape: Shape, value: Any, where: str, timestamp_format: str) -> str:
    """A scalar as text (XML element text, header value, query value)."""
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            raise TypeError(f"{where}: expected str, got {type(value).__name__}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise TypeError(f"{where}: expected bool, got {type(value).__name__}")
        return "true" if value else "false"
    if kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{where}: expected int, got {type(value).__name__}")
        return str(value)
    if kind in ("float", "double"):
        return float_text(result_number(value, where))
    if kind == "timestamp":
        fmt = shape.serialization.get("timestampFormat") or timestamp_format
        return str(format_timestamp(value, fmt, where))
    if kind == "blob":
        return result_base64(value, where)
    raise TypeError(f"{where}: {kind} is not a scalar shape")


def result_number(value: Any, where: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"{where}: expected a number, got {type(value).__name__}")


def float_text(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)
