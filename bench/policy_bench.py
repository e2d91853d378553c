"""Decisions per second for the scenario's permission policy (shared/SCENARIO.md).

Run: .venv/bin/python bench/policy_bench.py [--seconds N]

- cached: the policy text was compiled once (the server's steady state); each decision builds a new
  request and context, as the S3 handler does per request.
- uncached: the compile cache is cleared before every decision, so each one parses, validates and
  compiles the document again.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from hutch.policy import AuthzRequest, NamedPolicy, PolicyKind, PolicySet, RequestPrincipal, evaluate
from hutch.policy.compile import compile_policy

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Cognito_myappAuth_Role"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/Cognito_myappAuth_Role/CognitoIdentityCredentials"
IDENTITY_ID = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001"
PERMISSIONS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": ["arn:aws:s3:::photos"],
                "Condition": {
                    "StringLike": {"s3:prefix": ["cognito/myapp/${cognito-identity.amazonaws.com:sub}/*"]}
                },
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": ["arn:aws:s3:::photos/cognito/myapp/${cognito-identity.amazonaws.com:sub}/*"],
            },
        ],
    }
)
PRINCIPAL = RequestPrincipal(SESSION, ACCOUNT, "assumed-role", {"AWS": [SESSION, ROLE]})
OBJECT = f"arn:aws:s3:::photos/cognito/myapp/{IDENTITY_ID}/photo.jpg"


def put_object(policies: PolicySet) -> bool:
    context = {
        "cognito-identity.amazonaws.com:sub": IDENTITY_ID,
        "aws:SecureTransport": "true",
        "aws:SourceIp": "127.0.0.1",
        "aws:PrincipalArn": ROLE,
    }
    return evaluate(AuthzRequest(PRINCIPAL, "s3:PutObject", OBJECT, context), policies).allowed


def list_bucket(policies: PolicySet) -> bool:
    context = {
        "cognito-identity.amazonaws.com:sub": IDENTITY_ID,
        "s3:prefix": f"cognito/myapp/{IDENTITY_ID}/",
    }
    return evaluate(
        AuthzRequest(PRINCIPAL, "s3:ListBucket", "arn:aws:s3:::photos", context), policies
    ).allowed


def rate(step: Callable[[], bool], seconds: float) -> tuple[float, float]:
    """(best, median) decisions/s over 0.25 s windows: the best window is the one-core figure on a
    machine shared with other work; the median shows how steady it was."""
    assert step(), "the benchmark request must be allowed"
    rates: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        count, start = 0, time.perf_counter()
        while True:
            for _ in range(500):
                step()
            count += 500
            now = time.perf_counter()
            if now - start >= 0.25:
                break
        rates.append(count / (now - start))
    return max(rates), statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    cached = PolicySet(identity=[NamedPolicy.from_text(ROLE, PERMISSIONS, PolicyKind.IDENTITY)])

    def uncached(workload: Callable[[PolicySet], bool]) -> Callable[[], bool]:
        def step() -> bool:
            compile_policy.cache_clear()
            return workload(
                PolicySet(identity=[NamedPolicy.from_text(ROLE, PERMISSIONS, PolicyKind.IDENTITY)])
            )

        return step

    print(f"{'decisions/s (best / median)':<26}{'cached':>22}{'uncached':>20}")
    for name, workload in (("PutObject (own folder)", put_object), ("ListBucket (own prefix)", list_bucket)):
        hot = rate(lambda w=workload: w(cached), args.seconds)  # type: ignore[misc]
        cold = rate(uncached(workload), args.seconds)
        print(f"{name:<26}{hot[0]:>12,.0f} / {hot[1]:>7,.0f}{cold[0]:>10,.0f} / {cold[1]:>7,.0f}")


if __name__ == "__main__":
    main()
