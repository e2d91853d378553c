"""What a name with no account remembers, so that PreventUserExistenceErrors holds past the first answer.

A real user's failed sign-ins lock them out (``lockout``) and their codes run out after a few wrong tries
(``codes``). If a name that matches no user did neither, a handful of requests would tell the two apart:
seven wrong passwords end in "Password attempts exceeded" only for accounts. So hutch keeps the same
records for such names (and for users an answer must not reveal, such as disabled ones), with the same
backoff and the same code rules, and answers from them exactly as it would for a user.

The records live in memory, bounded: a keyed hash of (pool, name) stands for the name, the least recently
used record goes first when the table is full, and housekeeping drops records that no longer change any
answer. Each server keeps its own; a real user's record is in the database.
"""

from __future__ import annotations

import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from hutch.errors import ServiceError
from hutch.services.cognito_idp.codes import CODE_LIFETIMES, MAX_CODE_ATTEMPTS
from hutch.services.cognito_idp.faults import code_mismatch, expired_code, limit_exceeded
from hutch.services.cognito_idp.lockout import LockoutState
from hutch.services.cognito_idp.model import UserPool

# ~200 bytes a record: a few megabytes at most, and far more names than a burst of probes can push out.
DEFAULT_CAPACITY = 50_000


@dataclass
class _Code:
    expires: datetime
    attempts: int = 0


@dataclass
class _Record:
    lockout: LockoutState = field(default_factory=LockoutState)
    codes: dict[str, _Code] = field(default_factory=dict)

    def matters(self, now: datetime) -> bool:
        """Whether this record still changes an answer (otherwise a fresh one would say the same)."""
        return not self.lockout.current(now).is_clean or any(now < c.expires for c in self.codes.values())


class DecoyRecords:
    """Sign-in failures and outstanding codes for names that answer as if they were users."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._records: OrderedDict[tuple[str, bytes], _Record] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._records)

    # --- sign-in lockout ----------------------------------------------------------------------------

    def locked(self, pool: UserPool, name: str, now: datetime) -> bool:
        with self._lock:
            record = self._records.get(_key(pool, name))
            return record is not None and record.lockout.current(now).locked(now)

    def record_failure(self, pool: UserPool, name: str, now: datetime) -> None:
        with self._lock:
            record = self._touch(_key(pool, name))
            record.lockout = record.lockout.after_failure(now)

    # --- codes ----------------------------------------------------------------------------------------

    def issue_code(self, pool: UserPool, name: str, purpose: str, now: datetime) -> None:
        """A code was "sent": like a real one it replaces the last and its wrong tries start from zero."""
        with self._lock:
            self._touch(_key(pool, name)).codes[purpose] = _Code(now + CODE_LIFETIMES[purpose])

    def redeem_code(
        self, pool: UserPool, name: str, purpose: str, now: datetime, *, assume_issued: bool = False
    ) -> ServiceError:
        """The error a real user would get for a wrong code (no code is ever right): ExpiredCodeException
        when none was asked for or it ran out, CodeMismatchException counting towards
        LimitExceededException. ``assume_issued``: the operation that made the user also sent a code
        (SignUp), so a name with no record answers as if one were outstanding."""
        with self._lock:
            key = _key(pool, name)
            record = self._records.get(key)
            code = record.codes.get(purpose) if record is not None else None
            if code is None and not assume_issued:
                return expired_code()
            record = self._touch(key)
            if code is None:
                code = record.codes[purpose] = _Code(now + CODE_LIFETIMES[purpose])
            if code.attempts >= MAX_CODE_ATTEMPTS:
                return limit_exceeded()
            if now >= code.expires:
                del record.codes[purpose]
                return expired_code()
            code.attempts += 1
            return code_mismatch()

    # --- housekeeping ---------------------------------------------------------------------------------

    def prune(self, now: datetime) -> int:
        """Forget records that no longer change any answer; returns how many."""
        with self._lock:
            stale = [key for key, record in self._records.items() if not record.matters(now)]
            for key in stale:
                del self._records[key]
            return len(stale)

    def _touch(self, key: tuple[str, bytes]) -> _Record:
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = _Record()
            while len(self._records) > self.capacity:
                self._records.popitem(last=False)
        else:
            self._records.move_to_end(key)
        return record


def _key(pool: UserPool, name: str) -> tuple[str, bytes]:
    # Keyed with the pool's decoy secret: the table never holds the names people typed.
    digest = hmac.digest(
        pool.decoy_secret,
        b"hutch decoy record\x00" + pool.key(name).encode("utf-8", "surrogatepass"),
        "sha256",
    )
    return pool.id, digest
