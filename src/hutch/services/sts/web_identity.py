"""Verifying the token of AssumeRoleWithWebIdentity: who issued it, is it genuine, current, and meant for us.

Accepted issuers:
- the identity-pool service's own OpenID tokens (GetOpenIdToken): verified in process by that service; the
  provider is ``cognito-identity.amazonaws.com``, as on AWS (built in, no IAM registration);
- any issuer registered in IAM as an OpenID Connect provider (CreateOpenIDConnectProvider): ``aud`` must be
  one of the provider's client ids. hutch's own user pools (issuer ``<base url>/<pool id>``) are verified in
  process against the pool's keys, and may be registered under their own issuer URL or under their AWS name
  (``https://cognito-idp.<region>.amazonaws.com/<pool id>``); every other issuer's JWKS is fetched over HTTPS
  with a short timeout.

The result carries the condition keys AWS derives from the token (``<provider>:aud``, ``:sub``, ``:amr``,
``:azp``) which both the trust policy and, later, the session's permission policies see.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jwt

from hutch.errors import ServiceError

if TYPE_CHECKING:
    from hutch.runtime import Runtime

COGNITO_IDENTITY = "cognito-identity.amazonaws.com"
TAGS_CLAIM = "https://aws.amazon.com/tags"


@dataclass(frozen=True)
class WebIdentity:
    provider: (
        str  # what a trust policy's "Federated" names: cognito-identity.amazonaws.com or the provider ARN
    )
    key_prefix: str  # condition keys are "<key_prefix>:sub" ...: cognito-identity.amazonaws.com or host/path
    issuer: str
    subject: str
    audience: str
    claims: dict[str, Any] = field(default_factory=dict)

    def context(self) -> dict[str, str | tuple[str, ...]]:
        keys: dict[str, str | tuple[str, ...]] = {
            f"{self.key_prefix}:aud": self.audience,
            f"{self.key_prefix}:sub": self.subject,
        }
        amr = self.claims.get("amr")
        if isinstance(amr, list):
            keys[f"{self.key_prefix}:amr"] = tuple(str(v) for v in amr)
        elif isinstance(amr, str):
            keys[f"{self.key_prefix}:amr"] = amr
        azp = self.claims.get("azp")
        if isinstance(azp, str):
            keys[f"{self.key_prefix}:azp"] = azp
        keys["aws:FederatedProvider"] = self.provider
        return keys

    def session_tags(self) -> dict[str, str]:
        """Principal tags the issuer put in the token (claim https://aws.amazon.com/tags)."""
        tags = self.claims.get(TAGS_CLAIM)
        principal_tags = tags.get("principal_tags") if isinstance(tags, dict) else None
        if not isinstance(principal_tags, dict):
            return {}
        out: dict[str, str] = {}
        for key, values in principal_tags.items():
            value = values[0] if isinstance(values, list) and values else values
            if isinstance(value, str):
                out[str(key)] = value
        return out


def invalid_token(message: str) -> ServiceError:
    return ServiceError("InvalidIdentityToken", message, 400)


def expired_token(message: str) -> ServiceError:
    return ServiceError("ExpiredTokenException", message, 400)


def communication_error(message: str) -> ServiceError:
    return ServiceError("IDPCommunicationError", message, 400)


class WebIdentityVerifier:
    def __init__(self, rt: Runtime, remote_keys: Any = None) -> None:
        self.rt = rt
        # Keys of issuers outside hutch, fetched over HTTPS and cached (replaceable in tests).
        self._remote: Any = remote_keys
        self._lock = threading.Lock()

    def verify(self, token: str) -> WebIdentity:
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise invalid_token(
                "The ID Token provided is not a valid JWT. "
                "(You may see this error if you sent an Access Token)"
            ) from None
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or not issuer:
            raise invalid_token("The token has no iss claim.")
        identity_pools = self.rt.services.get("cognito_identity")
        if identity_pools is not None and issuer == identity_pools.openid_issuer():
            return self._identity_pool_token(identity_pools, token, issuer)
        return self._oidc_token(token, issuer)

    def _identity_pool_token(self, identity_pools: Any, token: str, issuer: str) -> WebIdentity:
        try:
            claims: dict[str, Any] = identity_pools.verify_open_id_token(token)
        except ValueError as exc:  # InvalidOpenIdToken
            reason = getattr(exc, "reason", str(exc))
            if getattr(exc, "expired", False):
                raise expired_token(reason) from None
            raise invalid_token(reason) from None
        return WebIdentity(
            COGNITO_IDENTITY, COGNITO_IDENTITY, issuer, str(claims["sub"]), str(claims["aud"]), claims
        )

    def _oidc_token(self, token: str, issuer: str) -> WebIdentity:
        iam = self.rt.services["iam"]
        user_pool = self._own_user_pool(issuer)
        provider = iam.oidc_provider_for_issuer(issuer)
        if provider is None and user_pool is not None:
            # Scripts written for AWS register the pool under its AWS name; accept that for hutch's own pools
            # so the same IAM set-up (provider, trust policy keys) works against both.
            aws_name = f"https://cognito-idp.{self.rt.region}.amazonaws.com/{user_pool}"
            provider = iam.oidc_provider_for_issuer(aws_name)
        if provider is None:
            raise invalid_token(f"No OpenIDConnect provider found in your account for {issuer}")
        if user_pool is not None:
            claims = self._user_pool_token(token)
        else:
            claims = self._remote_token(token, issuer, provider.client_ids)
        audiences = claims.get("aud")
        listed = [audiences] if isinstance(audiences, str) else [str(a) for a in audiences or ()]
        matching = [a for a in listed if a in provider.client_ids]
        if not matching:
            raise invalid_token("Incorrect token audience")
        subject = claims.get("sub")
        if not isinstance(subject, str):
            raise invalid_token("The token has no sub claim.")
        return WebIdentity(provider.arn, provider.host_path, issuer, subject, matching[0], claims)

    def _own_user_pool(self, issuer: str) -> str | None:
        """The pool id when ``issuer`` is one of hutch's own user pools."""
        base = self.rt.config.base_url.rstrip("/") + "/"
        if not issuer.startswith(base):
            return None
        pool_id = issuer[len(base) :]
        return pool_id if pool_id and "/" not in pool_id else None

    def _user_pool_token(self, token: str) -> dict[str, Any]:
        user_pools = self.rt.services.get("cognito_idp")
        if user_pools is None:
            raise communication_error("The user pool service is not available.")
        try:
            claims: dict[str, Any] = user_pools.verify_id_token(token)
        except ServiceError as refused:
            if "expired" in refused.message.lower():
                raise expired_token(f"Token expired: {refused.message}") from None
            raise invalid_token(refused.message) from None
        return claims

    def _remote_token(self, token: str, issuer: str, client_ids: tuple[str, ...]) -> dict[str, Any]:
        from hutch.auth.remote_keys import RemoteKeys, RemoteTokenError

        with self._lock:
            if self._remote is None:
                self._remote = RemoteKeys()
            remote: RemoteKeys = self._remote
        try:
            return remote.verify(token, issuer=issuer, audiences=client_ids, now=self.rt.now())
        except RemoteTokenError as exc:
            if exc.expired:
                raise expired_token(exc.reason) from None
            if exc.reason.startswith("Couldn't fetch") or "https" in exc.reason:
                raise communication_error(
                    "Couldn't retrieve verification key from your identity provider,  please reference "
                    "AssumeRoleWithWebIdentity documentation for requirements"
                ) from None
            raise invalid_token(exc.reason) from None
