"""Identity pools as values: what a pool trusts and which roles it hands out.

The API shapes (botocore's CreateIdentityPool / SetIdentityPoolRoles members) convert to and from these frozen
dataclasses here and nowhere else; the store keeps the same dicts as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

# The identity provider name AWS uses for the identity service itself: the issuer of GetOpenIdToken tokens as
# trust policies name it ("Federated": "cognito-identity.amazonaws.com") and the Logins key for those tokens.
COGNITO_IDENTITY_PROVIDER = "cognito-identity.amazonaws.com"

RoleType = Literal["authenticated", "unauthenticated"]
IdentityState = Literal["unauthenticated", "authenticated", "disabled"]


@dataclass(frozen=True)
class CognitoProvider:
    """A user pool app client the pool trusts (CognitoIdentityProviders entry)."""

    provider_name: str  # cognito-idp.<region>.amazonaws.com/<userPoolId>
    client_id: str
    server_side_token_check: bool = False

    @property
    def user_pool_id(self) -> str:
        return self.provider_name.rsplit("/", 1)[-1]

    def to_api(self) -> dict[str, Any]:
        return {
            "ProviderName": self.provider_name,
            "ClientId": self.client_id,
            "ServerSideTokenCheck": self.server_side_token_check,
        }

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> CognitoProvider:
        return cls(
            str(data.get("ProviderName", "")),
            str(data.get("ClientId", "")),
            bool(data.get("ServerSideTokenCheck", False)),
        )


@dataclass(frozen=True)
class MappingRule:
    claim: str
    match_type: str  # Equals | Contains | StartsWith | NotEqual
    value: str
    role_arn: str

    def to_api(self) -> dict[str, Any]:
        return {
            "Claim": self.claim,
            "MatchType": self.match_type,
            "Value": self.value,
            "RoleARN": self.role_arn,
        }

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> MappingRule:
        return cls(
            str(data.get("Claim", "")),
            str(data.get("MatchType", "")),
            str(data.get("Value", "")),
            str(data.get("RoleARN", "")),
        )


@dataclass(frozen=True)
class RoleMapping:
    """How one identity provider's tokens choose a role (SetIdentityPoolRoles RoleMappings value)."""

    type: str  # Token | Rules
    ambiguous_role_resolution: str | None = None  # AuthenticatedRole | Deny
    rules: tuple[MappingRule, ...] = ()

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Type": self.type}
        if self.ambiguous_role_resolution is not None:
            out["AmbiguousRoleResolution"] = self.ambiguous_role_resolution
        if self.type == "Rules" or self.rules:
            out["RulesConfiguration"] = {"Rules": [r.to_api() for r in self.rules]}
        return out

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> RoleMapping:
        rules_config = data.get("RulesConfiguration") or {}
        return cls(
            str(data.get("Type", "")),
            data.get("AmbiguousRoleResolution"),
            tuple(MappingRule.from_api(r) for r in rules_config.get("Rules") or ()),
        )


@dataclass(frozen=True)
class IdentityPool:
    pool_id: str
    name: str
    allow_unauthenticated: bool
    # None when never set: AWS then still serves GetOpenIdToken; only an explicit False refuses it.
    allow_classic_flow: bool | None = None
    supported_login_providers: Mapping[str, str] = field(default_factory=dict)
    developer_provider_name: str | None = None
    open_id_connect_provider_arns: tuple[str, ...] = ()
    cognito_providers: tuple[CognitoProvider, ...] = ()
    saml_provider_arns: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)  # "authenticated" / "unauthenticated" -> role ARN
    role_mappings: Mapping[str, RoleMapping] = field(default_factory=dict)
    created_at: datetime | None = None

    @property
    def has_role_mappings(self) -> bool:
        return bool(self.role_mappings)

    def arn(self, region: str, account: str) -> str:
        return pool_arn(region, account, self.pool_id)

    def to_api(self) -> dict[str, Any]:
        """The IdentityPool shape (Create/Describe/Update responses)."""
        out: dict[str, Any] = {
            "IdentityPoolId": self.pool_id,
            "IdentityPoolName": self.name,
            "AllowUnauthenticatedIdentities": self.allow_unauthenticated,
        }
        if self.allow_classic_flow is not None:
            out["AllowClassicFlow"] = self.allow_classic_flow
        if self.supported_login_providers:
            out["SupportedLoginProviders"] = dict(self.supported_login_providers)
        if self.developer_provider_name:
            out["DeveloperProviderName"] = self.developer_provider_name
        out["OpenIdConnectProviderARNs"] = list(self.open_id_connect_provider_arns)
        out["CognitoIdentityProviders"] = [p.to_api() for p in self.cognito_providers]
        out["SamlProviderARNs"] = list(self.saml_provider_arns)
        out["IdentityPoolTags"] = dict(self.tags)
        return out

    def configuration(self) -> dict[str, Any]:
        """The trusted providers as stored (JSON)."""
        return {
            "SupportedLoginProviders": dict(self.supported_login_providers),
            "OpenIdConnectProviderARNs": list(self.open_id_connect_provider_arns),
            "CognitoIdentityProviders": [p.to_api() for p in self.cognito_providers],
            "SamlProviderARNs": list(self.saml_provider_arns),
        }

    def with_configuration(self, config: Mapping[str, Any]) -> IdentityPool:
        return replace(
            self,
            supported_login_providers=dict(config.get("SupportedLoginProviders") or {}),
            open_id_connect_provider_arns=tuple(config.get("OpenIdConnectProviderARNs") or ()),
            cognito_providers=tuple(
                CognitoProvider.from_api(p) for p in config.get("CognitoIdentityProviders") or ()
            ),
            saml_provider_arns=tuple(config.get("SamlProviderARNs") or ()),
        )


def pool_arn(region: str, account: str, pool_id: str) -> str:
    return f"arn:aws:cognito-identity:{region}:{account}:identitypool/{pool_id}"


def mappings_to_api(mappings: Mapping[str, RoleMapping]) -> dict[str, Any]:
    return {provider: mapping.to_api() for provider, mapping in mappings.items()}


def mappings_from_api(data: Mapping[str, Any] | None) -> dict[str, RoleMapping]:
    return {provider: RoleMapping.from_api(value) for provider, value in (data or {}).items()}


@dataclass(frozen=True)
class Login:
    """One login linked to an identity: a provider and the user's stable id there."""

    provider: str
    subject: str


@dataclass(frozen=True)
class Identity:
    identity_id: str
    pool_id: str
    state: IdentityState
    logins: tuple[Login, ...] = ()
    created_at: datetime | None = None
    modified_at: datetime | None = None

    @property
    def providers(self) -> list[str]:
        return sorted({login.provider for login in self.logins})


@dataclass(frozen=True)
class PrincipalTagMap:
    """SetPrincipalTagAttributeMap for one provider: session tag key -> token claim name."""

    use_defaults: bool
    tags: Mapping[str, str] = field(default_factory=dict)
