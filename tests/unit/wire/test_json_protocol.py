"""Cognito user pools and identity pools (json 1.1) through botocore, and how bad input is answered."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.wire.codec import codec_for
from hutch.wire.http import Body, Headers, HttpRequest
from hutch.wire.models import service_model
from tests.unit.wire.oracle import Oracle, assert_parsed_as_sent, without_metadata

WHEN = datetime(2024, 3, 4, 5, 6, 7, 250000, tzinfo=UTC)
POOL = "us-east-1_Ab12Cd34E"
IDENTITY_POOL = "us-east-1:0b5e4a3c-1d2e-4f50-8a9b-c0d1e2f3a4b5"


@pytest.fixture(scope="module")
def idp() -> Oracle:
    return Oracle("cognito-idp")


@pytest.fixture(scope="module")
def identity() -> Oracle:
    return Oracle("cognito-identity")


def test_initiate_auth_round_trip(idp: Oracle) -> None:
    params = {
        "AuthFlow": "USER_SRP_AUTH",
        "ClientId": "3n4b5urk1ft4fl3mg5e62d9ado",
        "AuthParameters": {"USERNAME": "alice", "SRP_A": "ab" * 64},
        "ClientMetadata": {"source": "test"},
    }
    result = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": "00ff",
            "SRP_B": "cd" * 64,
            "SECRET_BLOCK": "c2VjcmV0",
            "USER_ID_FOR_SRP": "alice",
        },
    }

    response = idp.call("InitiateAuth", params, result)

    assert idp.last.operation == "InitiateAuth"
    assert_parsed_as_sent(idp.last)
    assert without_metadata(response) == result


def test_initiate_auth_result_with_tokens(idp: Oracle) -> None:
    result = {
        "AuthenticationResult": {
            "AccessToken": "eyJ.access",
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "RefreshToken": "eyJ.refresh",
            "IdToken": "eyJ.id",
            "NewDeviceMetadata": {"DeviceKey": "us-east-1_abc", "DeviceGroupKey": "g"},
        },
        "ChallengeParameters": {},
    }

    response = idp.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": "c1",
            "AuthParameters": {"USERNAME": "a", "PASSWORD": "p"},
        },
        result,
    )

    assert without_metadata(response) == result


def test_admin_create_user_round_trip(idp: Oracle) -> None:
    params = {
        "UserPoolId": POOL,
        "Username": "alice",
        "UserAttributes": [
            {"Name": "email", "Value": "alice@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        "TemporaryPassword": "Temp-Passw0rd!",
        "MessageAction": "SUPPRESS",
        "DesiredDeliveryMediums": ["EMAIL"],
    }
    result = {
        "User": {
            "Username": "alice",
            "Attributes": [{"Name": "sub", "Value": "5f2c8e0a-1b2c-4d5e-8f90-a1b2c3d4e5f6"}],
            "UserCreateDate": WHEN,
            "UserLastModifiedDate": WHEN,
            "Enabled": True,
            "UserStatus": "FORCE_CHANGE_PASSWORD",
            "MFAOptions": [],
        }
    }

    response = idp.call("AdminCreateUser", params, result)

    assert_parsed_as_sent(idp.last)
    assert without_metadata(response) == result
    assert json.loads(idp.last.response_body)["User"]["UserCreateDate"] == WHEN.timestamp()


def test_create_user_pool_with_nested_structures(idp: Oracle) -> None:
    params = {
        "PoolName": "users",
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": False,
                "RequireSymbols": False,
                "TemporaryPasswordValidityDays": 7,
            }
        },
        "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre"},
        "AutoVerifiedAttributes": ["email"],
        "UsernameAttributes": ["email"],
        "MfaConfiguration": "OFF",
        "Schema": [
            {
                "Name": "tier",
                "AttributeDataType": "Number",
                "Mutable": True,
                "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "10"},
            }
        ],
        "UserPoolTags": {"env": "test"},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
    }
    result = {
        "UserPool": {
            "Id": POOL,
            "Name": "users",
            "CreationDate": WHEN,
            "LastModifiedDate": WHEN,
            "EstimatedNumberOfUsers": 0,
            "Policies": params["Policies"],
            "SchemaAttributes": params["Schema"],
            "Arn": f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL}",
        }
    }

    response = idp.call("CreateUserPool", params, result)

    assert_parsed_as_sent(idp.last)
    assert without_metadata(response) == result


def test_list_users_round_trip(idp: Oracle) -> None:
    users = [
        {"Username": f"u{i}", "Enabled": True, "UserStatus": "CONFIRMED", "UserCreateDate": WHEN}
        for i in range(3)
    ]

    response = idp.call(
        "ListUsers",
        {"UserPoolId": POOL, "Limit": 3, "Filter": 'email ^= "a"', "AttributesToGet": ["email"]},
        {"Users": users, "PaginationToken": "next"},
    )

    assert_parsed_as_sent(idp.last)
    assert without_metadata(response) == {"Users": users, "PaginationToken": "next"}


def test_get_id_round_trip(identity: Oracle) -> None:
    logins = {f"cognito-idp.us-east-1.amazonaws.com/{POOL}": "eyJ.id.token"}

    response = identity.call(
        "GetId",
        {"IdentityPoolId": IDENTITY_POOL, "Logins": logins},
        {"IdentityId": "us-east-1:11111111-2222-4333-8444-555555555555"},
    )

    assert identity.last.operation == "GetId"
    assert_parsed_as_sent(identity.last)
    assert response["IdentityId"] == "us-east-1:11111111-2222-4333-8444-555555555555"


def test_get_credentials_for_identity_round_trip(identity: Oracle) -> None:
    result = {
        "IdentityId": "us-east-1:11111111-2222-4333-8444-555555555555",
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE12",
            "SecretKey": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
            "SessionToken": "FwoGZXIvYXdzE" * 20,
            "Expiration": datetime(2024, 3, 4, 6, 6, 7, tzinfo=UTC),
        },
    }

    response = identity.call(
        "GetCredentialsForIdentity",
        {"IdentityId": result["IdentityId"], "Logins": {"accounts.google.com": "tok"}},
        result,
    )

    assert_parsed_as_sent(identity.last)
    assert without_metadata(response) == result


def test_set_identity_pool_roles_with_role_mappings(identity: Oracle) -> None:
    params = {
        "IdentityPoolId": IDENTITY_POOL,
        "Roles": {
            "authenticated": "arn:aws:iam::123456789012:role/auth",
            "unauthenticated": "arn:aws:iam::123456789012:role/guest",
        },
        "RoleMappings": {
            f"cognito-idp.us-east-1.amazonaws.com/{POOL}:client": {
                "Type": "Rules",
                "AmbiguousRoleResolution": "Deny",
                "RulesConfiguration": {
                    "Rules": [
                        {
                            "Claim": "custom:tier",
                            "MatchType": "Equals",
                            "Value": "gold",
                            "RoleARN": "arn:aws:iam::123456789012:role/gold",
                        }
                    ]
                },
            }
        },
    }

    identity.call("SetIdentityPoolRoles", params)

    assert_parsed_as_sent(identity.last)
    assert identity.last.response_body == b"{}"


# ---- errors ---------------------------------------------------------------------------------------------


def test_modeled_errors_raise_their_exception_class(idp: Oracle) -> None:
    with pytest.raises(idp.client.exceptions.NotAuthorizedException) as caught:
        idp.call(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": "c",
                "AuthParameters": {"USERNAME": "a", "PASSWORD": "b"},
            },
            ServiceError("NotAuthorizedException", "Incorrect username or password."),
        )

    assert caught.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": "Incorrect username or password.",
    }
    assert idp.last.response.header("x-amzn-ErrorType") == "NotAuthorizedException"


def test_identity_pool_errors_raise_their_exception_class(identity: Oracle) -> None:
    error = ServiceError("ResourceNotFoundException", "IdentityPool 'x' not found.", 404)

    with pytest.raises(identity.client.exceptions.ResourceNotFoundException) as caught:
        identity.call("GetId", {"IdentityPoolId": IDENTITY_POOL}, error)

    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# ---- bad input ------------------------------------------------------------------------------------------


def _post(service: str, target: str, body: bytes) -> tuple[Any, HttpRequest]:
    request = HttpRequest(
        "POST",
        "/",
        "",
        Headers([("x-amz-target", target), ("content-type", "application/x-amz-json-1.1")]),
        Body.of(body),
    )
    return codec_for(service), request


def _parse(service: str, target: str, body: bytes) -> dict[str, Any]:
    codec, request = _post(service, target, body)
    return codec.parse(codec.find_operation(request, body), request, body)


def _error(service: str, target: str, body: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        _parse(service, target, body)
    return caught.value


@pytest.mark.parametrize(
    "target",
    ["", "AWSCognitoIdentityProviderService.NoSuchThing", "AWSCognitoIdentityService.GetId", "InitiateAuth"],
)
def test_an_unknown_target_is_unknown_operation(target: str) -> None:
    error = _error("cognito-idp", target, b"{}")

    assert (error.code, error.status) == ("UnknownOperationException", 400)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b"[" * 100_000])
def test_a_body_that_is_not_a_json_object_is_a_serialization_exception(body: bytes) -> None:
    assert (
        _error("cognito-idp", "AWSCognitoIdentityProviderService.GetUser", body).code
        == "SerializationException"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"UserPoolId": 5, "Username": "a"},
        {"UserPoolId": POOL, "Username": ["a"]},
        {"UserPoolId": POOL, "Username": "a", "UserAttributes": {"Name": "x"}},
        {"UserPoolId": POOL, "Username": "a", "UserAttributes": ["x"]},
        {"UserPoolId": POOL, "Username": "a", "ForceAliasCreation": "yes"},
    ],
)
def test_a_member_of_the_wrong_json_type_is_a_serialization_exception(body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()

    assert (
        _error("cognito-idp", "AWSCognitoIdentityProviderService.AdminCreateUser", raw).code
        == "SerializationException"
    )


def test_an_integer_out_of_range_is_a_serialization_exception() -> None:
    raw = json.dumps({"UserPoolId": POOL, "Limit": 2**40}).encode()

    assert (
        _error("cognito-idp", "AWSCognitoIdentityProviderService.ListGroups", raw).code
        == "SerializationException"
    )


def test_a_missing_required_member_is_cognitos_invalid_parameter() -> None:
    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.AdminGetUser", b'{"Username": "a"}')

    assert error.code == "InvalidParameterException"
    assert error.message == (
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    )


def test_a_pattern_violation_is_reported_with_the_models_pattern() -> None:
    error = _error(
        "cognito-idp",
        "AWSCognitoIdentityProviderService.AdminGetUser",
        b'{"UserPoolId": "nope", "Username": "a"}',
    )

    assert error.message == (
        "1 validation error detected: Value 'nope' at 'userPoolId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"
    )


def test_identity_pools_answer_validation_exception() -> None:
    error = _error(
        "cognito-identity", "AWSCognitoIdentityService.GetId", b'{"IdentityPoolId": "us-east-1_nope"}'
    )

    assert error.code == "ValidationException"
    assert "at 'identityPoolId'" in error.message


def test_a_sensitive_value_is_never_echoed_in_a_validation_message() -> None:
    body = json.dumps({"ClientId": "c", "Username": "a", "Password": "x" * 300}).encode()

    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.SignUp", body)

    assert "x" * 300 not in error.message
    assert (
        "Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256"
        in error.message
    )


def test_a_map_of_sensitive_values_is_never_echoed() -> None:
    # Logins maps provider names to tokens; eleven entries break its max of ten.
    logins = {f"provider-{i}.example": f"token-{i}-" + "t" * 40 for i in range(11)}
    body = json.dumps({"IdentityPoolId": IDENTITY_POOL, "Logins": logins}).encode()

    error = _error("cognito-identity", "AWSCognitoIdentityService.GetId", body)

    assert error.code == "ValidationException"
    assert "Value at 'logins' failed to satisfy constraint" in error.message
    assert "token-" not in error.message


def test_a_huge_rejected_value_is_echoed_only_in_part() -> None:
    metadata = {f"key-{i}": "v" * 100 for i in range(20_000)}
    body = json.dumps({"AuthFlow": "MAGIC" * 100_000, "ClientId": "c", "ClientMetadata": metadata}).encode()

    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.InitiateAuth", body)

    assert error.code == "InvalidParameterException"
    assert "Value 'MAGICMAGIC" in error.message
    assert len(error.message) < 4096


@pytest.mark.parametrize(
    "body",
    [
        b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"\\ud800"}}',
        b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"a\\udc00b"}}',
        b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"\\ud83d":"x"}}',
        b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"\\udfff"}',
        b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","ClientMetadata":{"k":"\\ude00\\ud83d"}}',
    ],
)
def test_a_lone_utf16_surrogate_is_a_serialization_exception(body: bytes) -> None:
    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.InitiateAuth", body)

    assert (error.code, error.status) == ("SerializationException", 400)
    assert "surrogate" in error.message


@pytest.mark.parametrize(
    "credential", [{"id": "\ud800"}, {"response": {"\udc00": 1}}, {"transports": ["usb", "\udbff"]}]
)
def test_a_lone_surrogate_inside_a_document_member_is_a_serialization_exception(
    credential: dict[str, Any],
) -> None:
    body = json.dumps({"AccessToken": "t", "Credential": credential}).encode()

    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.CompleteWebAuthnRegistration", body)

    assert error.code == "SerializationException"


def test_a_surrogate_pair_is_the_character_it_encodes() -> None:
    body = b'{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"a\\ud83d\\ude00"}}'

    params = _parse("cognito-idp", "AWSCognitoIdentityProviderService.InitiateAuth", body)

    assert params["AuthParameters"]["USERNAME"] == "a\U0001f600"


def test_an_unknown_target_is_echoed_only_in_part() -> None:
    codec, request = _post("cognito-idp", "AWSCognitoIdentityProviderService." + "X" * 60_000, b"{}")
    with pytest.raises(ServiceError) as caught:
        codec.find_operation(request, b"{}")
    assert caught.value.code == "UnknownOperationException"
    assert len(caught.value.message) < 1024


def test_an_enum_violation_names_the_allowed_values() -> None:
    body = json.dumps({"AuthFlow": "MAGIC", "ClientId": "c"}).encode()

    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.InitiateAuth", body)

    assert (
        "Value 'MAGIC' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: ["
        in error.message
    )


def test_several_violations_are_counted_and_listed() -> None:
    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.AdminCreateUser", b"{}")

    assert error.message.startswith("2 validation errors detected: ")
    assert "'userPoolId'" in error.message and "'username'" in error.message


def test_nested_violations_name_the_path_as_aws_does() -> None:
    body = json.dumps({"UserPoolId": POOL, "Username": "a", "UserAttributes": [{"Value": "v"}]}).encode()

    error = _error("cognito-idp", "AWSCognitoIdentityProviderService.AdminCreateUser", body)

    assert "Value null at 'userAttributes.1.member.name'" in error.message


def test_an_empty_body_is_an_empty_input() -> None:
    codec, request = _post("cognito-idp", "AWSCognitoIdentityProviderService.GetUser", b"")
    op = codec.find_operation(request, b"")

    with pytest.raises(ServiceError) as caught:
        codec.parse(op, request, b"")

    assert "'accessToken'" in caught.value.message


def test_unknown_members_are_ignored_as_aws_does() -> None:
    assert _parse(
        "cognito-idp", "AWSCognitoIdentityProviderService.GetUser", b'{"AccessToken": "t", "Extra": 1}'
    ) == {"AccessToken": "t"}


def test_an_error_carries_its_extra_fields() -> None:
    error = ServiceError("LimitExceededException", "Too many.", fields={"retryAfterSeconds": 5})
    op = service_model("cognito-idp").operation_model("SignUp")

    response = codec_for("cognito-idp").serialize_error(error, "rid", op)

    assert json.loads(response.body if isinstance(response.body, bytes) else b"") == {
        "__type": "LimitExceededException",
        "message": "Too many.",
        "retryAfterSeconds": 5,
    }


def test_serializing_a_result_with_a_wrong_type_is_a_bug_not_a_response() -> None:
    op = service_model("cognito-idp").operation_model("AdminCreateUser")

    with pytest.raises(TypeError):
        codec_for("cognito-idp").serialize(op, {"User": {"Enabled": "yes"}}, "rid")
