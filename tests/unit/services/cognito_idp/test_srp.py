"""Server-side Cognito SRP: bit-compatibility with the clients and refusal of everything else."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, G_HEX, N_HEX, hex_hash

from hutch.services.cognito_idp import srp
from hutch.services.cognito_idp.passwords import make_verifier
from hutch.services.cognito_idp.srp import (
    GROUP_G,
    GROUP_N,
    MULTIPLIER_K,
    ClaimVerdict,
    ServerSession,
    SrpError,
    format_timestamp,
    pad_hex,
    parse_timestamp,
    pool_name_of,
)

from .pycognito_transport import SrpTransport, pycognito_sign_in
from .srp_client import K, N, SrpClient, cognito_timestamp, signed_bytes, verifier_for

POOL_ID = "eu-west-1_Zq8pLm4Xw"
POOL_NAME = "Zq8pLm4Xw"
PASSWORD = "correct horse Battery 9!"
NOW = datetime(2026, 11, 3, 9, 5, 7, tzinfo=UTC)  # a Tuesday, single-digit day


@pytest.fixture(scope="module")
def alice() -> tuple[str, str]:
    """(salt_hex, verifier_hex) of user "alice"."""
    return make_verifier(POOL_NAME, "alice", PASSWORD)


def start(
    credentials: tuple[str, str],
    client: SrpClient,
    user_id: str = "alice",
    lifetime: timedelta = srp.DEFAULT_SESSION_LIFETIME,
) -> ServerSession:
    salt_hex, verifier_hex = credentials
    return ServerSession.start(
        POOL_NAME, user_id, salt_hex, verifier_hex, client.srp_a_hex, now=NOW, lifetime=lifetime
    )


def check(session: ServerSession, answer: dict[str, str], now: datetime = NOW) -> ClaimVerdict:
    return session.check_claim(
        answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
        now=now,
    )


# --- the group and the encodings -------------------------------------------------------------------------


def test_group_constants_are_the_ones_the_clients_hard_code() -> None:
    assert GROUP_N == int(N_HEX, 16) == N
    assert int(G_HEX, 16) == GROUP_G == 2
    assert MULTIPLIER_K == int(hex_hash("00" + N_HEX + "0" + G_HEX), 16) == K


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "00"),
        (1, "01"),
        (0x14, "14"),
        (0x7F, "7f"),
        (0x80, "0080"),
        (0xEC, "00ec"),
        (0xABC, "0abc"),
        (0x8ABC, "008abc"),
        (0x7ABC, "7abc"),
    ],
)
def test_pad_hex_is_minimal_twos_complement(value: int, expected: str) -> None:
    assert pad_hex(value) == expected == signed_bytes(value).hex()


def test_pad_hex_of_the_modulus_gets_a_sign_byte() -> None:
    assert pad_hex(GROUP_N) == "00" + N_HEX.lower()


def test_pool_name_is_the_part_after_the_underscore() -> None:
    assert pool_name_of(POOL_ID) == POOL_NAME


@pytest.mark.parametrize("pool_id", ["nounderscore", "eu-west-1_", ""])
def test_pool_id_without_a_name_is_refused(pool_id: str) -> None:
    with pytest.raises(SrpError):
        pool_name_of(pool_id)


# --- pycognito, the oracle client ------------------------------------------------------------------------


def test_pycognito_signs_in_with_the_right_password(alice: tuple[str, str]) -> None:
    transport = SrpTransport(POOL_ID, "alice", *alice)
    result = pycognito_sign_in(transport, POOL_ID, "alice", PASSWORD)
    assert transport.verdict is ClaimVerdict.ACCEPTED
    assert "AuthenticationResult" in result


@pytest.mark.parametrize(
    "password", ["correct horse Battery 9", "Correct horse Battery 9!", "", PASSWORD + " "]
)
def test_pycognito_with_a_wrong_password_is_refused(alice: tuple[str, str], password: str) -> None:
    transport = SrpTransport(POOL_ID, "alice", *alice)
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        pycognito_sign_in(transport, POOL_ID, "alice", password)
    assert transport.verdict is ClaimVerdict.SIGNATURE_MISMATCH


def test_pycognito_proves_the_password_for_user_id_for_srp_not_the_typed_name() -> None:
    # Pools with email as username: the user types the email, the verifier belongs to the internal name.
    sub = "3f1c9a52-7d0e-4b8a-9a51-0c6f2e7d8b14"
    salt_hex, verifier_hex = make_verifier(POOL_NAME, sub, PASSWORD)
    transport = SrpTransport(POOL_ID, sub, salt_hex, verifier_hex, username=sub)
    pycognito_sign_in(transport, POOL_ID, "alice@example.com", PASSWORD)
    assert transport.verdict is ClaimVerdict.ACCEPTED


def test_a_claim_computed_for_another_user_id_is_refused(alice: tuple[str, str]) -> None:
    # mallory has the same password; the session is alice's, but the client is told to prove it as mallory.
    transport = SrpTransport(POOL_ID, "alice", *alice, announced_user_id="mallory")
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        pycognito_sign_in(transport, POOL_ID, "alice", PASSWORD)
    assert transport.verdict is ClaimVerdict.SIGNATURE_MISMATCH


def test_a_verifier_for_another_pool_does_not_sign_in() -> None:
    salt_hex, verifier_hex = make_verifier("OtherPool1", "alice", PASSWORD)
    transport = SrpTransport(POOL_ID, "alice", salt_hex, verifier_hex)
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        pycognito_sign_in(transport, POOL_ID, "alice", PASSWORD)


def _premaster(session: ServerSession) -> int:
    """S as the server computes it, recomputed here from the stored state (for picking encodings)."""
    state = session.to_state()
    u = int(hex_hash(pad_hex(session.srp_a) + pad_hex(session.srp_b)), 16)
    base = session.srp_a * pow(session.verifier, u, N) % N
    return pow(base, int(state["secret_b"], 16), N)


# Each case picks a session whose numbers hit one branch of the padding rules; 2000 tries make a miss
# practically impossible (each case has probability >= 1/16 per try).
ENCODING_CASES: dict[str, Callable[[ServerSession], bool]] = {
    "B with its high bit set (00 prefix)": lambda s: s.srp_b >> (3072 - 1) == 1,
    "B with a leading zero nibble (odd hex)": lambda s: s.srp_b.bit_length() <= 3068,
    "u with a leading zero nibble": lambda s: (
        int(hex_hash(pad_hex(s.srp_a) + pad_hex(s.srp_b)), 16) < 1 << 252
    ),
    "u with its high bit set": lambda s: int(hex_hash(pad_hex(s.srp_a) + pad_hex(s.srp_b)), 16) >= 1 << 255,
    "S with a leading zero nibble": lambda s: _premaster(s).bit_length() <= 3068,
    "S with its high bit set": lambda s: _premaster(s) >> (3072 - 1) == 1,
}


@pytest.mark.parametrize("case", list(ENCODING_CASES))
def test_pycognito_agrees_on_every_padding_branch(alice: tuple[str, str], case: str) -> None:
    wanted = ENCODING_CASES[case]

    def pick(srp_a: str) -> ServerSession:
        for _ in range(2000):
            session = ServerSession.start(POOL_NAME, "alice", *alice, srp_a)
            if wanted(session):
                return session
        raise AssertionError(f"no session with {case}")

    transport = SrpTransport(POOL_ID, "alice", *alice, starter=pick)
    pycognito_sign_in(transport, POOL_ID, "alice", PASSWORD)
    assert transport.verdict is ClaimVerdict.ACCEPTED


@pytest.mark.parametrize(
    "salt",
    [
        0x80 << 120 | 0x1234,  # high bit set: clients hash it with a 00 byte in front
        0x0ABC << 112 | 0x77,  # 31 hex digits: clients hash it with a 0 nibble in front
        0x42,  # a short salt
    ],
)
def test_salts_needing_padding_verify_with_pycognito_and_the_independent_client(salt: int) -> None:
    verifier_hex = format(verifier_for(POOL_NAME, "alice", PASSWORD, salt), "x")
    salt_hex = format(salt, "x")
    transport = SrpTransport(POOL_ID, "alice", salt_hex, verifier_hex)
    pycognito_sign_in(transport, POOL_ID, "alice", PASSWORD)
    assert transport.verdict is ClaimVerdict.ACCEPTED

    client = SrpClient(POOL_ID, PASSWORD)
    session = ServerSession.start(POOL_NAME, "alice", salt_hex, verifier_hex, client.srp_a_hex, now=NOW)
    assert int(session.challenge_parameters()["SALT"], 16) == salt
    assert check(
        session, client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    ) is (ClaimVerdict.ACCEPTED)


def test_pycognito_and_the_independent_client_sign_identically(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    challenge = session.challenge_parameters() | {"USERNAME": "alice"}
    timestamp = cognito_timestamp(NOW)

    oracle = AWSSRP("alice", PASSWORD, POOL_ID, "client", client=object())
    oracle.small_a_value = client.a
    oracle.large_a_value = client.big_a
    oracle.get_cognito_formatted_timestamp = lambda _moment: timestamp  # pin pycognito's clock
    theirs = oracle.process_challenge(challenge, {"USERNAME": "alice"})
    ours = client.answer(challenge, timestamp=timestamp)

    assert theirs["PASSWORD_CLAIM_SIGNATURE"] == ours["PASSWORD_CLAIM_SIGNATURE"]
    assert check(session, ours) is ClaimVerdict.ACCEPTED


def test_pure_python_arithmetic_gives_the_same_answers(
    alice: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(srp, "_GMPY2", None)
    transport = SrpTransport(POOL_ID, "alice", *alice)
    pycognito_sign_in(transport, POOL_ID, "alice", PASSWORD)
    assert transport.verdict is ClaimVerdict.ACCEPTED
    with pytest.raises(ClientError):
        pycognito_sign_in(SrpTransport(POOL_ID, "alice", *alice), POOL_ID, "alice", "wrong")


def test_gmp_and_python_exponentiation_agree() -> None:
    if srp._GMPY2 is None:
        pytest.skip("gmpy2 is not installed")
    base, exponent = 0x1234567**40 % GROUP_N, (1 << 256) | 0xDEADBEEF
    assert srp.pow_secret_exponent(base, exponent) == pow(base, exponent, GROUP_N)


# --- SRP_A and the stored values ------------------------------------------------------------------------


@pytest.mark.parametrize("srp_a", ["0", "00", format(GROUP_N, "x"), format(2 * GROUP_N, "x")])
def test_srp_a_that_is_zero_mod_n_is_refused(alice: tuple[str, str], srp_a: str) -> None:
    with pytest.raises(SrpError, match="SRP_A"):
        ServerSession.start(POOL_NAME, "alice", *alice, srp_a)


@pytest.mark.parametrize(
    "srp_a",
    [
        "",
        "xyz",
        "-1f",
        "0x1f",
        " 1f",
        "1f\n",
        "1_f",
        "\uff11\uff12",  # full-width digits, which int() would accept
        "1" * 2000,
        format(GROUP_N + 1, "x"),
    ],
)
def test_malformed_or_out_of_range_srp_a_is_refused(alice: tuple[str, str], srp_a: str) -> None:
    with pytest.raises(SrpError, match="SRP_A"):
        ServerSession.start(POOL_NAME, "alice", *alice, srp_a)


@pytest.mark.parametrize(
    ("salt_hex", "verifier_hex", "field"),
    [
        ("zz", "abcd", "salt"),
        ("ab", "0", "verifier"),
        ("ab", "1", "verifier"),
        ("ab", format(GROUP_N, "x"), "verifier"),
        ("ab", "not hex", "verifier"),
    ],
)
def test_damaged_salt_or_verifier_is_refused(salt_hex: str, verifier_hex: str, field: str) -> None:
    with pytest.raises(SrpError, match=field):
        ServerSession.start(
            POOL_NAME, "alice", salt_hex, verifier_hex, SrpClient(POOL_ID, PASSWORD).srp_a_hex
        )


def test_server_value_b_is_k_v_plus_g_to_the_secret(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    first, second = start(alice, client), start(alice, client)
    secret_b = int(first.to_state()["secret_b"], 16)
    assert secret_b.bit_length() == srp.EPHEMERAL_SECRET_BITS + 1
    assert first.srp_b == (K * int(alice[1], 16) + pow(2, secret_b, N)) % N
    assert int(first.challenge_parameters()["SRP_B"], 16) == first.srp_b
    assert first.srp_b != second.srp_b
    assert format(secret_b, "x") not in repr(first)


def test_challenge_parameters_are_what_the_clients_read(alice: tuple[str, str]) -> None:
    session = start(alice, SrpClient(POOL_ID, PASSWORD))
    challenge = session.challenge_parameters()
    assert set(challenge) == {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"}
    assert challenge["SALT"] == pad_hex(int(alice[0], 16))
    assert challenge["USER_ID_FOR_SRP"] == "alice"
    assert base64.b64decode(challenge["SECRET_BLOCK"], validate=True) == session.secret_block
    # Alphanumeric base64 reads the same to standard and base64url decoders.
    assert challenge["SECRET_BLOCK"].isalnum()


# --- the answer ------------------------------------------------------------------------------------------


def test_independent_client_is_accepted_at_the_edge_of_the_clock_window(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    for skew in (timedelta(0), timedelta(minutes=-4, seconds=-59), timedelta(minutes=4, seconds=59)):
        session = start(alice, client)
        answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW + skew))
        assert session.verify_claim(
            answer["PASSWORD_CLAIM_SECRET_BLOCK"],
            answer["TIMESTAMP"],
            answer["PASSWORD_CLAIM_SIGNATURE"],
            now=NOW,
        )


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6), timedelta(days=-1)])
def test_stale_or_future_timestamp_is_refused(alice: tuple[str, str], skew: timedelta) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW + skew))
    assert check(session, answer) is ClaimVerdict.TIMESTAMP_OUT_OF_WINDOW


@pytest.mark.parametrize(
    "timestamp",
    [
        "Tue Nov 03 09:05:07 UTC 2026",  # zero-padded day: AWS refuses it too
        "Wed Nov 3 09:05:07 UTC 2026",  # wrong weekday
    ],
)
def test_parseable_but_non_canonical_timestamp_is_refused(alice: tuple[str, str], timestamp: str) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    verdict = check(session, client.answer(session.challenge_parameters(), timestamp=timestamp))
    assert verdict is ClaimVerdict.TIMESTAMP_NOT_CANONICAL
    assert not verdict.is_invalid_parameter


@pytest.mark.parametrize(
    "timestamp",
    [
        "2026-11-03T09:05:07Z",
        "Tue Nov 3 9:05:07 UTC 2026",
        "Tue Nov 3 09:05:07 GMT 2026",
        "Tue Nov 31 09:05:07 UTC 2026",
        "Tue Nov 3 09:05:07 UTC 2026 ",
        "",
    ],
)
def test_malformed_timestamp_is_an_invalid_parameter(alice: tuple[str, str], timestamp: str) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    verdict = check(session, client.answer(session.challenge_parameters(), timestamp=timestamp))
    assert verdict is ClaimVerdict.TIMESTAMP_MALFORMED
    assert verdict.is_invalid_parameter


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (NOW, "Tue Nov 3 09:05:07 UTC 2026"),
        (datetime(2026, 12, 25, 23, 59, 59, tzinfo=UTC), "Fri Dec 25 23:59:59 UTC 2026"),
        (datetime(2027, 1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=2))), "Thu Dec 31 23:00:00 UTC 2026"),
    ],
)
def test_timestamps_are_formatted_and_parsed_as_the_clients_write_them(moment: datetime, text: str) -> None:
    assert format_timestamp(moment) == text == cognito_timestamp(moment)
    assert parse_timestamp(text) == moment


def test_tampered_secret_block_is_refused(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    block = bytearray(session.secret_block)
    block[7] ^= 0x01
    forged = base64.b64encode(bytes(block)).decode()
    answer = client.answer(
        session.challenge_parameters(), timestamp=cognito_timestamp(NOW), secret_block_b64=forged
    )
    assert check(session, answer) is ClaimVerdict.SECRET_BLOCK_MISMATCH


def test_secret_block_of_another_session_is_refused(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session, other = start(alice, client), start(alice, client)
    answer = client.answer(
        session.challenge_parameters(),
        timestamp=cognito_timestamp(NOW),
        secret_block_b64=other.secret_block_b64,
    )
    assert check(session, answer) is ClaimVerdict.SECRET_BLOCK_MISMATCH


def test_secret_block_that_is_not_base64_is_refused(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    answer["PASSWORD_CLAIM_SECRET_BLOCK"] = "%%%"
    assert check(session, answer) is ClaimVerdict.SECRET_BLOCK_MISMATCH


@pytest.mark.parametrize("signature", ["not base64!", base64.b64encode(b"\x00" * 31).decode(), ""])
def test_malformed_signature_is_refused(alice: tuple[str, str], signature: str) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    answer["PASSWORD_CLAIM_SIGNATURE"] = signature
    assert check(session, answer) is ClaimVerdict.SIGNATURE_MALFORMED


def test_signature_over_a_different_user_id_is_refused(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW), user_id="Alice")
    assert check(session, answer) is ClaimVerdict.SIGNATURE_MISMATCH


def test_a_session_answers_once(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    assert check(session, answer) is ClaimVerdict.ACCEPTED
    assert check(session, answer) is ClaimVerdict.REPLAYED
    assert check(ServerSession.from_state(session.to_state()), answer) is ClaimVerdict.REPLAYED


def test_a_wrong_answer_uses_up_the_session(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    good = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    wrong = SrpClient(POOL_ID, "guess", a=client.a).answer(
        session.challenge_parameters(), timestamp=good["TIMESTAMP"]
    )
    assert check(session, wrong) is ClaimVerdict.SIGNATURE_MISMATCH
    assert check(session, good) is ClaimVerdict.REPLAYED


def test_an_expired_session_is_refused(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client, lifetime=timedelta(minutes=3))
    later = NOW + timedelta(minutes=3, seconds=1)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(later))
    assert check(session, answer, now=later) is ClaimVerdict.SESSION_EXPIRED


def test_times_must_be_timezone_aware(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    with pytest.raises(ValueError, match="timezone"):
        check(session, answer, now=NOW.replace(tzinfo=None))


# --- between the two requests ----------------------------------------------------------------------------


def test_state_survives_json_and_still_verifies(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session = start(alice, client)
    restored = ServerSession.from_state(json.loads(json.dumps(session.to_state())))
    assert restored.session_id == session.session_id
    assert restored.challenge_parameters() == session.challenge_parameters()
    answer = client.answer(session.challenge_parameters(), timestamp=cognito_timestamp(NOW))
    assert check(restored, answer) is ClaimVerdict.ACCEPTED


def test_session_id_is_found_from_the_secret_block_the_client_returns(alice: tuple[str, str]) -> None:
    client = SrpClient(POOL_ID, PASSWORD)
    session, other = start(alice, client), start(alice, client)
    assert ServerSession.session_id_for(session.challenge_parameters()["SECRET_BLOCK"]) == session.session_id
    assert session.session_id != other.session_id
    with pytest.raises(SrpError):
        ServerSession.session_id_for("not base64!")


def _damaged(state: dict[str, object], **changes: object) -> dict[str, object]:
    damaged = dict(state)
    for key, value in changes.items():
        if value is None:
            del damaged[key]
        else:
            damaged[key] = value
    return damaged


@pytest.mark.parametrize(
    "changes",
    [
        {"version": 2},
        {"srp_a": None},
        {"srp_a": "0"},
        {"srp_b": format(GROUP_N, "x")},
        {"secret_b": "ff"},
        {"verifier": "1"},
        {"secret_block": "!!"},
        {"secret_block": ""},
        {"issued_at": "yesterday"},
        {"expires_at": "2026-11-03T09:08:07"},  # naive
        {"answered": "no"},
        {"user_id_for_srp": 7},
    ],
)
def test_damaged_state_is_refused(alice: tuple[str, str], changes: dict[str, object]) -> None:
    state = start(alice, SrpClient(POOL_ID, PASSWORD)).to_state()
    with pytest.raises(SrpError):
        ServerSession.from_state(_damaged(state, **changes))
