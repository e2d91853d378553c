"""The identity-pool service object: its parts, and the public methods other services call.

Public (for STS AssumeRoleWithWebIdentity, which must accept this service's OpenID tokens):
  ``openid_issuer() -> str``           the ``iss`` of tokens from GetOpenIdToken(ForDeveloperIdentity)
  ``provider_name`` (attribute)        "cognito-identity.amazonaws.com": the name trust policies use for them
  ``verify_open_id_token(token) -> dict``  claims (iss, aud = pool id, sub = identity id, amr, exp, iat and
                                       https://aws.amazon.com/tags when principal tags were set), or raises
                                       ``InvalidOpenIdToken`` (``.expired`` tells expiry from forgery)
  ``jwks() -> dict``                   the public keys, also served at ``<issuer>/.well-known/jwks_uri``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hutch.auth.remote_keys import RemoteKeys
from hutch.services.cognito_identity.logins import LoginVerifier, UserPools
from hutch.services.cognito_identity.model import COGNITO_IDENTITY_PROVIDER
from hutch.services.cognito_identity.openid import ISSUER_PATH, OpenIdTokens, generate_key
from hutch.services.cognito_identity.store import IdentityStore

if TYPE_CHECKING:
    from hutch.runtime import Runtime


class CognitoIdentityService:
    provider_name = COGNITO_IDENTITY_PROVIDER

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.store = IdentityStore(rt.engine, rt.region)
        kid, pem = self.store.signing_key(generate_key, rt.now())
        self.tokens = OpenIdTokens.load(rt.config.base_url + ISSUER_PATH, kid, pem)
        self.remote_keys = RemoteKeys()
        self.verifier = LoginVerifier(
            user_pools=self._user_pools(),
            oidc_providers=self.oidc_provider,
            own_tokens=self.tokens,
            remote_keys=self.remote_keys,
        )

    # ---- public -------------------------------------------------------------------------------------------

    def openid_issuer(self) -> str:
        return self.tokens.issuer

    def verify_open_id_token(self, token: str) -> dict[str, Any]:
        return self.tokens.verify(token, self.rt.now())

    def jwks(self) -> dict[str, Any]:
        return self.tokens.jwks()

    # ---- the other services, as this one needs them --------------------------------------------------------

    def _user_pools(self) -> UserPools | None:
        user_pools: UserPools | None = self.rt.services.get("cognito_idp")
        if user_pools is None or not hasattr(user_pools, "verify_id_token"):
            return None
        return user_pools

    def client_exists(self, user_pool_id: str, client_id: str) -> bool:
        user_pools = self.rt.services.get("cognito_idp")
        check = getattr(user_pools, "client_exists", None)
        if check is None:
            return False
        return bool(check(user_pool_id, client_id))

    def oidc_provider(self, arn: str) -> tuple[str, str, tuple[str, ...]] | None:
        """(issuer URL, URL without scheme, client ids) of an IAM OpenID Connect provider, or None."""
        iam = self.rt.services.get("iam")
        lookup = getattr(iam, "oidc_provider", None)
        if lookup is None:
            return None
        found = lookup(arn)
        if found is None:
            return None
        url = str(found.url)
        return url, url.split("://", 1)[-1], tuple(found.client_ids)

    def oidc_provider_exists(self, arn: str) -> bool:
        return self.oidc_provider(arn) is not None
