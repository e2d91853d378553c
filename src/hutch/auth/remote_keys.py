"""Verifying ID tokens of OpenID Connect issuers other than hutch (IAM OIDC providers, Google, Apple).

The issuer's discovery document names its JWKS; both are fetched over HTTPS with a short timeout and the key
set is cached per issuer (refetched once when a token names a kid the cache does not know, so key rotation
works without a restart). Only asymmetric algorithms are accepted, and the key type must fit the algorithm.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

import jwt

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
FETCH_TIMEOUT_SECONDS = 5.0
CACHE_SECONDS = 3600.0
MAX_DOCUMENT_BYTES = 512 * 1024


class RemoteTokenError(ValueError):
    """The token is not a valid, current ID token of that issuer for those audiences."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


def _fetch_json(url: str) -> dict[str, Any]:
    if not url.startswith("https://"):
        raise RemoteTokenError(f"The provider's keys must be served over https ({url}).")
    request = urllib.request.Request(url, headers={"accept": "application/json"})  # noqa: S310 - https only
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        data = json.loads(response.read(MAX_DOCUMENT_BYTES))
    if not isinstance(data, dict):
        raise RemoteTokenError(f"{url} did not answer a JSON object.")
    return data


class RemoteKeys:
    """Per-issuer JWKS cache. ``fetch`` is replaceable for tests."""

    def __init__(self, fetch: Callable[[str], dict[str, Any]] = _fetch_json) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, jwt.PyJWKSet]] = {}

    def _key_set(self, issuer: str, *, refresh: bool = False) -> jwt.PyJWKSet:
        with self._lock:
            cached = self._cache.get(issuer)
        if cached is not None and not refresh and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            discovery = self._fetch(issuer.rstrip("/") + "/.well-known/openid-configuration")
            jwks_uri = discovery.get("jwks_uri")
            if not isinstance(jwks_uri, str):
                raise RemoteTokenError("The provider's discovery document names no jwks_uri.")
            key_set = jwt.PyJWKSet.from_dict(self._fetch(jwks_uri))
        except RemoteTokenError:
            raise
        except (OSError, ValueError, jwt.PyJWTError) as exc:
            raise RemoteTokenError(f"Couldn't fetch the provider's keys: {exc}") from None
        with self._lock:
            self._cache[issuer] = (time.monotonic(), key_set)
        return key_set

    def verify(
        self,
        token: str,
        *,
        issuer: str,
        audiences: Collection[str],
        now: datetime,
        also_issued_as: Collection[str] = (),
    ) -> dict[str, Any]:
        """The claims of a current token of ``issuer`` (whose ``iss`` may also read as one of
        ``also_issued_as``: Google writes it with or without the scheme) for one of ``audiences``."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise RemoteTokenError("Not a valid OpenId Connect identity token.") from None
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise RemoteTokenError("Couldn't verify signed token.")
        kid = header.get("kid")
        key = self._find(self._key_set(issuer), kid)
        if key is None:
            key = self._find(self._key_set(issuer, refresh=True), kid)
        if key is None:
            raise RemoteTokenError("Couldn't verify signed token.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                issuer=(issuer, *also_issued_as),
                options={"verify_aud": False, "verify_exp": False, "require": ["iss", "sub", "exp"]},
            )
        except jwt.InvalidIssuerError:
            raise RemoteTokenError("Issuer doesn't match providerName") from None
        except jwt.PyJWTError:
            raise RemoteTokenError("Couldn't verify signed token.") from None
        token_audiences = claims.get("aud")
        listed = [token_audiences] if isinstance(token_audiences, str) else list(token_audiences or ())
        if not any(a in audiences for a in listed):
            raise RemoteTokenError("Incorrect token audience.")
        exp = claims.get("exp")
        current = int(now.timestamp())
        if not isinstance(exp, int | float) or current >= exp:
            raise RemoteTokenError(f"Token expired: {current} >= {exp}", expired=True)
        return claims

    @staticmethod
    def _find(key_set: jwt.PyJWKSet, kid: object) -> jwt.PyJWK | None:
        for key in key_set.keys:
            if kid is None or key.key_id == kid:
                return key
        return None
