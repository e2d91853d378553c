"""Administering identity pools: create, describe, update, list, delete; roles; principal tag maps; tags.

Every operation here is SigV4-signed and authorized as ``cognito-identity:<Operation>`` on the pool's ARN
(``*`` for CreateIdentityPool and ListIdentityPools). SetIdentityPoolRoles also needs ``iam:PassRole`` on each
role it assigns, as on AWS: handing a role to an identity pool hands it to anyone who can sign in.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hutch.services.cognito_identity import errors, validation
from hutch.services.cognito_identity.model import (
    CognitoProvider,
    IdentityPool,
    PrincipalTagMap,
    mappings_from_api,
    mappings_to_api,
    pool_arn,
)
from hutch.services.cognito_identity.principal_tags import DEFAULT_TAGS, MAX_TAGS

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.services.cognito_identity.service import CognitoIdentityService

Params = dict[str, Any]
MAX_POOL_TAGS = 50


def _arn(call: Call, pool_id: str) -> str:
    return pool_arn(call.rt.region, call.rt.account_id, pool_id)


def load_pool(svc: CognitoIdentityService, pool_id: str) -> IdentityPool:
    pool = svc.store.get_pool(pool_id)
    if pool is None:
        raise errors.pool_not_found(pool_id)
    return pool


def authorized_pool(svc: CognitoIdentityService, call: Call, pool_id: str) -> IdentityPool:
    """Authorize the call's operation on the pool, then load it (authorization first: no existence oracle)."""
    call.authorize(f"cognito-identity:{call.operation}", _arn(call, pool_id))
    return load_pool(svc, pool_id)


def _configured(svc: CognitoIdentityService, params: Params, base: IdentityPool) -> IdentityPool:
    """``base`` with the provider settings of a Create/UpdateIdentityPool request, validated."""
    providers = tuple(CognitoProvider.from_api(p) for p in params.get("CognitoIdentityProviders") or ())
    validation.check_cognito_providers(providers, svc.client_exists)
    oidc = tuple(params.get("OpenIdConnectProviderARNs") or ())
    validation.check_oidc_providers(oidc, svc.oidc_provider_exists)
    saml = tuple(params.get("SamlProviderARNs") or ())
    validation.check_saml_providers(saml)
    developer = params.get("DeveloperProviderName") or None
    validation.check_developer_provider(developer, base.developer_provider_name)
    tags = params.get("IdentityPoolTags")
    if tags is not None and len(tags) > MAX_POOL_TAGS:
        raise errors.invalid_parameter(f"An identity pool can have at most {MAX_POOL_TAGS} tags.")
    return replace(
        base,
        name=params["IdentityPoolName"],
        allow_unauthenticated=bool(params["AllowUnauthenticatedIdentities"]),
        allow_classic_flow=params.get("AllowClassicFlow"),
        supported_login_providers=dict(params.get("SupportedLoginProviders") or {}),
        developer_provider_name=developer,
        open_id_connect_provider_arns=oidc,
        cognito_providers=providers,
        saml_provider_arns=saml,
        tags=dict(tags) if tags is not None else base.tags,
    )


