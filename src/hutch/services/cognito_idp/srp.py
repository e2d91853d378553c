"""Amazon Cognito's SRP-6a variant, server side: one USER_SRP_AUTH attempt from SRP_A to PASSWORD_VERIFIER.

Cognito's clients (pycognito, amazon-cognito-identity-js, Amplify v6) all compute the same thing, and the
server must agree with them bit for bit:

- group: the 3072-bit prime of RFC 3526/5054, g = 2, SHA-256;
- numbers are hashed in their "padded hex" form (``pad_hex``): even length, and a 00 byte in front when the
  high bit is set, i.e. the minimal two's-complement bytes of a positive integer — not RFC 5054's PAD();
- k = H(pad(N) | pad(g)),  x = H(pad(salt) | H(poolName | userIdForSrp | ":" | password)),
  u = H(pad(A) | pad(B)),  S = (A · v^u)^b mod N,
  key = HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key" 0x01)[:16];
- PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName | userIdForSrp | SECRET_BLOCK | TIMESTAMP)),
  TIMESTAMP like "Tue Nov 3 09:05:07 UTC 2026" (day not zero-padded).

``poolName`` is the part of the user pool id after "_". The handler keeps a ``ServerSession`` between
InitiateAuth and RespondToAuthChallenge as ``to_state()`` (it holds the ephemeral secret b, so store it like a
secret and delete it when the answer arrives: one attempt per session).
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import importlib
import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

from hutch.services.cognito_idp import modexp

# RFC 3526 / RFC 5054 3072-bit group, the one every Cognito client hard-codes.
GROUP_N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
GROUP_G = 2
GROUP_BYTES = (GROUP_N.bit_length() + 7) // 8

# The ephemeral secret b: 256 random bits is twice the group's 128-bit strength (NIST SP 800-56A for
# safe-prime groups), and every extra bit costs server time on every sign-in. The top bit is fixed so all
# exponents have one length; it adds no entropy and takes none away.
EPHEMERAL_SECRET_BITS = 256

DEFAULT_SESSION_LIFETIME = timedelta(minutes=3)  # Cognito's default AuthSessionValidity
DEFAULT_MAX_CLOCK_SKEW = timedelta(minutes=5)

_HKDF_INFO = b"Caldera Derived Key\x01"
_MAX_NUMBER_HEX_DIGITS = 1024  # a 3072-bit number is 768 digits; anything far longer is not a group element
_MAX_SALT_HEX_DIGITS = 256
_HEX_DIGITS = re.compile(r"[0-9a-fA-F]+")
_SECRET_BLOCK_CHARS = 64  # 48 bytes; see _new_secret_block
_STATE_VERSION = 1

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# AWS's own words when TIMESTAMP does not parse (it answers InvalidParameterException).
TIMESTAMP_FORMAT_MESSAGE = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
_TIMESTAMP = re.compile(
    rf"({'|'.join(_WEEKDAYS)}) ({'|'.join(_MONTHS)}) ([0-9]{{1,2}}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) UTC ([0-9]{4})"
)


class SrpError(ValueError):
    """Malformed or degenerate SRP input (SRP_A, salt, verifier, stored state).

    The handler answers InvalidParameterException for client input; the message names the field.
    """


class ClaimVerdict(enum.Enum):
    """Why a PASSWORD_VERIFIER answer was accepted or refused (for logs; never shown to the client).

    Every refusal is NotAuthorizedException "Incorrect username or password." except
    TIMESTAMP_MALFORMED, which AWS answers with InvalidParameterException and TIMESTAMP_FORMAT_MESSAGE.
    A parseable but non-canonical TIMESTAMP (zero-padded day, wrong weekday) is a plain refusal, as on AWS.
    """

    ACCEPTED = "accepted"
    REPLAYED = "session already answered"
    SESSION_EXPIRED = "session expired"
    SECRET_BLOCK_MISMATCH = "secret block does not belong to this session"  # noqa: S105 (a message)
    TIMESTAMP_MALFORMED = "timestamp does not parse"
    TIMESTAMP_NOT_CANONICAL = "timestamp is not in Cognito's canonical form"
    TIMESTAMP_OUT_OF_WINDOW = "timestamp too far from the server clock"
    SIGNATURE_MALFORMED = "signature is not base64 of 32 bytes"
    SIGNATURE_MISMATCH = "signature does not match (wrong password or user id)"

    @property
    def is_invalid_parameter(self) -> bool:
        return self is ClaimVerdict.TIMESTAMP_MALFORMED


# --- encodings and hashes, exactly as the clients do them ---------------------------------------------


def pool_name_of(user_pool_id: str) -> str:
    """The "pool name" the clients hash: the part of the pool id after "_" (they use split("_")[1])."""
    parts = user_pool_id.split("_")
    if len(parts) < 2 or not parts[1]:
        raise SrpError(f"user pool id {user_pool_id!r} has no '_<name>' part")
    return parts[1]


def pad_hex(value: int) -> str:
    """Cognito's hex form of a non-negative integer: even length, "00" in front when the high bit is set."""
    if value < 0:
        raise ValueError("pad_hex takes non-negative integers")
    text = f"{value:x}"
    if len(text) % 2:
        return "0" + text
    if text[0] in "89abcdef":
        return "00" + text
    return text


