"""The bounded, defused XML parser and shape-driven XML."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree.ElementTree import Element

import pytest

from hutch.wire.models import service_model
from hutch.wire.shapes import iso8601
from hutch.wire.xml import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_XML_BYTES,
    XmlError,
    XmlWriter,
    decode_value,
    local_name,
    parse_document,
    render_document,
)


def test_a_well_formed_document_parses_with_namespaces() -> None:
    root = parse_document(
        b'<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet></Delete>'
    )

    assert local_name(root.tag) == "Delete"


@pytest.mark.parametrize(
    "data",
    [
        b"<a><b></a>",
        b"",
        b"plain text",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>',
        b'<?xml version="1.0"?><!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>',
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>',
    ],
)
def test_malformed_xml_and_dtds_are_refused(data: bytes) -> None:
    with pytest.raises(XmlError):
        parse_document(data)


def test_nesting_is_bounded() -> None:
    with pytest.raises(XmlError):
        parse_document(b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1))


def test_element_count_is_bounded() -> None:
    with pytest.raises(XmlError):
        parse_document(b"<a>" + b"<b/>" * MAX_ELEMENTS + b"</a>")


def test_size_is_bounded() -> None:
    with pytest.raises(XmlError):
        parse_document(b"<a>" + b"x" * MAX_XML_BYTES + b"</a>")


def test_carriage_returns_survive_a_round_trip() -> None:
    root = Element("Tag")
    root.text = "line one\r\nline two\r"

    assert parse_document(render_document(root)).text == "line one\r\nline two\r"


def test_a_shape_round_trips_through_xml() -> None:
    shape = service_model("s3").shape_for("CORSConfiguration")
    value = {"CORSRules": [{"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["*"], "MaxAgeSeconds": 10}]}
    root = Element("CORSConfiguration")

    XmlWriter(lambda moment: iso8601(moment, always_millis=True)).members(root, shape, value, "test")

    assert decode_value(shape, parse_document(render_document(root)), "") == value


def test_timestamps_are_written_by_the_protocols_writer() -> None:
    shape = service_model("s3").shape_for("Part")
    root = Element("Part")

    XmlWriter(lambda moment: "WRITTEN").members(
        root, shape, {"LastModified": datetime(2024, 1, 1, tzinfo=UTC)}, "t"
    )

    assert root.findtext("LastModified") == "WRITTEN"
