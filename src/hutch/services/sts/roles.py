"""Roles by ARN for every assumption, remembered until IAM changes.

Each AssumeRole / AssumeRoleWithWebIdentity / GetCredentialsForIdentity needs the role (its id, trust policy,
maximum session duration). IAM's ``generation`` moves after every IAM write has committed, so an entry read in
one generation is exactly what the database held then, and an entry of an older generation is never used: an
updated trust policy, a deleted role or a new MaxSessionDuration is in force for the very next request. (One
process, as IAM's own caches; the trust policy itself is compiled once per distinct text by the engine.)
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hutch.runtime import Runtime
    from hutch.services.iam.model import Role

MAX_CACHED = 10_000


class RoleCache:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, Role | None]] = {}

    def find(self, arn: str) -> Role | None:
        """The role ``arn`` names, or None (a missing role is remembered too, until IAM changes)."""
        iam: Any = self.rt.services["iam"]
        generation: int = iam.generation
        entry = self._entries.get(arn)
        if entry is not None and entry[0] == generation:
            return entry[1]
        # Read after taking the generation: a write committing meanwhile moves it, retiring this entry.
        role: Role | None = iam.role_by_arn(arn)
        with self._lock:
            if len(self._entries) >= MAX_CACHED:
                self._entries.clear()
            self._entries[arn] = (generation, role)
        return role
