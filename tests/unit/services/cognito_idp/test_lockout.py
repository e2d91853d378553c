"""Failed sign-in backoff as Cognito documents it: 5 free failures, then 2^(n-5) s, capped near 15 min."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hutch.services.cognito_idp.lockout import MAX_LOCKOUT, LockoutState, lockout_for

T0 = datetime(2026, 11, 3, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(1, 0), (4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (14, 512), (15, 900), (40, 900), (10**6, 900)],
)
def test_lockout_is_two_to_the_failures_minus_five_seconds_capped(failures: int, seconds: int) -> None:
    assert lockout_for(failures) == timedelta(seconds=seconds)


def test_first_four_failures_do_not_lock() -> None:
    state = LockoutState()
    for i in range(4):
        state = state.after_failure(T0 + timedelta(seconds=i))
        assert not state.locked(T0 + timedelta(seconds=i))
    assert state.failed_attempts == 4


def test_fifth_failure_locks_for_one_second() -> None:
    state = LockoutState()
    for _ in range(5):
        state = state.after_failure(T0)
    assert state.locked(T0 + timedelta(milliseconds=999))
    assert not state.locked(T0 + timedelta(seconds=1))


def test_each_further_failure_doubles_the_lockout() -> None:
    state = LockoutState()
    for _ in range(5):
        state = state.after_failure(T0)
    later = T0 + timedelta(seconds=1)
    state = state.after_failure(later)
    assert state.locked_until == later + timedelta(seconds=2)


def test_quiet_quarter_hour_forgets_the_failures() -> None:
    state = LockoutState()
    for _ in range(7):
        state = state.after_failure(T0)
    assert state.current(T0 + timedelta(minutes=14)).failed_attempts == 7
    assert state.current(T0 + timedelta(minutes=15)).is_clean


def test_state_is_kept_while_the_lock_lasts_even_after_a_quarter_hour() -> None:
    state = LockoutState(
        failed_attempts=30, last_failure=T0, locked_until=T0 + MAX_LOCKOUT + timedelta(minutes=1)
    )
    assert state.current(T0 + MAX_LOCKOUT).failed_attempts == 30
