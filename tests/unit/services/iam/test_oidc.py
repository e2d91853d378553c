"""OpenID Connect providers: ARNs from the URL, https only (except hutch's own issuers), client id lists."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.iam import IamService
from tests.unit.services.iam.support import unique


def test_provider_arn_is_the_url_without_scheme(iam: IamService) -> None:
    host = f"{unique('idp')}.example.com"
    provider = iam.oidc.create(f"https://{host}", client_ids=["app", "app"], thumbprints=["A" * 40], tags=())
    assert provider.arn == f"arn:aws:iam::{iam.account}:oidc-provider/{host}"
    assert provider.client_ids == ("app",) and provider.thumbprints == ("a" * 40,)
    assert iam.oidc_provider_for_issuer(f"https://{host}") == provider
    assert iam.open_id_connect_provider(provider.arn) == provider
    with pytest.raises(ServiceError) as exc:
        iam.oidc.create(f"https://{host}", client_ids=[], thumbprints=[], tags=())
    assert exc.value.code == "EntityAlreadyExists"


def test_plain_http_is_refused_unless_it_is_hutch_itself(iam: IamService, runtime: Runtime) -> None:
    with pytest.raises(ServiceError) as exc:
        iam.oidc.create("http://idp.example.com", client_ids=[], thumbprints=[], tags=())
    assert exc.value.code == "ValidationError"
    own = runtime.config.base_url.rstrip("/") + "/us-east-1_" + unique("Pool")
    assert iam.oidc.create(own, client_ids=["c"], thumbprints=[], tags=()).url == own


def test_client_ids_are_added_and_removed(iam: IamService) -> None:
    provider = iam.oidc.create(
        f"https://{unique('c')}.example.com", client_ids=["a"], thumbprints=[], tags=()
    )
    iam.oidc.add_client_id(provider.arn, "b")
    iam.oidc.add_client_id(provider.arn, "b")
    iam.oidc.remove_client_id(provider.arn, "a")
    assert iam.oidc.get(provider.arn).client_ids == ("b",)
    iam.oidc.delete(provider.arn)
    with pytest.raises(ServiceError) as exc:
        iam.oidc.get(provider.arn)
    assert (exc.value.code, exc.value.message) == (
        "NoSuchEntity",
        f"OpenIDConnect Provider not found for arn {provider.arn}",
    )
