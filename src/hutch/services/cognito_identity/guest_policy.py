"""The scope-down session policy Cognito applies to guests' credentials in the enhanced flow.

Credentials that GetCredentialsForIdentity vends to unauthenticated identities can only reach the services
Cognito documents for guests (developer guide, "IAM roles" → "Access policies"; and the AWS managed session
policy AmazonCognitoUnAuthedIdentitiesSessionPolicy), whatever the unauthenticated role's own policies allow:
the session's permissions are the intersection of the role's policies and this policy. The basic flow
(GetOpenIdToken + AssumeRoleWithWebIdentity) applies no such policy, as on AWS.
"""

from __future__ import annotations

import json

# Whole services guests may use (IAM service prefixes of the documented list).
_WHOLE_SERVICES = (
    "appsync",
    "cloudwatch",
    "cognito-identity",
    "cognito-sync",
    "comprehend",
    "dynamodb",
    "firehose",
    "gamelift",
    "geo",
    "iot",
    "kinesis",
    "lambda",
    "lex",
    "machinelearning",
    "mobileanalytics",
    "mobiletargeting",
    "personalize",
    "polly",
    "rekognition",
    "s3",
    "sdb",
    "ses",
    "sns",
    "sqs",
    "transcribe",
    "translate",
)

# Services guests may use only in part.
_SOME_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptTo",
    "kms:ReEncryptFrom",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "rum:PutRumEvents",
    "sagemaker:InvokeEndpoint",
    "sumerian:View*",
    "textract:AnalyzeDocument",
    "textract:DetectDocumentText",
)

GUEST_SESSION_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CognitoUnauthenticatedIdentitiesScopeDown",
                "Effect": "Allow",
                "Action": [f"{service}:*" for service in _WHOLE_SERVICES] + list(_SOME_ACTIONS),
                "Resource": "*",
            }
        ],
    },
    separators=(",", ":"),
)
