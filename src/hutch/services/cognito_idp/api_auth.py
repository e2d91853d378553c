"""Sign-in operations: InitiateAuth / RespondToAuthChallenge (public, unsigned) and AdminInitiateAuth /
AdminRespondToAuthChallenge (IAM-authorized). The flows themselves live in ``signin``."""

from __future__ import annotations

from typing import Any

from hutch.operations import Call, operation
from hutch.services.cognito_idp import signin
from hutch.services.cognito_idp.api_common import SERVICE, authorize, service


@operation(SERVICE, "InitiateAuth")
def initiate_auth(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return signin.initiate(
        service(call),
        signin.Caller(admin=False),
        params["ClientId"],
        params["AuthFlow"],
        params.get("AuthParameters") or {},
    )


@operation(SERVICE, "AdminInitiateAuth")
def admin_initiate_auth(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    return signin.initiate(
        service(call),
        signin.Caller(admin=True, pool_id=params["UserPoolId"]),
        params["ClientId"],
        params["AuthFlow"],
        params.get("AuthParameters") or {},
    )


@operation(SERVICE, "RespondToAuthChallenge")
def respond_to_auth_challenge(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return signin.respond(
        service(call),
        signin.Caller(admin=False),
        params["ClientId"],
        params["ChallengeName"],
        params.get("Session"),
        params.get("ChallengeResponses") or {},
    )


@operation(SERVICE, "AdminRespondToAuthChallenge")
def admin_respond_to_auth_challenge(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, params["UserPoolId"])
    return signin.respond(
        service(call),
        signin.Caller(admin=True, pool_id=params["UserPoolId"]),
        params["ClientId"],
        params["ChallengeName"],
        params.get("Session"),
        params.get("ChallengeResponses") or {},
    )


@operation(SERVICE, "GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return signin.refresh_tokens(
        service(call), params["ClientId"], params["RefreshToken"], params.get("ClientSecret")
    )
