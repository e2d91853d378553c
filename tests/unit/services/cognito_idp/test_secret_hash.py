"""SECRET_HASH: required and checked for clients with a secret, ignored for public clients."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp import secret_hash
from hutch.services.cognito_idp.model import AppClient

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _client(secret: str | None) -> AppClient:
    return AppClient("client1", "us-east-1_X", "app", secret, {}, NOW, NOW)


def test_compute_is_base64_hmac_sha256_of_username_and_client_id() -> None:
    expected = base64.b64encode(hmac.new(b"shh", b"aliceclient1", hashlib.sha256).digest()).decode()
    assert secret_hash.compute("shh", "alice", "client1") == expected


def test_public_client_needs_no_hash() -> None:
    secret_hash.require(_client(None), None, ["alice"])


def test_missing_hash_for_a_client_with_a_secret_is_refused() -> None:
    with pytest.raises(ServiceError, match="configured with secret but SECRET_HASH was not received"):
        secret_hash.require(_client("shh"), None, ["alice"])


def test_wrong_hash_is_refused() -> None:
    with pytest.raises(ServiceError, match="Unable to verify secret hash for client client1"):
        secret_hash.require(_client("shh"), secret_hash.compute("other", "alice", "client1"), ["alice"])


def test_hash_over_any_of_the_users_names_is_accepted() -> None:
    given = secret_hash.compute("shh", "0b1f-sub", "client1")
    secret_hash.require(_client("shh"), given, ["alice@example.com", "0b1f-sub"])
