"""Web identities: identity-pool tokens, registered OIDC providers (remote and hutch's own user pools), and the
public assume_role_for_web_identity the identity pools call."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from hutch.auth.principal import anonymous
from hutch.auth.remote_keys import RemoteKeys
from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from hutch.services.sts import StsService
from hutch.services.sts.web_identity import WebIdentityVerifier
from tests.unit.services.iam.support import Clock, allow, invoke, policy, unique

COGNITO = "cognito-identity.amazonaws.com"
POOL = "us-east-1:0f0f0f0f-1111-2222-3333-444444444444"
IDENTITY = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def _cognito_trust(pool: str = POOL, actions: Any = "sts:AssumeRoleWithWebIdentity") -> str:
    return policy(
        {
            "Effect": "Allow",
            "Principal": {"Federated": COGNITO},
            "Action": actions,
            "Condition": {
                "StringEquals": {f"{COGNITO}:aud": pool},
                "ForAnyValue:StringLike": {f"{COGNITO}:amr": "authenticated"},
            },
        }
    )


def _context(amr: list[str] | None = None) -> dict[str, Any]:
    return {
        f"{COGNITO}:aud": POOL,
        f"{COGNITO}:sub": IDENTITY,
        f"{COGNITO}:amr": amr or ["authenticated", "p"],
    }


def _sts(runtime: Runtime) -> StsService:
    service: StsService = runtime.services["sts"]
    return service


def test_identity_pool_session_carries_the_identity_keys(runtime: Runtime, iam: IamService) -> None:
    role = iam.roles.create(unique("Auth"), _cognito_trust())
    issued = _sts(runtime).assume_role_for_web_identity(
        role.arn, provider=COGNITO, session_name="CognitoIdentityCredentials", context=_context()
    )
    assert issued.assumed_role_arn.endswith(f"{role.name}/CognitoIdentityCredentials")
    credential = runtime.credentials.lookup_access_key(issued.access_key_id)
    assert credential is not None and credential.principal.session is not None
    session = credential.principal.session
    assert session.context[f"{COGNITO}:sub"] == IDENTITY
    assert session.context[f"{COGNITO}:amr"] == ("authenticated", "p")
    assert session.federated_provider == COGNITO


@pytest.mark.parametrize(
    "context",
    [
        {
            f"{COGNITO}:aud": "us-east-1:another-pool",
            f"{COGNITO}:sub": IDENTITY,
            f"{COGNITO}:amr": ["authenticated"],
        },
        {f"{COGNITO}:aud": POOL, f"{COGNITO}:sub": IDENTITY, f"{COGNITO}:amr": ["unauthenticated"]},
        {f"{COGNITO}:sub": IDENTITY},
    ],
)
def test_trust_conditions_refuse_other_pools_guests_and_missing_keys(
    runtime: Runtime, iam: IamService, context: dict[str, Any]
) -> None:
    role = iam.roles.create(unique("Auth"), _cognito_trust())
    with pytest.raises(ServiceError) as exc:
        _sts(runtime).assume_role_for_web_identity(
            role.arn, provider=COGNITO, session_name="s", context=context
        )
    assert (exc.value.code, exc.value.message) == (
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    )


def test_another_provider_is_not_trusted(runtime: Runtime, iam: IamService) -> None:
    role = iam.roles.create(unique("Auth"), _cognito_trust())
    with pytest.raises(ServiceError) as exc:
        _sts(runtime).assume_role_for_web_identity(
            role.arn, provider="accounts.google.com", session_name="s", context=_context()
        )
    assert exc.value.code == "AccessDenied"


def test_session_tags_need_tag_session(runtime: Runtime, iam: IamService) -> None:
    plain = iam.roles.create(unique("Auth"), _cognito_trust())
    with pytest.raises(ServiceError):
        _sts(runtime).assume_role_for_web_identity(
            plain.arn, provider=COGNITO, session_name="s", context=_context(), tags={"dept": "x"}
        )
    tagging = iam.roles.create(
        unique("Auth"), _cognito_trust(actions=["sts:AssumeRoleWithWebIdentity", "sts:TagSession"])
    )
    issued = _sts(runtime).assume_role_for_web_identity(
        tagging.arn, provider=COGNITO, session_name="s", context=_context(), tags={"dept": "x"}
    )
    credential = runtime.credentials.lookup_access_key(issued.access_key_id)
    assert credential is not None and credential.principal.session is not None
    assert credential.principal.session.tags == {"dept": "x"}


def test_duration_above_the_roles_maximum_is_refused(runtime: Runtime, iam: IamService) -> None:
    role = iam.roles.create(unique("Auth"), _cognito_trust())
    with pytest.raises(ServiceError) as exc:
        _sts(runtime).assume_role_for_web_identity(
            role.arn, provider=COGNITO, session_name="s", context=_context(), duration_seconds=7200
        )
    assert exc.value.code == "ValidationError"


def test_classic_flow_with_the_identity_pools_open_id_token(
    runtime: Runtime, iam: IamService, clock: Clock
) -> None:
    role = iam.roles.create(unique("Classic"), _cognito_trust())
    tokens = runtime.services["cognito_identity"].tokens
    token = tokens.mint(
        pool_id=POOL,
        identity_id=IDENTITY,
        amr=["authenticated", "x"],
        now=clock.now,
        lifetime=timedelta(minutes=10),
    )
    result = invoke(
        runtime,
        "sts",
        "AssumeRoleWithWebIdentity",
        anonymous(iam.account),
        RoleArn=role.arn,
        RoleSessionName="web",
        WebIdentityToken=token,
    )
    assert result["SubjectFromWebIdentityToken"] == IDENTITY
    assert result["Audience"] == POOL and result["Provider"] == tokens.issuer
    clock.advance(minutes=11)
    with pytest.raises(ServiceError) as exc:
        invoke(
            runtime,
            "sts",
            "AssumeRoleWithWebIdentity",
            anonymous(iam.account),
            RoleArn=role.arn,
            RoleSessionName="web",
            WebIdentityToken=token,
        )
    assert exc.value.code == "ExpiredTokenException"


class _Issuer:
    """An OIDC issuer outside hutch: an RSA key, its discovery document and JWKS (served by a fake fetch)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.fetched: list[str] = []

    def fetch(self, url: str) -> dict[str, Any]:
        self.fetched.append(url)
        if url.endswith("/.well-known/openid-configuration"):
            return {"issuer": self.url, "jwks_uri": f"{self.url}/keys"}
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}

    def token(self, now: Any, **claims: Any) -> str:
        body = {"iss": self.url, "sub": "user-7", "aud": "web-app", "iat": int(now.timestamp())}
        body["exp"] = body["iat"] + 600
        body.update(claims)
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
def issuer(runtime: Runtime, iam: IamService, monkeypatch: pytest.MonkeyPatch) -> _Issuer:
    found = _Issuer(f"https://{unique('idp')}.example.com")
    verifier = WebIdentityVerifier(runtime, RemoteKeys(fetch=found.fetch))
    monkeypatch.setattr(_sts(runtime), "web_identity", verifier)
    return found


