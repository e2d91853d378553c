"""Records for names with no account: the same lockout and code rules as users, bounded, name-free."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.decoys import DecoyRecords
from hutch.services.cognito_idp.model import UserPool
from hutch.services.cognito_idp.service import CognitoIdpService
from tests.unit.services.cognito_idp.conftest import Clock, Invoke
from tests.unit.services.cognito_idp.test_signin import password_sign_in

T0 = datetime(2026, 11, 3, 9, 0, 0, tzinfo=UTC)


def _pool(pool_id: str = "us-east-1_Decoys", *, case_sensitive: bool = True) -> UserPool:
    return UserPool(
        id=pool_id,
        name="p",
        created=T0,
        modified=T0,
        settings={"UsernameConfiguration": {"CaseSensitive": case_sensitive}},
        decoy_secret=b"s" * 32,
    )


def test_five_failures_lock_a_name_with_the_users_backoff() -> None:
    decoys, pool = DecoyRecords(), _pool()
    for _ in range(4):
        decoys.record_failure(pool, "ghost", T0)
    assert not decoys.locked(pool, "ghost", T0)
    decoys.record_failure(pool, "ghost", T0)
    assert decoys.locked(pool, "ghost", T0 + timedelta(milliseconds=999))
    assert not decoys.locked(pool, "ghost", T0 + timedelta(seconds=1))
    assert not decoys.locked(pool, "other", T0)
    assert not decoys.locked(_pool("us-east-1_Other"), "ghost", T0)


def test_names_compare_as_the_pool_compares_usernames() -> None:
    decoys, loose = DecoyRecords(), _pool(case_sensitive=False)
    for _ in range(5):
        decoys.record_failure(loose, "Ghost", T0)
    assert decoys.locked(loose, "gHOST", T0)
    strict = _pool("us-east-1_Strict")
    for _ in range(5):
        decoys.record_failure(strict, "Ghost", T0)
    assert not decoys.locked(strict, "ghost", T0)


def test_codes_answer_like_a_users_wrong_code() -> None:
    decoys, pool = DecoyRecords(), _pool()
    assert decoys.redeem_code(pool, "ghost", "forgot_password", T0).code == "ExpiredCodeException"
    decoys.issue_code(pool, "ghost", "forgot_password", T0)
    answers = [decoys.redeem_code(pool, "ghost", "forgot_password", T0).code for _ in range(6)]
    assert answers == ["CodeMismatchException"] * 5 + ["LimitExceededException"]
    decoys.issue_code(pool, "ghost", "forgot_password", T0)  # a new code: the tries start again
    assert decoys.redeem_code(pool, "ghost", "forgot_password", T0).code == "CodeMismatchException"
    later = T0 + timedelta(hours=1)  # reset codes live an hour
    assert decoys.redeem_code(pool, "ghost", "forgot_password", later).code == "ExpiredCodeException"
    assert decoys.redeem_code(pool, "ghost", "forgot_password", later).code == "ExpiredCodeException"


def test_a_code_assumed_issued_counts_its_tries() -> None:
    decoys, pool = DecoyRecords(), _pool()
    answers = [decoys.redeem_code(pool, "ghost", "signup", T0, assume_issued=True).code for _ in range(6)]
    assert answers == ["CodeMismatchException"] * 5 + ["LimitExceededException"]


def test_the_table_is_bounded_and_forgets_the_least_recently_used() -> None:
    decoys, pool = DecoyRecords(capacity=3), _pool()
    for name in ("a", "b", "c"):
        for _ in range(5):
            decoys.record_failure(pool, name, T0)
    assert decoys.locked(pool, "a", T0)
    decoys.record_failure(pool, "a", T0)  # "a" is now the most recently used
    decoys.record_failure(pool, "d", T0)
    assert len(decoys) == 3
    assert not decoys.locked(pool, "b", T0)  # "b" went first
    assert decoys.locked(pool, "a", T0) and decoys.locked(pool, "c", T0)


def test_prune_keeps_only_records_that_still_change_an_answer() -> None:
    decoys, pool = DecoyRecords(), _pool()
    decoys.record_failure(pool, "failed", T0)
    decoys.issue_code(pool, "coded", "forgot_password", T0)
    assert decoys.prune(T0 + timedelta(minutes=1)) == 0
    assert decoys.prune(T0 + timedelta(minutes=15)) == 1  # a quiet quarter hour forgets failures
    assert len(decoys) == 1
    assert decoys.prune(T0 + timedelta(hours=1)) == 1  # and the code has expired
    assert len(decoys) == 0


def test_records_hold_no_names() -> None:
    decoys, pool = DecoyRecords(), _pool()
    decoys.record_failure(pool, "someone@example.com", T0)
    assert "someone" not in repr(decoys._records)


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="capacity"):
        DecoyRecords(capacity=0)


def test_housekeeping_prunes_the_services_decoys(
    public: Invoke, svc: CognitoIdpService, clock: Clock, app: dict[str, Any]
) -> None:
    with pytest.raises(ServiceError, match="Incorrect"):
        password_sign_in(public, app, "ghost-for-housekeeping", "Wrong-pass1!")
    assert len(svc.decoys) == 1
    svc.housekeeping()
    assert len(svc.decoys) == 1
    clock.advance(minutes=16)
    svc.housekeeping()
    assert len(svc.decoys) == 0
