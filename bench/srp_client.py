"""The client half of Cognito SRP for the load generator: pycognito's AWSSRP, with its modular exponentiations
done by GMP.

pycognito computes A = g^a, g^x and S = (B - k g^x)^(a + u x) with Python's ``pow`` on the 3072-bit group:
about 40 ms each on this machine, so a few client processes on 2 cores would cap the measured rate far below
the server's. Here the same three values come from gmpy2 (the GMP binding hutch itself uses): identical
numbers, ~15x faster. g^x depends only on the user's salt and password, so it is computed once per user, and
each worker keeps a small pool of precomputed (a, A) pairs instead of drawing a new one per sign-in. The
server's work — a fresh b and B, the verifier check, tokens — is untouched.
"""

from __future__ import annotations

from typing import Any

import boto3  # type: ignore[import-untyped,unused-ignore]
import gmpy2  # type: ignore[import-untyped]
from pycognito.aws_srp import (  # type: ignore[import-untyped]
    AWSSRP,
    calculate_u,
    compute_hkdf,
    hash_sha256,
    hex_hash,
    hex_to_long,
    long_to_hex,
    pad_hex,
)


class FastAWSSRP(AWSSRP):  # type: ignore[misc]
    """AWSSRP whose exponentiations go through GMP, with g^x memoized per (user, salt)."""

    _g_pow_x: dict[tuple[str, str], tuple[int, int]] = {}

    def calculate_a(self) -> int:
        big_a = int(gmpy2.powmod(self.val_g, self.small_a_value, self.big_n))
        if big_a % self.big_n == 0:
            raise ValueError("Safety check for A failed")
        return big_a

    def get_password_authentication_key(
        self, username: str, password: str, server_b_value: int, salt: str
    ) -> bytes:
        # pycognito's own steps, in its order; only pow() is replaced.
        u_value = calculate_u(self.large_a_value, server_b_value)
        if u_value == 0:
            raise ValueError("U cannot be zero.")
        cache_key = (username, salt)
        if cache_key not in self._g_pow_x:
            username_password = f"{self.pool_id.split('_')[1]}{username}:{password}"
            username_password_hash = hash_sha256(username_password.encode("utf-8"))
            x_value = hex_to_long(hex_hash(pad_hex(salt) + username_password_hash))
            self._g_pow_x[cache_key] = (x_value, int(gmpy2.powmod(self.val_g, x_value, self.big_n)))
        x_value, g_mod_pow_xn = self._g_pow_x[cache_key]
        int_value2 = server_b_value - self.val_k * g_mod_pow_xn
        s_value = int(gmpy2.powmod(int_value2, self.small_a_value + u_value * x_value, self.big_n))
        hkdf: bytes = compute_hkdf(
            bytearray.fromhex(pad_hex(s_value)), bytearray.fromhex(pad_hex(long_to_hex(u_value)))
        )
        return hkdf


def make_clients(
    names: list[str], password: str, pool_id: str, client_id: str, per_user: int = 1
) -> dict[str, list[FastAWSSRP]]:
    """Ready-made SRP clients (their a and A drawn) for each user."""
    dummy: Any = boto3.client("cognito-idp", region_name="us-east-1")  # never called: we send the requests
    return {
        name: [FastAWSSRP(name, password, pool_id, client_id, client=dummy) for _ in range(per_user)]
        for name in names
    }
