"""Date operators. Values are ISO 8601 date/times (UTC unless an offset is given) or epoch seconds.

Dates compare as exact epoch seconds (``Decimal``), so fractions of a second and offsets are honoured.
IAM refuses a policy whose date value it cannot read ("The policy failed legacy parsing"); a context
value that is not a date never matches.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hutch.policy.conditions.registry import OperatorDef, literal_text, register
from hutch.policy.wildcard import Token

# ASCII digits only (``\d`` would take any script's digits); at most 19 of them, the width of a signed
# 64-bit count -- and well below the length at which int() refuses to convert and raises.
_EPOCH = re.compile(r"-?[0-9]{1,19}")
_INT64 = 2**63
# Accepts the forms IAM accepts: year, year-month, date, date + time (1-2 digit hour), optional
# seconds and up to nine fraction digits, ``T`` in either case, and ``Z`` or a +HH[[:]MM] offset.
_ISO = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[Tt](?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?)?)?",
    re.ASCII,
)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def parse_date(text: str) -> Decimal | None:
    """Seconds since the epoch for an ISO 8601 or epoch-seconds string; ``None`` if unreadable."""
    text = text.strip()
    if _EPOCH.fullmatch(text):
        seconds = int(text)
        return Decimal(seconds) if -_INT64 <= seconds < _INT64 else None
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    try:
        day = dt.date(int(m["y"]), int(m["mo"] or 1), int(m["d"] or 1))
    except ValueError:
        return None
    hour, minute, second = int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0)
    if hour > 24 or minute > 59 or second > 60:
        return None
    seconds = (day.toordinal() - _EPOCH_ORDINAL) * 86400 + hour * 3600 + minute * 60 + second
    seconds -= _offset_seconds(m["tz"])
    result = Decimal(seconds)
    if m["f"]:
        result += Decimal(f"0.{m['f']}")
    return result


def _offset_seconds(tz: str | None) -> int:
    if not tz or tz in "Zz":
        return 0
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return sign * (hours * 3600 + minutes * 60)


def _compile(tokens: tuple[Token, ...]) -> Decimal | None:
    return parse_date(literal_text(tokens))


def _date(name: str, negated: bool, compare: Callable[[Any, Any], Any]) -> OperatorDef:
    return OperatorDef(
        name,
        negated,
        wildcards=False,
        variables=False,
        compile=_compile,
        parse=parse_date,
        test=lambda value, policy: bool(compare(value, policy)),
        describe_value="a date",
    )


register(
    _date("DateEquals", False, operator.eq),
    _date("DateNotEquals", True, operator.eq),
    _date("DateLessThan", False, operator.lt),
    _date("DateLessThanEquals", False, operator.le),
    _date("DateGreaterThan", False, operator.gt),
    _date("DateGreaterThanEquals", False, operator.ge),
)