def _oidc_trust(provider_arn: str, host: str) -> str:
    return policy(
        {
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{host}:aud": "web-app", f"{host}:sub": "user-7"}},
        }
    )


def _web(runtime: Runtime, role_arn: str, token: str) -> dict[str, Any]:
    result: dict[str, Any] = invoke(
        runtime,
        "sts",
        "AssumeRoleWithWebIdentity",
        anonymous(runtime.account_id),
        RoleArn=role_arn,
        RoleSessionName="oidc",
        WebIdentityToken=token,
    )
    return result


def test_registered_oidc_provider_tokens_are_verified_against_its_jwks(
    runtime: Runtime, iam: IamService, clock: Clock, issuer: _Issuer
) -> None:
    provider = iam.oidc.create(issuer.url, client_ids=["web-app"], thumbprints=[], tags=())
    role = iam.roles.create(unique("Oidc"), _oidc_trust(provider.arn, provider.host_path))
    iam.roles.put_inline(
        role.name, "p", policy(allow("s3:GetObject", "arn:aws:s3:::b/${" + provider.host_path + ":sub}/*"))
    )
    result = _web(runtime, role.arn, issuer.token(clock.now))
    assert result["SubjectFromWebIdentityToken"] == "user-7" and result["Audience"] == "web-app"
    session = runtime.credentials.lookup_access_key(result["Credentials"]["AccessKeyId"])
    assert session is not None and session.principal.session is not None
    assert session.principal.session.context[f"{provider.host_path}:sub"] == "user-7"
    assert any(url.endswith("/keys") for url in issuer.fetched)


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"aud": "someone-else"}, "InvalidIdentityToken"),
        ({"sub": "user-8"}, "AccessDenied"),
        ({"exp": 1}, "ExpiredTokenException"),
    ],
)
def test_oidc_tokens_with_wrong_claims_are_refused(
    runtime: Runtime, iam: IamService, clock: Clock, issuer: _Issuer, claims: dict[str, Any], code: str
) -> None:
    provider = iam.oidc.create(issuer.url, client_ids=["web-app"], thumbprints=[], tags=())
    role = iam.roles.create(unique("Oidc"), _oidc_trust(provider.arn, provider.host_path))
    with pytest.raises(ServiceError) as exc:
        _web(runtime, role.arn, issuer.token(clock.now, **claims))
    assert exc.value.code == code


