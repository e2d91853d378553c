"""SECRET_HASH: how a public API call proves it comes from an app client that holds the client secret.

SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

from hutch.services.cognito_idp.faults import not_authorized
from hutch.services.cognito_idp.model import AppClient


def compute(client_secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def require(client: AppClient, given: str | None, usernames: Iterable[str]) -> None:
    """Check ``given`` when the client has a secret. Any of ``usernames`` (what the caller typed, the
    canonical username, the sub) may be the message: each proves knowledge of the same secret."""
    if client.secret is None:
        return
    if not given:
        raise not_authorized(
            f"Client {client.client_id} is configured with secret but SECRET_HASH was not received"
        )
    candidates = [n for n in dict.fromkeys(usernames) if n]
    matched = False
    for name in candidates:
        # Compare every candidate so the time taken does not depend on which one matched.
        matched |= hmac.compare_digest(compute(client.secret, name, client.client_id), given)
    if not matched:
        raise not_authorized(f"Unable to verify secret hash for client {client.client_id}")


def require_secret(client: AppClient, given: str | None) -> None:
    """GetTokensFromRefreshToken sends the client secret itself (ClientSecret), not a SECRET_HASH."""
    if client.secret is None:
        return
    if not given:
        raise not_authorized(
            f"Client {client.client_id} is configured with secret but ClientSecret was not received"
        )
    if not hmac.compare_digest(client.secret.encode(), given.encode()):
        raise not_authorized(f"Unable to verify secret for client {client.client_id}")
