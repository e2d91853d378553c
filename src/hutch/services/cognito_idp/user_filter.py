"""ListUsers ``Filter``: ``AttributeName Filter-Type "AttributeValue"``.

Filter-Type is ``=`` (exact) or ``^=`` (starts with); quotes inside the value are escaped with a backslash.
Only the attributes Cognito documents as searchable are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hutch.services.cognito_idp.faults import invalid_parameter
from hutch.services.cognito_idp.model import User, UserPool
from hutch.services.cognito_idp.store.users import UserQuery

SEARCHABLE_ATTRIBUTES = (
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
)
_COLUMNS = {"username": "username_key", "cognito:user_status": "status", "status": "enabled", "sub": "sub"}

_FILTER = re.compile(r'^\s*"?(?P<name>[\w:]+)"?\s*(?P<op>\^?=)\s*"(?P<value>(?:[^"\\]|\\.)*)"\s*$')


@dataclass(frozen=True)
class UserFilter:
    name: str
    value: str
    prefix: bool

    def query(self, pool: UserPool) -> UserQuery:
        if self.name == "username":
            return UserQuery(None, "username_key", pool.key(self.value), self.prefix)
        if self.name == "status":
            wanted = self.value.lower()
            if self.prefix or wanted not in ("enabled", "disabled"):
                raise invalid_parameter('status can only be "Enabled" or "Disabled".')
            return UserQuery(None, "enabled", wanted, False)
        if self.name in _COLUMNS:
            return UserQuery(None, _COLUMNS[self.name], self.value, self.prefix)
        return UserQuery(self.name, None, self.value, self.prefix)

    def matches(self, pool: UserPool, user: User) -> bool:
        """The exact check after the indexed lookup (which compares case-folded prefixes)."""
        if self.name in _COLUMNS:
            return True
        actual = user.attributes.get(self.name)
        if actual is None:
            return False
        wanted = self.value
        if not pool.case_sensitive or self.name == "email":
            actual, wanted = actual.lower(), wanted.lower()
        return actual.startswith(wanted) if self.prefix else actual == wanted


def parse(text: str | None) -> UserFilter | None:
    if text is None or not text.strip():
        return None
    match = _FILTER.match(text)
    if match is None:
        raise invalid_parameter("Error while parsing filter.")
    name = match.group("name")
    if name not in _COLUMNS and name not in SEARCHABLE_ATTRIBUTES:
        raise invalid_parameter(f"Invalid search attribute: {name}")
    value = re.sub(r"\\(.)", r"\1", match.group("value"))
    return UserFilter(name, value, match.group("op") == "^=")
