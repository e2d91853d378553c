"""Modular exponentiation for SRP on GMP: side-channel silent for secret exponents, and off the GIL.

A sign-in costs the server up to three exponentiations in the 3072-bit group (``srp``), more than all its
other work together, so how they run decides how many sign-ins a server does:

- ``generator_power(e)``, g^e for a secret e (the ephemeral b of every SRP challenge, a password's x on
  every USER_PASSWORD_AUTH). The base never changes, so a table of g^(j·64^i) turns it into 44
  multiplications and no squarings (fixed-base windowing, "BGMW"): about 3x less work than a general
  exponentiation.
- ``secret_power(base, e)``, base^e for a secret e (the premaster secret (A·v^u)^b).
- ``public_power(base, e)``, base^e for a public e (v^u): gmpy2's powmod, with the GIL released.

Secret exponents stay constant-time. The table is read with GMP's ``mpn_sec_tabselect`` (it reads every
entry, whichever it returns) and multiplied and reduced with ``mpn_sec_mul`` / ``mpn_sec_div_r``, which
GMP documents as performing the same operations and memory accesses for any values of a given size; the
exponent's digits are cut from its fixed-length byte string with arithmetic whose every intermediate is a
small int below 256, so the interpreter takes the same path for every digit. ``secret_power`` is GMP's
``mpn_sec_powm``, the routine ``mpz_powm_sec`` (gmpy2's ``powmod_sec``) runs.

These are GMP's documented "low-level functions for cryptography", called through ctypes on the libgmp that
gmpy2 ships (else the system's), because gmpy2 exposes neither a table lookup nor a way to keep the GIL
free: ctypes releases it for ``mpn_sec_powm``, so two sign-ins use both cores, while the comb's short
calls keep it (handing it back 130 times an exponentiation would only queue them behind other threads).
Where that library cannot be used (no 64-bit limbs, not LP64, big-endian, a self-test fails), everything
falls back to gmpy2's ``powmod_sec`` — constant-time too, only slower and holding the GIL.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger("hutch.cognito_idp.modexp")

LIMB_BYTES = 8
WINDOW_BITS = 6  # 64 entries a row: a 24 KiB row scan per digit; 5 and 7 measured slower, 8 much slower
ENTRIES = 1 << WINDOW_BITS
EXPONENT_BYTES = 33  # 264 bits = 44 digits: room for the 257-bit ephemeral secrets and 256-bit hashes
ROWS = EXPONENT_BYTES * 8 // WINDOW_BITS

_Limbs = ctypes.c_uint64
_Size = ctypes.c_long  # mp_size_t on LP64 platforms (checked before use)
_Bits = ctypes.c_ulong  # mp_bitcnt_t
_Ptr = ctypes.c_void_p
_Row = ctypes.Array[ctypes.c_uint64]


def _to_limbs(value: int, count: int) -> ctypes.Array[ctypes.c_uint64]:
    return (_Limbs * count).from_buffer_copy(value.to_bytes(count * LIMB_BYTES, "little"))


def _from_limbs(limbs: ctypes.Array[ctypes.c_uint64], count: int) -> int:
    return int.from_bytes(memoryview(limbs).cast("B")[: count * LIMB_BYTES], "little")


def exponent_digits(exponent: int) -> Iterator[int]:
    """The exponent's base-64 digits, least significant first, for exponents below 2^264.

    Every value computed here is below 256 (CPython's preallocated ints), so neither the operations nor
    the allocations depend on the digits."""
    data = exponent.to_bytes(EXPONENT_BYTES, "little")
    for k in range(0, EXPONENT_BYTES, 3):
        b0, b1, b2 = data[k], data[k + 1], data[k + 2]
        yield b0 & 63
        yield (b0 >> 6) | ((b1 & 15) << 2)
        yield (b1 >> 4) | ((b2 & 3) << 4)
        yield b2 >> 2


class _SecMpn:
    """GMP's mpn_sec_* functions (and the limb layout they need), loaded from one libgmp."""

    def __init__(self, path: str) -> None:
        if sys.byteorder != "little" or ctypes.sizeof(ctypes.c_long) != LIMB_BYTES:
            raise OSError("GMP's limb arrays are only used on little-endian LP64 platforms")
        keeps_gil = ctypes.PyDLL(path)
        frees_gil = ctypes.CDLL(path)
        if ctypes.c_int.in_dll(keeps_gil, "__gmp_bits_per_limb").value != 8 * LIMB_BYTES:
            raise OSError(f"{path} does not use 64-bit limbs")
        self.path = path
        self.tabselect = _function(keeps_gil, "__gmpn_sec_tabselect", [_Ptr, _Ptr, _Size, _Size, _Size])
        self.mul = _function(keeps_gil, "__gmpn_sec_mul", [_Ptr, _Ptr, _Size, _Ptr, _Size, _Ptr])
        self.div_r = _function(keeps_gil, "__gmpn_sec_div_r", [_Ptr, _Size, _Ptr, _Size, _Ptr])
        self.powm = _function(
            frees_gil, "__gmpn_sec_powm", [_Ptr, _Ptr, _Size, _Ptr, _Bits, _Ptr, _Size, _Ptr]
        )
        self.mul_itch = _function(keeps_gil, "__gmpn_sec_mul_itch", [_Size, _Size], _Size)
        self.div_r_itch = _function(keeps_gil, "__gmpn_sec_div_r_itch", [_Size, _Size], _Size)
        self.powm_itch = _function(keeps_gil, "__gmpn_sec_powm_itch", [_Size, _Bits, _Size], _Size)


def _function(lib: ctypes.CDLL, name: str, argtypes: list[Any], restype: Any = None) -> Callable[..., Any]:
    function = getattr(lib, name)  # AttributeError: this libgmp predates the mpn_sec_* functions (GMP 6)
    function.argtypes = argtypes
    function.restype = restype
    return function  # type: ignore[no-any-return]


def library_candidates(gmpy2: ModuleType) -> Iterator[str]:
    """Where a libgmp may be: the copy gmpy2's wheel ships (Linux, macOS), then the system's."""
    package = Path(gmpy2.__file__ or "").resolve().parent
    for folder in (package.parent / "gmpy2.libs", package / ".dylibs", package):
        if folder.is_dir():
            yield from sorted(str(p) for p in folder.glob("libgmp*") if not p.name.startswith("libgmpxx"))
    system = ctypes.util.find_library("gmp")  # runs ldconfig on Linux: only asked when nothing else loads
    if system:
        yield system


class Exponentiator:
    """Exponentiation modulo an odd ``modulus`` (a fixed-base table for ``generator``), on ``gmpy2``.

    ``library`` names the libgmp to call for the constant-time paths; by default the first of
    ``library_candidates`` that loads and passes a self-test. None of them (or ``library=""``): every
    secret exponent goes through gmpy2's powmod_sec instead."""

    def __init__(
        self, modulus: int, generator: int, gmpy2: ModuleType, *, library: str | None = None
    ) -> None:
        if modulus < 3 or modulus % 2 == 0:
            raise ValueError("the modulus must be an odd number above 2")
        self.modulus = modulus
        self.generator = generator % modulus
        self.gmpy2 = gmpy2
        self.size = (modulus.bit_length() + 8 * LIMB_BYTES - 1) // (8 * LIMB_BYTES)
        self._modulus_limbs = _to_limbs(modulus, self.size)
        self._rows: list[_Row] | None = None
        self._rows_lock = threading.Lock()
        self._mpn: _SecMpn | None = None
        candidates = library_candidates(gmpy2) if library is None else iter([library] if library else [])
        for path in candidates:
            try:
                self._mpn = _SecMpn(path)
                self._check(self.secret_power, 0x5EC0DE5**97 % modulus or 2)
            except (OSError, AttributeError, ArithmeticError) as error:
                log.debug("libgmp not used", extra={"fields": {"path": path, "error": str(error)}})
                self._mpn = None
                continue
            break

    @property
    def library(self) -> str | None:
        """The libgmp whose mpn_sec_* functions are in use (None: the gmpy2 fallback)."""
        return self._mpn.path if self._mpn is not None else None

    @property
    def engine(self) -> str:
        """Which code computes secret powers: "gmp-mpn-sec" (this module's) or "gmpy2-powmod-sec"."""
        return "gmp-mpn-sec" if self._mpn is not None else "gmpy2-powmod-sec"

    # --- the three operations ------------------------------------------------------------------------

    def public_power(self, base: int, exponent: int) -> int:
        """base^exponent mod modulus for a public exponent (not constant-time), without the GIL."""
        with self.gmpy2.context(allow_release_gil=True):
            return int(self.gmpy2.powmod(base, exponent, self.modulus))

    def secret_power(self, base: int, exponent: int) -> int:
        """base^exponent mod modulus in time independent of the exponent's value (only its limb count)."""
        if exponent <= 0:
            return pow(base, exponent, self.modulus)  # never secret: 0 gives 1, negatives are inverses
        base %= self.modulus
        if base == 0:
            return 0
        mpn = self._mpn
        if mpn is None:
            return int(self.gmpy2.powmod_sec(base, exponent, self.modulus))
        exponent_limbs = (exponent.bit_length() + 8 * LIMB_BYTES - 1) // (8 * LIMB_BYTES)
        exponent_bits = exponent_limbs * 8 * LIMB_BYTES
        result = (_Limbs * self.size)()
        scratch = (_Limbs * mpn.powm_itch(self.size, exponent_bits, self.size))()
        mpn.powm(
            result,
            _to_limbs(base, self.size),
            self.size,
            _to_limbs(exponent, exponent_limbs),
            exponent_bits,
            self._modulus_limbs,
            self.size,
            scratch,
        )
        return _from_limbs(result, self.size)

    def generator_power(self, exponent: int) -> int:
        """generator^exponent mod modulus in time independent of the exponent's value (below 2^264)."""
        mpn = self._mpn
        if mpn is None or not 0 <= exponent < 1 << (8 * EXPONENT_BYTES):
            return self.secret_power(self.generator, exponent)
        rows = self._rows if self._rows is not None else self._build_rows(mpn)
        if rows is None:  # the table failed its check: powmod_sec from now on
            return self.secret_power(self.generator, exponent)
        return self._comb(mpn, rows, exponent)

    def _comb(self, mpn: _SecMpn, rows: list[_Row], exponent: int) -> int:
        n = self.size
        product, spare = (_Limbs * (2 * n))(), (_Limbs * (2 * n))()
        product[0] = 1
        entry = (_Limbs * n)()
        mul_scratch = (_Limbs * mpn.mul_itch(n, n))()
        div_scratch = (_Limbs * mpn.div_r_itch(2 * n, n))()
        for row, digit in zip(rows, exponent_digits(exponent), strict=True):
            mpn.tabselect(entry, row, n, ENTRIES, digit)
            mpn.mul(spare, product, n, entry, n, mul_scratch)  # product's low n limbs: the running value
            mpn.div_r(spare, 2 * n, self._modulus_limbs, n, div_scratch)
            product, spare = spare, product
        return _from_limbs(product, n)

    # --- set-up -----------------------------------------------------------------------------------------

    def _build_rows(self, mpn: _SecMpn) -> list[_Row] | None:
        """Row i holds generator^(j·64^i) for j = 0..63 (about 1 MiB for the 3072-bit group), built on first
        use and checked before it is used; None (and powmod_sec from then on) if the check fails."""
        with self._rows_lock:
            if self._rows is not None or self._mpn is None:
                return self._rows
            gmpy2, modulus, n = self.gmpy2, self.modulus, self.size
            rows: list[_Row] = []
            step = gmpy2.mpz(self.generator)
            for _ in range(ROWS):
                value, raw = gmpy2.mpz(1), bytearray()
                for _ in range(ENTRIES):
                    raw += int(value).to_bytes(n * LIMB_BYTES, "little")
                    value = value * step % modulus
                rows.append((_Limbs * (n * ENTRIES)).from_buffer(raw))
                step = gmpy2.powmod(step, ENTRIES, modulus)
            try:
                self._check(lambda _base, exponent: self._comb(mpn, rows, exponent), self.generator)
            except ArithmeticError:
                log.error("fixed-base table disagrees with gmpy2; using powmod_sec", exc_info=True)
                self._mpn = None
                return None
            self._rows = rows
            return rows

    def _check(self, power: Callable[[int, int], int], base: int) -> None:
        """ArithmeticError unless ``power`` agrees with gmpy2's powmod on a few exponents (edges included)."""
        for exponent in (1, 64, (1 << 256) | 0x1234_5678_9ABC_DEF0, (1 << (8 * EXPONENT_BYTES)) - 1):
            if power(base, exponent) != int(self.gmpy2.powmod(base, exponent, self.modulus)):
                raise ArithmeticError(f"{self.engine} exponentiation disagrees with gmpy2.powmod")
