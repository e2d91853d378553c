"""multipart/form-data for S3 browser uploads (POST Object), read as it streams.

S3's rules shape the reader: the fields before the ``file`` part are small (S3 bounds them, with their
boundaries and part headers, to 20 KB) and are read whole; the file part comes last, may be gigabytes, and is
handed on chunk by chunk, never buffered; anything after it is ignored. Part bodies end at CRLF "--" boundary
(RFC 2046 5.1.1), which may arrive split across any number of chunks, so the reader keeps only the
boundary's length of look-behind. Every failure is a client error in S3's words, never a hang: each wait for
a delimiter is bounded by what the remaining field budget allows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from hutch.errors import ServiceError

# "The form data and boundaries (excluding the contents of the file) cannot exceed 20KB."
MAX_PRE_DATA = 20 * 1024
MAX_BOUNDARY = 70  # RFC 2046
FILE_FIELD = "file"


def malformed() -> ServiceError:
    return ServiceError(
        "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", 400
    )


def pre_data_too_large(limit: int) -> ServiceError:
    # AWS's own wording, spelling included.
    return ServiceError(
        "MaxPostPreDataLengthExceeded",
        "Your POST request fields preceeding the upload file was too large.",
        400,
        fields={"MaxPostPreDataLengthBytes": str(limit)},
    )


def not_multipart() -> ServiceError:
    return ServiceError(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        412,
        fields={"Condition": "Bucket POST must be of the enclosure-type multipart/form-data"},
    )


# -- header values ------------------------------------------------------------------------------------


def split_parameters(value: str) -> tuple[str, dict[str, str]]:
    """``type; a=b; c="d"`` → ("type", {"a": "b", "c": "d"}); parameter names lower-cased.

    Inside quotes only ``\\"`` is an escape: browsers send Windows paths (``C:\\dir\\x.jpg``) with their
    backslashes as they are, and S3 takes the file name after the last one.
    """
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if quoted and ch == "\\" and value[i + 1 : i + 2] == '"':
            current.append('\\"')
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    pieces.append("".join(current))
    params: dict[str, str] = {}
    for piece in pieces[1:]:
        name, sep, raw = piece.strip().partition("=")
        if not sep:
            continue
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1].replace('\\"', '"')
        params.setdefault(name.strip().lower(), raw)
    return pieces[0].strip().lower(), params


def boundary_of(content_type: str | None) -> bytes:
    """The boundary of a multipart/form-data body; 412 if the body is something else."""
    kind, params = split_parameters(content_type or "")
    if kind != "multipart/form-data":
        raise not_multipart()
    boundary = params.get("boundary", "").rstrip(" \t")
    if not 1 <= len(boundary) <= MAX_BOUNDARY or not boundary.isascii() or not boundary.isprintable():
        raise malformed()
    return boundary.encode("ascii")


def _text(raw: bytes) -> str:
    # Part headers are ASCII by the RFCs, but browsers send file names as raw UTF-8.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# -- the reader ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str  # as sent
    value: str


@dataclass(frozen=True)
class FilePart:
    filename: str | None  # None when the part had no filename parameter
    content_type: str | None


@dataclass(frozen=True)
class FormHead:
    """Everything before the file's bytes: the fields in order, and the file part's headers."""

    fields: tuple[Field, ...]
    file: FilePart | None  # None: the form ended without a part named "file"


@dataclass(frozen=True)
class _PartHeaders:
    disposition: str
    name: str | None
    filename: str | None
    content_type: str | None


class FormReader:
    """Reads one multipart/form-data body from an async byte stream: ``read_head``, then ``file_content``,
    then optionally ``discard_rest``."""

    def __init__(self, chunks: AsyncIterator[bytes], boundary: bytes, *, max_pre_data: int = MAX_PRE_DATA):
        self._chunks = chunks
        self._delimiter = b"\r\n--" + boundary
        self._max_pre_data = max_pre_data
        # The first boundary may open the body with no CRLF before it: pretend one was there, so every
        # boundary is found the same way (and a preamble before it is skipped as RFC 2046 wants).
        self._buffer = bytearray(b"\r\n")
        self._eof = False
        self.consumed = -2  # body bytes taken from the buffer (the pretended CRLF is not the client's)
        self._in_file = False

    async def _fill(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the body."""
        while not self._eof:
            chunk = await anext(self._chunks, None)
            if chunk is None:
                self._eof = True
            elif chunk:
                self._buffer += chunk
                return True
        return False

    def _take(self, n: int) -> bytes:
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        self.consumed += n
        return out

    def _budget(self) -> int:
        return self._max_pre_data - self.consumed

    async def _until(self, marker: bytes) -> bytes:
        """The bytes before ``marker`` (which is consumed too), within what the field budget allows."""
        searched = 0
        while True:
            found = self._buffer.find(marker, searched)
            if found >= 0:
                if found + len(marker) > self._budget():
                    raise pre_data_too_large(self._max_pre_data)
                value = self._take(found)
                self._take(len(marker))
                return value
            if len(self._buffer) > self._budget():
                raise pre_data_too_large(self._max_pre_data)
            searched = max(0, len(self._buffer) - len(marker) + 1)
            if not await self._fill():
                raise malformed()

    async def _need(self, n: int) -> bool:
        while len(self._buffer) < n:
            if not await self._fill():
                return False
        return True

    async def _after_delimiter(self) -> bool:
        """Past a delimiter: True if a part follows, False if it was the closing one."""
        if not await self._need(2):
            raise malformed()
        if self._buffer.startswith(b"--"):
            return False
        # Transport padding (linear white space) may follow a delimiter before its CRLF.
        line = await self._until(b"\r\n")
        if line.strip(b" \t"):
            raise malformed()
        return True

    async def _part_headers(self) -> _PartHeaders:
        headers: dict[str, str] = {}
        last: str | None = None
        while True:
            line = await self._until(b"\r\n")
            if not line:
                break
            if line[:1] in (b" ", b"\t") and last is not None:  # an obsolete folded continuation
                headers[last] += " " + _text(line).strip()
                continue
            name, sep, value = line.partition(b":")
            if not sep or not name.strip():
                raise malformed()
            last = _text(name).strip().lower()
            headers.setdefault(last, _text(value).strip())
        disposition, params = split_parameters(headers.get("content-disposition", ""))
        return _PartHeaders(
            disposition, params.get("name"), params.get("filename"), headers.get("content-type")
        )

    async def read_head(self) -> FormHead:
        """Read up to the start of the file's bytes (or the end of the form)."""
        if self._in_file:
            raise RuntimeError("read_head was called twice")
        await self._until(self._delimiter)  # the preamble, if any, is ignored
        fields: list[Field] = []
        while await self._after_delimiter():
            part = await self._part_headers()
            if part.disposition != "form-data" or part.name is None:
                raise malformed()
            if part.name.lower() == FILE_FIELD:
                self._in_file = True
                return FormHead(tuple(fields), FilePart(part.filename, part.content_type))
            raw = await self._until(self._delimiter)
            try:
                value = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise malformed() from None
            fields.append(Field(part.name, value))
        return FormHead(tuple(fields), None)

    async def file_content(self) -> AsyncIterator[bytes]:
        """The file's bytes, up to its closing delimiter; MalformedPOSTRequest if the body ends first."""
        if not self._in_file:
            raise RuntimeError("file_content before read_head found the file part")
        self._in_file = False
        keep = len(self._delimiter) - 1  # a delimiter may be split across chunks
        while True:
            found = self._buffer.find(self._delimiter)
            if found >= 0:
                if found:
                    yield self._take(found)
                self._take(len(self._delimiter))
                # The boundary must be a whole delimiter line, not the prefix of some longer line.
                if not await self._need(2):
                    raise malformed()
                if not self._buffer.startswith((b"--", b"\r\n", b" ", b"\t")):
                    raise malformed()
                return
            if len(self._buffer) > keep:
                yield self._take(len(self._buffer) - keep)
            if not await self._fill():
                raise malformed()

    async def discard_rest(self, limit: int) -> bool:
        """Read and drop what follows the file (S3 ignores it); False if more than ``limit`` bytes remain."""
        dropped = len(self._buffer)
        self._buffer.clear()
        while dropped <= limit:
            if not await self._fill():
                return True
            dropped += len(self._buffer)
            self._buffer.clear()
        return False
