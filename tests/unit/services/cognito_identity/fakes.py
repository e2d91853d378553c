"""In-process stand-ins for what the identity-pool service talks to: a runtime with a movable clock, a user
pool that signs real RS256 ID tokens, STS that evaluates a trust predicate, and a Call that records decisions.
They let the unit tests drive whole operations (GetId → GetCredentialsForIdentity) without a server.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from hutch.errors import ServiceError
from hutch.store import engine as store_engine

BASE_URL = "http://127.0.0.1:4577"
REGION = "us-east-1"
ACCOUNT = "123456789012"


@dataclass
class FakeConfig:
    base_url: str = BASE_URL


class FakeRuntime:
    def __init__(self, database_url: str) -> None:
        self.engine = store_engine.create_engine(database_url)
        store_engine.migrate(self.engine)
        self.region = REGION
        self.account_id = ACCOUNT
        self.config = FakeConfig()
        self.services: dict[str, Any] = {}
        self.clock = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.clock

    def advance(self, seconds: float) -> None:
        self.clock += timedelta(seconds=seconds)


def sqlite_url(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'hutch.db'}"


_KEYS: list[rsa.RSAPrivateKey] = []


def shared_key() -> rsa.RSAPrivateKey:
    """One RSA key per test session: generating one per test would dominate the run time."""
    if not _KEYS:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEYS[0]


class FakeUserPools:
    """A user pool service that issues and verifies real RS256 tokens (the contract cognito_idp implements)."""

    def __init__(self, rt: FakeRuntime) -> None:
        self.rt = rt
        self.key = shared_key()
        self.clients: dict[str, set[str]] = {}
        self.revoked: set[str] = set()

    def add_pool(self, pool_id: str, *client_ids: str) -> str:
        self.clients.setdefault(pool_id, set()).update(client_ids)
        return f"cognito-idp.{REGION}.amazonaws.com/{pool_id}"

    def issuer(self, pool_id: str) -> str:
        if pool_id not in self.clients:
            raise ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return f"{BASE_URL}/{pool_id}"

    def client_exists(self, pool_id: str, client_id: str) -> bool:
        return client_id in self.clients.get(pool_id, set())

    def id_token(
        self,
        pool_id: str,
        client_id: str,
        sub: str,
        *,
        lifetime: int = 3600,
        key: rsa.RSAPrivateKey | None = None,
        **claims: Any,
    ) -> str:
        iat = int(self.rt.now().timestamp())
        payload = {
            "sub": sub,
            "aud": client_id,
            "iss": f"{BASE_URL}/{pool_id}",
            "token_use": "id",
            "auth_time": iat,
            "iat": iat,
            "exp": iat + lifetime,
            "jti": str(uuid.uuid4()),
            "cognito:username": sub,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": "k1"})

    def verify_id_token(self, token: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.key.public_key(),
                algorithms=["RS256"],
                options={"verify_aud": False, "verify_exp": False},
            )
        except jwt.PyJWTError:
            raise ServiceError("NotAuthorizedException", "Invalid ID token") from None
        if claims.get("token_use") != "id" or claims["exp"] <= self.rt.now().timestamp():
            raise ServiceError("NotAuthorizedException", "Invalid ID token")
        if claims["jti"] in self.revoked:
            raise ServiceError("NotAuthorizedException", "Token has been revoked")
        return claims


@dataclass
class Issued:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: datetime


@dataclass
class AssumeCall:
    role_arn: str
    provider: str
    session_name: str
    context: Mapping[str, Any]
    session_policies: Sequence[str]
    tags: Mapping[str, str]
    duration_seconds: int


class FakeSts:
    """STS as the identity service sees it: trust is a predicate per role over the web-identity context."""

    def __init__(self, rt: FakeRuntime) -> None:
        self.rt = rt
        self.trust: dict[str, Callable[[Mapping[str, Any]], bool]] = {}
        self.calls: list[AssumeCall] = []

    def trust_pool(self, role_arn: str, pool_id: str, amr: str) -> None:
        def admits(context: Mapping[str, Any]) -> bool:
            return (
                context["cognito-identity.amazonaws.com:aud"] == pool_id
                and amr in context["cognito-identity.amazonaws.com:amr"]
            )

        self.trust[role_arn] = admits

    def assume_role_for_web_identity(
        self,
        role_arn: str,
        *,
        provider: str,
        session_name: str,
        context: Mapping[str, Any],
        session_policies: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
        duration_seconds: int = 3600,
        call: Any = None,
    ) -> Issued:
        self.calls.append(
            AssumeCall(
                role_arn, provider, session_name, context, session_policies, tags or {}, duration_seconds
            )
        )
        admits = self.trust.get(role_arn)
        if admits is None:
            raise ServiceError("NoSuchEntity", f"The role with name {role_arn} cannot be found.", 404)
        if provider != "cognito-identity.amazonaws.com" or not admits(context):
            raise ServiceError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403)
        return Issued(
            "ASIA" + uuid.uuid4().hex[:16].upper(),
            uuid.uuid4().hex,
            uuid.uuid4().hex,
            self.rt.now() + timedelta(seconds=duration_seconds),
        )


@dataclass
class Decision:
    allowed: bool


@dataclass
class FakeCall:
    """The parts of hutch.operations.Call the service uses."""

    rt: FakeRuntime
    operation: str = ""
    denied: set[str] = field(default_factory=set)  # actions this caller may not perform
    log: dict[str, Any] = field(default_factory=dict)
    authorized: list[tuple[str, str]] = field(default_factory=list)

    def authorize(self, action: str, resource: str, **_: Any) -> Decision:
        self.authorized.append((action, resource))
        if action in self.denied:
            raise ServiceError("AccessDeniedException", f"not allowed: {action}", 400)
        return Decision(True)

    def check(self, action: str, resource: str, **_: Any) -> Decision:
        self.authorized.append((action, resource))
        return Decision(action not in self.denied)
