"""Choosing a codec per service."""

from __future__ import annotations

import pytest

from hutch.wire.codec import codec_for
from hutch.wire.json_protocol import JsonCodec
from hutch.wire.query_protocol import QueryCodec
from hutch.wire.restxml_protocol import RestXmlCodec


@pytest.mark.parametrize(
    ("service", "codec_class"),
    [
        ("cognito-idp", JsonCodec),
        ("cognito-identity", JsonCodec),
        ("iam", QueryCodec),
        ("sts", QueryCodec),
        ("s3", RestXmlCodec),
    ],
)
def test_each_service_gets_the_codec_of_its_protocol(service: str, codec_class: type) -> None:
    codec = codec_for(service)

    assert isinstance(codec, codec_class)
    assert codec.service_model.service_name == service


def test_codecs_are_cached_per_service() -> None:
    assert codec_for("s3") is codec_for("s3")


def test_a_service_hutch_does_not_serve_has_no_codec() -> None:
    with pytest.raises(KeyError):
        codec_for("sqs")


@pytest.mark.parametrize(
    ("service", "operation", "streams"),
    [
        ("s3", "PutObject", True),
        ("s3", "UploadPart", True),
        ("s3", "PutBucketPolicy", False),
        ("iam", "CreateRole", False),
    ],
)
def test_only_streaming_blob_payloads_are_streamed(service: str, operation: str, streams: bool) -> None:
    codec = codec_for(service)

    assert codec.has_streaming_input(codec.service_model.operation_model(operation)) is streams