def _padded_bytes(value: int) -> bytes:
    return bytes.fromhex(pad_hex(value))


def _hash_to_int(data: bytes) -> int:
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


MULTIPLIER_K = _hash_to_int(_padded_bytes(GROUP_N) + _padded_bytes(GROUP_G))


def parse_hex(text: object, field_name: str, *, max_digits: int = _MAX_NUMBER_HEX_DIGITS) -> int:
    """A hex number from the wire: digits only (no sign, 0x, spaces or underscores, which int() accepts)."""
    if not isinstance(text, str) or not _HEX_DIGITS.fullmatch(text):
        raise SrpError(f"{field_name} must be a hexadecimal number")
    if len(text) > max_digits:
        raise SrpError(f"{field_name} is too long")
    return int(text, 16)


def _utf8(text: str, field_name: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise SrpError(f"{field_name} is not valid Unicode text") from None


def password_exponent(pool_name: str, user_id_for_srp: str, password: str, salt: int) -> int:
    """x = H(pad(salt) | H(poolName | userIdForSrp | ":" | password)); the verifier is g^x."""
    identity = hashlib.sha256(
        _utf8(pool_name, "pool name") + _utf8(user_id_for_srp, "user id") + b":" + _utf8(password, "password")
    ).digest()
    return _hash_to_int(_padded_bytes(salt) + identity)


def scrambler(srp_a: int, srp_b: int) -> int:
    """u = H(pad(A) | pad(B))."""
    return _hash_to_int(_padded_bytes(srp_a) + _padded_bytes(srp_b))


def derive_key(premaster: int, u: int) -> bytes:
    """The 16-byte HMAC key both sides derive from S ("Caldera Derived Key", one HKDF-SHA256 block)."""
    prk = hmac.digest(_padded_bytes(u), _padded_bytes(premaster), "sha256")
    return hmac.digest(prk, _HKDF_INFO, "sha256")[:16]


def claim_signature(
    key: bytes, pool_name: str, user_id_for_srp: str, secret_block: bytes, timestamp: str
) -> bytes:
    """HMAC-SHA256(key, poolName | userIdForSrp | SECRET_BLOCK | TIMESTAMP), before base64."""
    message = (
        _utf8(pool_name, "pool name")
        + _utf8(user_id_for_srp, "user id")
        + secret_block
        + _utf8(timestamp, "TIMESTAMP")
    )
    return hmac.digest(key, message, "sha256")


def format_timestamp(moment: datetime) -> str:
    """Cognito's TIMESTAMP: "Tue Nov 3 09:05:07 UTC 2026" (UTC, day without zero padding)."""
    moment = _as_utc(moment)
    return (
        f"{_WEEKDAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day} "
        f"{moment:%H:%M:%S} UTC {moment.year}"
    )


def parse_timestamp(text: str) -> datetime:
    """The instant a TIMESTAMP names; SrpError if it does not parse. Does not insist on the canonical form."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        raise SrpError(TIMESTAMP_FORMAT_MESSAGE)
    _weekday, month, day, hour, minute, second, year = match.groups()
    try:
        return datetime(
            int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second), tzinfo=UTC
        )
    except ValueError:
        raise SrpError(TIMESTAMP_FORMAT_MESSAGE) from None


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("SRP times must be timezone-aware")
    return moment.astimezone(UTC)


# --- modular exponentiation -----------------------------------------------------------------------------
# GMP (gmpy2) is ~8x faster than Python's pow on 3072-bit numbers, which is what lets a 2-core server do
# hundreds of SRP sign-ins per second; ``modexp`` adds a fixed-base table for g and keeps secret exponents
# constant-time and off the GIL. Python's pow gives identical results, only slower, so hutch keeps working
# where gmpy2 is missing (and tests switch it off by setting _GMPY2 to None).


def _load_gmpy2() -> ModuleType | None:
    try:
        return importlib.import_module("gmpy2")
    except ImportError:
        return None


_GMPY2 = _load_gmpy2()
_GROUP = modexp.Exponentiator(GROUP_N, GROUP_G, _GMPY2) if _GMPY2 is not None else None


def _pow_public_exponent(base: int, exponent: int) -> int:
    if _GMPY2 is not None and _GROUP is not None:
        return _GROUP.public_power(base, exponent)
    return pow(base, exponent, GROUP_N)


def pow_secret_exponent(base: int, exponent: int) -> int:
    """base^exponent mod N where the exponent is secret (b): constant-time in the exponent's value."""
    if _GMPY2 is not None and _GROUP is not None:
        return _GROUP.secret_power(base, exponent)
    return pow(base, exponent, GROUP_N)


def pow_generator(exponent: int) -> int:
    """g^exponent mod N for a secret exponent (b, a password's x): constant-time, from a fixed-base table."""
    if _GMPY2 is not None and _GROUP is not None:
        return _GROUP.generator_power(exponent)
    return pow(GROUP_G, exponent, GROUP_N)


# --- one sign-in attempt -------------------------------------------------------------------------------


def _new_secret_block() -> bytes:
    # Random bytes chosen so their base64 is plain alphanumerics: whatever base64 decoder a client uses on
    # SECRET_BLOCK (standard, URL-safe, forgiving about padding), it reads the same 48 bytes.
    text = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(_SECRET_BLOCK_CHARS))
    return base64.b64decode(text)


