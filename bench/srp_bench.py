"""Server-side cost of a Cognito sign-in: SRP (start + verify) and USER_PASSWORD_AUTH (verify_password).

Prints sign-ins per second. Only the server's work is timed: ServerSession.start, the state's round trip
through JSON (as a handler stores it between the two requests) and check_claim. The client's half is
computed in between, off the clock, by a small client written here (the real clients are far slower).

    .venv/bin/python bench/srp_bench.py                    # one process per core
    .venv/bin/python bench/srp_bench.py --processes 1 --pure-python
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import multiprocessing
import os
import secrets
import time
from datetime import UTC, datetime

from hutch.services.cognito_idp import srp
from hutch.services.cognito_idp.passwords import make_verifier, verify_password
from hutch.services.cognito_idp.srp import ClaimVerdict, ServerSession, format_timestamp

POOL_NAME = "BenchPool1"
USER = "bench-user"
PASSWORD = "Bench-Passw0rd!"


def _client_answer(
    salt_hex: str, challenge: dict[str, str], a: int, big_a: int, timestamp: str
) -> dict[str, str]:
    """The PASSWORD_VERIFIER answer a Cognito client would send (math as in srp's docstring)."""

    def padded(n: int) -> bytes:
        return n.to_bytes(n.bit_length() // 8 + 1, "big")

    def h(data: bytes) -> int:
        return int.from_bytes(hashlib.sha256(data).digest(), "big")

    n, g = srp.GROUP_N, srp.GROUP_G
    big_b = int(challenge["SRP_B"], 16)
    u = h(padded(big_a) + padded(big_b))
    inner = hashlib.sha256(f"{POOL_NAME}{USER}:{PASSWORD}".encode()).digest()
    x = h(padded(int(salt_hex, 16)) + inner)
    premaster = srp.pow_secret_exponent((big_b - srp.MULTIPLIER_K * pow(g, x, n)) % n, a + u * x)
    prk = hmac.digest(padded(u), padded(premaster), "sha256")
    key = hmac.digest(prk, b"Caldera Derived Key\x01", "sha256")[:16]
    block = base64.b64decode(challenge["SECRET_BLOCK"])
    message = POOL_NAME.encode() + USER.encode() + block + timestamp.encode()
    return {
        "PASSWORD_CLAIM_SECRET_BLOCK": challenge["SECRET_BLOCK"],
        "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(hmac.digest(key, message, "sha256")).decode(),
    }


def srp_worker(count: int, pure_python: bool) -> tuple[int, float]:
    """(sign-ins, seconds of server time) for ``count`` SRP sign-ins."""
    if pure_python:
        srp._GMPY2 = None
    salt_hex, verifier_hex = make_verifier(POOL_NAME, USER, PASSWORD)
    server_seconds = 0.0
    for _ in range(count):
        a = secrets.randbits(256) | 1 << 256
        big_a = srp.pow_secret_exponent(srp.GROUP_G, a)
        now = datetime.now(UTC)

        began = time.perf_counter()
        session = ServerSession.start(POOL_NAME, USER, salt_hex, verifier_hex, f"{big_a:x}", now=now)
        stored = json.dumps(session.to_state())
        server_seconds += time.perf_counter() - began

        answer = _client_answer(salt_hex, session.challenge_parameters(), a, big_a, format_timestamp(now))

        began = time.perf_counter()
        restored = ServerSession.from_state(json.loads(stored))
        verdict = restored.check_claim(
            answer["PASSWORD_CLAIM_SECRET_BLOCK"],
            answer["TIMESTAMP"],
            answer["PASSWORD_CLAIM_SIGNATURE"],
            now=now,
        )
        server_seconds += time.perf_counter() - began
        if verdict is not ClaimVerdict.ACCEPTED:
            raise SystemExit(f"sign-in refused: {verdict}")
    return count, server_seconds


def password_worker(count: int, pure_python: bool) -> tuple[int, float]:
    """(sign-ins, seconds) for ``count`` USER_PASSWORD_AUTH password checks."""
    if pure_python:
        srp._GMPY2 = None
    salt_hex, verifier_hex = make_verifier(POOL_NAME, USER, PASSWORD)
    began = time.perf_counter()
    for _ in range(count):
        if not verify_password(POOL_NAME, USER, PASSWORD, salt_hex, verifier_hex):
            raise SystemExit("password refused")
    return count, time.perf_counter() - began


def run(worker_name: str, processes: int, count: int, pure_python: bool) -> float:
    """Aggregate rate: each process's sign-ins over its own server time, summed over the processes."""
    worker = {"srp": srp_worker, "password": password_worker}[worker_name]
    with multiprocessing.Pool(processes) as pool:
        results = pool.starmap(worker, [(count, pure_python)] * processes)
    return sum(done / seconds for done, seconds in results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--count", type=int, default=300, help="sign-ins per process")
    parser.add_argument("--pure-python", action="store_true", help="use Python's pow even if gmpy2 is there")
    args = parser.parse_args()

    backend = "pure Python" if args.pure_python or srp._GMPY2 is None else "gmpy2 (GMP)"
    print(f"backend: {backend}; processes: {args.processes}; {args.count} sign-ins each")
    for name, label in (("srp", "USER_SRP_AUTH (start + verify)"), ("password", "USER_PASSWORD_AUTH")):
        rate = run(name, args.processes, args.count, args.pure_python)
        print(f"{label:32s} {rate:8.0f} sign-ins/s")


if __name__ == "__main__":
    main()
