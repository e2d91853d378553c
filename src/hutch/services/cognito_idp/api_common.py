"""Helpers the operation handlers share: the service object, IAM authorization, parameters, paging."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hutch.services.cognito_idp.faults import invalid_parameter
from hutch.services.cognito_idp.identifiers import pool_arn

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.services.cognito_idp.outbox import Message
    from hutch.services.cognito_idp.service import CognitoIdpService

SERVICE = "cognito-idp"


def service(call: Call) -> CognitoIdpService:
    svc: CognitoIdpService = call.rt.services["cognito_idp"]
    return svc


def arn_of(call: Call, pool_id: str) -> str:
    region = pool_id.split("_", 1)[0] if "_" in pool_id else call.rt.region
    return pool_arn(region, call.account, pool_id)


def authorize(call: Call, pool_id: str | None) -> None:
    """IAM authorization of an admin operation on a pool (``*`` for pool-less ones like ListUserPools)."""
    resource = arn_of(call, pool_id) if pool_id else "*"
    call.authorize(f"cognito-idp:{call.operation}", resource)


def attribute_map(items: Iterable[Mapping[str, Any]] | None) -> dict[str, str]:
    """AttributeListType → {name: value}; a repeated name is refused, as Cognito does."""
    out: dict[str, str] = {}
    for item in items or ():
        name = str(item.get("Name") or "")
        if name in out:
            raise invalid_parameter(f"Duplicate attribute name: {name}")
        out[name] = str(item.get("Value") if item.get("Value") is not None else "")
    return out


def page_size(value: Any, default: int, maximum: int = 60) -> int:
    if value is None or value == 0:
        return default
    if not isinstance(value, int) or value < 0 or value > maximum:
        raise invalid_parameter(f"Limit must be between 0 and {maximum}.")
    return value


def encode_token(position: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode("ascii")


def decode_token(token: str | None, name: str = "NextToken") -> str | None:
    if not token:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        after = data["after"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise invalid_parameter(f"Invalid {name}.") from None
    if not isinstance(after, str):
        raise invalid_parameter(f"Invalid {name}.")
    return after


def deliver(svc: CognitoIdpService, messages: Iterable[Message]) -> None:
    """Send messages built inside a transaction, once it has committed."""
    for message in messages:
        svc.sender.send(message)
