"""Roles: trust policies, inline and attached permission policies, boundaries, tags."""

from __future__ import annotations

import sqlalchemy as sa

from hutch import ids
from hutch.policy.document import PolicyKind, parse_policy
from hutch.policy.validate import ROLE_INLINE_AGGREGATE_LIMIT, TRUST_POLICY_QUOTA
from hutch.services.iam import documents, errors, validation
from hutch.services.iam.core import IamCore
from hutch.services.iam.model import InlinePolicy, ManagedPolicy, Role, Tags, role_arn
from hutch.services.iam.policies import ManagedPolicies
from hutch.services.iam.store import roles as store
from hutch.services.iam.store import users as user_store

MIN_SESSION_DURATION = 3600
MAX_SESSION_DURATION = 43200


class Roles:
    def __init__(self, core: IamCore, policies: ManagedPolicies) -> None:
        self.core = core
        self.policies = policies

    def arn_for(self, name: str) -> str:
        """The role's ARN (with its path) if it exists, else the path-less ARN its name would have."""
        found = self.find(name)
        return found.arn if found else role_arn(self.core.account, "/", name)

    def find(self, name: str) -> Role | None:
        with self.core.reading() as conn:
            return store.by_name(conn, name, self.core.account)

    def find_by_id(self, role_id: str) -> Role | None:
        with self.core.reading() as conn:
            return store.by_id(conn, role_id, self.core.account)

    def get(self, name: str) -> Role:
        found = self.find(name)
        if found is None:
            raise errors.no_such_role(name)
        return found

    def _existing(self, conn: sa.Connection, name: str) -> Role:
        found = store.by_name(conn, name, self.core.account)
        if found is None:
            raise errors.no_such_role(name)
        return found

    def listing(self, path_prefix: str = "/") -> list[Role]:
        with self.core.reading() as conn:
            return store.listing(conn, self.core.account, path_prefix)

    def create(
        self,
        name: str,
        trust_policy: str,
        *,
        path: str | None = None,
        description: str | None = None,
        max_session_duration: int | None = None,
        boundary_arn: str | None = None,
        tags: Tags = (),
    ) -> Role:
        validation.check_name(name, "roleName")
        path = validation.check_path(path)
        duration = _session_duration(max_session_duration)
        trust_policy = documents.check(trust_policy, PolicyKind.TRUST, TRUST_POLICY_QUOTA)
        role = Role(
            id=ids.unique_id("AROA"),
            name=name,
            path=path,
            arn=role_arn(self.core.account, path, name),
            trust_policy=trust_policy,
            description=description,
            max_session_duration=duration,
            boundary_arn=boundary_arn,
            tags=tags,
            created_at=self.core.now(),
        )
        already = errors.already_exists(f"Role with name {name} already exists.")
        try:
            with self.core.writing() as conn:
                self._check_trust_principals(conn, trust_policy)
                if boundary_arn is not None:
                    self.policies.boundary(conn, boundary_arn)
                if store.by_name(conn, name, self.core.account) is not None:
                    raise already
                store.insert(conn, role)
        except sa.exc.IntegrityError:
            raise already from None
        return role

    def _check_trust_principals(self, conn: sa.Connection, trust_policy: str) -> None:
        """IAM refuses a trust policy naming a user or role of this account that does not exist."""
        own = f"arn:aws:iam::{self.core.account}:"
        for statement in parse_policy(trust_policy, PolicyKind.TRUST).statements:
            if statement.principal is None:
                continue
            for value in statement.principal.of_type("AWS"):
                if not value.startswith(own) or "*" in value or "?" in value:
                    continue
                resource = value[len(own) :]
                name = resource.rsplit("/", 1)[-1]
                if resource.startswith("role/"):
                    found = store.by_name(conn, name, self.core.account)
                    exists = found is not None and found.arn == value
                elif resource.startswith("user/"):
                    user = user_store.by_name(conn, name, self.core.account)
                    exists = user is not None and user.arn == value
                else:
                    continue
                if not exists:
                    raise errors.malformed_policy(f'Invalid principal in policy: "AWS":"{value}"')

    def update(
        self, name: str, *, description: str | None = None, max_session_duration: int | None = None
    ) -> Role:
        values: dict[str, object] = {}
        if description is not None:
            values["description"] = description
        if max_session_duration is not None:
            values["max_session_duration"] = _session_duration(max_session_duration)
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            if values:
                store.update(conn, role.id, **values)
            updated = store.by_id(conn, role.id, self.core.account)
        assert updated is not None
        return updated

    def update_trust_policy(self, name: str, trust_policy: str) -> None:
        trust_policy = documents.check(trust_policy, PolicyKind.TRUST, TRUST_POLICY_QUOTA)
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            self._check_trust_principals(conn, trust_policy)
            store.update(conn, role.id, trust_policy=trust_policy)

    def delete(self, name: str) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            if store.inline_policies(conn, role.id):
                raise errors.delete_conflict("Cannot delete entity, must delete policies first.")
            if self.policies.attached(conn, "role", role.id):
                raise errors.delete_conflict("Cannot delete entity, must detach all policies first.")
            store.delete(conn, role.id)

    # ---- tags ------------------------------------------------------------------------------------------

    def tag(self, name: str, tags: Tags) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            store.set_tags(conn, role.id, validation.merge_tags(role.tags, tags))

    def untag(self, name: str, keys: list[str]) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            store.set_tags(conn, role.id, validation.remove_tags(role.tags, keys))

    # ---- permissions boundary --------------------------------------------------------------------------

    def put_boundary(self, name: str, arn: str) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            self.policies.boundary(conn, arn)
            store.update(conn, role.id, boundary_arn=arn)

    def delete_boundary(self, name: str) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            store.update(conn, role.id, boundary_arn=None)

    # ---- inline policies -------------------------------------------------------------------------------

    def put_inline(self, name: str, policy_name: str, document: str) -> None:
        validation.check_name(policy_name, "policyName", 128)
        document = documents.check(document, PolicyKind.IDENTITY)
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            others = [
                p for p in store.inline_policies(conn, role.id) if p.name.lower() != policy_name.lower()
            ]
            total = documents.size(document) + sum(documents.size(p.document) for p in others)
            if total > ROLE_INLINE_AGGREGATE_LIMIT:
                raise errors.limit_exceeded(
                    f"Maximum policy size of {ROLE_INLINE_AGGREGATE_LIMIT} bytes exceeded "
                    f"for role {role.name}"
                )
            store.put_inline_policy(conn, role.id, policy_name, document)

    def inline(self, name: str, policy_name: str) -> tuple[Role, InlinePolicy]:
        with self.core.reading() as conn:
            role = self._existing(conn, name)
            found = store.inline_policy(conn, role.id, policy_name)
        if found is None:
            raise errors.no_such_role_policy(role.name, policy_name)
        return role, found

    def inline_names(self, name: str) -> list[str]:
        with self.core.reading() as conn:
            role = self._existing(conn, name)
            return [p.name for p in store.inline_policies(conn, role.id)]

    def delete_inline(self, name: str, policy_name: str) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            if not store.delete_inline_policy(conn, role.id, policy_name):
                raise errors.no_such_role_policy(role.name, policy_name)

    # ---- managed policies ------------------------------------------------------------------------------

    def attach(self, name: str, policy_arn: str) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            self.policies.attach(conn, "role", role.id, policy_arn)

    def detach(self, name: str, policy_arn: str) -> None:
        with self.core.writing() as conn:
            role = self._existing(conn, name)
            self.policies.detach(conn, "role", role.id, policy_arn)

    def attached(self, name: str, path_prefix: str = "/") -> list[ManagedPolicy]:
        with self.core.reading() as conn:
            role = self._existing(conn, name)
            found = self.policies.attached(conn, "role", role.id)
        return [p for p in found if p.path.startswith(path_prefix)]


def _session_duration(value: int | None) -> int:
    if value is None:
        return MIN_SESSION_DURATION
    if not MIN_SESSION_DURATION <= value <= MAX_SESSION_DURATION:
        bound = (
            "greater than or equal to 3600" if value < MIN_SESSION_DURATION else "less than or equal to 43200"
        )
        raise errors.validation_error(
            f"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to satisfy "
            f"constraint: Member must have value {bound}"
        )
    return value
