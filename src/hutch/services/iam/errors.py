"""IAM's client errors, with the codes, statuses and wording IAM uses."""

from __future__ import annotations

from hutch.errors import ServiceError


def no_such_entity(message: str) -> ServiceError:
    return ServiceError("NoSuchEntity", message, 404)


def no_such_role(name: str) -> ServiceError:
    return no_such_entity(f"The role with name {name} cannot be found.")


def no_such_user(name: str) -> ServiceError:
    return no_such_entity(f"The user with name {name} cannot be found.")


def no_such_role_policy(role: str, name: str) -> ServiceError:
    return no_such_entity(f"The role policy with name {name} cannot be found.")


def no_such_user_policy(user: str, name: str) -> ServiceError:
    return no_such_entity(f"The user policy with name {name} cannot be found.")


def no_such_policy(arn: str) -> ServiceError:
    return no_such_entity(f"Policy {arn} was not found.")


def not_attachable(arn: str) -> ServiceError:
    return no_such_entity(f"Policy {arn} does not exist or is not attachable.")


def not_attached(arn: str) -> ServiceError:
    return no_such_entity(f"Policy {arn} was not found.")


def no_such_version(arn: str, version_id: str) -> ServiceError:
    return no_such_entity(f"Policy {arn} version {version_id} does not exist or is not attachable.")


def no_such_access_key(access_key_id: str) -> ServiceError:
    return no_such_entity(f"The Access Key with id {access_key_id} cannot be found.")


def no_such_oidc_provider(arn: str) -> ServiceError:
    return no_such_entity(f"OpenIDConnect Provider not found for arn {arn}")


def already_exists(message: str) -> ServiceError:
    return ServiceError("EntityAlreadyExists", message, 409)


def delete_conflict(message: str) -> ServiceError:
    return ServiceError("DeleteConflict", message, 409)


def limit_exceeded(message: str) -> ServiceError:
    return ServiceError("LimitExceeded", message, 409)


def quota(name: str, limit: int) -> ServiceError:
    return limit_exceeded(f"Cannot exceed quota for {name}: {limit}")


def malformed_policy(reason: str) -> ServiceError:
    return ServiceError("MalformedPolicyDocument", reason, 400)


def invalid_input(message: str) -> ServiceError:
    return ServiceError("InvalidInput", message, 400)


def validation_error(message: str) -> ServiceError:
    return ServiceError("ValidationError", message, 400)