def _decode_base64(text: object) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _session_id(secret_block: bytes) -> str:
    return hashlib.sha256(b"hutch srp session\x00" + secret_block).hexdigest()


@dataclass(slots=True, eq=False)
class ServerSession:
    """The server's half of one USER_SRP_AUTH attempt, from InitiateAuth to RespondToAuthChallenge.

    The handler files ``to_state()`` under ``session_id`` together with its own context (app client, user
    record), finds it again with ``session_id_for(PASSWORD_CLAIM_SECRET_BLOCK)``, deletes it before
    checking the answer, and compares ClientId / USERNAME with that context itself.
    """

    pool_name: str
    user_id_for_srp: str
    salt: int
    verifier: int = field(repr=False)
    srp_a: int = field(repr=False)
    secret_b: int = field(repr=False)
    srp_b: int = field(repr=False)
    secret_block: bytes = field(repr=False)
    issued_at: datetime
    expires_at: datetime
    answered: bool = False

    @classmethod
    def start(
        cls,
        pool_name: str,
        user_id_for_srp: str,
        salt_hex: str,
        verifier_hex: str,
        srp_a_hex: str,
        *,
        now: datetime | None = None,
        lifetime: timedelta = DEFAULT_SESSION_LIFETIME,
    ) -> ServerSession:
        """Check the client's SRP_A, pick b and answer B = k·v + g^b. SrpError names a bad field."""
        if not pool_name:
            raise SrpError("pool name is empty")
        if not user_id_for_srp:
            raise SrpError("USER_ID_FOR_SRP is empty")
        _utf8(user_id_for_srp, "USER_ID_FOR_SRP")
        srp_a = parse_hex(srp_a_hex, "SRP_A")
        if srp_a % GROUP_N == 0:
            raise SrpError("SRP_A mod N must not be zero")  # would make S = 0 whatever the password
        if srp_a >= GROUP_N:
            raise SrpError("SRP_A must be less than N")
        salt = parse_hex(salt_hex, "salt", max_digits=_MAX_SALT_HEX_DIGITS)
        verifier = _parse_verifier(verifier_hex)
        issued_at = _as_utc(now or datetime.now(UTC))
        while True:
            secret_b = (1 << EPHEMERAL_SECRET_BITS) | secrets.randbits(EPHEMERAL_SECRET_BITS)
            srp_b = (MULTIPLIER_K * verifier + pow_generator(secret_b)) % GROUP_N
            # B ≡ 0 would let anyone pass; u = 0 would drop the password from S. Both are ~2^-256 events.
            if srp_b != 0 and scrambler(srp_a, srp_b) != 0:
                break
        return cls(
            pool_name=pool_name,
            user_id_for_srp=user_id_for_srp,
            salt=salt,
            verifier=verifier,
            srp_a=srp_a,
            secret_b=secret_b,
            srp_b=srp_b,
            secret_block=_new_secret_block(),
            issued_at=issued_at,
            expires_at=issued_at + lifetime,
        )

    # What the client sees ------------------------------------------------------------------------------

    @property
    def salt_hex(self) -> str:
        return pad_hex(self.salt)

    @property
    def srp_b_hex(self) -> str:
        return f"{self.srp_b:x}"

    @property
    def secret_block_b64(self) -> str:
        return base64.b64encode(self.secret_block).decode("ascii")

    @property
    def session_id(self) -> str:
        """Where the handler files this session; ``session_id_for(PASSWORD_CLAIM_SECRET_BLOCK)`` finds it."""
        return _session_id(self.secret_block)

    def challenge_parameters(self) -> dict[str, str]:
        """PASSWORD_VERIFIER's ChallengeParameters (the handler adds USERNAME)."""
        return {
            "SALT": self.salt_hex,
            "SRP_B": self.srp_b_hex,
            "SECRET_BLOCK": self.secret_block_b64,
            "USER_ID_FOR_SRP": self.user_id_for_srp,
        }

    @staticmethod
    def session_id_for(secret_block_b64: str) -> str:
        """The session id a client's PASSWORD_CLAIM_SECRET_BLOCK points at; SrpError if it is not base64."""
        block = _decode_base64(secret_block_b64)
        if block is None:
            raise SrpError("PASSWORD_CLAIM_SECRET_BLOCK must be base64")
        return _session_id(block)

    # The answer ----------------------------------------------------------------------------------------

    def verify_claim(
        self,
        secret_block_b64: str,
        timestamp: str,
        signature_b64: str,
        *,
        now: datetime,
        max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
    ) -> bool:
        """True only if the client proved the password for this session. One attempt per session."""
        verdict = self.check_claim(
            secret_block_b64, timestamp, signature_b64, now=now, max_clock_skew=max_clock_skew
        )
        return verdict is ClaimVerdict.ACCEPTED

    def check_claim(
        self,
        secret_block_b64: str,
        timestamp: str,
        signature_b64: str,
        *,
        now: datetime,
        max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
    ) -> ClaimVerdict:
        """Like verify_claim, but says why. Cheap checks first; the two exponentiations last."""
        now = _as_utc(now)
        if self.answered:
            return ClaimVerdict.REPLAYED
        self.answered = True
        if now > self.expires_at:
            return ClaimVerdict.SESSION_EXPIRED
        block = _decode_base64(secret_block_b64)
        if block is None or not hmac.compare_digest(block, self.secret_block):
            return ClaimVerdict.SECRET_BLOCK_MISMATCH
        try:
            claimed_at = parse_timestamp(timestamp)
        except (SrpError, TypeError):
            return ClaimVerdict.TIMESTAMP_MALFORMED
        # AWS signs over its own rendering of the instant, so any other spelling of it fails the proof.
        if timestamp != format_timestamp(claimed_at):
            return ClaimVerdict.TIMESTAMP_NOT_CANONICAL
        if abs(now - claimed_at) > max_clock_skew:
            return ClaimVerdict.TIMESTAMP_OUT_OF_WINDOW
        signature = _decode_base64(signature_b64)
        if signature is None or len(signature) != hashlib.sha256().digest_size:
            return ClaimVerdict.SIGNATURE_MALFORMED
        u = scrambler(self.srp_a, self.srp_b)
        if u == 0:
            return ClaimVerdict.SIGNATURE_MISMATCH
        base = self.srp_a * _pow_public_exponent(self.verifier, u) % GROUP_N
        premaster = pow_secret_exponent(base, self.secret_b)
        expected = claim_signature(
            derive_key(premaster, u), self.pool_name, self.user_id_for_srp, self.secret_block, timestamp
        )
        if not hmac.compare_digest(expected, signature):
            return ClaimVerdict.SIGNATURE_MISMATCH
        return ClaimVerdict.ACCEPTED

    # Between the two requests --------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """JSON-ready state. It holds the ephemeral secret b: keep it server-side only, and not for long."""
        return {
            "version": _STATE_VERSION,
            "pool_name": self.pool_name,
            "user_id_for_srp": self.user_id_for_srp,
            "salt": pad_hex(self.salt),
            "verifier": pad_hex(self.verifier),
            "srp_a": pad_hex(self.srp_a),
            "secret_b": pad_hex(self.secret_b),
            "srp_b": pad_hex(self.srp_b),
            "secret_block": self.secret_block_b64,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "answered": self.answered,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ServerSession:
        """Rebuild a session from ``to_state()``; SrpError if the state is damaged or inconsistent."""
        try:
            if state["version"] != _STATE_VERSION:
                raise SrpError(f"unknown SRP session state version {state['version']!r}")
            pool_name = state["pool_name"]
            user_id = state["user_id_for_srp"]
            answered = state["answered"]
            if not (isinstance(pool_name, str) and isinstance(user_id, str) and isinstance(answered, bool)):
                raise SrpError("SRP session state has fields of the wrong type")
            srp_a = parse_hex(state["srp_a"], "srp_a")
            srp_b = parse_hex(state["srp_b"], "srp_b")
            secret_b = parse_hex(state["secret_b"], "secret_b")
            block = _decode_base64(state["secret_block"])
            issued_at = _as_utc(datetime.fromisoformat(state["issued_at"]))
            expires_at = _as_utc(datetime.fromisoformat(state["expires_at"]))
            session = cls(
                pool_name=pool_name,
                user_id_for_srp=user_id,
                salt=parse_hex(state["salt"], "salt", max_digits=_MAX_SALT_HEX_DIGITS),
                verifier=_parse_verifier(state["verifier"]),
                srp_a=srp_a,
                secret_b=secret_b,
                srp_b=srp_b,
                secret_block=block or b"",
                issued_at=issued_at,
                expires_at=expires_at,
                answered=answered,
            )
        except (KeyError, TypeError, ValueError) as error:  # SrpError is a ValueError
            if isinstance(error, SrpError):
                raise
            raise SrpError(f"SRP session state is damaged: {error!r}") from None
        if not (0 < srp_a < GROUP_N and 0 < srp_b < GROUP_N and secret_b >> EPHEMERAL_SECRET_BITS == 1):
            raise SrpError("SRP session state holds numbers out of range")
        if block is None or len(block) < 16:
            raise SrpError("SRP session state has no usable secret block")
        if scrambler(srp_a, srp_b) == 0:
            raise SrpError("SRP session state is degenerate (u = 0)")
        return session


def _parse_verifier(verifier_hex: object) -> int:
    verifier = parse_hex(verifier_hex, "verifier")
    if not 1 < verifier < GROUP_N:
        raise SrpError("verifier is not an element of the group")
    return verifier
