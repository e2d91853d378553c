"""Password verifiers: only salt + verifier are kept, and both sign-in flows check a password against them."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from hutch.services.cognito_idp.passwords import SALT_BYTES, decoy_verifier, make_verifier, verify_password
from hutch.services.cognito_idp.srp import GROUP_N, ClaimVerdict, SrpError, pad_hex

from .pycognito_transport import SrpTransport, pycognito_sign_in
from .srp_client import verifier_for

POOL_ID = "us-east-2_P4ssW0rds"
POOL_NAME = "P4ssW0rds"
PASSWORD = "Tr0ub4dor&3"
SERVER_SECRET = bytes(range(32))


def test_verifier_is_g_to_the_password_hash() -> None:
    salt_hex, verifier_hex = make_verifier(POOL_NAME, "bob", PASSWORD)
    assert int(verifier_hex, 16) == verifier_for(POOL_NAME, "bob", PASSWORD, int(salt_hex, 16))


def test_salt_and_verifier_are_stored_in_canonical_hex() -> None:
    salt_hex, verifier_hex = make_verifier(POOL_NAME, "bob", PASSWORD)
    assert salt_hex == pad_hex(int(salt_hex, 16))
    assert verifier_hex == pad_hex(int(verifier_hex, 16))
    assert len(salt_hex) <= 2 * SALT_BYTES + 2


def test_same_password_gets_a_different_salt_and_verifier_each_time() -> None:
    first, second = make_verifier(POOL_NAME, "bob", PASSWORD), make_verifier(POOL_NAME, "bob", PASSWORD)
    assert first[0] != second[0]
    assert first[1] != second[1]


def test_the_verifier_binds_the_pool_and_the_user() -> None:
    salt = 0x5EED5EED5EED5EED5EED5EED5EED5EED
    verifiers = {
        verifier_for(POOL_NAME, "bob", PASSWORD, salt),
        verifier_for(POOL_NAME, "bobby", PASSWORD, salt),
        verifier_for("OtherPool", "bob", PASSWORD, salt),
    }
    assert len(verifiers) == 3
    verifier_hex = format(verifier_for(POOL_NAME, "bob", PASSWORD, salt), "x")
    assert verify_password(POOL_NAME, "bob", PASSWORD, format(salt, "x"), verifier_hex)
    assert not verify_password(POOL_NAME, "bobby", PASSWORD, format(salt, "x"), verifier_hex)
    assert not verify_password("OtherPool", "bob", PASSWORD, format(salt, "x"), verifier_hex)


def test_verify_password_accepts_the_password_it_was_made_from() -> None:
    assert verify_password(POOL_NAME, "bob", PASSWORD, *make_verifier(POOL_NAME, "bob", PASSWORD))


@pytest.mark.parametrize("guess", ["tr0ub4dor&3", "Tr0ub4dor&", "Tr0ub4dor&3 ", "", "Tr0ub4dor&3\x00"])
def test_verify_password_refuses_any_other_password(guess: str) -> None:
    assert not verify_password(POOL_NAME, "bob", guess, *make_verifier(POOL_NAME, "bob", PASSWORD))


def test_non_ascii_password_signs_in_with_both_flows() -> None:
    password = "pässwörd ✓ 密码"
    credentials = make_verifier(POOL_NAME, "bob", password)
    assert verify_password(POOL_NAME, "bob", password, *credentials)
    transport = SrpTransport(POOL_ID, "bob", *credentials)
    pycognito_sign_in(transport, POOL_ID, "bob", password)
    assert transport.verdict is ClaimVerdict.ACCEPTED


def test_password_that_is_not_unicode_text_is_refused() -> None:
    with pytest.raises(SrpError, match="password"):
        make_verifier(POOL_NAME, "bob", "lone \ud800 surrogate")
    assert not verify_password(
        POOL_NAME, "bob", "lone \ud800 surrogate", *make_verifier(POOL_NAME, "bob", "x")
    )


@pytest.mark.parametrize(
    ("salt_hex", "verifier_hex"),
    [("not hex", "abcd"), ("ab", ""), ("ab", "1"), ("ab", format(GROUP_N, "x")), ("ab", "-5")],
)
def test_damaged_stored_values_are_a_server_error_not_a_wrong_password(
    salt_hex: str, verifier_hex: str
) -> None:
    with pytest.raises(SrpError):
        verify_password(POOL_NAME, "bob", PASSWORD, salt_hex, verifier_hex)


def test_decoy_is_stable_per_user_and_differs_between_users_pools_and_secrets() -> None:
    decoy = decoy_verifier(SERVER_SECRET, POOL_NAME, "ghost")
    assert decoy == decoy_verifier(SERVER_SECRET, POOL_NAME, "ghost")
    others = {
        decoy_verifier(SERVER_SECRET, POOL_NAME, "ghost2"),
        decoy_verifier(SERVER_SECRET, "OtherPool", "ghost"),
        decoy_verifier(bytes(32), POOL_NAME, "ghost"),
    }
    assert len({d[0] for d in others} | {decoy[0]}) == 4
    assert len({d[1] for d in others} | {decoy[1]}) == 4


def test_decoy_looks_like_a_real_credential() -> None:
    salt_hex, verifier_hex = decoy_verifier(SERVER_SECRET, POOL_NAME, "ghost")
    real_salt, _ = make_verifier(POOL_NAME, "bob", PASSWORD)
    assert salt_hex == pad_hex(int(salt_hex, 16))
    assert abs(len(salt_hex) - len(real_salt)) <= 2
    assert 1 < int(verifier_hex, 16) < GROUP_N


def test_no_password_signs_in_against_a_decoy() -> None:
    credentials = decoy_verifier(SERVER_SECRET, POOL_NAME, "ghost")
    assert not verify_password(POOL_NAME, "ghost", PASSWORD, *credentials)
    transport = SrpTransport(POOL_ID, "ghost", *credentials)
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        pycognito_sign_in(transport, POOL_ID, "ghost", PASSWORD)
    assert transport.verdict is ClaimVerdict.SIGNATURE_MISMATCH


def test_decoy_needs_a_real_server_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        decoy_verifier(b"short", POOL_NAME, "ghost")
