"""The SRP group's exponentiations on GMP: every path (fixed-base table, mpn_sec_powm, gmpy2 fallback)
gives Python's pow() answers, and the libgmp path runs the long exponentiation without the GIL."""

from __future__ import annotations

import ctypes
import random
from collections.abc import Iterator

import pytest

from hutch.services.cognito_idp import modexp
from hutch.services.cognito_idp.srp import GROUP_G, GROUP_N

gmpy2 = pytest.importorskip("gmpy2")

RANDOM = random.Random(20261126)  # fixed: failures reproduce
TOP = 1 << (8 * modexp.EXPONENT_BYTES)
EXPONENTS = [
    0,
    1,
    63,
    64,
    (1 << 256) | RANDOM.getrandbits(256),  # an ephemeral secret b
    RANDOM.getrandbits(256),  # a password's x
    TOP - 1,  # every digit 63
    TOP,  # past the table: the general path
    RANDOM.getrandbits(1024),
]


@pytest.fixture(scope="module")
def fast() -> modexp.Exponentiator:
    group = modexp.Exponentiator(GROUP_N, GROUP_G, gmpy2)
    if group.engine != "gmp-mpn-sec":
        pytest.skip("no usable libgmp next to gmpy2 or on the system")
    return group


@pytest.fixture(scope="module")
def fallback() -> modexp.Exponentiator:
    return modexp.Exponentiator(GROUP_N, GROUP_G, gmpy2, library="")


def test_exponent_digits_are_base_64_digits_least_significant_first() -> None:
    for exponent in [0, 1, 64, TOP - 1, *(RANDOM.getrandbits(264) for _ in range(50))]:
        digits = list(modexp.exponent_digits(exponent))
        assert len(digits) == modexp.ROWS == 44
        assert all(0 <= d < 64 for d in digits)
        assert sum(d << (6 * i) for i, d in enumerate(digits)) == exponent


@pytest.mark.parametrize("exponent", EXPONENTS)
def test_generator_power_matches_pow(fast: modexp.Exponentiator, exponent: int) -> None:
    assert fast.generator_power(exponent) == pow(GROUP_G, exponent, GROUP_N)


@pytest.mark.parametrize("exponent", EXPONENTS)
def test_secret_power_matches_pow(fast: modexp.Exponentiator, exponent: int) -> None:
    base = RANDOM.getrandbits(3072)
    assert fast.secret_power(base, exponent) == pow(base, exponent, GROUP_N)


@pytest.mark.parametrize("base", [0, GROUP_N, 2 * GROUP_N + 5, GROUP_N - 1, 1])
def test_secret_power_reduces_any_base_first(fast: modexp.Exponentiator, base: int) -> None:
    exponent = (1 << 256) | 12345
    assert fast.secret_power(base, exponent) == pow(base, exponent, GROUP_N)


def test_public_power_matches_pow(fast: modexp.Exponentiator) -> None:
    base, exponent = RANDOM.getrandbits(3072), RANDOM.getrandbits(256)
    assert fast.public_power(base, exponent) == pow(base, exponent, GROUP_N)


@pytest.mark.parametrize("exponent", EXPONENTS)
def test_without_libgmp_every_power_still_matches_pow(fallback: modexp.Exponentiator, exponent: int) -> None:
    assert fallback.engine == "gmpy2-powmod-sec"
    base = RANDOM.getrandbits(3072)
    assert fallback.generator_power(exponent) == pow(GROUP_G, exponent, GROUP_N)
    assert fallback.secret_power(base, exponent) == pow(base, exponent, GROUP_N)


def test_a_library_that_does_not_load_means_the_gmpy2_fallback() -> None:
    group = modexp.Exponentiator(GROUP_N, GROUP_G, gmpy2, library="/nonexistent/libgmp.so.10")
    assert group.engine == "gmpy2-powmod-sec"
    assert group.generator_power(12345) == pow(GROUP_G, 12345, GROUP_N)


def test_a_table_that_fails_its_check_is_never_used(fast: modexp.Exponentiator) -> None:
    class Broken(modexp.Exponentiator):
        def _comb(self, mpn: object, rows: object, exponent: int) -> int:
            return 7  # what a corrupted table would answer

    group = Broken(GROUP_N, GROUP_G, gmpy2, library=fast.library)
    assert group.engine == "gmp-mpn-sec"
    assert group.generator_power(99) == pow(GROUP_G, 99, GROUP_N)
    assert group.engine == "gmpy2-powmod-sec"


def test_the_long_exponentiation_releases_the_gil_and_the_comb_keeps_it(fast: modexp.Exponentiator) -> None:
    # ctypes marks functions that keep the GIL (PyDLL) with FUNCFLAG_PYTHONAPI.
    keeps_gil = ctypes._FUNCFLAG_PYTHONAPI  # type: ignore[attr-defined]
    mpn = fast._mpn
    assert mpn is not None
    assert not mpn.powm._flags_ & keeps_gil  # type: ignore[attr-defined]
    assert all(getattr(mpn, name)._flags_ & keeps_gil for name in ("tabselect", "mul", "div_r"))


def test_an_even_modulus_is_refused() -> None:
    with pytest.raises(ValueError, match="odd"):
        modexp.Exponentiator(GROUP_N + 1, GROUP_G, gmpy2)


def test_library_candidates_start_with_gmpy2s_own_copy() -> None:
    candidates: Iterator[str] = modexp.library_candidates(gmpy2)
    first = next(candidates, None)
    if first is None:
        pytest.skip("gmpy2 ships no libgmp here and the system has none")
    assert "gmp" in first
