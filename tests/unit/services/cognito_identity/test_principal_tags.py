from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_identity.model import PrincipalTagMap
from hutch.services.cognito_identity.principal_tags import session_tags

CLAIMS = {"sub": "user-sub", "aud": "client-1", "email": "a@example.com", "cognito:groups": ["a", "b"]}


def test_default_mapping_gives_username_from_sub_and_client_from_aud() -> None:
    assert session_tags(PrincipalTagMap(True), CLAIMS) == {"username": "user-sub", "client": "client-1"}


def test_custom_mapping_maps_claims_and_skips_absent_ones() -> None:
    tag_map = PrincipalTagMap(False, {"mail": "email", "groups": "cognito:groups", "dept": "custom:dept"})
    assert session_tags(tag_map, CLAIMS) == {"mail": "a@example.com", "groups": "a,b"}


def test_no_mapping_means_no_tags() -> None:
    assert session_tags(None, CLAIMS) == {}


def test_a_value_too_long_for_a_session_tag_is_refused() -> None:
    with pytest.raises(ServiceError):
        session_tags(PrincipalTagMap(False, {"big": "blob"}), {"blob": "x" * 257})
