"""Managed policies: customer managed ones in the store, AWS managed ones built in; versions; attachments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import sqlalchemy as sa

from hutch import ids
from hutch.policy.document import PolicyKind
from hutch.policy.validate import MANAGED_POLICY_QUOTA
from hutch.services.iam import aws_managed, documents, errors, validation
from hutch.services.iam.core import IamCore
from hutch.services.iam.model import ManagedPolicy, PolicyVersion, Tags, policy_arn
from hutch.services.iam.store import policies as store
from hutch.services.iam.store import roles as role_store
from hutch.services.iam.store import users as user_store

MAX_VERSIONS = 5
MAX_ATTACHED = 10  # managed policies per user or role (IAM's default quota)
ENTITY_KINDS = ("role", "user")


class ManagedPolicies:
    def __init__(self, core: IamCore) -> None:
        self.core = core

    # ---- lookups ---------------------------------------------------------------------------------------

    def find(self, conn: sa.Connection, arn: str) -> ManagedPolicy | None:
        if aws_managed.is_aws_managed(arn):
            found = aws_managed.POLICIES.get(arn)
            return found[0] if found else None
        if not arn.startswith(f"arn:aws:iam::{self.core.account}:policy/"):
            return None
        return store.by_arn(conn, arn)

    def get(self, arn: str) -> ManagedPolicy:
        with self.core.reading() as conn:
            return self._with_counts(conn, [self._existing(conn, arn)])[0]

    def _existing(self, conn: sa.Connection, arn: str) -> ManagedPolicy:
        if not arn.startswith("arn:"):
            raise errors.invalid_input(f"ARN {arn} is not valid.")
        found = self.find(conn, arn)
        if found is None:
            raise errors.no_such_policy(arn)
        return found

    def attachable(self, conn: sa.Connection, arn: str) -> ManagedPolicy:
        if not arn.startswith("arn:"):
            raise errors.invalid_input(f"ARN {arn} is not valid.")
        found = self.find(conn, arn)
        if found is None:
            raise errors.not_attachable(arn)
        return found

    def boundary(self, conn: sa.Connection, arn: str) -> ManagedPolicy:
        """A managed policy used as a permissions boundary (IAM names it a "Scope ARN" when it is missing)."""
        if not arn.startswith("arn:"):
            raise errors.invalid_input(f"ARN {arn} is not valid.")
        found = self.find(conn, arn)
        if found is None:
            raise errors.no_such_entity(f"Scope ARN: {arn} does not exist or is not attachable.")
        return found

    def default_documents(self, conn: sa.Connection, arns: Iterable[str]) -> dict[str, str]:
        """ARN → default version's document, for every ARN that still names a policy."""
        arns = list(arns)
        found = store.default_documents(conn, [a for a in arns if not aws_managed.is_aws_managed(a)])
        for arn in arns:
            builtin = aws_managed.POLICIES.get(arn)
            if builtin is not None:
                found[arn] = builtin[1]
        return found

    def _with_counts(self, conn: sa.Connection, found: list[ManagedPolicy]) -> list[ManagedPolicy]:
        attached = store.attachment_counts(conn)
        bounded = store.boundary_counts(conn)
        return [
            replace(p, attachment_count=attached.get(p.arn, 0), boundary_usage_count=bounded.get(p.arn, 0))
            for p in found
        ]

    def listing(
        self,
        *,
        scope: str = "All",
        only_attached: bool = False,
        path_prefix: str = "/",
        usage: str | None = None,
    ) -> list[ManagedPolicy]:
        with self.core.reading() as conn:
            found: list[ManagedPolicy] = []
            if scope in ("All", "Local"):
                found += store.listing(conn, path_prefix)
            if scope in ("All", "AWS"):
                found += [p for p, _ in aws_managed.POLICIES.values() if p.path.startswith(path_prefix)]
            found = self._with_counts(conn, found)
        if only_attached:
            # PolicyUsageFilter says which kind of use counts as "attached".
            if usage == "PermissionsBoundary":
                found = [p for p in found if p.boundary_usage_count > 0]
            elif usage == "PermissionsPolicy":
                found = [p for p in found if p.attachment_count > 0]
            else:
                found = [p for p in found if p.attachment_count > 0 or p.boundary_usage_count > 0]
        return sorted(found, key=lambda p: (p.name.lower(), p.arn))

    # ---- customer managed policies ---------------------------------------------------------------------

    def create(
        self, name: str, document: str, *, path: str | None, description: str | None, tags: Tags
    ) -> ManagedPolicy:
        validation.check_name(name, "policyName", 128)
        path = validation.check_path(path)
        document = documents.check(document, PolicyKind.IDENTITY, MANAGED_POLICY_QUOTA, managed=True)
        now = self.core.now()
        policy = ManagedPolicy(
            id=ids.unique_id("ANPA"),
            name=name,
            path=path,
            arn=policy_arn(self.core.account, path, name),
            description=description,
            default_version=1,
            tags=tags,
            created_at=now,
            updated_at=now,
        )
        already = errors.already_exists(
            f"A policy called {name} already exists. Duplicate names are not allowed."
        )
        try:
            with self.core.writing() as conn:
                if store.by_name(conn, name) is not None:
                    raise already
                store.insert(conn, policy, document)
        except sa.exc.IntegrityError:
            raise already from None
        return policy

    def _customer(self, conn: sa.Connection, arn: str) -> ManagedPolicy:
        found = self._existing(conn, arn)
        if found.aws_managed:
            raise errors.invalid_input(f"AWS managed policy {arn} cannot be modified.")
        return found

    def delete(self, arn: str) -> None:
        with self.core.writing() as conn:
            policy = self._customer(conn, arn)
            if store.entities_for(conn, arn) or store.boundary_counts(conn).get(arn):
                raise errors.delete_conflict("Cannot delete a policy attached to entities.")
            if len(store.versions(conn, policy)) > 1:
                raise errors.delete_conflict(
                    "This policy has more than one version. Before you delete a policy, you must delete the "
                    "policy's versions. The default version is deleted with the policy."
                )
            store.delete(conn, policy.id)

    def tag(self, arn: str, tags: Tags) -> None:
        with self.core.writing() as conn:
            policy = self._customer(conn, arn)
            store.set_tags(conn, policy.id, validation.merge_tags(policy.tags, tags))

    def untag(self, arn: str, keys: list[str]) -> None:
        with self.core.writing() as conn:
            policy = self._customer(conn, arn)
            store.set_tags(conn, policy.id, validation.remove_tags(policy.tags, keys))

    # ---- versions --------------------------------------------------------------------------------------

    def create_version(self, arn: str, document: str, *, set_as_default: bool) -> PolicyVersion:
        document = documents.check(document, PolicyKind.IDENTITY, MANAGED_POLICY_QUOTA, managed=True)
        with self.core.writing() as conn:
            policy = self._customer(conn, arn)
            if len(store.versions(conn, policy)) >= MAX_VERSIONS:
                raise errors.limit_exceeded(
                    f"A managed policy can have up to {MAX_VERSIONS} versions. "
                    "Before you create a new version, you must delete an existing version."
                )
            now = self.core.now()
            number = store.add_version(conn, policy, document, now, make_default=set_as_default)
        return PolicyVersion(arn, number, document, set_as_default, now)

    def versions(self, arn: str) -> list[PolicyVersion]:
        with self.core.reading() as conn:
            policy = self._existing(conn, arn)
            if policy.aws_managed:
                return [self._builtin_version(arn)]
            return store.versions(conn, policy)

    def version(self, arn: str, version_id: str) -> PolicyVersion:
        number = _version_number(version_id)
        with self.core.reading() as conn:
            policy = self._existing(conn, arn)
            if policy.aws_managed:
                found: PolicyVersion | None = self._builtin_version(arn)
                if found is not None and found.version != number:
                    found = None
            else:
                found = store.version(conn, policy, number) if number else None
        if found is None:
            raise errors.no_such_version(arn, version_id)
        return found

    def _builtin_version(self, arn: str) -> PolicyVersion:
        policy, document = aws_managed.POLICIES[arn]
        return PolicyVersion(arn, policy.default_version, document, True, policy.updated_at)

    def set_default_version(self, arn: str, version_id: str) -> None:
        number = _version_number(version_id)
        with self.core.writing() as conn:
            policy = self._customer(conn, arn)
            if not number or store.version(conn, policy, number) is None:
                raise errors.no_such_version(arn, version_id)
            store.set_default_version(conn, policy, number, self.core.now())

    def delete_version(self, arn: str, version_id: str) -> None:
        number = _version_number(version_id)
        with self.core.writing() as conn:
            policy = self._customer(conn, arn)
            if not number or store.version(conn, policy, number) is None:
                raise errors.no_such_version(arn, version_id)
            if number == policy.default_version:
                raise errors.delete_conflict("Cannot delete the default version of a policy.")
            store.delete_version(conn, policy, number)

    # ---- attachments -----------------------------------------------------------------------------------

    def attach(self, conn: sa.Connection, kind: str, entity_id: str, arn: str) -> None:
        quota_name = "PoliciesPerRole" if kind == "role" else "PoliciesPerUser"
        self.attachable(conn, arn)
        current = store.attached(conn, kind, entity_id)
        if arn in current:
            return
        if len(current) >= MAX_ATTACHED:
            raise errors.quota(quota_name, MAX_ATTACHED)
        store.attach(conn, kind, entity_id, arn, self.core.now())

    def detach(self, conn: sa.Connection, kind: str, entity_id: str, arn: str) -> None:
        if not store.detach(conn, kind, entity_id, arn):
            raise errors.not_attached(arn)

    def attached(self, conn: sa.Connection, kind: str, entity_id: str) -> list[ManagedPolicy]:
        out: list[ManagedPolicy] = []
        for arn in store.attached(conn, kind, entity_id):
            found = self.find(conn, arn)
            if found is not None:
                out.append(found)
        return out

    def entities(self, arn: str) -> dict[str, list[tuple[str, str]]]:
        """Users and roles ``arn`` is attached to: {"role": [(name, id)], "user": [...]}."""
        with self.core.reading() as conn:
            self._existing(conn, arn)
            out: dict[str, list[tuple[str, str]]] = {"role": [], "user": []}
            for kind, entity_id in store.entities_for(conn, arn):
                if kind == "role":
                    role = role_store.by_id(conn, entity_id, self.core.account)
                    if role is not None:
                        out["role"].append((role.name, role.id))
                else:
                    user = user_store.by_id(conn, entity_id, self.core.account)
                    if user is not None:
                        out["user"].append((user.name, user.id))
        return out


def _version_number(version_id: str) -> int:
    """``v3`` → 3; anything else → 0 (no such version)."""
    if len(version_id) > 1 and version_id[0] == "v" and version_id[1:].isdigit():
        return int(version_id[1:])
    return 0