def create_identity_pool(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    call.authorize("cognito-identity:CreateIdentityPool", "*")
    blank = IdentityPool(pool_id=f"{call.rt.region}:{uuid.uuid4()}", name="", allow_unauthenticated=False)
    pool = _configured(svc, params, blank)
    svc.store.insert_pool(pool, call.rt.now())
    return pool.to_api()


def describe_identity_pool(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    return authorized_pool(svc, call, params["IdentityPoolId"]).to_api()


def update_identity_pool(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool_id = params["IdentityPoolId"]
    authorized_pool(svc, call, pool_id)

    def change(current: IdentityPool) -> IdentityPool:
        updated = _configured(svc, params, current)
        # Mappings for providers the pool no longer trusts would never apply again: AWS refuses them too.
        validation.check_role_mappings(updated, updated.role_mappings)
        return updated

    pool = svc.store.update_pool(pool_id, change, call.rt.now())
    if pool is None:
        raise errors.pool_not_found(pool_id)
    return pool.to_api()


def delete_identity_pool(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool_id = params["IdentityPoolId"]
    call.authorize("cognito-identity:DeleteIdentityPool", _arn(call, pool_id))
    if not svc.store.delete_pool(pool_id):
        raise errors.pool_not_found(pool_id)
    return {}


def encode_token(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_token(token: str | None) -> str | None:
    if token is None:
        return None
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise errors.invalid_parameter("Invalid NextToken.") from None


def list_identity_pools(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    call.authorize("cognito-identity:ListIdentityPools", "*")
    page, last = svc.store.list_pools(int(params["MaxResults"]), decode_token(params.get("NextToken")))
    out: Params = {"IdentityPools": [{"IdentityPoolId": i, "IdentityPoolName": n} for i, n in page]}
    if last is not None:
        out["NextToken"] = encode_token(last)
    return out


def set_identity_pool_roles(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool_id = params["IdentityPoolId"]
    pool = authorized_pool(svc, call, pool_id)
    roles = dict(params.get("Roles") or {})
    mappings = mappings_from_api(params.get("RoleMappings"))
    validation.check_roles(roles)
    validation.check_role_mappings(pool, mappings)
    assigned = set(roles.values()) | {rule.role_arn for m in mappings.values() for rule in m.rules}
    for role_arn in sorted(assigned):
        if not call.check("iam:PassRole", role_arn).allowed:
            raise errors.role_forbidden(role_arn)

    def change(current: IdentityPool) -> IdentityPool:
        validation.check_role_mappings(current, mappings)
        return replace(current, roles=roles, role_mappings=mappings)

    if svc.store.update_pool(pool_id, change, call.rt.now()) is None:
        raise errors.pool_not_found(pool_id)
    return {}


def get_identity_pool_roles(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    out: Params = {"IdentityPoolId": pool.pool_id, "Roles": dict(pool.roles)}
    if pool.role_mappings:
        out["RoleMappings"] = mappings_to_api(pool.role_mappings)
    return out


def _tag_map_provider(pool: IdentityPool, provider: str) -> str:
    if provider not in validation.mapping_keys(pool):
        raise errors.invalid_parameter(
            f"Invalid IdentityProviderName: {provider} is not a provider of this pool."
        )
    return provider


def set_principal_tag_attribute_map(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    provider = _tag_map_provider(pool, params["IdentityProviderName"])
    use_defaults = bool(params.get("UseDefaults", False))
    tags = dict(params.get("PrincipalTags") or {})
    if len(tags) > MAX_TAGS:
        raise errors.invalid_parameter(f"At most {MAX_TAGS} principal tags can be mapped.")
    svc.store.put_tag_map(pool.pool_id, provider, PrincipalTagMap(use_defaults, {} if use_defaults else tags))
    return _tag_map_response(pool.pool_id, provider, PrincipalTagMap(use_defaults, tags))


def get_principal_tag_attribute_map(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    provider = _tag_map_provider(pool, params["IdentityProviderName"])
    tag_map = svc.store.get_tag_map(pool.pool_id, provider) or PrincipalTagMap(False, {})
    return _tag_map_response(pool.pool_id, provider, tag_map)


def _tag_map_response(pool_id: str, provider: str, tag_map: PrincipalTagMap) -> Params:
    return {
        "IdentityPoolId": pool_id,
        "IdentityProviderName": provider,
        "UseDefaults": tag_map.use_defaults,
        "PrincipalTags": dict(DEFAULT_TAGS) if tag_map.use_defaults else dict(tag_map.tags),
    }


def _pool_of_arn(call: Call, arn: str) -> str:
    prefix = f"arn:aws:cognito-identity:{call.rt.region}:{call.rt.account_id}:identitypool/"
    if not arn.startswith(prefix):
        raise errors.resource_not_found(f"Resource {arn} not found.")
    return arn[len(prefix) :]


def tag_resource(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool_id = _pool_of_arn(call, params["ResourceArn"])
    authorized_pool(svc, call, pool_id)
    new_tags = dict(params.get("Tags") or {})

    def change(current: IdentityPool) -> IdentityPool:
        merged = {**current.tags, **new_tags}
        if len(merged) > MAX_POOL_TAGS:
            raise errors.invalid_parameter(f"An identity pool can have at most {MAX_POOL_TAGS} tags.")
        return replace(current, tags=merged)

    if svc.store.update_pool(pool_id, change, call.rt.now()) is None:
        raise errors.pool_not_found(pool_id)
    return {}


def untag_resource(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool_id = _pool_of_arn(call, params["ResourceArn"])
    authorized_pool(svc, call, pool_id)
    drop = set(params.get("TagKeys") or ())

    def change(current: IdentityPool) -> IdentityPool:
        return replace(current, tags={k: v for k, v in current.tags.items() if k not in drop})

    if svc.store.update_pool(pool_id, change, call.rt.now()) is None:
        raise errors.pool_not_found(pool_id)
    return {}


def list_tags_for_resource(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, _pool_of_arn(call, params["ResourceArn"]))
    return {"Tags": dict(pool.tags)}
