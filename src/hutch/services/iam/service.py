"""The IAM service object: its parts, and the public methods other services and the access glue call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hutch.services.iam.authority import AccessKeyCredentials, GenerationCache, PolicySets
from hutch.services.iam.core import IamCore
from hutch.services.iam.model import EntityPolicies, OidcProvider, Role, User
from hutch.services.iam.oidc import OidcProviders
from hutch.services.iam.policies import ManagedPolicies
from hutch.services.iam.roles import Roles
from hutch.services.iam.users import Users

if TYPE_CHECKING:
    from hutch.runtime import Runtime


class IamService:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.core = IamCore(rt)
        self.policies = ManagedPolicies(self.core)
        self.roles = Roles(self.core, self.policies)
        self.users = Users(self.core, self.policies)
        self.oidc = OidcProviders(self.core)
        self.policy_sets = PolicySets(self.core, self.policies)
        self.access_keys = AccessKeyCredentials(self.core)
        # Every AssumeRole / GetCredentialsForIdentity looks its role up by ARN: kept until IAM changes.
        self._roles_by_arn: GenerationCache[str, Role | None] = GenerationCache(self.core)

    @property
    def account(self) -> str:
        return self.core.account

    # ---- for STS, identity pools and the access glue ---------------------------------------------------

    def role_by_arn(self, arn: str) -> Role | None:
        """The role ``arn`` names (path included, name compared as IAM does, without case)."""
        try:
            return self._roles_by_arn[arn]
        except KeyError:
            pass
        generation = self.core.generation
        found = self._find_role_by_arn(arn)
        self._roles_by_arn.put(arn, found, generation)
        return found

    def _find_role_by_arn(self, arn: str) -> Role | None:
        prefix = f"arn:aws:iam::{self.account}:role/"
        if not arn.startswith(prefix):
            return None
        role = self.roles.find(arn.rsplit("/", 1)[-1])
        if role is None or role.arn.lower() != arn.lower():
            return None
        return role

    def role_by_id(self, role_id: str) -> Role | None:
        return self.roles.find_by_id(role_id)

    def user_by_id(self, user_id: str) -> User | None:
        return self.users.find_by_id(user_id)

    def role_policies(self, role_id: str) -> EntityPolicies | None:
        return self.policy_sets.for_role(role_id)

    def user_policies(self, user_id: str) -> EntityPolicies | None:
        return self.policy_sets.for_user(user_id)

    def managed_policy_document(self, arn: str) -> str | None:
        """The default version of a managed policy (for STS's PolicyArns session policies)."""
        with self.core.reading() as conn:
            return self.policies.default_documents(conn, [arn]).get(arn)

    def oidc_provider_for_issuer(self, issuer: str) -> OidcProvider | None:
        return self.oidc.for_issuer(issuer)

    def oidc_provider(self, arn: str) -> OidcProvider | None:
        return self.oidc.find(arn)

    def open_id_connect_provider(self, arn: str) -> OidcProvider | None:
        """The provider ``arn`` names (``url``, ``client_ids``): how the identity pools look it up."""
        return self.oidc.find(arn)

    @property
    def generation(self) -> int:
        """Moves on every IAM write: caches built from IAM state are valid for one generation."""
        return self.core.generation
