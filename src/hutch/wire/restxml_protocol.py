"""The rest-xml protocol (S3): members bound to the URI, query string and headers, plus an XML or raw payload.

Requests are matched to an operation by restxml_routing; members are read from where the model binds them.
Responses put header members in headers, the payload (XML, raw string, or a streamed blob passed through
untouched) in the body, and use the model's status code. Errors are S3's ``<Error>`` document.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape

from hutch.errors import ServiceError
from hutch.wire.form import FormError, decode_form
from hutch.wire.http import HttpRequest, HttpResponse, ResponseBody
from hutch.wire.models import wire_error_code
from hutch.wire.restxml_routing import Router
from hutch.wire.shapes import (
    ISO8601,
    RFC822,
    WireValueError,
    is_json_value,
    iso8601,
    parse_json_value,
    parse_timestamp,
    result_text,
    validation_path,
    wire_name,
)
from hutch.wire.validate import violations
from hutch.wire.xml import XmlError, XmlWriter, decode_scalar, decode_value, parse_document, render_document

_XML_CONTENT_TYPE = "application/xml"
_MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"

# botocore's JSON models drop the XML root names of S3's output structures (the Smithy model's @xmlName);
# real S3, and SDKs that check, use these.
_ROOT_ELEMENTS = {
    "CompleteMultipartUploadOutput": "CompleteMultipartUploadResult",
    "CreateMultipartUploadOutput": "InitiateMultipartUploadResult",
    "CreateSessionOutput": "CreateSessionResult",
    "DeleteObjectsOutput": "DeleteResult",
    "GetBucketAccelerateConfigurationOutput": "AccelerateConfiguration",
    "GetBucketAclOutput": "AccessControlPolicy",
    "GetBucketCorsOutput": "CORSConfiguration",
    "GetBucketLifecycleConfigurationOutput": "LifecycleConfiguration",
    "GetBucketLifecycleOutput": "LifecycleConfiguration",
    "GetBucketLocationOutput": "LocationConstraint",
    "GetBucketLoggingOutput": "BucketLoggingStatus",
    "GetBucketRequestPaymentOutput": "RequestPaymentConfiguration",
    "GetBucketTaggingOutput": "Tagging",
    "GetBucketVersioningOutput": "VersioningConfiguration",
    "GetBucketWebsiteOutput": "WebsiteConfiguration",
    "GetObjectAclOutput": "AccessControlPolicy",
    "GetObjectAttributesOutput": "GetObjectAttributesResponse",
    "GetObjectTaggingOutput": "Tagging",
    "ListBucketAnalyticsConfigurationsOutput": "ListBucketAnalyticsConfigurationResult",
    "ListBucketIntelligentTieringConfigurationsOutput": "ListBucketIntelligentTieringConfigurationsOutput",
    "ListBucketInventoryConfigurationsOutput": "ListInventoryConfigurationsResult",
    "ListBucketMetricsConfigurationsOutput": "ListMetricsConfigurationsResult",
    "ListBucketsOutput": "ListAllMyBucketsResult",
    "ListDirectoryBucketsOutput": "ListAllMyDirectoryBucketsResult",
    "ListMultipartUploadsOutput": "ListMultipartUploadsResult",
    "ListObjectVersionsOutput": "ListVersionsResult",
    "ListObjectsOutput": "ListBucketResult",
    "ListObjectsV2Output": "ListBucketResult",
    "ListPartsOutput": "ListPartsResult",
}

# aws-chunked is SigV4 streaming framing, not part of what the client stores; the pipeline has decoded it.
_AWS_CHUNKED = "aws-chunked"
_DECODED_LENGTH = "x-amz-decoded-content-length"


def host_id_for(request_id: str) -> str:
    """S3's x-amz-id-2 / <HostId> for a request id; deterministic so the header and error body agree."""
    return base64.b64encode(hashlib.sha384(request_id.encode("utf-8")).digest()).decode("ascii")


def _timestamp(moment: datetime) -> str:
    return iso8601(moment, always_millis=True)  # S3 always writes milliseconds: 2009-10-12T17:50:30.000Z


