"""Tokens on the wire: the OIDC documents, standard verifiers, and every forged or misused token refused
by GetUser (access tokens) — and by the identity-pool side's verify_id_token, through GetUser's sibling
checks in the unit tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx
import jwt
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.integration.cognito_idp.conftest import make_user, sign_in
from tests.support.server import HutchServer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _ = token.split(".")
    return (
        json.loads(base64.urlsafe_b64decode(head + "==")),
        json.loads(base64.urlsafe_b64decode(body + "==")),
    )


@pytest.fixture
def tokens(idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]) -> dict[str, Any]:
    make_user(idp, pool["Id"], "alice")
    result: dict[str, Any] = sign_in(public_idp, app, "alice")["AuthenticationResult"]
    return result


def test_discovery_and_jwks_are_consistent_with_the_tokens(
    hutch: HutchServer, pool: dict[str, Any], app: dict[str, Any], tokens: dict[str, Any]
) -> None:
    issuer = f"{hutch.endpoint}/{pool['Id']}"
    config = httpx.get(f"{issuer}/.well-known/openid-configuration").json()
    assert config["issuer"] == issuer
    assert config["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    jwks = httpx.get(config["jwks_uri"]).json()
    assert len(jwks["keys"]) == 2 and all("d" not in k for k in jwks["keys"])
    # A standard OIDC verifier, told only the issuer, verifies both tokens.
    client = jwt.PyJWKClient(config["jwks_uri"])
    for token in (tokens["IdToken"], tokens["AccessToken"]):
        key = client.get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token, key.key, algorithms=["RS256"], issuer=issuer, options={"verify_aud": False}
        )
        assert claims["iss"] == issuer
    assert (
        jwt.decode(
            tokens["IdToken"],
            client.get_signing_key_from_jwt(tokens["IdToken"]).key,
            algorithms=["RS256"],
            audience=app["ClientId"],
        )["token_use"]
        == "id"
    )


def test_unknown_pool_documents_are_404(hutch: HutchServer) -> None:
    for doc in ("jwks.json", "openid-configuration"):
        assert httpx.get(f"{hutch.endpoint}/us-east-1_nosuchpool/.well-known/{doc}").status_code == 404


def _refused(public_idp: Any, token: str) -> str:
    with pytest.raises(ClientError) as err:
        public_idp.get_user(AccessToken=token)
    assert err.value.response["Error"]["Code"] == "NotAuthorizedException"
    message: str = err.value.response["Error"]["Message"]
    return message


def test_tampered_token_is_refused(public_idp: Any, tokens: dict[str, Any]) -> None:
    _, claims = _parts(tokens["AccessToken"])
    claims["username"] = "mallory"
    head, _, sig = tokens["AccessToken"].split(".")
    assert _refused(public_idp, f"{head}.{_b64(json.dumps(claims).encode())}.{sig}") == "Invalid Access Token"


def test_alg_none_token_is_refused(public_idp: Any, tokens: dict[str, Any]) -> None:
    header, claims = _parts(tokens["AccessToken"])
    forged = f"{_b64(json.dumps({'alg': 'none', 'kid': header['kid']}).encode())}.{_b64(json.dumps(claims).encode())}."
    assert _refused(public_idp, forged + "x") == "Invalid Access Token"


def test_hs256_signed_with_the_published_public_key_is_refused(
    hutch: HutchServer, public_idp: Any, pool: dict[str, Any], tokens: dict[str, Any]
) -> None:
    header, claims = _parts(tokens["AccessToken"])
    jwk = next(
        k
        for k in httpx.get(f"{hutch.endpoint}/{pool['Id']}/.well-known/jwks.json").json()["keys"]
        if k["kid"] == header["kid"]
    )
    pem = jwt.PyJWK(jwk).key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    unsigned = f"{_b64(json.dumps({'alg': 'HS256', 'kid': header['kid']}).encode())}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(pem, unsigned.encode(), hashlib.sha256).digest()
    assert _refused(public_idp, f"{unsigned}.{_b64(mac)}") == "Invalid Access Token"


def test_token_signed_with_another_key_under_the_pools_kid_is_refused(
    public_idp: Any, tokens: dict[str, Any]
) -> None:
    header, claims = _parts(tokens["AccessToken"])
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, attacker, algorithm="RS256", headers={"kid": header["kid"]})
    assert _refused(public_idp, forged) == "Invalid Access Token"


def test_token_of_another_pool_claiming_this_pool_is_refused(
    idp: Any, public_idp: Any, pool: dict[str, Any], tokens: dict[str, Any]
) -> None:
    # A genuine token of pool B, but with its iss rewritten to pool A: the signature breaks. And a
    # genuine, untouched pool B token carries pool B's issuer, which pool A's users are not.
    other = idp.create_user_pool(PoolName="other")["UserPool"]
    other_app = idp.create_user_pool_client(
        UserPoolId=other["Id"], ClientName="o", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    make_user(idp, other["Id"], "alice")
    theirs = sign_in(public_idp, other_app, "alice")["AuthenticationResult"]["AccessToken"]
    _, claims = _parts(theirs)
    claims["iss"] = claims["iss"].replace(other["Id"], pool["Id"])
    head, _, sig = theirs.split(".")
    assert _refused(public_idp, f"{head}.{_b64(json.dumps(claims).encode())}.{sig}") == "Invalid Access Token"
    mine = public_idp.get_user(AccessToken=tokens["AccessToken"])
    assert public_idp.get_user(AccessToken=theirs)["UserAttributes"] != mine["UserAttributes"]


def test_id_token_is_not_accepted_as_an_access_token(public_idp: Any, tokens: dict[str, Any]) -> None:
    assert _refused(public_idp, tokens["IdToken"]) == "Invalid Access Token"


def test_signed_out_token_is_refused(public_idp: Any, tokens: dict[str, Any]) -> None:
    public_idp.global_sign_out(AccessToken=tokens["AccessToken"])
    assert _refused(public_idp, tokens["AccessToken"]) == "Access Token has been revoked"


def test_revoked_refresh_token_takes_its_access_tokens_with_it(
    public_idp: Any, app: dict[str, Any], tokens: dict[str, Any]
) -> None:
    public_idp.revoke_token(Token=tokens["RefreshToken"], ClientId=app["ClientId"])
    assert _refused(public_idp, tokens["AccessToken"]) == "Access Token has been revoked"
    with pytest.raises(public_idp.exceptions.NotAuthorizedException):
        public_idp.initiate_auth(
            ClientId=app["ClientId"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
