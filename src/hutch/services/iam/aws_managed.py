"""A few AWS managed policies (arn:aws:iam::aws:policy/...), built in so operators can attach them as on AWS.

Only the ones an operator of hutch's services reaches for are here, with the documents AWS publishes for
them. They cannot be changed, deleted or versioned, exactly as on AWS.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

from hutch.services.iam.model import ManagedPolicy

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"


def _doc(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


_CATALOGUE: tuple[tuple[str, int, str, str], ...] = (
    # (name, default version, description, document)
    (
        "AdministratorAccess",
        1,
        "Provides full access to AWS services and resources.",
        _doc({"Effect": "Allow", "Action": "*", "Resource": "*"}),
    ),
    (
        "AmazonS3FullAccess",
        2,
        "Provides full access to all buckets via the AWS Management Console.",
        _doc({"Effect": "Allow", "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}),
    ),
    (
        "AmazonS3ReadOnlyAccess",
        3,
        "Provides read only access to all buckets via the AWS Management Console.",
        _doc(
            {
                "Effect": "Allow",
                "Action": [
                    "s3:Get*",
                    "s3:List*",
                    "s3:Describe*",
                    "s3-object-lambda:Get*",
                    "s3-object-lambda:List*",
                ],
                "Resource": "*",
            }
        ),
    ),
    (
        "IAMFullAccess",
        2,
        "Provides full access to IAM via the AWS Management Console.",
        _doc(
            {
                "Effect": "Allow",
                "Action": [
                    "iam:*",
                    "organizations:DescribeAccount",
                    "organizations:DescribeOrganization",
                    "organizations:DescribeOrganizationalUnit",
                    "organizations:DescribePolicy",
                    "organizations:ListChildren",
                    "organizations:ListParents",
                    "organizations:ListPoliciesForTarget",
                    "organizations:ListRoots",
                    "organizations:ListPolicies",
                    "organizations:ListTargetsForPolicy",
                ],
                "Resource": "*",
            }
        ),
    ),
    (
        "IAMReadOnlyAccess",
        4,
        "Provides read only access to IAM via the AWS Management Console.",
        _doc(
            {
                "Effect": "Allow",
                "Action": [
                    "iam:GenerateCredentialReport",
                    "iam:GenerateServiceLastAccessedDetails",
                    "iam:Get*",
                    "iam:List*",
                    "iam:SimulateCustomPolicy",
                    "iam:SimulatePrincipalPolicy",
                ],
                "Resource": "*",
            }
        ),
    ),
)


def _stable_id(name: str) -> str:
    """An ANPA... id that is the same in every installation (AWS's own ids are not published)."""
    digest = base64.b32encode(hashlib.sha256(name.encode()).digest()).decode()
    return "ANPA" + digest[:17]


# AWS published these on the same day; the exact instant does not matter to any client.
_PUBLISHED = datetime(2015, 2, 6, 18, 39, 46, tzinfo=UTC)

POLICIES: dict[str, tuple[ManagedPolicy, str]] = {
    AWS_POLICY_PREFIX + name: (
        ManagedPolicy(
            id=_stable_id(name),
            name=name,
            path="/",
            arn=AWS_POLICY_PREFIX + name,
            description=description,
            default_version=version,
            tags=(),
            created_at=_PUBLISHED,
            updated_at=_PUBLISHED,
            aws_managed=True,
        ),
        document,
    )
    for name, version, description, document in _CATALOGUE
}


def is_aws_managed(arn: str) -> bool:
    return arn.startswith(AWS_POLICY_PREFIX)
