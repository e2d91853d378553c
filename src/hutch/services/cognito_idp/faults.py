"""The Cognito errors this service raises, with AWS's codes and wording, in one place."""

from __future__ import annotations

from hutch.errors import ServiceError

INCORRECT_CREDENTIALS = "Incorrect username or password."


def invalid_parameter(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


def pool_not_found(pool_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")


def client_not_found(client_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"User pool client {client_id} does not exist.")


def group_not_found() -> ServiceError:
    return ServiceError("ResourceNotFoundException", "Group not found.")


def user_not_found() -> ServiceError:
    return ServiceError("UserNotFoundException", "User does not exist.")


def not_authorized(message: str) -> ServiceError:
    return ServiceError("NotAuthorizedException", message)


def incorrect_credentials() -> ServiceError:
    return ServiceError("NotAuthorizedException", INCORRECT_CREDENTIALS)


def user_disabled() -> ServiceError:
    return ServiceError("NotAuthorizedException", "User is disabled.")


def user_not_confirmed() -> ServiceError:
    return ServiceError("UserNotConfirmedException", "User is not confirmed.")


def password_reset_required() -> ServiceError:
    return ServiceError("PasswordResetRequiredException", "Password reset required for the user")


def attempts_exceeded() -> ServiceError:
    return ServiceError("NotAuthorizedException", "Password attempts exceeded")


def limit_exceeded() -> ServiceError:
    return ServiceError("LimitExceededException", "Attempt limit exceeded, please try after some time.")


def alias_exists(attribute: str) -> ServiceError:
    label = "phone number" if attribute == "phone_number" else attribute.replace("_", " ")
    return ServiceError("AliasExistsException", f"An account with the given {label} already exists.")


def code_mismatch() -> ServiceError:
    return ServiceError("CodeMismatchException", "Invalid verification code provided, please try again.")


def expired_code() -> ServiceError:
    return ServiceError("ExpiredCodeException", "Invalid code provided, please request a code again.")


def invalid_password(rule: str) -> ServiceError:
    return ServiceError("InvalidPasswordException", f"Password did not conform with policy: {rule}")
