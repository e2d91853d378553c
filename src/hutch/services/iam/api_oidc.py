"""IAM OpenID Connect provider operations."""

from __future__ import annotations

from typing import Any

from hutch.operations import Call, operation
from hutch.services.iam import guard, responses
from hutch.services.iam.guard import iam
from hutch.services.iam.model import oidc_provider_arn
from hutch.services.iam.validation import tags_from_params, tags_out

Params = dict[str, Any]
Result = dict[str, Any]


@operation("iam", "CreateOpenIDConnectProvider")
def create_oidc_provider(call: Call, params: Params) -> Result:
    tags = tags_from_params(params.get("Tags"))
    arn = oidc_provider_arn(call.account, params["Url"])
    guard.authorize(call, "CreateOpenIDConnectProvider", arn, guard.request_tags(tags))
    provider = iam(call).oidc.create(
        params["Url"],
        client_ids=list(params.get("ClientIDList") or []),
        thumbprints=list(params.get("ThumbprintList") or []),
        tags=tags,
    )
    out: Result = {"OpenIDConnectProviderArn": provider.arn}
    if provider.tags:
        out["Tags"] = tags_out(provider.tags)
    return out


@operation("iam", "GetOpenIDConnectProvider")
def get_oidc_provider(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "GetOpenIDConnectProvider", arn)
    return responses.oidc_provider(iam(call).oidc.get(arn))


@operation("iam", "ListOpenIDConnectProviders")
def list_oidc_providers(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListOpenIDConnectProviders", "*")
    return {"OpenIDConnectProviderList": [{"Arn": p.arn} for p in iam(call).oidc.listing()]}


@operation("iam", "DeleteOpenIDConnectProvider")
def delete_oidc_provider(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "DeleteOpenIDConnectProvider", arn)
    iam(call).oidc.delete(arn)
    return {}


@operation("iam", "AddClientIDToOpenIDConnectProvider")
def add_client_id(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "AddClientIDToOpenIDConnectProvider", arn)
    iam(call).oidc.add_client_id(arn, params["ClientID"])
    return {}


@operation("iam", "RemoveClientIDFromOpenIDConnectProvider")
def remove_client_id(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "RemoveClientIDFromOpenIDConnectProvider", arn)
    iam(call).oidc.remove_client_id(arn, params["ClientID"])
    return {}


@operation("iam", "UpdateOpenIDConnectProviderThumbprint")
def update_thumbprint(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "UpdateOpenIDConnectProviderThumbprint", arn)
    iam(call).oidc.update_thumbprints(arn, list(params["ThumbprintList"]))
    return {}


@operation("iam", "TagOpenIDConnectProvider")
def tag_oidc_provider(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    tags = tags_from_params(params["Tags"])
    guard.authorize(call, "TagOpenIDConnectProvider", arn, guard.request_tags(tags))
    iam(call).oidc.tag(arn, tags)
    return {}


@operation("iam", "UntagOpenIDConnectProvider")
def untag_oidc_provider(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "UntagOpenIDConnectProvider", arn, {"aws:TagKeys": list(params["TagKeys"])})
    iam(call).oidc.untag(arn, list(params["TagKeys"]))
    return {}


@operation("iam", "ListOpenIDConnectProviderTags")
def list_oidc_provider_tags(call: Call, params: Params) -> Result:
    arn = params["OpenIDConnectProviderArn"]
    guard.authorize(call, "ListOpenIDConnectProviderTags", arn)
    return {"Tags": tags_out(iam(call).oidc.get(arn).tags), "IsTruncated": False}
