"""The errors Cognito identity pools answer, with AWS's codes and wording.

Clients (the SDKs' credential providers, Amplify) branch on these codes, and people search the web for these
exact messages, so they are kept in one place and spelled as AWS spells them.
"""

from __future__ import annotations

from hutch.errors import ServiceError


def not_authorized(message: str) -> ServiceError:
    return ServiceError("NotAuthorizedException", message, 400)


def invalid_parameter(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message, 400)


def resource_conflict(message: str) -> ServiceError:
    return ServiceError("ResourceConflictException", message, 400)


def pool_not_found(pool_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"IdentityPool '{pool_id}' not found.", 400)


def identity_not_found(identity_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"Identity '{identity_id}' not found.", 400)


def resource_not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message, 400)


def invalid_pool_configuration() -> ServiceError:
    # AWS gives this one message whether the role is missing, unknown, or its trust policy does not admit the
    # identity; hutch adds the reason to the request log (and the trust decision to `hutch explain`).
    return ServiceError(
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
        400,
    )


def invalid_login_token(reason: str) -> ServiceError:
    return not_authorized(f"Invalid login token. {reason}")


def unsupported_provider() -> ServiceError:
    return not_authorized("Token is not from a supported provider of this identity pool.")


def unauthenticated_not_supported() -> ServiceError:
    return not_authorized("Unauthenticated access is not supported for this identity pool.")


def logins_do_not_match() -> ServiceError:
    return not_authorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool."
    )


def identity_forbidden(identity_id: str) -> ServiceError:
    return not_authorized(f"Access to Identity '{identity_id}' is forbidden.")


def role_forbidden(role_arn: str) -> ServiceError:
    return not_authorized(f"Access to Role '{role_arn}' is forbidden.")


def developer_user_already_registered() -> ServiceError:
    return ServiceError(
        "DeveloperUserAlreadyRegisteredException",
        "The provided developer user identifier is already registered with Cognito under a different"
        " identity ID.",
        400,
    )