def test_forged_signature_is_refused(
    runtime: Runtime, iam: IamService, clock: Clock, issuer: _Issuer
) -> None:
    provider = iam.oidc.create(issuer.url, client_ids=["web-app"], thumbprints=[], tags=())
    role = iam.roles.create(unique("Oidc"), _oidc_trust(provider.arn, provider.host_path))
    forger = _Issuer(issuer.url)
    with pytest.raises(ServiceError) as exc:
        _web(runtime, role.arn, forger.token(clock.now))
    assert exc.value.code == "InvalidIdentityToken"


def test_unregistered_issuer_and_garbage_are_invalid_identity_tokens(
    runtime: Runtime, iam: IamService, clock: Clock, issuer: _Issuer
) -> None:
    role = iam.roles.create(unique("Oidc"), _cognito_trust())
    with pytest.raises(ServiceError) as exc:
        _web(runtime, role.arn, issuer.token(clock.now))
    assert exc.value.code == "InvalidIdentityToken"
    assert exc.value.message == f"No OpenIDConnect provider found in your account for {issuer.url}"
    with pytest.raises(ServiceError) as exc:
        _web(runtime, role.arn, "not-a-jwt")
    assert exc.value.code == "InvalidIdentityToken"


class _FakeUserPools:
    """Stands in for hutch's user-pool service: verifies in process, never over HTTP."""

    def __init__(self, issuer: _Issuer) -> None:
        self.issuer = issuer
        self.verified: list[str] = []

    def verify_id_token(self, token: str) -> dict[str, Any]:
        self.verified.append(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            self.issuer.key.public_key(),
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_exp": False},
        )
        return claims


def test_hutchs_own_user_pool_issuer_is_verified_in_process(
    runtime: Runtime, iam: IamService, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = _Issuer(runtime.config.base_url.rstrip("/") + "/us-east-1_" + unique("Pool"))
    fake = _FakeUserPools(own)
    monkeypatch.setitem(runtime.services, "cognito_idp", fake)
    monkeypatch.setattr(
        _sts(runtime), "web_identity", WebIdentityVerifier(runtime, RemoteKeys(fetch=own.fetch))
    )
    provider = iam.oidc.create(own.url, client_ids=["web-app"], thumbprints=[], tags=())
    role = iam.roles.create(unique("Own"), _oidc_trust(provider.arn, provider.host_path))
    result = _web(runtime, role.arn, own.token(clock.now))
    assert result["SubjectFromWebIdentityToken"] == "user-7"
    assert len(fake.verified) == 1 and own.fetched == []  # nothing fetched over HTTP


def test_own_user_pool_registered_under_its_aws_name(
    runtime: Runtime, iam: IamService, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool_id = "us-east-1_" + unique("Aws")
    own = _Issuer(runtime.config.base_url.rstrip("/") + "/" + pool_id)
    monkeypatch.setitem(runtime.services, "cognito_idp", _FakeUserPools(own))
    aws_name = f"cognito-idp.{runtime.region}.amazonaws.com/{pool_id}"
    provider = iam.oidc.create(f"https://{aws_name}", client_ids=["web-app"], thumbprints=[], tags=())
    role = iam.roles.create(unique("AwsName"), _oidc_trust(provider.arn, aws_name))
    result = _web(runtime, role.arn, own.token(clock.now))
    session = runtime.credentials.lookup_access_key(result["Credentials"]["AccessKeyId"])
    assert session is not None and session.principal.session is not None
    assert session.principal.session.context[f"{aws_name}:sub"] == "user-7"
