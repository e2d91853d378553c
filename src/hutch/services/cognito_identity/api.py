"""Cognito identity (AWSCognitoIdentityService, json 1.1) operation handlers: thin adapters onto the
modules that do the work. GetId, GetCredentialsForIdentity, GetOpenIdToken and UnlinkIdentity arrive unsigned
(the model says authtype "none") and authenticate by their Logins; every other operation is SigV4-signed and
IAM-authorized.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hutch.operations import Call, operation
from hutch.services.cognito_identity import credentials, developer, identities, pools

if TYPE_CHECKING:
    from hutch.services.cognito_identity.service import CognitoIdentityService

Params = dict[str, Any]
Impl = Callable[["CognitoIdentityService", Call, Params], Params]

_OPERATIONS: dict[str, Impl] = {
    "CreateIdentityPool": pools.create_identity_pool,
    "DescribeIdentityPool": pools.describe_identity_pool,
    "UpdateIdentityPool": pools.update_identity_pool,
    "DeleteIdentityPool": pools.delete_identity_pool,
    "ListIdentityPools": pools.list_identity_pools,
    "SetIdentityPoolRoles": pools.set_identity_pool_roles,
    "GetIdentityPoolRoles": pools.get_identity_pool_roles,
    "SetPrincipalTagAttributeMap": pools.set_principal_tag_attribute_map,
    "GetPrincipalTagAttributeMap": pools.get_principal_tag_attribute_map,
    "TagResource": pools.tag_resource,
    "UntagResource": pools.untag_resource,
    "ListTagsForResource": pools.list_tags_for_resource,
    "GetId": identities.get_id,
    "GetOpenIdToken": identities.get_open_id_token,
    "DescribeIdentity": identities.describe_identity,
    "ListIdentities": identities.list_identities,
    "DeleteIdentities": identities.delete_identities,
    "UnlinkIdentity": identities.unlink_identity,
    "GetCredentialsForIdentity": credentials.get_credentials_for_identity,
    "GetOpenIdTokenForDeveloperIdentity": developer.get_open_id_token_for_developer_identity,
    "LookupDeveloperIdentity": developer.lookup_developer_identity,
    "MergeDeveloperIdentities": developer.merge_developer_identities,
    "UnlinkDeveloperIdentity": developer.unlink_developer_identity,
}


def _register(name: str, impl: Impl) -> None:
    @operation("cognito-identity", name)
    def handler(call: Call, params: Params) -> Params:
        return impl(call.rt.services["cognito_identity"], call, params)

    handler.__name__ = handler.__qualname__ = f"cognito_identity_{name}"


for _name, _impl in _OPERATIONS.items():
    _register(_name, _impl)
