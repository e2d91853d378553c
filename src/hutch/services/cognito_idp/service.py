"""The user-pool service object: lookups, signing keys, token issue and verification.

Other services hold this object (``rt.services["cognito_idp"]``) and call only its public methods:
``verify_id_token``, ``pool_exists``, ``client_exists``, ``issuer`` and ``provider_name``.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from hutch.errors import ServiceError
from hutch.services.cognito_idp import client_settings, keys
from hutch.services.cognito_idp.decoys import DecoyRecords
from hutch.services.cognito_idp.faults import client_not_found, not_authorized, pool_not_found
from hutch.services.cognito_idp.model import AppClient, AuthSession, User, UserPool
from hutch.services.cognito_idp.outbox import Sender, sender_from_env
from hutch.services.cognito_idp.store import groups as group_store
from hutch.services.cognito_idp.store import outbox as outbox_store
from hutch.services.cognito_idp.store import pools as pool_store
from hutch.services.cognito_idp.store import sessions as session_store
from hutch.services.cognito_idp.store import users as user_store
from hutch.services.cognito_idp.tokens import (
    Grant,
    GroupClaims,
    KnownKey,
    TokenRejected,
    group_claims,
    mint_access_token,
    mint_id_token,
    verify,
)
from hutch.store.engine import read, write

if TYPE_CHECKING:
    from hutch.runtime import Runtime

log = logging.getLogger("hutch.cognito_idp")

# Outbox messages are kept as long as the longest code or temporary password they carry can be used.
OUTBOX_RETENTION = timedelta(days=7)


@dataclass(frozen=True)
class TokenMaterial:
    pool: UserPool
    client: AppClient
    user: User
    attributes: dict[str, str]
    groups: GroupClaims
    id_key: keys.SigningKey
    access_key: keys.SigningKey


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class CognitoIdpService:
    def __init__(self, rt: Runtime, sender: Sender | None = None) -> None:
        self.rt = rt
        self.key_cache = keys.KeyCache()
        self.sender: Sender = sender or sender_from_env(rt.engine, rt.now)
        # Lockouts and codes for names that must answer as if they were users (PreventUserExistenceErrors).
        self.decoys = DecoyRecords()

    # --- public: what other services call ----------------------------------------------------------

    def issuer(self, pool_id: str) -> str:
        return f"{self.rt.config.base_url}/{pool_id}"

    def provider_name(self, pool_id: str) -> str:
        return f"cognito-idp.{self.rt.region}.amazonaws.com/{pool_id}"

    def pool_exists(self, pool_id: str) -> bool:
        with read(self.rt.engine) as conn:
            return pool_store.get_pool(conn, pool_id) is not None

    def client_exists(self, pool_id: str, client_id: str) -> bool:
        with read(self.rt.engine) as conn:
            client = pool_store.get_client(conn, client_id)
        return client is not None and client.pool_id == pool_id

    def verify_id_token(self, token: str) -> dict[str, Any]:
        """The claims of a valid ID token, or NotAuthorizedException: bad signature or algorithm, unknown
        key, wrong pool or token_use, expired, or from a session that was signed out or revoked."""
        _, claims = self.verify_token(token, "id")
        return claims

    def username_for_sub(self, pool_id: str, sub: str) -> str | None:
        """The username of a pool's user, by its ``sub`` (for explanations; None when there is none)."""
        with read(self.rt.engine) as conn:
            user = user_store.get_by_sub(conn, sub)
        return user.username if user is not None and user.pool_id == pool_id else None

    # --- lookups --------------------------------------------------------------------------------------

    def pool(self, conn: sa.Connection, pool_id: str) -> UserPool:
        pool = pool_store.get_pool(conn, pool_id)
        if pool is None:
            raise pool_not_found(pool_id)
        return pool

    def client(self, conn: sa.Connection, client_id: str, pool_id: str | None = None) -> AppClient:
        client = pool_store.get_client(conn, client_id)
        if client is None or (pool_id is not None and client.pool_id != pool_id):
            raise client_not_found(client_id)
        return client

    def client_and_pool(
        self, conn: sa.Connection, client_id: str, pool_id: str | None = None
    ) -> tuple[AppClient, UserPool]:
        """The app client and its pool; ResourceNotFoundException for an unknown client (or, with
        ``pool_id``, a client of another pool or an unknown pool)."""
        found = pool_store.client_with_pool(conn, client_id)
        if found is None or (pool_id is not None and found[0].pool_id != pool_id):
            if pool_id is not None:
                self.pool(conn, pool_id)
            raise client_not_found(client_id)
        return found

    # --- keys -----------------------------------------------------------------------------------------

    def create_keys(self, conn: sa.Connection, pool_id: str, now: datetime) -> None:
        for token_use in ("id", "access"):
            kid, pem = keys.generate()
            pool_store.insert_key(conn, kid, pool_id, token_use, pem, int(now.timestamp() * 1000))

    def signing_keys(self, conn: sa.Connection, pool_id: str) -> dict[str, keys.SigningKey]:
        """The keys that sign the pool's tokens now, by token use. The newest key of each use signs; older
        ones stay in the JWKS so the tokens they signed still verify."""
        newest = {use: kid for kid, use in pool_store.signing_kids(conn, pool_id)}
        if set(newest) != {"id", "access"}:
            raise ServiceError("InternalErrorException", "The user pool has no signing key.", 500)
        out = {}
        for use, kid in newest.items():
            cached = self.key_cache.get(kid)
            if cached is None:
                found = pool_store.find_key(conn, kid)
                if found is None:
                    raise ServiceError("InternalErrorException", "The user pool lost a signing key.", 500)
                cached = self.key_cache.load(kid, found[2])
            out[use] = cached
        return out

    def jwks(self, pool_id: str) -> dict[str, Any] | None:
        with read(self.rt.engine) as conn:
            if pool_store.get_pool(conn, pool_id) is None:
                return None
            stored = pool_store.keys_for_pool(conn, pool_id)
        return {"keys": [keys.public_jwk(self.key_cache.load(kid, pem)) for kid, _, pem in stored]}

    def _find_key(self, kid: str) -> KnownKey | None:
        with read(self.rt.engine) as conn:
            found = pool_store.find_key(conn, kid)
        if found is None:
            return None
        pool_id, token_use, pem = found
        return KnownKey(pool_id, token_use, self.key_cache.load(kid, pem))

    # --- tokens ---------------------------------------------------------------------------------------

    def verify_token(self, token: str, use: str) -> tuple[str, dict[str, Any]]:
        """(pool_id, claims) of a valid, unrevoked token of ``use``; NotAuthorizedException otherwise,
        with Cognito's wording ("Invalid Access Token", "Access Token has expired", ...)."""
        label = "Access Token" if use == "access" else "Id token"
        try:
            pool_id, claims = verify(
                token, use, find_key=self._find_key, issuer_of=self.issuer, now=self.rt.now()
            )
        except TokenRejected as rejected:
            log.info("token refused", extra={"fields": {"reason": rejected.reason, "use": use}})
            if rejected.expired:
                raise not_authorized(f"{label} has expired") from None
            raise not_authorized(f"Invalid {label}") from None
        with read(self.rt.engine) as conn:
            session = session_store.get_session(conn, str(claims["origin_jti"]))
        if session is None or session.revoked is not None or session.sub != claims.get("sub"):
            raise not_authorized(f"{label} has been revoked")
        return pool_id, claims

    def material(self, conn: sa.Connection, pool: UserPool, client: AppClient, user: User) -> TokenMaterial:
        """Everything needed to mint tokens for ``user``, read in one transaction so that the slow part
        (RSA signatures) runs outside any transaction."""
        allowed = client_settings.readable(client, pool.schema)
        groups = group_store.groups_of(conn, user.sub)
        signing = self.signing_keys(conn, pool.id)
        return TokenMaterial(
            pool=pool,
            client=client,
            user=user,
            attributes={k: v for k, v in sorted(user.attributes.items()) if k in allowed},
            groups=group_claims((g.name, g.role_arn, g.precedence) for g in groups),
            id_key=signing["id"],
            access_key=signing["access"],
        )

    def new_session(self, material: TokenMaterial) -> tuple[AuthSession, str]:
        """A new sign-in and its refresh token, not yet recorded (``record_session`` does that, in the
        write that also uses up the challenge it answered)."""
        now = self.rt.now()
        refresh_token = _new_refresh_token()
        session = AuthSession(
            origin_jti=str(uuid.uuid4()),
            pool_id=material.pool.id,
            client_id=material.client.client_id,
            sub=material.user.sub,
            auth_time=int(now.timestamp()),
            created=now,
            expires=now + client_settings.lifetime(material.client.settings, "RefreshToken"),
            revoked=None,
        )
        return session, refresh_token

    @staticmethod
    def record_session(conn: sa.Connection, session: AuthSession, refresh_token: str) -> None:
        """Store a sign-in from ``new_session`` (in the caller's write transaction)."""
        session_store.insert_session(conn, session, refresh_hash(refresh_token))

    def rotate_refresh_token(self, conn: sa.Connection, material: TokenMaterial, session: AuthSession) -> str:
        """A new refresh token for ``session``; the old one stops working."""
        refresh_token = _new_refresh_token()
        expires = self.rt.now() + client_settings.lifetime(material.client.settings, "RefreshToken")
        session_store.replace_refresh(conn, session.origin_jti, refresh_hash(refresh_token), expires)
        return refresh_token

    def mint(
        self, material: TokenMaterial, session: AuthSession, refresh_token: str | None
    ) -> dict[str, Any]:
        """AuthenticationResult: ID and access tokens for ``session`` (and its refresh token, if given)."""
        now = self.rt.now()
        settings = material.client.settings
        grant = Grant(
            issuer=self.issuer(material.pool.id),
            client_id=material.client.client_id,
            sub=material.user.sub,
            username=material.user.username,
            origin_jti=session.origin_jti,
            auth_time=session.auth_time,
            attributes=material.attributes,
            groups=material.groups,
        )
        event_id = str(uuid.uuid4())
        access_life = client_settings.lifetime(settings, "AccessToken")
        id_life = client_settings.lifetime(settings, "IdToken")
        result: dict[str, Any] = {
            "AccessToken": mint_access_token(grant, material.access_key, now, access_life, event_id),
            "ExpiresIn": int(access_life.total_seconds()),
            "TokenType": "Bearer",
            "IdToken": mint_id_token(grant, material.id_key, now, id_life, event_id),
        }
        if refresh_token is not None:
            result["RefreshToken"] = refresh_token
        return result

    # --- housekeeping ---------------------------------------------------------------------------------

    def housekeeping(self) -> None:
        now = self.rt.now()
        with write(self.rt.engine) as conn:
            purged = (
                session_store.purge_challenges(conn, now),
                session_store.purge_codes(conn, now),
                session_store.purge_sessions(conn, now),
                outbox_store.purge(conn, now - OUTBOX_RETENTION),
                self.decoys.prune(now),
            )
        if any(purged):
            log.debug("user pool housekeeping", extra={"fields": {"purged": purged}})


def _new_refresh_token() -> str:
    # 48 random bytes, URL-safe: opaque to clients, matches the modeled token pattern.
    return secrets.token_urlsafe(48)
