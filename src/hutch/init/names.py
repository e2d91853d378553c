"""What `hutch init` calls things, so that a second run finds what the first one made.

Cognito user-pool and identity-pool names are not unique, so those are recognised by a tag as well as their
name; IAM role names and bucket names are unique, so the name is enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAG_KEY = "hutch:app"
APP_CLIENT_SUFFIX = "-web"
ROLE_POLICY_NAME = "hutch-storage"
CORS_RULE_ID = "hutch-init"

# The app name appears in pool, client and role names (IAM: [\w+=,.@-], at most 64 characters with the
# "hutch-" prefix and "-unauthenticated" suffix) and as a folder in object keys, so it is kept to a set of
# characters that is valid in all of them.
_APP_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


class InvalidName(ValueError):
    pass


def check_app(app: str) -> str:
    if not _APP_RE.match(app):
        raise InvalidName(
            f"app name {app!r} must be 1-40 characters: letters, digits, '_', '.', '-', starting with a"
            " letter or digit"
        )
    return app


@dataclass(frozen=True)
class Names:
    app: str

    @property
    def user_pool(self) -> str:
        return self.app

    @property
    def app_client(self) -> str:
        return self.app + APP_CLIENT_SUFFIX

    @property
    def identity_pool(self) -> str:
        # Identity pool names are [\w\s+=,.@-] by the API model, but the console and older SDKs accept only
        # [\w ]; the conservative form works with both.
        return re.sub(r"[^A-Za-z0-9_ ]", "_", self.app)

    def role(self, kind: str) -> str:
        """``kind`` is "authenticated" or "unauthenticated" (the keys of SetIdentityPoolRoles)."""
        return f"hutch-{self.app}-{kind}"

    @property
    def tags(self) -> dict[str, str]:
        return {TAG_KEY: self.app}

    def is_tagged(self, tags: dict[str, str] | None) -> bool:
        return (tags or {}).get(TAG_KEY) == self.app
