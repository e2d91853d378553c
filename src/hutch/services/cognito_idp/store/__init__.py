"""The only code that reads or writes the user-pool service's tables.

Functions take an open connection, so an operation composes several of them in one transaction
(``hutch.store.engine.write`` / ``read``).
"""

from hutch.services.cognito_idp.store import groups, outbox, pools, sessions, users

__all__ = ["groups", "outbox", "pools", "sessions", "users"]
