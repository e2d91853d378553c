"""Password verifiers: the only thing hutch keeps of a user-pool password.

A password is stored as Cognito's SRP salt and verifier v = g^x mod N (see ``srp``), never in plain text and
never as x (x alone lets anyone sign in). The same pair serves both sign-in flows: USER_SRP_AUTH proves the
password without sending it, and USER_PASSWORD_AUTH recomputes v from the password it was sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from hutch.services.cognito_idp.srp import (
    GROUP_BYTES,
    GROUP_N,
    SrpError,
    pad_hex,
    parse_hex,
    password_exponent,
    pow_generator,
)

SALT_BYTES = 16  # the size the Cognito clients use for their own device verifiers
_MAX_SALT_HEX_DIGITS = 256


def make_verifier(pool_name: str, user_id_for_srp: str, password: str) -> tuple[str, str]:
    """A fresh random salt and the verifier for this password, as (salt_hex, verifier_hex).

    ``user_id_for_srp`` must be the USER_ID_FOR_SRP the challenge will name (the clients hash that, not
    what the user typed). SrpError if the password is not valid Unicode text.
    """
    salt = int.from_bytes(secrets.token_bytes(SALT_BYTES), "big")
    x = password_exponent(pool_name, user_id_for_srp, password, salt)
    return pad_hex(salt), pad_hex(pow_generator(x))


def verify_password(
    pool_name: str, user_id_for_srp: str, password: str, salt_hex: str, verifier_hex: str
) -> bool:
    """Whether ``password`` is the one the stored verifier was made from (compared in constant time).

    SrpError if the stored salt or verifier is damaged: that is a server fault, not a wrong password.
    """
    salt = parse_hex(salt_hex, "salt", max_digits=_MAX_SALT_HEX_DIGITS)
    stored = parse_hex(verifier_hex, "verifier")
    if not 1 < stored < GROUP_N:
        raise SrpError("verifier is not an element of the group")
    try:
        x = password_exponent(pool_name, user_id_for_srp, password, salt)
    except SrpError:
        return False  # e.g. a lone surrogate: make_verifier never accepted such a password
    candidate = pow_generator(x)
    return hmac.compare_digest(candidate.to_bytes(GROUP_BYTES, "big"), stored.to_bytes(GROUP_BYTES, "big"))


def decoy_verifier(server_secret: bytes, pool_name: str, user_id_for_srp: str) -> tuple[str, str]:
    """A (salt_hex, verifier_hex) for a user that does not exist, so the reply cannot tell that apart.

    Stable per (secret, pool, user) so repeated probes see the same salt, like a real user's. The verifier
    is a number nobody knows the logarithm of, so no password matches it; it costs no exponentiation, so a
    decoy takes the same path and time as a real user through ``ServerSession.start`` / ``verify_password``.
    """
    if len(server_secret) < 16:
        raise ValueError("decoy_verifier needs a server secret of at least 16 bytes")
    label = (
        pool_name.encode("utf-8", "surrogatepass")
        + b"\x00"
        + user_id_for_srp.encode("utf-8", "surrogatepass")
    )
    salt = hmac.digest(server_secret, b"hutch decoy salt\x00" + label, "sha256")[:SALT_BYTES]
    # Twice the group's size in pseudo-random bytes, reduced mod N: indistinguishable from uniform.
    stream = hashlib.shake_256(
        hmac.digest(server_secret, b"hutch decoy verifier\x00" + label, "sha256")
    ).digest(2 * GROUP_BYTES)
    verifier = int.from_bytes(stream, "big") % GROUP_N
    if verifier < 2:
        verifier += 2
    return pad_hex(int.from_bytes(salt, "big")), pad_hex(verifier)
