"""Attributes for access control: token claims that become the session's principal tags.

SetPrincipalTagAttributeMap maps, per identity provider, a tag key to a claim name. ``UseDefaults`` uses the
documented default mapping (Cognito developer guide, "Default provider mappings"): ``username`` ← ``sub`` and
``client`` ← ``aud``. A claim the token does not carry contributes no tag; multi-valued claims are joined with
commas; values longer than a session tag allows are refused rather than silently cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.model import PrincipalTagMap

DEFAULT_TAGS = {"username": "sub", "client": "aud"}
MAX_TAGS = 50
MAX_TAG_VALUE = 256


def effective_mapping(tag_map: PrincipalTagMap) -> Mapping[str, str]:
    return DEFAULT_TAGS if tag_map.use_defaults else tag_map.tags


def session_tags(tag_map: PrincipalTagMap | None, claims: Mapping[str, Any]) -> dict[str, str]:
    if tag_map is None:
        return {}
    tags: dict[str, str] = {}
    for tag_key, claim in effective_mapping(tag_map).items():
        if claim not in claims:
            continue
        value = claims[claim]
        text = ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if isinstance(value, bool):
            text = "true" if value else "false"
        if len(text) > MAX_TAG_VALUE:
            raise errors.invalid_parameter(
                f"The value of claim '{claim}' is too long to become principal tag '{tag_key}'."
            )
        tags[tag_key] = text
    if len(tags) > MAX_TAGS:
        raise errors.invalid_parameter("Too many principal tags.")
    return tags
