"""S3 request bodies checked as they stream: payload hash, aws-chunked framing, chunk signatures, trailers.

The x-amz-content-sha256 value a request was signed with says what its body is:

- a hex SHA-256: the raw body, hashed as it flows and compared at the end;
- UNSIGNED-PAYLOAD: the raw body, not hashed;
- STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: aws-chunked, every chunk signed, each signature chained to
  the previous one starting from the request's own signature (the seed), then optionally a signed trailer;
- STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked without signatures, ending in a checksum trailer.

Decoded bytes are handed on as soon as they arrive, before the chunk's signature or the trailer's checksum
can be checked: memory stays flat whatever the object size. The consumer therefore keeps what it receives
provisional (S3 writes a temp file) and commits only if iteration ends without raising.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncGenerator, AsyncIterator
from enum import Enum

from hutch.auth.checksums import BodyChecksums, VerifiedChecksum, declared_trailers
from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.auth.signing import EMPTY_SHA256, is_hex_sha256, sign, signatures_match
from hutch.auth.sigv4 import (
    STREAMING_SIGNED,
    STREAMING_SIGNED_TRAILER,
    STREAMING_UNSIGNED_TRAILER,
    UNSIGNED_PAYLOAD,
    SigV4Auth,
)
from hutch.wire.http import HttpRequest

K = AuthFailureKind

MIN_CHUNK_SIZE = 8192  # every chunk but the last data chunk, as S3 enforces
MAX_CHUNK_SIZE = 1 << 36  # 64 GiB: far above any real chunk, low enough that the hex parse stays cheap
MAX_LINE = 4096  # a chunk header or trailer line; real ones are under 200 bytes
MAX_TRAILER_BYTES = 16384
TRAILER_SIGNATURE = "x-amz-trailer-signature"
_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")
_INCOMPLETE = "The request body terminated unexpectedly"


class _State(Enum):
    HEADER = "chunk header"  # reading "<hex size>[;chunk-signature=<sig>]\r\n"
    DATA = "chunk data"
    DATA_END = "chunk data terminator"  # the \r\n after a chunk's data
    FINAL_END = "final terminator"  # the empty line after the last chunk, when no trailer is expected
    TRAILER = "trailer"
    DONE = "done"


def _malformed(message: str) -> AuthFailure:
    return AuthFailure(K.CHUNK_MALFORMED, message)


class ChunkDecoder:
    """aws-chunked framing as a push parser: ``feed`` raw bytes, get decoded bytes back, ``finish`` at EOF.

    With ``auth`` every chunk signature is verified (and, if ``signed_trailer``, the trailer signature);
    without it chunk extensions are ignored. ``finish`` returns the trailing headers (lower-case names).
    Every line is bounded, so garbage input fails fast instead of being buffered.
    """

    def __init__(
        self,
        *,
        auth: SigV4Auth | None,
        trailer: bool,
        declared_trailers: tuple[str, ...] = (),
        decoded_length: int | None = None,
    ) -> None:
        self._auth = auth
        self._trailer = trailer
        self._signed_trailer = trailer and auth is not None
        self._declared = declared_trailers
        self._decoded_length = decoded_length
        self._state = _State.HEADER
        self._line = bytearray()
        self._remaining = 0  # data bytes left in the current chunk
        self._chunk_hash: hashlib._Hash | None = None
        self._chunk_signature = ""
        self._previous_signature = auth.signature if auth else ""
        self._previous_size: int | None = None
        self._chunk_count = 0
        self._trailer_bytes = 0
        self._trailers: dict[str, str] = {}
        self._trailer_lines: list[str] = []
        self._trailer_signature: str | None = None
        self.decoded = 0  # data bytes handed out so far

    # -- signatures -------------------------------------------------------------------------------------

    def _chunk_signature_for(self, data_hash: str) -> str:
        assert self._auth is not None
        string = "\n".join(
            (
                "AWS4-HMAC-SHA256-PAYLOAD",
                self._auth.timestamp,
                str(self._auth.scope),
                self._previous_signature,
                EMPTY_SHA256,
                data_hash,
            )
        )
        return sign(self._auth.signing_key, string)

    def _verify_chunk(self, data_hash: str) -> None:
        expected = self._chunk_signature_for(data_hash)
        if not signatures_match(expected, self._chunk_signature):
            raise AuthFailure(
                K.SIGNATURE_MISMATCH,
                f"The signature of chunk {self._chunk_count} does not match.",
                fields={"ChunkSignatureProvided": self._chunk_signature},
            )
        self._previous_signature = self._chunk_signature

    def _verify_trailer_signature(self) -> None:
        assert self._auth is not None
        if self._trailer_signature is None:
            raise AuthFailure(K.TRAILER_MALFORMED, f"The signed trailer has no {TRAILER_SIGNATURE}.")
        canonical = "".join(f"{line}\n" for line in self._trailer_lines)
        string = "\n".join(
            (
                "AWS4-HMAC-SHA256-TRAILER",
                self._auth.timestamp,
                str(self._auth.scope),
                self._previous_signature,
                hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
            )
        )
        if not signatures_match(sign(self._auth.signing_key, string), self._trailer_signature):
            raise AuthFailure(K.SIGNATURE_MISMATCH, "The trailer signature does not match.")

    # -- framing ----------------------------------------------------------------------------------------

    def _take_line(self, data: memoryview, pos: int, limit: int) -> tuple[str | None, int]:
        """Accumulate up to a '\\n'; (line without CRLF, next position), or (None, len) when more is needed.

        At most ``limit`` bytes plus CRLF are ever looked at or kept, so a missing newline fails fast.
        """
        room = limit + 2 - len(self._line)
        window = bytes(data[pos : pos + room])
        end = window.find(b"\n")
        if end < 0:
            if len(window) >= room:
                raise _malformed(f"Malformed {self._state.value}: no line end within {limit} bytes.")
            self._line += window
            return None, pos + len(window)
        self._line += window[:end]
        line = bytes(self._line)
        self._line.clear()
        if line.endswith(b"\r"):
            line = line[:-1]
        if len(line) > limit:
            raise _malformed(f"Malformed {self._state.value}: {line[:20]!r}.")
        try:
            return line.decode("ascii"), pos + end + 1
        except UnicodeDecodeError:
            raise _malformed(f"Malformed {self._state.value}: not ASCII.") from None

    def _start_chunk(self, line: str) -> None:
        size_text, _, extensions = line.partition(";")
        if not _CHUNK_SIZE.fullmatch(size_text.encode("ascii")):
            raise _malformed(f"Chunk size {size_text[:20]!r} is not a hexadecimal number.")
        size = int(size_text, 16)
        if size > MAX_CHUNK_SIZE:
            raise _malformed(f"A chunk of {size} bytes is larger than hutch accepts ({MAX_CHUNK_SIZE}).")
        if self._decoded_length is not None and self.decoded + size > self._decoded_length:
            raise _malformed(
                f"The chunks carry more than the {self._decoded_length} bytes "
                "x-amz-decoded-content-length declares."
            )
        self._chunk_count += 1
        if size > 0 and self._previous_size is not None and self._previous_size < MIN_CHUNK_SIZE:
            raise AuthFailure(
                K.CHUNK_TOO_SMALL,
                f"Chunk {self._chunk_count - 1} has {self._previous_size} bytes and is not the last.",
                fields={"Chunk": str(self._chunk_count - 1), "BadChunkSize": str(self._previous_size)},
            )
        self._previous_size = size
        if self._auth is not None:
            name, eq, signature = extensions.partition("=")
            if name.strip() != "chunk-signature" or not eq or not _SIGNATURE.fullmatch(signature.strip()):
                raise _malformed(f"Chunk {self._chunk_count} has no valid chunk-signature.")
            self._chunk_signature = signature.strip()
            self._chunk_hash = hashlib.sha256()
        if size == 0:
            if self._auth is not None:
                self._verify_chunk(EMPTY_SHA256)
            self._state = _State.TRAILER if self._trailer else _State.FINAL_END
        else:
            self._remaining = size
            self._state = _State.DATA

    def _trailer_line(self, line: str) -> None:
        if line == "":
            if self._signed_trailer:
                self._verify_trailer_signature()
            missing = [name for name in self._declared if name not in self._trailers]
            if missing:
                raise AuthFailure(
                    K.TRAILER_MALFORMED, f"The trailer {missing[0]} declared in x-amz-trailer was not sent."
                )
            self._state = _State.DONE
            return
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        value = value.strip()
        if not colon or not name:
            raise AuthFailure(K.TRAILER_MALFORMED, "A trailer line is not 'name:value'.")
        if name == TRAILER_SIGNATURE:
            # Only signed trailers carry one; an unsigned body's stray signature line proves nothing.
            if self._signed_trailer:
                if self._trailer_signature is not None or not _SIGNATURE.fullmatch(value):
                    raise AuthFailure(K.TRAILER_MALFORMED, f"Invalid {TRAILER_SIGNATURE}.")
                self._trailer_signature = value
            return
        if self._trailer_signature is not None:
            raise AuthFailure(K.TRAILER_MALFORMED, f"A trailer follows {TRAILER_SIGNATURE}.")
        if name not in self._declared:
            raise AuthFailure(
                K.TRAILER_MALFORMED, f"The trailer {name[:64]} was not declared in x-amz-trailer."
            )
        if name in self._trailers:
            raise AuthFailure(K.TRAILER_MALFORMED, f"The trailer {name} is sent twice.")
        self._trailers[name] = value
        self._trailer_lines.append(f"{name}:{value}")

    def feed(self, chunk: bytes) -> list[bytes]:
        """Decode what ``chunk`` completes; the returned pieces are body bytes, in order."""
        out: list[bytes] = []
        data = memoryview(chunk)
        pos = 0
        while pos < len(data):
            state = self._state
            if state is _State.DATA:
                take = min(self._remaining, len(data) - pos)
                piece = bytes(data[pos : pos + take])
                pos += take
                self._remaining -= take
                self.decoded += take
                if self._chunk_hash is not None:
                    self._chunk_hash.update(piece)
                out.append(piece)
                if self._remaining == 0:
                    if self._chunk_hash is not None:
                        self._verify_chunk(self._chunk_hash.hexdigest())
                    self._state = _State.DATA_END
            elif state is _State.HEADER:
                line, pos = self._take_line(data, pos, MAX_LINE)
                if line is not None:
                    self._start_chunk(line)
            elif state in (_State.DATA_END, _State.FINAL_END):
                line, pos = self._take_line(data, pos, 0)
                if line is not None:
                    if line:
                        raise _malformed(f"Expected the end of a chunk, found {line[:20]!r}.")
                    self._state = _State.HEADER if state is _State.DATA_END else _State.DONE
            elif state is _State.TRAILER:
                before = pos
                line, pos = self._take_line(data, pos, MAX_LINE)
                self._trailer_bytes += pos - before
                if self._trailer_bytes > MAX_TRAILER_BYTES:
                    raise AuthFailure(
                        K.TRAILER_MALFORMED, f"The trailer is longer than {MAX_TRAILER_BYTES} bytes."
                    )
                if line is not None:
                    self._trailer_line(line)
            else:
                raise _malformed("Data follows the final chunk.")
        return out

    def finish(self) -> dict[str, str]:
        """At the end of the body: check it ended where the framing says, and return the trailers."""
        complete = self._state is _State.DONE or (self._state is _State.FINAL_END and not self._line)
        if not complete:
            raise _malformed(f"{_INCOMPLETE} (in the {self._state.value}).")
        if self._decoded_length is not None and self.decoded != self._decoded_length:
            raise _malformed(
                f"You did not provide the number of bytes specified by x-amz-decoded-content-length "
                f"({self.decoded} of {self._decoded_length})."
            )
        return dict(self._trailers)


def _payload_mode(auth: SigV4Auth | None, request: HttpRequest) -> str:
    """What the body is: the verified x-amz-content-sha256, or for an anonymous request what it claims."""
    if auth is not None:
        return auth.payload_hash
    value = (request.headers.get("x-amz-content-sha256") or UNSIGNED_PAYLOAD).strip()
    if value in (UNSIGNED_PAYLOAD, STREAMING_UNSIGNED_TRAILER) or is_hex_sha256(value):
        return value
    raise AuthFailure(
        K.CONTENT_SHA256_INVALID,
        "Anonymous requests don't support this x-amz-content-sha256 value. "
        f"Please use {UNSIGNED_PAYLOAD} or {STREAMING_UNSIGNED_TRAILER}.",
    )


def _decoded_length(request: HttpRequest) -> int | None:
    value = request.headers.get("x-amz-decoded-content-length")
    if value is None:
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 15:
        raise _malformed(f"x-amz-decoded-content-length is not a length: {value[:20]!r}.")
    return int(value)


class DecodedBody(AsyncIterator[bytes]):
    """The body of an S3 request, as the object bytes it carries.

    An iterator, so it is read once. When iteration ends without AuthFailure every signature, hash and
    checksum the request claimed has been checked, ``checksum`` holds the flexible checksum that was verified
    (from an x-amz-checksum-* header or trailer; None if the client sent none) and ``length`` the byte count.
    """

    def __init__(self, auth: SigV4Auth | None, request: HttpRequest, source: AsyncIterator[bytes]) -> None:
        mode = _payload_mode(auth, request)
        self._source = source
        self._sha256: hashlib._Hash | None = None
        self._decoder: ChunkDecoder | None = None
        trailers = declared_trailers(request.headers)
        is_trailer_mode = mode in (STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER)
        if trailers and not is_trailer_mode:
            raise AuthFailure(
                K.CHECKSUM_INVALID,
                "x-amz-trailer requires x-amz-content-sha256 to be "
                f"{STREAMING_UNSIGNED_TRAILER} or {STREAMING_SIGNED_TRAILER}.",
            )
        if mode in (STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER):
            self._decoder = ChunkDecoder(
                auth=None if mode == STREAMING_UNSIGNED_TRAILER else auth,
                trailer=is_trailer_mode,
                declared_trailers=trailers,
                decoded_length=_decoded_length(request),
            )
        elif mode != UNSIGNED_PAYLOAD:
            self._sha256 = hashlib.sha256()
        self._expected_sha256 = mode.lower() if self._sha256 is not None else None
        self._checks = BodyChecksums.from_headers(request.headers, trailers=trailers)
        self._pieces: AsyncGenerator[bytes, None] | None = None
        self.checksum: VerifiedChecksum | None = None
        self.length = 0

    def __aiter__(self) -> DecodedBody:
        return self

    async def __anext__(self) -> bytes:
        if self._pieces is None:
            self._pieces = self._run()
        return await anext(self._pieces)

    async def aclose(self) -> None:
        """Stop early (the consumer gave up): close the decoding and the source it reads."""
        if self._pieces is not None:
            await self._pieces.aclose()
        close = getattr(self._source, "aclose", None)
        if close is not None:
            await close()

    def _emit(self, piece: bytes) -> bytes:
        self._checks.update(piece)
        if self._sha256 is not None:
            self._sha256.update(piece)
        self.length += len(piece)
        return piece

    async def _run(self) -> AsyncGenerator[bytes, None]:
        decoder = self._decoder
        async for raw in self._source:
            if decoder is None:
                if raw:
                    yield self._emit(raw)
                continue
            for piece in decoder.feed(raw):
                yield self._emit(piece)
        trailers = decoder.finish() if decoder is not None else {}
        if self._sha256 is not None:
            computed = self._sha256.hexdigest()
            if computed != self._expected_sha256:
                raise AuthFailure(
                    K.PAYLOAD_HASH_MISMATCH,
                    fields={
                        "ClientComputedContentSHA256": self._expected_sha256 or "",
                        "S3ComputedContentSHA256": computed,
                    },
                )
        self.checksum = self._checks.finish(trailers)


def decode_body(auth: SigV4Auth | None, request: HttpRequest, source: AsyncIterator[bytes]) -> DecodedBody:
    """The object bytes of an S3 request's body (see DecodedBody): ``auth`` from verify(), None if anonymous.

    Anonymous uploads may still be aws-chunked with a checksum trailer (boto3 sends them so over https).

    Header problems (a bad x-amz-checksum-* value, an unsupported x-amz-trailer, ...) raise here, before
    any byte is read; body problems raise from the iteration.
    """
    return DecodedBody(auth, request, source)
