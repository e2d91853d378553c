"""User attributes: the pool's schema (standard + custom), and checking values against it.

Standard attributes are the OpenID Connect claims Cognito supports; custom ones are declared at pool
creation (``Schema``) and named ``custom:<name>`` (``dev:custom:<name>`` when developer-only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from hutch.services.cognito_idp.faults import invalid_parameter

_STRING_2048 = {"MinLength": "0", "MaxLength": "2048"}


def _standard(
    name: str,
    data_type: str = "String",
    *,
    mutable: bool = True,
    required: bool = False,
    constraints: dict[str, str] | None = None,
) -> dict[str, Any]:
    attr: dict[str, Any] = {
        "Name": name,
        "AttributeDataType": data_type,
        "DeveloperOnlyAttribute": False,
        "Mutable": mutable,
        "Required": required,
    }
    if data_type == "String":
        attr["StringAttributeConstraints"] = dict(constraints or _STRING_2048)
    elif data_type == "Number":
        attr["NumberAttributeConstraints"] = dict(constraints or {"MinValue": "0"})
    return attr


STANDARD_ATTRIBUTES: tuple[dict[str, Any], ...] = (
    _standard("sub", mutable=False, required=True, constraints={"MinLength": "1", "MaxLength": "2048"}),
    *(
        _standard(n)
        for n in (
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "email",
        )
    ),
    _standard("email_verified", "Boolean"),
    _standard("gender"),
    _standard("birthdate", constraints={"MinLength": "10", "MaxLength": "10"}),
    _standard("zoneinfo"),
    _standard("locale"),
    _standard("phone_number"),
    _standard("phone_number_verified", "Boolean"),
    _standard("address"),
    _standard("updated_at", "Number"),
    _standard("identities", constraints={}),
)
STANDARD_NAMES = frozenset(a["Name"] for a in STANDARD_ATTRIBUTES)
VERIFIED_FLAGS = frozenset({"email_verified", "phone_number_verified"})
MAX_CUSTOM_ATTRIBUTES = 50

_CUSTOM_NAME = re.compile(r"^[\w.:-]{1,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_PHONE = re.compile(r"^\+[0-9]{4,15}$")


def build_schema(requested: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """The pool's SchemaAttributes from CreateUserPool's ``Schema``: every standard attribute (with any
    requested Required/Mutable changes) followed by the custom ones."""
    standard = {a["Name"]: dict(a) for a in STANDARD_ATTRIBUTES}
    custom: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for item in requested or ():
        name = str(item.get("Name") or "")
        if not name:
            raise invalid_parameter("Schema attribute name is required.")
        if name in seen:
            raise invalid_parameter(f"Duplicate attribute name found: {name}")
        seen.add(name)
        if name in standard:
            _apply_standard_change(standard[name], item)
            continue
        custom[name] = _custom_attribute(name, item)
    if len(custom) > MAX_CUSTOM_ATTRIBUTES:
        raise invalid_parameter(f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes.")
    return [*standard.values(), *custom.values()]


def add_custom_attributes(
    schema: list[dict[str, Any]], requested: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """AddCustomAttributes: the schema with new custom attributes appended (existing names refused)."""
    existing = {a["Name"] for a in schema}
    added = []
    for item in requested:
        name = str(item.get("Name") or "")
        attr = _custom_attribute(name, item)
        if attr["Name"] in existing:
            raise invalid_parameter(f"Existing attribute already has name {attr['Name']}.")
        existing.add(attr["Name"])
        added.append(attr)
    if sum(1 for a in schema if _is_custom(a["Name"])) + len(added) > MAX_CUSTOM_ATTRIBUTES:
        raise invalid_parameter(f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes.")
    return [*schema, *added]


def _apply_standard_change(attr: dict[str, Any], item: Mapping[str, Any]) -> None:
    data_type = item.get("AttributeDataType")
    if data_type is not None and data_type != attr["AttributeDataType"]:
        raise invalid_parameter(
            f"You can not change AttributeDataType or set developerOnlyAttribute for "
            f"standard schema attribute {attr['Name']}"
        )
    if item.get("DeveloperOnlyAttribute"):
        raise invalid_parameter(
            f"You can not change AttributeDataType or set developerOnlyAttribute for "
            f"standard schema attribute {attr['Name']}"
        )
    if attr["Name"] == "sub":
        raise invalid_parameter("The sub attribute cannot be changed.")
    for key in ("Required", "Mutable"):
        if key in item and item[key] is not None:
            attr[key] = bool(item[key])
    if "StringAttributeConstraints" in item and attr["AttributeDataType"] == "String":
        attr["StringAttributeConstraints"] = _string_constraints(item["StringAttributeConstraints"])


def _custom_attribute(name: str, item: Mapping[str, Any]) -> dict[str, Any]:
    if not _CUSTOM_NAME.match(name):
        raise invalid_parameter(f"Invalid custom attribute name: {name}")
    if item.get("Required"):
        raise invalid_parameter("Required custom attributes are not supported currently.")
    data_type = item.get("AttributeDataType") or "String"
    if data_type not in ("String", "Number", "DateTime", "Boolean"):
        raise invalid_parameter(f"Invalid AttributeDataType: {data_type}")
    developer_only = bool(item.get("DeveloperOnlyAttribute"))
    attr: dict[str, Any] = {
        "Name": ("dev:custom:" if developer_only else "custom:") + name,
        "AttributeDataType": data_type,
        "DeveloperOnlyAttribute": developer_only,
        "Mutable": bool(item.get("Mutable", True)),
        "Required": False,
    }
    if data_type == "String":
        attr["StringAttributeConstraints"] = _string_constraints(item.get("StringAttributeConstraints") or {})
    elif data_type == "Number":
        attr["NumberAttributeConstraints"] = _number_constraints(item.get("NumberAttributeConstraints") or {})
    return attr


def _string_constraints(raw: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for key in ("MinLength", "MaxLength"):
        if raw.get(key) not in (None, ""):
            value = str(raw[key])
            if not value.isdigit() or int(value) > 2048:
                raise invalid_parameter(f"{key} must be a number between 0 and 2048.")
            out[key] = value
    if "MinLength" in out and "MaxLength" in out and int(out["MinLength"]) > int(out["MaxLength"]):
        raise invalid_parameter("MinLength must not be greater than MaxLength.")
    return out


def _number_constraints(raw: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for key in ("MinValue", "MaxValue"):
        if raw.get(key) not in (None, ""):
            value = str(raw[key])
            if _as_number(value) is None:
                raise invalid_parameter(f"{key} must be a number.")
            out[key] = value
    return out


def _is_custom(name: str) -> bool:
    return name.startswith(("custom:", "dev:custom:"))


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def by_name(schema: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {a["Name"]: a for a in schema}


def _schema_error(name: str, reason: str) -> Exception:
    return invalid_parameter(f"Attributes did not conform to the schema: {name}: {reason}\n")


def check_values(
    schema: Iterable[Mapping[str, Any]],
    values: Mapping[str, str],
    *,
    creating: bool,
) -> None:
    """Each attribute must exist, be settable and have a value its type and constraints accept.

    ``creating``: the user is being created (immutable attributes may be set once, required ones must be
    present)."""
    attrs = by_name(schema)
    for name, value in values.items():
        attr = attrs.get(name)
        if attr is None or name == "sub":
            reason = (
                "Attribute cannot be updated." if name == "sub" else "Attribute does not exist in the schema."
            )
            raise _schema_error(name, reason)
        if not creating and not attr.get("Mutable", True):
            raise _schema_error(name, "Attribute cannot be updated. (changing an immutable attribute)")
        _check_value(attr, value)
    if creating:
        for attr in attrs.values():
            if attr.get("Required") and attr["Name"] != "sub" and not values.get(attr["Name"]):
                raise _schema_error(attr["Name"], "The attribute is required")


def _check_value(attr: Mapping[str, Any], value: str) -> None:
    name, data_type = attr["Name"], attr["AttributeDataType"]
    if data_type == "String":
        limits = attr.get("StringAttributeConstraints") or {}
        if "MaxLength" in limits and len(value) > int(limits["MaxLength"]):
            raise _schema_error(name, f"String must be no longer than {limits['MaxLength']} characters")
        if value and "MinLength" in limits and len(value) < int(limits["MinLength"]):
            raise _schema_error(name, f"String must be no shorter than {limits['MinLength']} characters")
    elif data_type == "Number":
        number = _as_number(value)
        if number is None:
            raise _schema_error(name, "Number must be a valid number")
        limits = attr.get("NumberAttributeConstraints") or {}
        if "MinValue" in limits and number < float(limits["MinValue"]):
            raise _schema_error(name, f"Number must be no less than {limits['MinValue']}")
        if "MaxValue" in limits and number > float(limits["MaxValue"]):
            raise _schema_error(name, f"Number must be no greater than {limits['MaxValue']}")
    elif data_type == "Boolean":
        if value.lower() not in ("true", "false"):
            raise _schema_error(name, "Boolean must be true or false")
    elif data_type == "DateTime" and value:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _schema_error(name, "DateTime must be an ISO 8601 date and time") from None
    if name == "email" and value and not _EMAIL.match(value):
        raise invalid_parameter("Invalid email address format.")
    if name == "phone_number" and value and not _PHONE.match(value):
        raise invalid_parameter("Invalid phone number format.")


def default_readable(schema: Iterable[Mapping[str, Any]]) -> list[str]:
    """Attributes an app client reads when its ReadAttributes is not set: all but developer-only ones."""
    return [a["Name"] for a in schema if not a["Name"].startswith("dev:")]


def default_writable(schema: Iterable[Mapping[str, Any]]) -> list[str]:
    """Attributes an app client writes when its WriteAttributes is not set: every mutable one a user may
    set about themselves (not sub, not the verified flags, not developer-only ones)."""
    return [
        a["Name"]
        for a in schema
        if a.get("Mutable", True)
        and a["Name"] not in VERIFIED_FLAGS
        and a["Name"] not in ("sub", "identities")
        and not a["Name"].startswith("dev:")
    ]


def claim_value(name: str, value: str) -> Any:
    """An attribute as an ID-token claim: the verified flags are booleans and updated_at a number, as
    Cognito writes them; everything else stays a string."""
    if name in VERIFIED_FLAGS:
        return value.lower() == "true"
    if name == "updated_at":
        number = _as_number(value)
        return int(number) if number is not None and number.is_integer() else value
    return value
