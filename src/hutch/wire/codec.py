"""One codec per service, chosen by the protocol its botocore model declares.

The pipeline calls, in order: ``find_operation`` (json/query need the body; rest-xml is given ``None`` and
routes on method, path, query and headers), ``has_streaming_input`` (S3 PutObject/UploadPart bodies are
streamed, never read whole), ``parse`` (the params botocore's serializer would have been given), then
``serialize`` or ``serialize_error``. Bad input always raises ``ServiceError``, in the protocol's own terms.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import cache
from typing import Any, Protocol

from botocore.model import OperationModel, ServiceModel

from hutch.errors import ServiceError
from hutch.wire.http import HttpRequest, HttpResponse
from hutch.wire.json_protocol import JsonCodec
from hutch.wire.models import service_model
from hutch.wire.query_protocol import QueryCodec
from hutch.wire.restxml_protocol import RestXmlCodec


class ProtocolCodec(Protocol):
    service_model: ServiceModel

    def find_operation(self, request: HttpRequest, body: bytes | None) -> OperationModel: ...

    def has_streaming_input(self, op: OperationModel) -> bool: ...

    def parse(
        self,
        op: OperationModel,
        request: HttpRequest,
        body: bytes | None,
        stream: AsyncIterator[bytes] | None = None,
    ) -> dict[str, Any]: ...

    def serialize(self, op: OperationModel, result: dict[str, Any], request_id: str) -> HttpResponse: ...

    def serialize_error(
        self, error: ServiceError, request_id: str, op: OperationModel | None
    ) -> HttpResponse: ...


_CODECS: dict[str, type[JsonCodec] | type[QueryCodec] | type[RestXmlCodec]] = {
    "json": JsonCodec,
    "query": QueryCodec,
    "rest-xml": RestXmlCodec,
}


@cache
def codec_for(service_name: str) -> ProtocolCodec:
    """The codec of ``service_name`` (cached); ``KeyError`` for a service or protocol hutch does not speak."""
    model = service_model(service_name)
    protocol = str(model.metadata["protocol"])
    try:
        codec_class = _CODECS[protocol]
    except KeyError:
        raise KeyError(f"{service_name} uses the {protocol} protocol, which hutch does not speak") from None
    return codec_class(model)
