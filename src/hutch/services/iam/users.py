"""IAM users: long-term principals with access keys, inline and attached policies, boundaries, tags."""

from __future__ import annotations

import sqlalchemy as sa

from hutch import ids
from hutch.policy.document import PolicyKind
from hutch.policy.validate import USER_INLINE_AGGREGATE_LIMIT
from hutch.services.iam import documents, errors, validation
from hutch.services.iam.core import IamCore
from hutch.services.iam.model import AccessKey, InlinePolicy, ManagedPolicy, Tags, User, user_arn
from hutch.services.iam.policies import ManagedPolicies
from hutch.services.iam.store import users as store

MAX_ACCESS_KEYS = 2
KEY_STATUSES = ("Active", "Inactive")


class Users:
    def __init__(self, core: IamCore, policies: ManagedPolicies) -> None:
        self.core = core
        self.policies = policies

    def arn_for(self, name: str) -> str:
        found = self.find(name)
        return found.arn if found else user_arn(self.core.account, "/", name)

    def find(self, name: str) -> User | None:
        with self.core.reading() as conn:
            return store.by_name(conn, name, self.core.account)

    def find_by_id(self, user_id: str) -> User | None:
        with self.core.reading() as conn:
            return store.by_id(conn, user_id, self.core.account)

    def get(self, name: str) -> User:
        found = self.find(name)
        if found is None:
            raise errors.no_such_user(name)
        return found

    def _existing(self, conn: sa.Connection, name: str) -> User:
        found = store.by_name(conn, name, self.core.account)
        if found is None:
            raise errors.no_such_user(name)
        return found

    def listing(self, path_prefix: str = "/") -> list[User]:
        with self.core.reading() as conn:
            return store.listing(conn, self.core.account, path_prefix)

    def create(
        self, name: str, *, path: str | None = None, boundary_arn: str | None = None, tags: Tags = ()
    ) -> User:
        validation.check_name(name, "userName")
        path = validation.check_path(path)
        user = User(
            id=ids.unique_id("AIDA"),
            name=name,
            path=path,
            arn=user_arn(self.core.account, path, name),
            boundary_arn=boundary_arn,
            tags=tags,
            created_at=self.core.now(),
        )
        already = errors.already_exists(f"User with name {name} already exists.")
        try:
            with self.core.writing() as conn:
                if boundary_arn is not None:
                    self.policies.boundary(conn, boundary_arn)
                if store.by_name(conn, name, self.core.account) is not None:
                    raise already
                store.insert(conn, user)
        except sa.exc.IntegrityError:
            raise already from None
        return user

    def delete(self, name: str) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            if store.access_keys(conn, user.id):
                raise errors.delete_conflict("Cannot delete entity, must delete access keys first.")
            if store.inline_policies(conn, user.id):
                raise errors.delete_conflict("Cannot delete entity, must delete policies first.")
            if self.policies.attached(conn, "user", user.id):
                raise errors.delete_conflict("Cannot delete entity, must detach all policies first.")
            store.delete(conn, user.id)

    # ---- tags ------------------------------------------------------------------------------------------

    def tag(self, name: str, tags: Tags) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            store.update(conn, user.id, tags=validation.merge_tags(user.tags, tags))

    def untag(self, name: str, keys: list[str]) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            store.update(conn, user.id, tags=validation.remove_tags(user.tags, keys))

    # ---- permissions boundary --------------------------------------------------------------------------

    def put_boundary(self, name: str, arn: str) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            self.policies.boundary(conn, arn)
            store.update(conn, user.id, boundary_arn=arn)

    def delete_boundary(self, name: str) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            store.update(conn, user.id, boundary_arn=None)

    # ---- inline policies -------------------------------------------------------------------------------

    def put_inline(self, name: str, policy_name: str, document: str) -> None:
        validation.check_name(policy_name, "policyName", 128)
        document = documents.check(document, PolicyKind.IDENTITY)
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            others = [
                p for p in store.inline_policies(conn, user.id) if p.name.lower() != policy_name.lower()
            ]
            total = documents.size(document) + sum(documents.size(p.document) for p in others)
            if total > USER_INLINE_AGGREGATE_LIMIT:
                raise errors.limit_exceeded(
                    f"Maximum policy size of {USER_INLINE_AGGREGATE_LIMIT} bytes exceeded "
                    f"for user {user.name}"
                )
            store.put_inline_policy(conn, user.id, policy_name, document)

    def inline(self, name: str, policy_name: str) -> tuple[User, InlinePolicy]:
        with self.core.reading() as conn:
            user = self._existing(conn, name)
            found = store.inline_policy(conn, user.id, policy_name)
        if found is None:
            raise errors.no_such_user_policy(user.name, policy_name)
        return user, found

    def inline_names(self, name: str) -> list[str]:
        with self.core.reading() as conn:
            user = self._existing(conn, name)
            return [p.name for p in store.inline_policies(conn, user.id)]

    def delete_inline(self, name: str, policy_name: str) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            if not store.delete_inline_policy(conn, user.id, policy_name):
                raise errors.no_such_user_policy(user.name, policy_name)

    # ---- managed policies ------------------------------------------------------------------------------

    def attach(self, name: str, policy_arn: str) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            self.policies.attach(conn, "user", user.id, policy_arn)

    def detach(self, name: str, policy_arn: str) -> None:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            self.policies.detach(conn, "user", user.id, policy_arn)

    def attached(self, name: str, path_prefix: str = "/") -> list[ManagedPolicy]:
        with self.core.reading() as conn:
            user = self._existing(conn, name)
            found = self.policies.attached(conn, "user", user.id)
        return [p for p in found if p.path.startswith(path_prefix)]

    # ---- access keys -----------------------------------------------------------------------------------

    def create_access_key(self, name: str) -> AccessKey:
        with self.core.writing() as conn:
            user = self._existing(conn, name)
            if len(store.access_keys(conn, user.id)) >= MAX_ACCESS_KEYS:
                raise errors.quota("AccessKeysPerUser", MAX_ACCESS_KEYS)
            key_id, secret, now = ids.access_key_id("AKIA"), ids.secret_access_key(), self.core.now()
            store.insert_access_key(conn, key_id, user.id, secret, now)
        return AccessKey(key_id, user.id, user.name, secret, "Active", now)

    def access_keys(self, name: str) -> list[AccessKey]:
        with self.core.reading() as conn:
            user = self._existing(conn, name)
            return store.access_keys(conn, user.id)

    def access_key(self, access_key_id: str) -> AccessKey | None:
        with self.core.reading() as conn:
            return store.access_key(conn, access_key_id)

    def _own_key(self, conn: sa.Connection, name: str, access_key_id: str) -> AccessKey:
        user = self._existing(conn, name)
        key = store.access_key(conn, access_key_id)
        if key is None or key.user_id != user.id:
            raise errors.no_such_access_key(access_key_id)
        return key

    def update_access_key(self, name: str, access_key_id: str, status: str) -> None:
        if status not in KEY_STATUSES:
            raise errors.validation_error(
                f"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: "
                "Member must satisfy enum value set: [Active, Inactive]"
            )
        with self.core.writing() as conn:
            key = self._own_key(conn, name, access_key_id)
            store.set_access_key_status(conn, key.access_key_id, status)

    def delete_access_key(self, name: str, access_key_id: str) -> None:
        with self.core.writing() as conn:
            key = self._own_key(conn, name, access_key_id)
            store.delete_access_key(conn, key.access_key_id)
