"""IAM's checks on individual policy values: actions, resource ARNs, principals and sizes.

The messages are the ones IAM puts in MalformedPolicyDocument / LimitExceeded errors.
"""

from __future__ import annotations

import re

from hutch.policy.errors import MalformedPolicyError, PolicySizeExceededError

SYNTAX_ERROR = "Syntax errors in policy."
LEGACY_PARSING = "The policy failed legacy parsing"
NEEDS_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
ONE_COLON = "Actions/Condition can contain only one colon."

PARTITIONS = frozenset(
    {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}
)
_VENDOR = re.compile(r"[A-Za-z0-9_.*?-]+")
_ACCOUNT = re.compile(r"\d{12}")
_IAM_PATHS = (
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
)

# IAM quotas (characters, whitespace not counted).
MANAGED_POLICY_QUOTA = ("PolicySize", 6144)
TRUST_POLICY_QUOTA = ("ACLSizePerRole", 2048)
ROLE_INLINE_AGGREGATE_LIMIT = 10240
USER_INLINE_AGGREGATE_LIMIT = 2048


def policy_size(text: str) -> int:
    """Size as IAM counts it against its quotas: every character except whitespace."""
    return sum(1 for ch in text if not ch.isspace())


def check_policy_size(text: str, quota: str, limit: int) -> None:
    if policy_size(text) > limit:
        raise PolicySizeExceededError(quota, limit)


def check_action_prefix(action: str) -> None:
    if action != "*" and ":" not in action:
        raise MalformedPolicyError(NEEDS_VENDOR)


def check_action_shape(action: str) -> None:
    if action == "*":
        return
    if action.count(":") > 1:
        raise MalformedPolicyError(ONE_COLON)
    vendor = action.partition(":")[0]
    if not _VENDOR.fullmatch(vendor):
        raise MalformedPolicyError(f"Vendor {vendor} is not valid")


def _has_pattern(text: str) -> bool:
    return "*" in text or "?" in text or "${" in text


def is_legacy_resource_error(resource: str) -> bool:
    """ARN shapes IAM's older parser refuses with "The policy failed legacy parsing"."""
    if resource == "*" or not resource.startswith("arn:"):
        return False
    parts = resource.split(":")
    if len(parts) < 3:
        return False
    if parts[2] == "":
        return True
    return len(parts) in (4, 5) and not parts[-1].endswith("*")


def check_resource(resource: str) -> None:
    """Resource must be ``*`` or an ARN IAM accepts."""
    if resource == "*":
        return
    if not resource.startswith("arn:"):
        raise MalformedPolicyError(f'Resource {resource} must be in ARN format or "*".')
    parts = resource.split(":", 5)
    if len(parts) < 3:
        raise MalformedPolicyError("Resource vendor must be fully qualified and cannot contain regexes.")
    partition, service = parts[1], parts[2]
    if partition not in PARTITIONS and not _has_pattern(partition):
        raise MalformedPolicyError(f'Partition "{partition}" is not valid for resource "{resource}".')
    if len(parts) < 6:
        return
    region, resource_part = parts[3], parts[5]
    if service == "s3" and region:
        raise MalformedPolicyError(f"Resource {resource} can not contain region information.")
    if service == "iam":
        if region:
            raise MalformedPolicyError(f"IAM resource {resource} cannot contain region information.")
        if (
            resource_part != "*"
            and not resource_part.startswith(_IAM_PATHS)
            and not _has_pattern(resource_part)
        ):
            raise MalformedPolicyError(
                'IAM resource path must either be "*" or start with ' + ", ".join(_IAM_PATHS) + "."
            )


def check_aws_principal(value: str) -> None:
    if value == "*" or _ACCOUNT.fullmatch(value) or value.startswith("arn:"):
        return
    raise MalformedPolicyError(f'Invalid principal in policy: "AWS":"{value}"')


def is_account_id(value: str) -> bool:
    return bool(_ACCOUNT.fullmatch(value))
