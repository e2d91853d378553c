"""Which service a request is for, and the path-style view of virtual-hosted S3 requests.

Order (as AWS clients address one endpoint URL): the X-Amz-Target prefix (json services), the SigV4 credential
scope's service, the form/query ``Action`` of query-protocol calls, and S3 as the default.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from urllib.parse import parse_qsl, urlsplit

from hutch.config import Config
from hutch.errors import ServiceError
from hutch.wire.http import HttpRequest
from hutch.wire.models import service_model

SERVICES = ("cognito-idp", "cognito-identity", "iam", "sts", "s3")

TARGET_PREFIXES = {
    "AWSCognitoIdentityProviderService": "cognito-idp",
    "AWSCognitoIdentityService": "cognito-identity",
}

# Credential-scope names clients sign with → hutch's service names.
SCOPE_SERVICES = {
    "iam": "iam",
    "sts": "sts",
    "s3": "s3",
    "cognito-idp": "cognito-idp",
    "cognito-identity": "cognito-identity",
}

_BUCKET_LABEL = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class UnknownService(ServiceError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "UnknownService",
            "hutch could not tell which AWS service this request is for: "
            + detail
            + ". It serves cognito-idp and cognito-identity (X-Amz-Target), iam and sts (SigV4-signed query"
            " requests with an Action), and s3 (everything else).",
            400,
        )


@cache
def _query_actions(service: str) -> frozenset[str]:
    return frozenset(service_model(service).operation_names)


def service_for_action(action: str) -> str | None:
    # STS first: its unsigned operations (AssumeRoleWithWebIdentity) are the ones that arrive without a scope.
    for service in ("sts", "iam"):
        if action in _query_actions(service):
            return service
    return None


def is_form(request: HttpRequest) -> bool:
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return request.method == "POST" and ctype == "application/x-www-form-urlencoded"


def route(request: HttpRequest, scope_service: str | None, form_body: bytes | None) -> str:
    """Name the service. ``form_body`` is the body of a form POST (read by the caller), else None."""
    target = request.headers.get("x-amz-target")
    if target:
        prefix = target.split(".", 1)[0]
        service = TARGET_PREFIXES.get(prefix)
        if service is None:
            raise UnknownService(f"X-Amz-Target {prefix!r} names no service hutch serves")
        return service
    if scope_service:
        service = SCOPE_SERVICES.get(scope_service)
        if service is None:
            raise UnknownService(f"the request is signed for service {scope_service!r}")
        return service
    action = None
    if form_body is not None:
        action = dict(parse_qsl(form_body.decode("utf-8", "replace"))).get("Action")
    elif request.method == "GET" and "Action" in request.query_dict:
        action = request.query_dict["Action"]
    if action:
        service = service_for_action(action)
        if service is not None:
            return service
        raise UnknownService(f"Action {action!r} is not an IAM or STS operation")
    return "s3"


def virtual_host_bases(config: Config) -> tuple[str, ...]:
    """The hosts a bucket may be a subdomain of (``<bucket>.<base>``), longest first.

    s3.localhost is there because clients refuse a certificate wildcard directly under one label
    (*.localhost): the TLS certificate hutch generates names *.s3.localhost instead.
    """
    hosts = {"localhost", "s3.localhost", "localhost.localstack.cloud"}
    public = urlsplit(config.base_url).hostname
    if public:
        hosts.add(public.lower())
    if config.host not in ("0.0.0.0", "::"):  # noqa: S104 - comparing, not binding
        hosts.add(config.host.lower())
    return tuple(sorted(hosts, key=len, reverse=True))


def bucket_from_host(host_header: str, base_hosts: tuple[str, ...]) -> str | None:
    """The bucket of a virtual-hosted-style request (``bucket.<base host>``), or None for path style."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return None  # an IPv6 literal is never virtual-hosted
    host = host.rsplit(":", 1)[0] if ":" in host else host
    for base in base_hosts:
        suffix = "." + base
        if host.endswith(suffix):
            label = host[: -len(suffix)]
            if _BUCKET_LABEL.match(label):
                return label
    return None


def to_path_style(request: HttpRequest, bucket: str) -> HttpRequest:
    """The same request addressed path-style, for the codec. SigV4 still verifies the original."""
    raw_path = request.raw_path or "/"
    return dataclasses.replace(request, raw_path="/" + bucket + raw_path)
