"""The documents `hutch init` writes: role trust policies, the folder policies of each layout, bucket CORS.

Layouts:
- ``seed`` (shared/SCENARIO.md, and AWS's IAM example "Allows Amazon Cognito users to access objects in their
  bucket"): each identity reads, writes and deletes under ``cognito/<app>/<identity id>/`` and may list only
  there. Guests (``--guest``) get the same folder rule: a guest's identity id is theirs alone.
- ``amplify`` (the paths Amplify Storage uses, with the grants the Amplify CLI (Gen1) generates for
  authenticated users and guests): signed-in users read/write/delete ``public/*``, their own
  ``protected/<id>/*`` and ``private/<id>/*``, and read everyone's ``protected/*``; guests read ``public/*``
  and ``protected/*``. Listing is allowed for exactly those prefixes, each as ``p/`` and ``p/*`` (Gen1's
  list and Gen2's ``toConditionPrefix`` both produce that pair), so a listing of the bucket root is refused.
"""

from __future__ import annotations

from typing import Any, Literal

Layout = Literal["seed", "amplify"]
RoleKind = Literal["authenticated", "unauthenticated"]

LAYOUTS: tuple[Layout, ...] = ("seed", "amplify")
IDENTITY_PROVIDER = "cognito-identity.amazonaws.com"
SUB = "${cognito-identity.amazonaws.com:sub}"
READ_WRITE_DELETE = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
VERSION = "2012-10-17"

Document = dict[str, Any]


def trust_policy(identity_pool_id: str, kind: RoleKind) -> Document:
    """Only this identity pool's identities of ``kind`` may assume the role (SCENARIO.md step 4)."""
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": IDENTITY_PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{IDENTITY_PROVIDER}:aud": identity_pool_id},
                    "ForAnyValue:StringLike": {f"{IDENTITY_PROVIDER}:amr": kind},
                },
            }
        ],
    }


def folder_policy(layout: Layout, kind: RoleKind, bucket: str, app: str) -> Document:
    if layout == "seed":
        return _seed(bucket, app)
    return _amplify_authenticated(bucket) if kind == "authenticated" else _amplify_guest(bucket)


def folders(layout: Layout, app: str) -> dict[str, str]:
    """Where an identity's files go; ``{identityId}`` stands for its identity id."""
    if layout == "seed":
        return {"own": f"cognito/{app}/{{identityId}}/"}
    return {"public": "public/", "protected": "protected/{identityId}/", "private": "private/{identityId}/"}


def _objects(bucket: str, *paths: str) -> list[str]:
    return [f"arn:aws:s3:::{bucket}/{path}" for path in paths]


def _list_only(bucket: str, folders: list[str]) -> Document:
    prefixes = [p for folder in folders for p in (folder, folder + "*")]
    return {
        "Effect": "Allow",
        "Action": ["s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}"],
        "Condition": {"StringLike": {"s3:prefix": prefixes}},
    }


def _seed(bucket: str, app: str) -> Document:
    # Exactly SCENARIO.md step 5.
    folder = f"cognito/{app}/{SUB}/*"
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::{bucket}"],
                "Condition": {"StringLike": {"s3:prefix": [folder]}},
            },
            {"Effect": "Allow", "Action": list(READ_WRITE_DELETE), "Resource": _objects(bucket, folder)},
        ],
    }


def _amplify_authenticated(bucket: str) -> Document:
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Action": list(READ_WRITE_DELETE),
                "Resource": _objects(bucket, "public/*", f"protected/{SUB}/*", f"private/{SUB}/*"),
            },
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": _objects(bucket, "protected/*")},
            _list_only(bucket, ["public/", "protected/", f"private/{SUB}/"]),
        ],
    }


def _amplify_guest(bucket: str) -> Document:
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": _objects(bucket, "public/*", "protected/*"),
            },
            _list_only(bucket, ["public/", "protected/"]),
        ],
    }


def cors_rule(rule_id: str) -> Document:
    """One rule that lets browser apps on any origin use the bucket with their users' credentials.

    The exposed headers are what Amplify's generated buckets expose plus the version id; ETag is needed to
    complete multipart uploads from a browser.
    """
    return {
        "ID": rule_id,
        "AllowedHeaders": ["*"],
        "AllowedMethods": ["GET", "PUT", "POST", "DELETE", "HEAD"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": [
            "ETag",
            "x-amz-request-id",
            "x-amz-id-2",
            "x-amz-server-side-encryption",
            "x-amz-version-id",
        ],
        "MaxAgeSeconds": 3000,
    }
