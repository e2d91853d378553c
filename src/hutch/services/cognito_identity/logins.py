"""Turning a Logins map into verified logins of an identity pool.

Each entry is (provider key, token). The key names a provider the pool trusts, and the token must be a
current, correctly signed ID token of that provider for one of the pool's app clients. What is accepted:

- Cognito user pools (CognitoIdentityProviders), under their AWS name
  ``cognito-idp.<region>.amazonaws.com/<id>`` or under the token issuer without its scheme
  (``127.0.0.1:4577/<id>``: what Amplify v6 builds from ``iss``). The ID token's iss, token_use, exp and aud
  (one of the pool's client ids for that user pool) are checked with AWS's messages, then the user pool
  verifies the signature and that the session was not revoked.
- IAM OpenID Connect providers (OpenIdConnectProviderARNs): key = the provider URL without scheme; aud must
  be in the provider's client id list; keys from hutch itself when the issuer is a hutch user pool, else from
  the issuer's JWKS over HTTPS.
- Google and Sign in with Apple under SupportedLoginProviders (OIDC tokens, app id = aud).
- This service's own tokens under ``cognito-identity.amazonaws.com`` (developer-authenticated users).
- The pool's developer provider, only in SigV4-signed developer calls: the value is the user identifier.

Facebook, Login with Amazon, Twitter/Digits and SAML tokens can only be checked by calling those services,
which hutch does not do: they are refused, never accepted unchecked.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from hutch.auth.remote_keys import RemoteKeys, RemoteTokenError
from hutch.errors import ServiceError
from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.model import (
    COGNITO_IDENTITY_PROVIDER,
    CognitoProvider,
    IdentityPool,
    Login,
)
from hutch.services.cognito_identity.openid import InvalidOpenIdToken, OpenIdTokens
from hutch.services.cognito_identity.token_cache import VerifiedTokenCache

LoginKind = Literal["cognito", "oidc", "identity", "developer"]

# Public providers whose tokens are OIDC ID tokens with a published JWKS: Logins key -> issuer.
OIDC_PUBLIC_PROVIDERS = {
    "accounts.google.com": "https://accounts.google.com",
    "appleid.apple.com": "https://appleid.apple.com",
}


class UserPools(Protocol):
    """What this service needs from the user-pool service (rt.services["cognito_idp"])."""

    def verify_id_token(self, token: str) -> dict[str, Any]: ...
    def issuer(self, pool_id: str) -> str: ...


class OidcProviders(Protocol):
    """IAM's OpenID Connect providers: (issuer URL, URL without scheme, client ids) for an ARN, or None."""

    def __call__(self, arn: str) -> tuple[str, str, tuple[str, ...]] | None: ...


@dataclass(frozen=True)
class VerifiedLogin:
    provider: str  # the provider name as the pool configures it
    subject: str  # the user's id at the provider (sub, developer user identifier, identity id for our tokens)
    kind: LoginKind
    claims: Mapping[str, Any] = field(default_factory=dict)

    @property
    def login(self) -> Login:
        return Login(self.provider, self.subject)

    def amr(self) -> list[str]:
        """The provider's entries in cognito-identity.amazonaws.com:amr (after "authenticated")."""
        if self.kind == "cognito":
            return [self.provider, f"{self.provider}:CognitoSignIn:{self.subject}"]
        if self.kind == "identity":
            return [str(a) for a in self.claims.get("amr", ()) if a != "authenticated"]
        return [self.provider]


def without_scheme(url: str) -> str:
    return url.split("://", 1)[1] if "://" in url else url


