"""The POST policy of a browser upload: a signed JSON document saying until when, and with which form fields,
an upload may be made.

``{"expiration": "2026-01-01T12:00:00Z", "conditions": [{"acl": "private"}, ["starts-with", "$key", "u/"],
["content-length-range", 1, 1048576]]}`` — exact matches (``{"field": "value"}`` or ``["eq", "$field",
"value"]``), prefixes (``starts-with``; for Content-Type every comma-separated type must match) and the size
range of the file. Field names are case-insensitive, values are not. Every form field except the signature,
the policy, the file and ``x-ignore-*`` must be named by some condition. The wording of each failure is S3's
("Invalid according to Policy: ...", "Invalid Policy: ...").
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hutch.errors import ServiceError

EQ = "eq"
STARTS_WITH = "starts-with"
LENGTH_RANGE = "content-length-range"
_OPERATORS = (EQ, STARTS_WITH, LENGTH_RANGE)
_EXPIRATION_FORMATS = ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ")
# Fields no condition has to name: the signature's own, the policy, the file, and what the form says to skip.
_EXEMPT_V4 = frozenset({"policy", "x-amz-signature", "file"})
_EXEMPT_V2 = frozenset({"policy", "signature", "awsaccesskeyid", "file"})
IGNORE_PREFIX = "x-ignore-"


def invalid_policy(detail: str) -> ServiceError:
    return ServiceError("InvalidPolicyDocument", f"Invalid Policy: {detail}", 400)


def policy_violation(detail: str) -> ServiceError:
    return ServiceError("AccessDenied", f"Invalid according to Policy: {detail}", 403)


class _NotJson(ValueError):
    pass


def _refuse_number(text: str) -> Any:
    # S3 reads sizes as integers only: 512.0 (or NaN) makes the whole document "Invalid JSON".
    raise _NotJson(text)


@dataclass(frozen=True)
class Condition:
    operator: str  # eq | starts-with | content-length-range
    operands: tuple[Any, ...]  # as written: ("$key", "user/") or (1, 1024)
    spelled: str  # the condition as S3 prints it when it fails: ["eq", "$key", "a.txt"]

    @property
    def field(self) -> str | None:
        """The lower-cased form field an eq / starts-with condition tests (None without a leading "$")."""
        if self.operator == LENGTH_RANGE:
            return None
        name = str(self.operands[0])
        return name[1:].lower() if name.startswith("$") else None

    def length_bounds(self) -> tuple[int, int] | None:
        """(min, max) of a content-length-range whose operands are integers (or integer strings)."""
        if self.operator != LENGTH_RANGE:
            return None
        try:
            low, high = (int(v) for v in self.operands)
        except (TypeError, ValueError):
            return None
        return low, high

    def holds(self, fields: Mapping[str, str], bucket: str) -> bool:
        """Whether the form satisfies this eq / starts-with condition (a size range is checked later)."""
        if self.operator == LENGTH_RANGE:
            return self.length_bounds() is not None
        name = self.field
        if name is None:
            return False
        value = bucket if name == "bucket" else fields.get(name)
        if value is None:
            return False  # a field the form does not carry fails even starts-with ""
        expected = str(self.operands[1])
        if self.operator == EQ:
            return value == expected
        if name == "content-type":
            # "Content-Types values for a starts-with condition that include commas are interpreted as lists."
            return all(item.strip().startswith(expected) for item in value.split(","))
        return value.startswith(expected)


@dataclass(frozen=True)
class PostPolicy:
    expiration: datetime
    conditions: tuple[Condition, ...]

    def check(
        self, now: datetime, fields: Mapping[str, str], names: Iterable[str], bucket: str, *, sigv2: bool
    ) -> None:
        """Expiration, then every condition but the size range, then that every field is accounted for.

        ``fields`` maps lower-cased names to values (with ${filename} expanded); ``names`` are the field
        names as sent, for the "Extra input fields" report.
        """
        if now >= self.expiration:
            raise policy_violation("Policy expired.")
        for condition in self.conditions:
            if not condition.holds(fields, bucket):
                raise policy_violation(f"Policy Condition failed: {condition.spelled}")
        covered = {c.field for c in self.conditions if c.field is not None}
        exempt = _EXEMPT_V2 if sigv2 else _EXEMPT_V4
        extra = [
            name
            for name in dict.fromkeys(names)
            if (lower := name.lower()) not in covered
            and lower not in exempt
            and not lower.startswith(IGNORE_PREFIX)
        ]
        if extra:
            raise policy_violation("Extra input fields: " + ", ".join(extra))

    def length_range(self) -> tuple[int, int | None]:
        """The smallest and largest file every content-length-range allows (no range: 0 and None)."""
        low, high = 0, None
        for condition in self.conditions:
            bounds = condition.length_bounds()
            if bounds is not None:
                low = max(low, bounds[0])
                high = bounds[1] if high is None else min(high, bounds[1])
        return low, high


def parse(encoded: str) -> PostPolicy:
    """The policy field (base64 of UTF-8 JSON) as a PostPolicy; InvalidPolicyDocument when it is not one."""
    try:
        text = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        document = json.loads(text, parse_float=_refuse_number, parse_constant=_refuse_number)
    except (binascii.Error, ValueError):
        raise invalid_policy("Invalid JSON.") from None
    if not isinstance(document, dict):
        raise invalid_policy("Invalid JSON.")
    for name in document:
        if name not in ("expiration", "conditions"):
            raise invalid_policy(f"Unexpected: '{name.lower()}'.")
    if "expiration" not in document:
        raise invalid_policy("Policy missing expiration.")
    if "conditions" not in document:
        raise invalid_policy("Policy missing conditions.")
    conditions = document["conditions"]
    if not isinstance(conditions, list):
        raise invalid_policy("Invalid 'conditions' value: must be a List.")
    return PostPolicy(_expiration(document["expiration"]), tuple(_condition(c) for c in conditions))


def _expiration(value: Any) -> datetime:
    if isinstance(value, str):
        for pattern in _EXPIRATION_FORMATS:
            try:
                return datetime.strptime(value, pattern).replace(tzinfo=UTC)
            except ValueError:
                continue
    raise invalid_policy(f"Invalid 'expiration' value: '{value}'")


def _spell(items: Iterable[Any]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def _condition(raw: Any) -> Condition:
    if isinstance(raw, dict):
        if len(raw) != 1:
            raise invalid_policy(
                "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."
            )
        ((name, value),) = raw.items()
        if value is None:
            raise invalid_policy("Invalid JSON.")
        if not isinstance(value, str):
            raise invalid_policy("Invalid Simple-Condition: value must be a string.")
        # S3 reports a failed simple condition as the eq condition it stands for.
        simple = (f"${name}", value)
        return Condition(EQ, simple, _spell([EQ, *simple]))
    if not isinstance(raw, list):
        raise invalid_policy("Invalid condition test: must be a List or Object.")
    if not raw or not isinstance(raw[0], str):
        raise invalid_policy("Invalid Condition: missing operation identifier.")
    operator = raw[0].lower()
    if operator not in _OPERATORS:
        raise invalid_policy(f"Invalid Condition: unknown operation '{raw[0]}'.")
    operands: tuple[Any, ...] = tuple(raw[1:])
    if len(operands) != 2:
        raise invalid_policy(f"Invalid {raw[0]}: wrong number of arguments.")
    if operator == LENGTH_RANGE:
        for bound in operands:
            if isinstance(bound, bool) or (isinstance(bound, int) and bound < 0):
                raise invalid_policy(f"Invalid {raw[0]}: bounds must be non-negative integers.")
            if not isinstance(bound, int | str):
                raise invalid_policy("Invalid JSON.")
    elif not all(isinstance(operand, str) for operand in operands):
        raise invalid_policy("Invalid JSON.")
    return Condition(operator, operands, _spell(raw))


def entity_too_small(size: int, minimum: int) -> ServiceError:
    return ServiceError(
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
        400,
        fields={"ProposedSize": str(size), "MinSizeAllowed": str(minimum)},
    )


def entity_too_large(size: int | None, maximum: int) -> ServiceError:
    fields = {"ProposedSize": str(size)} if size is not None else {}
    fields["MaxSizeAllowed"] = str(maximum)
    return ServiceError(
        "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400, fields=fields
    )
