"""Loading botocore's models, what they say about authentication, and error codes on the wire."""

from __future__ import annotations

import pytest

from hutch.wire.models import SERVICE_NAMES, requires_auth, service_model, wire_error_code


@pytest.mark.parametrize(
    ("service", "protocol"),
    [
        ("cognito-idp", "json"),
        ("cognito-identity", "json"),
        ("iam", "query"),
        ("sts", "query"),
        ("s3", "rest-xml"),
    ],
)
def test_each_served_service_loads_with_its_protocol(service: str, protocol: str) -> None:
    assert service_model(service).protocol == protocol


def test_models_are_loaded_once() -> None:
    assert service_model("iam") is service_model("iam")


def test_a_service_hutch_does_not_serve_is_refused() -> None:
    with pytest.raises(KeyError):
        service_model("dynamodb")


def test_the_served_services_are_the_five_of_the_scenario() -> None:
    assert set(SERVICE_NAMES) == {"cognito-idp", "cognito-identity", "iam", "sts", "s3"}


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("cognito-idp", "InitiateAuth"),
        ("cognito-idp", "SignUp"),
        ("cognito-idp", "RespondToAuthChallenge"),
        ("cognito-identity", "GetId"),
        ("cognito-identity", "GetCredentialsForIdentity"),
        ("cognito-identity", "GetOpenIdToken"),
        ("sts", "AssumeRoleWithWebIdentity"),
    ],
)
def test_operations_the_model_marks_unauthenticated_need_no_signature(service: str, operation: str) -> None:
    assert requires_auth(service_model(service).operation_model(operation)) is False


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("cognito-idp", "AdminCreateUser"),
        ("cognito-identity", "SetIdentityPoolRoles"),
        ("iam", "CreateRole"),
        ("sts", "GetCallerIdentity"),
        ("sts", "AssumeRole"),
        ("s3", "PutObject"),
    ],
)
def test_every_other_operation_needs_a_signature(service: str, operation: str) -> None:
    assert requires_auth(service_model(service).operation_model(operation)) is True


def test_an_exception_shape_name_maps_to_its_wire_code() -> None:
    iam = service_model("iam")

    assert wire_error_code(iam, "NoSuchEntityException") == "NoSuchEntity"
    assert wire_error_code(iam, "NoSuchEntity") == "NoSuchEntity"
    assert wire_error_code(iam, "AccessDenied") == "AccessDenied"
