"""Failed sign-in backoff, as Cognito documents it ("Lockout behavior for failed sign-in attempts").

After five failed password attempts the user is locked out for one second, and the lockout doubles with
each further failure (2^(n-5) seconds for n failures) up to about 15 minutes. Attempts during a lockout
fail with "Password attempts exceeded" and do not count. The count returns to zero after a successful
sign-in, or after 15 minutes without any attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_ATTEMPTS = 5
MAX_LOCKOUT = timedelta(minutes=15)
QUIET_RESET = timedelta(minutes=15)


@dataclass(frozen=True)
class LockoutState:
    failed_attempts: int = 0
    last_failure: datetime | None = None
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def current(self, now: datetime) -> LockoutState:
        """The state as of ``now``: forgotten after a quiet quarter hour."""
        if self.last_failure is not None and now - self.last_failure >= QUIET_RESET and not self.locked(now):
            return LockoutState()
        return self

    def after_failure(self, now: datetime) -> LockoutState:
        state = self.current(now)
        failures = state.failed_attempts + 1
        locked_until = None
        if failures >= FREE_ATTEMPTS:
            locked_until = now + lockout_for(failures)
        return LockoutState(failures, now, locked_until)

    @property
    def is_clean(self) -> bool:
        return self.failed_attempts == 0 and self.locked_until is None


def lockout_for(failures: int) -> timedelta:
    """How long ``failures`` failed attempts lock the user out (zero below the free attempts)."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    exponent = failures - FREE_ATTEMPTS
    # 2^10 s already exceeds the cap; avoid building huge numbers for very long attack runs.
    if exponent >= 10:
        return MAX_LOCKOUT
    return min(timedelta(seconds=2**exponent), MAX_LOCKOUT)
