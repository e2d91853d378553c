"""The streaming multipart/form-data reader of browser uploads: every chunking, hostile bodies, bounds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hutch.errors import ServiceError
from hutch.services.s3.form_data import (
    MAX_PRE_DATA,
    FormHead,
    FormReader,
    boundary_of,
    split_parameters,
)

BOUNDARY = b"----WebKitFormBoundaryx7Qk2"


def part(name: str, value: bytes, *, filename: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    headers = f"Content-Disposition: {disposition}\r\n"
    if content_type:
        headers += f"Content-Type: {content_type}\r\n"
    return b"--" + BOUNDARY + b"\r\n" + headers.encode() + b"\r\n" + value + b"\r\n"


def form(*parts: bytes, close: bool = True) -> bytes:
    return b"".join(parts) + (b"--" + BOUNDARY + b"--\r\n" if close else b"")


def browser_form(content: bytes) -> bytes:
    """What a browser sends for <input name=key><input name=policy><input type=file name=file><submit>."""
    return form(
        part("key", b"uploads/${filename}"),
        part("policy", b"eyJleHBpcmF0aW9uIjoi"),
        part("file", content, filename="photo.jpg", content_type="image/jpeg"),
        part("submit", b"Upload"),
    )


async def source(data: bytes, sizes: Iterator[int]) -> AsyncIterator[bytes]:
    i = 0
    while i < len(data):
        n = max(1, next(sizes))
        yield data[i : i + n]
        i += n


def every(n: int) -> Iterator[int]:
    while True:
        yield n


def read(data: bytes, sizes: Iterator[int], **kwargs: int) -> tuple[FormHead, bytes | None]:
    async def go() -> tuple[FormHead, bytes | None]:
        reader = FormReader(source(data, sizes), BOUNDARY, **kwargs)
        head = await reader.read_head()
        if head.file is None:
            return head, None
        return head, b"".join([chunk async for chunk in reader.file_content()])

    return anyio.run(go)


def refusal(data: bytes, sizes: Iterator[int] | None = None, **kwargs: int) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        read(data, sizes or every(4096), **kwargs)
    return caught.value


# The file's bytes contain near-misses of the delimiter that must stay content.
TRICKY = b"a\r\n--" + BOUNDARY[:-1] + b"\r\n-\r\n\r\n--" + BOUNDARY[:5] + b"--" + BOUNDARY + b"z\r"


@pytest.mark.parametrize(
    "size", [1, 2, 3, 5, len(BOUNDARY) - 1, len(BOUNDARY), len(BOUNDARY) + 3, 64, 1 << 20]
)
def test_a_browser_form_reads_the_same_whatever_the_chunking(size: int) -> None:
    head, content = read(browser_form(TRICKY), every(size))
    assert [(f.name, f.value) for f in head.fields] == [
        ("key", "uploads/${filename}"),
        ("policy", "eyJleHBpcmF0aW9uIjoi"),
    ]
    assert head.file is not None
    assert head.file.filename == "photo.jpg"
    assert head.file.content_type == "image/jpeg"
    assert content == TRICKY


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(content=st.binary(max_size=300), sizes=st.lists(st.integers(1, 40), min_size=1, max_size=50))
def test_boundaries_split_anywhere_never_change_the_file(content: bytes, sizes: list[int]) -> None:
    cycle = iter(sizes * 10_000)
    head, got = read(browser_form(content), cycle)
    assert got == content
    assert [f.name for f in head.fields] == ["key", "policy"]


def test_an_empty_file_is_zero_bytes() -> None:
    _, content = read(form(part("key", b"k"), part("file", b"", filename="")), every(7))
    assert content == b""


def test_the_file_streams_without_being_gathered() -> None:
    """Chunks come out as they come in: the first is handed on long before the body has been read."""
    body = form(part("key", b"k"), part("file", b"x" * (5 << 20), filename="big.bin"))
    pulled = 0
    largest = 0
    pulled_at_first_chunk = None

    async def counting() -> AsyncIterator[bytes]:
        nonlocal pulled
        for i in range(0, len(body), 65536):
            pulled += 1
            yield body[i : i + 65536]

    async def go() -> int:
        nonlocal largest, pulled_at_first_chunk
        reader = FormReader(counting(), BOUNDARY)
        await reader.read_head()
        total = 0
        async for chunk in reader.file_content():
            if pulled_at_first_chunk is None:
                pulled_at_first_chunk = pulled
            largest = max(largest, len(chunk))
            total += len(chunk)
        return total

    assert anyio.run(go) == 5 << 20
    assert pulled_at_first_chunk is not None and pulled_at_first_chunk <= 2
    assert largest <= 65536 + len(BOUNDARY) + 4


def test_a_preamble_and_transport_padding_are_allowed() -> None:
    body = b"this is a preamble\r\n" + form(part("key", b"k"), part("file", b"data", filename="f"))
    body = body.replace(b"--" + BOUNDARY + b"\r\n", b"--" + BOUNDARY + b" \t\r\n")
    head, content = read(body, every(3))
    assert [f.value for f in head.fields] == ["k"] and content == b"data"


def test_a_part_without_headers_or_a_file_name_is_read() -> None:
    head, content = read(form(part("key", b"k"), part("FILE", b"text content")), every(5))
    assert head.file is not None and head.file.filename is None
    assert content == b"text content"


def test_a_form_without_a_file_part_says_so() -> None:
    head, content = read(form(part("key", b"k"), part("acl", b"private")), every(4))
    assert head.file is None and content is None
    assert [f.name for f in head.fields] == ["key", "acl"]


def test_a_file_name_keeps_windows_backslashes_and_escaped_quotes() -> None:
    kind, params = split_parameters(r'form-data; name="file"; filename="C:\dir\say \"hi\".txt"')
    assert kind == "form-data"
    assert params == {"name": "file", "filename": r'C:\dir\say "hi".txt'}


def test_a_utf8_file_name_is_decoded() -> None:
    head, _ = read(form(part("key", b"k"), part("file", b"x", filename="r\u00e9sum\u00e9.pdf")), every(9))
    assert head.file is not None and head.file.filename == "r\u00e9sum\u00e9.pdf"


def test_fields_before_the_file_are_bounded_to_20_kb() -> None:
    big = form(
        part("key", b"k"), part("x-amz-meta-note", b"n" * MAX_PRE_DATA), part("file", b"f", filename="f")
    )
    error = refusal(big)
    assert (error.code, error.status) == ("MaxPostPreDataLengthExceeded", 400)
    assert error.fields == {"MaxPostPreDataLengthBytes": str(MAX_PRE_DATA)}


def test_the_file_does_not_count_against_the_field_budget() -> None:
    _, content = read(
        form(part("key", b"k"), part("file", b"f" * (MAX_PRE_DATA * 3), filename="f")), every(999)
    )
    assert content is not None and len(content) == MAX_PRE_DATA * 3


def test_an_endless_body_without_a_boundary_is_refused_after_a_bounded_read() -> None:
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        while True:
            pulled += 1024
            yield b"a" * 1024

    async def go() -> None:
        await FormReader(endless(), BOUNDARY).read_head()

    with pytest.raises(ServiceError) as caught:
        anyio.run(go)
    assert caught.value.code == "MaxPostPreDataLengthExceeded"
    assert pulled <= MAX_PRE_DATA + 2048


def test_an_endless_header_line_is_refused_after_a_bounded_read() -> None:
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="'
        while True:
            pulled += 512
            yield b"n" * 512

    async def go() -> None:
        await FormReader(endless(), BOUNDARY).read_head()

    with pytest.raises(ServiceError):
        anyio.run(go)
    assert pulled <= MAX_PRE_DATA + 1024


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"--" + BOUNDARY,  # ends after the first boundary
        form(part("key", b"k"), close=False)[:-2],  # ends inside a field
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: attachment; name="key"\r\n\r\nk\r\n--'
        + BOUNDARY
        + b"--",
        b"--" + BOUNDARY + b"\r\nContent-Type: text/plain\r\n\r\nk\r\n--" + BOUNDARY + b"--",  # no name
        b"--" + BOUNDARY + b"\r\nnot a header\r\n\r\nk\r\n--" + BOUNDARY + b"--",
        b"--" + BOUNDARY + b"junk\r\n",  # the boundary is the prefix of a longer line
        form(part("key", b"\xff\xfe")),  # a field that is not UTF-8
    ],
)
def test_malformed_bodies_are_a_400(body: bytes) -> None:
    error = refusal(body, every(3))
    assert (error.code, error.status) == ("MalformedPOSTRequest", 400)


def test_a_file_cut_off_before_its_closing_boundary_is_a_400() -> None:
    body = (
        form(part("key", b"k"), close=False)
        + b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="file"'
    )
    body += b"\r\n\r\nhalf a fi"
    error = refusal(body, every(6))
    assert error.code == "MalformedPOSTRequest"


def test_what_follows_the_file_is_discarded_within_a_limit() -> None:
    tail = part("submit", b"x" * 5000)

    async def go(limit: int) -> bool:
        reader = FormReader(source(form(part("file", b"f", filename="f"), tail), every(100)), BOUNDARY)
        await reader.read_head()
        async for _ in reader.file_content():
            pass
        return await reader.discard_rest(limit)

    assert anyio.run(go, 10_000) is True
    assert anyio.run(go, 1_000) is False


@pytest.mark.parametrize(
    ("content_type", "code", "status"),
    [
        ("text/plain", "PreconditionFailed", 412),
        (None, "PreconditionFailed", 412),
        ("application/x-www-form-urlencoded", "PreconditionFailed", 412),
        ("multipart/form-data", "MalformedPOSTRequest", 400),
        ("multipart/form-data; boundary=" + "b" * 71, "MalformedPOSTRequest", 400),
    ],
)
def test_the_content_type_must_be_multipart_with_a_boundary(
    content_type: str | None, code: str, status: int
) -> None:
    with pytest.raises(ServiceError) as caught:
        boundary_of(content_type)
    assert (caught.value.code, caught.value.status) == (code, status)


def test_a_quoted_boundary_is_unquoted() -> None:
    assert boundary_of('Multipart/Form-Data; charset=utf-8; boundary="a b:c"') == b"a b:c"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda cut, junk: browser_form(b"payload")[:cut] + junk,
            st.integers(0, 400),
            st.binary(max_size=40),
        ),
    ),
    size=st.integers(1, 64),
)
def test_hostile_bodies_end_in_a_client_error_or_a_form(body: bytes, size: int) -> None:
    try:
        read(body, every(size), max_pre_data=1024)
    except ServiceError as error:
        assert 400 <= error.status < 500