class LoginVerifier:
    def __init__(
        self,
        *,
        user_pools: UserPools | None,
        oidc_providers: OidcProviders,
        own_tokens: OpenIdTokens,
        remote_keys: RemoteKeys,
    ) -> None:
        self.user_pools = user_pools
        self.oidc_providers = oidc_providers
        self.own_tokens = own_tokens
        self.remote_keys = remote_keys
        self.verified_tokens = VerifiedTokenCache()

    def verify_all(
        self, pool: IdentityPool, logins: Mapping[str, str] | None, now: datetime, *, developer: bool = False
    ) -> list[VerifiedLogin]:
        """Every entry verified, or the first failure raised: one bad token fails the whole call, as AWS."""
        return [
            self.verify(pool, key, token, now, developer=developer) for key, token in (logins or {}).items()
        ]

    def verify(
        self, pool: IdentityPool, key: str, token: str, now: datetime, *, developer: bool = False
    ) -> VerifiedLogin:
        if key == COGNITO_IDENTITY_PROVIDER:
            return self._own_token(pool, token, now)
        if pool.developer_provider_name and key == pool.developer_provider_name:
            if not developer:
                # Developer user identifiers are only trusted from SigV4-signed developer calls.
                raise errors.unsupported_provider()
            return VerifiedLogin(key, token, "developer")
        cognito = self._cognito_candidates(pool, key)
        if cognito:
            return self._cognito_token(cognito, token, now)
        for arn in pool.open_id_connect_provider_arns:
            provider = self.oidc_providers(arn)
            if provider is not None and provider[1] == key:
                return self._oidc_token(key, provider[0], provider[2], token, now)
        if key in pool.supported_login_providers:
            issuer = OIDC_PUBLIC_PROVIDERS.get(key)
            if issuer is None:
                raise errors.invalid_login_token(f"hutch cannot verify {key} tokens.")
            audiences = tuple(a.strip() for a in pool.supported_login_providers[key].split(","))
            return self._oidc_token(key, issuer, audiences, token, now, also_issued_as=(key,))
        raise errors.unsupported_provider()

    def canonical_provider(self, pool: IdentityPool, key: str) -> str:
        """The provider name logins are stored under for a Logins key (Amplify's issuer form → AWS name)."""
        cognito = self._cognito_candidates(pool, key)
        return cognito[0][0].provider_name if cognito else key

    # ---- providers ----------------------------------------------------------------------------------------

    def _cognito_candidates(self, pool: IdentityPool, key: str) -> list[tuple[CognitoProvider, str]]:
        """The configured app clients the key names, each with its user pool's issuer."""
        found = []
        for provider in pool.cognito_providers:
            issuer = self._user_pool_issuer(provider.user_pool_id)
            if key == provider.provider_name or (issuer is not None and key == without_scheme(issuer)):
                found.append((provider, issuer or ""))
        return found

    def _user_pool_issuer(self, user_pool_id: str) -> str | None:
        if self.user_pools is None:
            return None
        try:
            return self.user_pools.issuer(user_pool_id)
        except ServiceError:
            return None

    def _cognito_token(
        self, candidates: list[tuple[CognitoProvider, str]], token: str, now: datetime
    ) -> VerifiedLogin:
        # A token verified before has exactly these claims (the cache is keyed by the whole token): no need
        # to decode it again to choose the checks below.
        remembered = self.verified_tokens.get(token, now)
        claims = remembered if remembered is not None else _unverified_claims(token)
        issuers = {issuer for _, issuer in candidates}
        if claims.get("iss") not in issuers:
            raise errors.invalid_login_token("Issuer doesn't match providerName")
        audience = claims.get("aud")
        if not isinstance(audience, str):
            raise errors.invalid_login_token("Missing a required claim: aud")
        if claims.get("token_use") != "id":
            raise errors.invalid_login_token("Not a valid OpenId Connect identity token.")
        _check_expiry(claims, now)
        matching = [p for p, issuer in candidates if p.client_id == audience and issuer == claims["iss"]]
        if not matching:
            raise errors.unsupported_provider()
        if self.user_pools is None:
            raise errors.invalid_login_token("Couldn't verify signed token.")
        server_side_check = any(p.server_side_token_check for p in matching)
        verified = None if server_side_check else remembered
        if verified is None:
            try:
                # Signature against the user pool's keys, and that the session was not signed out or revoked.
                verified = self.user_pools.verify_id_token(token)
            except ServiceError:
                raise errors.invalid_login_token("Couldn't verify signed token.") from None
            if not server_side_check:
                self.verified_tokens.put(token, verified, now)
        if verified.get("aud") != audience or verified.get("iss") != claims["iss"]:
            raise errors.invalid_login_token("Couldn't verify signed token.")
        subject = verified.get("sub")
        if not isinstance(subject, str) or not subject:
            raise errors.invalid_login_token("Missing a required claim: sub")
        return VerifiedLogin(matching[0].provider_name, subject, "cognito", verified)

    def _oidc_token(
        self,
        key: str,
        issuer: str,
        audiences: Iterable[str],
        token: str,
        now: datetime,
        *,
        also_issued_as: tuple[str, ...] = (),
    ) -> VerifiedLogin:
        allowed = set(audiences)
        claims = _unverified_claims(token)
        local = self._local_issuer(claims.get("iss"), key)
        if local:
            # A hutch user pool registered as an OIDC provider: its keys are right here, no HTTP needed.
            _check_expiry(claims, now)
            if claims.get("aud") not in allowed:
                raise errors.unsupported_provider()
            try:
                verified = self.user_pools.verify_id_token(token) if self.user_pools else None
            except ServiceError:
                verified = None
            if verified is None or verified.get("aud") not in allowed:
                raise errors.invalid_login_token("Couldn't verify signed token.")
        else:
            try:
                verified = self.remote_keys.verify(
                    token, issuer=issuer, audiences=allowed, now=now, also_issued_as=also_issued_as
                )
            except RemoteTokenError as failure:
                raise errors.invalid_login_token(failure.reason) from None
        subject = verified.get("sub")
        if not isinstance(subject, str) or not subject:
            raise errors.invalid_login_token("Missing a required claim: sub")
        return VerifiedLogin(key, subject, "oidc", verified)

    def _local_issuer(self, iss: object, key: str) -> bool:
        """Whether the token claims to come from a hutch user pool whose issuer is this provider URL."""
        if not isinstance(iss, str) or without_scheme(iss) != key or self.user_pools is None:
            return False
        return self._user_pool_issuer(key.rsplit("/", 1)[-1]) == iss

    def _own_token(self, pool: IdentityPool, token: str, now: datetime) -> VerifiedLogin:
        try:
            claims = self.own_tokens.verify(token, now)
        except InvalidOpenIdToken as failure:
            raise errors.invalid_login_token(failure.reason) from None
        if claims["aud"] != pool.pool_id:
            raise errors.invalid_login_token("Incorrect token audience.")
        return VerifiedLogin(COGNITO_IDENTITY_PROVIDER, claims["sub"], "identity", claims)


def _unverified_claims(token: str) -> dict[str, Any]:
    """The payload, only to choose checks and messages; nothing is trusted until the signature verifies.

    Decoded directly (base64url + JSON) rather than through PyJWT, whose strict segment checks cost more
    than the rest of this lookup; the token is verified in full by its issuer's keys afterwards."""
    parts = token.split(".")
    try:
        if len(parts) != 3:
            raise ValueError("not three segments")
        payload = parts[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise errors.invalid_login_token("Not a valid OpenId Connect identity token.") from None
    if not isinstance(claims, dict):
        raise errors.invalid_login_token("Not a valid OpenId Connect identity token.")
    return claims


def _check_expiry(claims: Mapping[str, Any], now: datetime) -> None:
    exp = claims.get("exp")
    current = int(now.timestamp())
    if not isinstance(exp, int | float):
        raise errors.invalid_login_token("Missing a required claim: exp")
    if current >= exp:
        raise errors.invalid_login_token(f"Token expired: {current} >= {int(exp)}")