def _split_header_list(raw: str) -> list[str]:
    """A comma-separated header list; items botocore quoted (they contained ',' or '"') are unquoted."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(raw):
        ch = raw[i]
        if quoted and ch == "\\" and i + 1 < len(raw):
            current.append(raw[i + 1])
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    items.append("".join(current).strip())
    return [item for item in items if item]


def _response_namespace(model: ServiceModel) -> str:
    """The namespace S3 puts on its response roots: the one its model declares on request payloads."""
    declared = model.metadata.get("xmlNamespace")
    if isinstance(declared, str):
        return declared
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        payload = shape.serialization.get("payload") if shape is not None else None
        if payload:
            namespace = shape.members[payload].serialization.get("xmlNamespace")
            if isinstance(namespace, Mapping) and not namespace.get("prefix"):
                return str(namespace.get("uri", ""))
    return ""


class RestXmlCodec:
    """Parse and serialize one rest-xml service (S3) from its botocore model."""

    def __init__(self, model: ServiceModel) -> None:
        self.service_model = model
        self._router = Router(model)
        self._namespace = _response_namespace(model)
        self._writer = XmlWriter(_timestamp)
        self._member_plans: dict[str, tuple[tuple[str, Shape, str, str, str], ...]] = {}

    # ---- requests -------------------------------------------------------------------------------------

    def _query(self, request: HttpRequest) -> list[tuple[str, str]]:
        try:
            return decode_form(request.query_string)
        except FormError:
            raise ServiceError("InvalidURI", "Couldn't parse the specified URI.", 400) from None

    def find_operation(self, request: HttpRequest, body: bytes | None) -> OperationModel:
        query: dict[str, str] = {}
        for key, value in self._query(request):
            query.setdefault(key, value)
        return self._router.find(request, query).op

    def has_streaming_input(self, op: OperationModel) -> bool:
        return bool(op.has_streaming_input)

    def parse(
        self,
        op: OperationModel,
        request: HttpRequest,
        body: bytes | None,
        stream: AsyncIterator[bytes] | None = None,
    ) -> dict[str, Any]:
        shape = op.input_shape
        if shape is None:
            return {}
        pairs = self._query(request)
        try:
            params = self._non_payload_members(op, shape, request, pairs)
        except WireValueError as exc:
            raise ServiceError("InvalidArgument", exc.message, 400) from None
        if body is not None and not op.has_streaming_input:
            _check_content_md5(request, body)
        self._payload(shape, params, body, stream)
        found = violations(shape, params, constraints=False)
        if found:
            payload = shape.serialization.get("payload")
            if payload and params.get(payload) is None:
                raise ServiceError("MissingRequestBodyError", "Request Body is empty", 400)
            raise ServiceError("MalformedXML", _MALFORMED_XML, 400)
        return params

    def _non_payload_members(
        self, op: OperationModel, shape: StructureShape, request: HttpRequest, pairs: list[tuple[str, str]]
    ) -> dict[str, Any]:
        labels = self._router.route_for(op).match_path(request.raw_path or "/") or {}
        query: dict[str, list[str]] = {}
        for key, value in pairs:
            query.setdefault(key, []).append(value)
        bound_query: set[str] = set()
        params: dict[str, Any] = {}
        query_map: str | None = None
        for name, member, location, wire, path in self._located_members(shape):
            if location == "uri" and wire in labels:
                params[name] = decode_scalar(member, labels[wire], path)
            elif location == "querystring":
                if member.type_name == "map":
                    query_map = name
                    continue
                bound_query.add(wire)
                values = query.get(wire)
                if not values:
                    continue
                if isinstance(member, ListShape):
                    params[name] = [self._text(member.member, v, path, ISO8601) for v in values]
                else:
                    params[name] = self._text(member, values[0], path, ISO8601)
            elif location == "header":
                raw = request.headers.get(wire)
                if raw is not None:
                    value = self._header(member, wire, raw, path)
                    if value is not None:
                        params[name] = value
            elif location == "headers":
                prefix = wire.lower()
                found = {
                    k[len(prefix) :]: request.headers[k] for k in request.headers if k.startswith(prefix)
                }
                if found:
                    params[name] = found
        if query_map is not None:
            rest = {k: v[0] for k, v in query.items() if k not in bound_query}
            if rest:
                params[query_map] = rest
        self._undo_chunked_framing(shape, request, params)
        return params

    def _located_members(self, shape: StructureShape) -> tuple[tuple[str, Shape, str, str, str], ...]:
        """(name, member, location, wire name, validation path) of the members bound outside the body,
        worked out once per input shape: every request of that operation walks the same list."""
        found = self._member_plans.get(shape.name)
        if found is None:
            found = tuple(
                (name, member, location, wire_name(member, name), validation_path("", name))
                for name, member in shape.members.items()
                if (location := member.serialization.get("location"))
                in ("uri", "querystring", "header", "headers")
            )
            self._member_plans[shape.name] = found
        return found

    @staticmethod
    def _text(shape: Shape, text: str, path: str, timestamp_format: str) -> Any:
        if shape.type_name == "timestamp" and not shape.serialization.get("timestampFormat"):
            return parse_timestamp(text, timestamp_format, path)
        return decode_scalar(shape, text, path)

    def _header(self, member: Shape, header: str, raw: str, path: str) -> Any:
        if is_json_value(member):
            return parse_json_value(raw, path)
        if isinstance(member, ListShape):
            return [self._text(member.member, item, path, RFC822) for item in _split_header_list(raw)]
        try:
            return self._text(member, raw, path, RFC822)
        except WireValueError:
            # RFC 9110: a conditional request header with an invalid date is ignored, not an error.
            if member.type_name == "timestamp" and header.lower().startswith("if-"):
                return None
            raise

    @staticmethod
    def _undo_chunked_framing(shape: StructureShape, request: HttpRequest, params: dict[str, Any]) -> None:
        decoded_length = request.headers.get(_DECODED_LENGTH)
        for name, member in shape.members.items():
            if member.serialization.get("location") != "header":
                continue
            header = str(member.serialization.get("name", name)).lower()
            if header == "content-length" and decoded_length is not None:
                try:
                    params[name] = int(decoded_length)
                except ValueError:
                    raise ServiceError(
                        "InvalidArgument", "Invalid x-amz-decoded-content-length", 400
                    ) from None
            elif header == "content-encoding" and name in params:
                codings = [c.strip() for c in str(params[name]).split(",")]
                kept = [c for c in codings if c and c.lower() != _AWS_CHUNKED]
                if len(kept) == len(codings):
                    continue  # no aws-chunked: the client's value stays exactly as sent
                if kept:
                    params[name] = ",".join(kept)
                else:
                    del params[name]

    def _payload(
        self,
        shape: StructureShape,
        params: dict[str, Any],
        body: bytes | None,
        stream: AsyncIterator[bytes] | None,
    ) -> None:
        payload = shape.serialization.get("payload")
        if payload is None:
            body_members = [n for n, m in shape.members.items() if not m.serialization.get("location")]
            if body_members and body:
                parsed = self._xml(shape, body, "")
                params.update({k: v for k, v in parsed.items() if k in body_members})
            return
        member = shape.members[payload]
        if member.type_name == "blob" and member.serialization.get("streaming"):
            params[payload] = stream if stream is not None else (body or b"")
        elif member.type_name == "blob":
            if body:
                params[payload] = body
        elif member.type_name == "string":
            if body:
                try:
                    params[payload] = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise ServiceError(
                        "InvalidArgument", "The request body is not valid UTF-8", 400
                    ) from None
        elif body and body.strip():
            params[payload] = self._xml(member, body, validation_path("", payload))

    @staticmethod
    def _xml(shape: Shape, body: bytes, path: str) -> Any:
        try:
            return decode_value(shape, parse_document(body), path)
        except (XmlError, WireValueError):
            raise ServiceError("MalformedXML", _MALFORMED_XML, 400) from None

    # ---- responses ------------------------------------------------------------------------------------

    def serialize(self, op: OperationModel, result: dict[str, Any], request_id: str) -> HttpResponse:
        status = int(op.http.get("responseCode", 200))
        shape = op.output_shape
        if shape is None:
            if result:
                raise TypeError(f"{op.name} has no output, but the handler returned {sorted(result)}")
            return HttpResponse(status, [], b"")
        headers: list[tuple[str, str]] = []
        for name, value in result.items():
            member = shape.members.get(name)
            if member is None:
                raise TypeError(f"{op.name}: {name!r} is not a member of {shape.name}")
            if value is None:
                continue
            location = member.serialization.get("location")
            where = f"{op.name}.{name}"
            if location == "header":
                headers.append((wire_name(member, name), _header_text(member, value, where)))
            elif location == "headers":
                if not isinstance(value, Mapping):
                    raise TypeError(f"{where}: expected a dict of header values")
                prefix = wire_name(member, name)
                headers.extend((prefix + str(k), _safe_header(str(v))) for k, v in value.items())
            elif location == "statusCode":
                status = int(value)
        if status == 200 and any(k.lower() == "content-range" for k, _ in headers):
            # A ranged GetObject/HeadObject: RFC 9110 says a partial body is 206 (the model has no member).
            status = 206
        body, content_type = self._body(op, shape, result)
        if content_type and not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", content_type))
        if str(op.http.get("method", "")).upper() == "HEAD":
            body = b""
        return HttpResponse(status, headers, body)

    def _body(
        self, op: OperationModel, shape: StructureShape, result: dict[str, Any]
    ) -> tuple[ResponseBody, str]:
        payload = shape.serialization.get("payload")
        if payload is not None:
            member = shape.members[payload]
            value = result.get(payload)
            if value is None:
                return b"", ""
            where = f"{op.name}.{payload}"
            if member.type_name == "blob":
                if isinstance(value, AsyncIterator):
                    return value, ""  # streamed through untouched (GetObject)
                if isinstance(value, bytes | bytearray | memoryview):
                    return bytes(value), ""
                raise TypeError(f"{where}: expected bytes or an async iterator of bytes")
            if member.type_name == "string":
                if not isinstance(value, str):
                    raise TypeError(f"{where}: expected str")
                return value.encode("utf-8"), ""  # GetBucketPolicy: the policy document itself
            root = Element(wire_name(member, payload))
            self._set_namespace(root, member)
            if not isinstance(value, Mapping) or not isinstance(member, StructureShape):
                raise TypeError(f"{where}: expected a dict for {member.name}")
            self._writer.members(root, member, value, where)
            return render_document(root), _XML_CONTENT_TYPE
        body_members = {n: m for n, m in shape.members.items() if not m.serialization.get("location")}
        if not body_members:
            return b"", ""
        root_name = _ROOT_ELEMENTS.get(shape.name, shape.name.removesuffix("Output") + "Result")
        root = Element(root_name)
        if self._namespace:
            root.set("xmlns", self._namespace)
        lone = body_members.get(root_name)
        if len(body_members) == 1 and lone is not None and not isinstance(lone, StructureShape | ListShape):
            # GetBucketLocation: <LocationConstraint>eu-west-1</LocationConstraint>, empty for us-east-1.
            value = result.get(root_name)
            if value is not None:
                root.text = result_text(lone, value, f"{op.name}.{root_name}", ISO8601)
        else:
            self._writer.members(root, shape, {k: v for k, v in result.items() if k in body_members}, op.name)
        return render_document(root), _XML_CONTENT_TYPE

    def _set_namespace(self, root: Element, member: Shape) -> None:
        namespace = member.serialization.get("xmlNamespace")
        if isinstance(namespace, Mapping) and not namespace.get("prefix"):
            root.set("xmlns", str(namespace.get("uri", "")))
        elif self._namespace:
            root.set("xmlns", self._namespace)

    def serialize_error(
        self, error: ServiceError, request_id: str, op: OperationModel | None
    ) -> HttpResponse:
        headers = list(error.headers.items())
        is_head = op is not None and str(op.http.get("method", "")).upper() == "HEAD"
        if is_head or error.status in (204, 304):
            # No body is allowed here; botocore then reports the status ("404") as the code, as with S3.
            return HttpResponse(error.status, headers, b"")
        root = Element("Error")
        SubElement(root, "Code").text = wire_error_code(self.service_model, error.code)
        SubElement(root, "Message").text = error.message
        for key, value in error.fields.items():
            SubElement(root, key).text = str(value)
        SubElement(root, "RequestId").text = request_id
        SubElement(root, "HostId").text = host_id_for(request_id)
        headers.append(("Content-Type", _XML_CONTENT_TYPE))
        return HttpResponse(error.status, headers, render_document(root))


def _check_content_md5(request: HttpRequest, body: bytes) -> None:
    claimed = request.headers.get("content-md5")
    if claimed is None:
        return
    try:
        digest = base64.b64decode(claimed.strip(), validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 16:
        raise ServiceError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400)
    if hashlib.md5(body, usedforsecurity=False).digest() != digest:
        raise ServiceError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400)


def _header_text(member: Shape, value: Any, where: str) -> str:
    if is_json_value(member):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode("utf-8")).decode("ascii")
    if isinstance(member, ListShape):
        if not isinstance(value, list | tuple):
            raise TypeError(f"{where}: expected a list")
        items = [result_text(member.member, item, where, RFC822) for item in value]
        return _safe_header(",".join(_quote_list_item(item) for item in items))
    return _safe_header(result_text(member, value, where, RFC822))


def _quote_list_item(item: str) -> str:
    if "," in item or '"' in item:
        return '"' + item.replace('"', '\\"') + '"'
    return item


def _safe_header(value: str) -> str:
    # Header values reach us from stored client data; a line break would split the response's headers.
    value = value.replace("\r", " ").replace("\n", " ")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        # What S3 does with metadata that HTTP/1.1 cannot carry as is: an RFC 2047 encoded word.
        return "=?UTF-8?B?" + base64.b64encode(value.encode("utf-8")).decode("ascii") + "?="
    return value
