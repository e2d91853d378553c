"""The AWS query protocol (IAM, STS): form-encoded input (POST body or GET query string), XML output.

Input members are flattened into dotted keys the way botocore's QuerySerializer writes them
(``Tags.member.1.Key``, ``PolicyArns.member.1.arn``, ``Attributes.entry.1.key``); they are gathered back into
a tree and read against the input shape. Output is ``<OpResponse xmlns=..><OpResult>..</OpResult>
<ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></OpResponse>``; errors are
``<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from hutch.errors import ServiceError
from hutch.wire.form import FormError, decode_form, decode_form_bytes
from hutch.wire.http import HttpRequest, HttpResponse
from hutch.wire.models import wire_error_code
from hutch.wire.shapes import WireValueError, iso8601, validation_path, wire_name
from hutch.wire.validate import raise_if_invalid
from hutch.wire.xml import XmlWriter, decode_scalar, render_document

VALIDATION_CODE = "ValidationError"
_CONTENT_TYPE = "text/xml"


@dataclass
class _Node:
    """One dotted-key segment of the form: its value (if the key itself was sent) and its children."""

    value: str | None = None
    children: dict[str, _Node] = field(default_factory=dict)

    def indexed(self) -> list[_Node]:
        """Children named 1, 2, 3... in numeric order (list items, map entries)."""
        numbered = [(int(key), node) for key, node in self.children.items() if key.isdigit()]
        return [node for _, node in sorted(numbered, key=lambda pair: pair[0])]


def _tree(pairs: list[tuple[str, str]]) -> _Node:
    root = _Node()
    for key, value in pairs:
        node = root
        for part in key.split("."):
            node = node.children.setdefault(part, _Node())
        node.value = value
    return root


def _timestamp(moment: datetime) -> str:
    return iso8601(moment, always_millis=False)


class QueryCodec:
    """Parse and serialize one query-protocol service from its botocore model."""

    def __init__(self, model: ServiceModel) -> None:
        self.service_model = model
        self._version = str(model.metadata["apiVersion"])
        self._namespace = str(model.metadata.get("xmlNamespace", ""))
        self._operation_names = frozenset(model.operation_names)
        self._writer = XmlWriter(_timestamp)

    # ---- requests -------------------------------------------------------------------------------------

    def _pairs(self, request: HttpRequest, body: bytes | None) -> list[tuple[str, str]]:
        try:
            pairs = decode_form(request.query_string)
            if body:
                pairs += decode_form_bytes(body)
        except FormError as exc:
            raise ServiceError("MalformedQueryString", str(exc), 404) from None
        return pairs

    def find_operation(self, request: HttpRequest, body: bytes | None) -> OperationModel:
        params = dict(self._pairs(request, body))
        action = params.get("Action", "")
        if not action:
            raise ServiceError("MissingAction", "Missing Action", 400)
        version = params.get("Version", self._version)
        if action not in self._operation_names or version != self._version:
            raise ServiceError(
                "InvalidAction", f"Could not find operation {action} for version {version}", 400
            )
        return self.service_model.operation_model(action)

    def has_streaming_input(self, op: OperationModel) -> bool:
        return False

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
        root = _tree(self._pairs(request, body))
        try:
            params = self._structure(shape, root, "")
        except WireValueError as exc:
            raise ServiceError("InvalidParameterValue", exc.message, 400) from None
        raise_if_invalid(shape, params, VALIDATION_CODE, constraints=True)
        return params

    def _structure(self, shape: StructureShape, node: _Node, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            key = wire_name(member, name)
            if isinstance(member, ListShape) and member.serialization.get("flattened"):
                # A flattened list whose member has a locationName is keyed by that name instead.
                key = member.member.serialization.get("name") or key
            child = node.children.get(key)
            if child is None:
                continue
            value = self._value(member, child, validation_path(path, name))
            if value is not None:
                out[name] = value
        return out

    def _value(self, shape: Shape, node: _Node, path: str) -> Any:
        if isinstance(shape, StructureShape):
            return self._structure(shape, node, path) if node.children else None
        if isinstance(shape, ListShape):
            if shape.serialization.get("flattened"):
                items = node.indexed()
            else:
                holder = node.children.get(wire_name(shape.member, "member"))
                items = holder.indexed() if holder else []
            if not items and node.value is None:
                return None
            values = [
                self._value(shape.member, item, f"{path}.{i}.member") for i, item in enumerate(items, 1)
            ]
            return [v for v in values if v is not None]
        if isinstance(shape, MapShape):
            holder = node if shape.serialization.get("flattened") else node.children.get("entry")
            entries = holder.indexed() if holder else []
            out: dict[str, Any] = {}
            for entry in entries:
                key_node = entry.children.get(wire_name(shape.key, "key"))
                value_node = entry.children.get(wire_name(shape.value, "value"))
                if key_node is None or key_node.value is None or value_node is None:
                    raise WireValueError(f"A map entry of '{path}' lacks its key or its value", path)
                key = decode_scalar(shape.key, key_node.value, path)
                value = self._value(shape.value, value_node, f"{path}.{key}")
                if value is not None:
                    out[key] = value
            return out if entries or node.value is not None else None
        if node.value is None:
            return None
        try:
            return decode_scalar(shape, node.value, path)
        except WireValueError:
            raise WireValueError(
                f"Value ({node.value}) for parameter {path} is invalid. Expected a {shape.type_name}.", path
            ) from None

    # ---- responses ------------------------------------------------------------------------------------

    def serialize(self, op: OperationModel, result: dict[str, Any], request_id: str) -> HttpResponse:
        root = Element(f"{op.name}Response")
        if self._namespace:
            root.set("xmlns", self._namespace)
        shape = op.output_shape
        if shape is not None:
            wrapper_name = shape.serialization.get("resultWrapper") or f"{op.name}Result"
            wrapper = SubElement(root, str(wrapper_name))
            self._writer.members(wrapper, shape, result, op.name)
        elif result:
            raise TypeError(f"{op.name} has no output, but the handler returned {sorted(result)}")
        metadata = SubElement(root, "ResponseMetadata")
        SubElement(metadata, "RequestId").text = request_id
        return HttpResponse(200, [("Content-Type", _CONTENT_TYPE)], render_document(root))

    def serialize_error(
        self, error: ServiceError, request_id: str, op: OperationModel | None
    ) -> HttpResponse:
        root = Element("ErrorResponse")
        if self._namespace:
            root.set("xmlns", self._namespace)
        detail = SubElement(root, "Error")
        SubElement(detail, "Type").text = "Sender" if error.sender_fault else "Receiver"
        SubElement(detail, "Code").text = wire_error_code(self.service_model, error.code)
        SubElement(detail, "Message").text = error.message
        for key, value in error.fields.items():
            SubElement(detail, key).text = str(value)
        SubElement(root, "RequestId").text = request_id
        headers = [("Content-Type", _CONTENT_TYPE), *error.headers.items()]
        return HttpResponse(error.status, headers, render_document(root))
