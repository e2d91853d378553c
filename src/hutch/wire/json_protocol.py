"""The AWS JSON 1.1 protocol (cognito-idp, cognito-identity): ``X-Amz-Target`` names the operation, the body
is the input structure as JSON, the response body is the output structure as JSON.

Errors travel as ``{"__type": code, "message": ...}`` with an ``x-amzn-ErrorType`` header. Bodies that are not
JSON, or JSON of the wrong type for a member, are a SerializationException; model constraints (required,
length, pattern, enum) are the service's validation error (Cognito user pools: InvalidParameterException).
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Mapping
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from hutch.errors import ServiceError
from hutch.wire.http import HttpRequest, HttpResponse
from hutch.wire.models import wire_error_code
from hutch.wire.shapes import (
    UNIX,
    WireValueError,
    format_timestamp,
    parse_blob,
    parse_float,
    parse_timestamp,
    result_base64,
    result_number,
    validation_path,
    wire_name,
)
from hutch.wire.validate import raise_if_invalid

# What AWS answers when a request breaks the model's constraints, per service.
VALIDATION_CODES = {"cognito-idp": "InvalidParameterException"}
DEFAULT_VALIDATION_CODE = "ValidationException"

_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_SPECIAL_FLOATS = {"NaN", "Infinity", "-Infinity"}
# Error messages repeat what the client sent (a value, a header); never more than this of it.
_MAX_ECHO = 256
_MAX_MESSAGE = 1024


def _serialization_error(message: str) -> ServiceError:
    return ServiceError("SerializationException", _bounded(message, _MAX_MESSAGE), 400)


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _is_well_formed(text: str) -> bool:
    """False for a string holding a lone UTF-16 surrogate: JSON's ``\\ud800`` escapes decode to one, and
    it is not Unicode text (it cannot be stored, compared or encoded as UTF-8)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _require_well_formed(text: str, path: str) -> None:
    if not _is_well_formed(text):
        raise WireValueError(
            f"Invalid UTF-16 surrogate in the string at '{path}': it is not valid Unicode", path
        )


def _check_document(value: Any, path: str) -> None:
    """Document-typed members are taken as sent; their strings must still be Unicode."""
    if isinstance(value, str):
        _require_well_formed(value, path)
    elif isinstance(value, list):
        for item in value:
            _check_document(item, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _require_well_formed(key, path)
            _check_document(item, path)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "structure or map"


class JsonCodec:
    """Parse and serialize one json-protocol service from its botocore model."""

    def __init__(self, model: ServiceModel) -> None:
        self.service_model = model
        self._target_prefix = str(model.metadata["targetPrefix"])
        self._content_type = f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"
        self._validation_code = VALIDATION_CODES.get(model.service_name, DEFAULT_VALIDATION_CODE)
        self._operation_names = frozenset(model.operation_names)

    # ---- requests -------------------------------------------------------------------------------------

    def find_operation(self, request: HttpRequest, body: bytes | None) -> OperationModel:
        target = request.headers.get("x-amz-target") or ""
        prefix, _, name = target.rpartition(".")
        if prefix != self._target_prefix or name not in self._operation_names:
            shown = _bounded(target, _MAX_ECHO) if target else "(no X-Amz-Target header)"
            raise ServiceError("UnknownOperationException", f"Unknown operation {shown}", 400)
        return self.service_model.operation_model(name)

    def has_streaming_input(self, op: OperationModel) -> bool:
        return False

    def parse(
        self,
        op: OperationModel,
        request: HttpRequest,
        body: bytes | None,
        stream: AsyncIterator[bytes] | None = None,
    ) -> dict[str, Any]:
        document = self._load(body or b"")
        shape = op.input_shape
        if shape is None:
            return {}
        if not isinstance(document, dict):
            raise _serialization_error(
                f"Expected a JSON object as the request body, found a {_json_kind(document)}"
            )
        try:
            params = self._structure(shape, document, "")
        except WireValueError as exc:
            raise _serialization_error(exc.message) from None
        raise_if_invalid(shape, params, self._validation_code, constraints=True)
        return params

    @staticmethod
    def _load(body: bytes) -> Any:
        if not body.strip():
            return {}
        try:
            return json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise _serialization_error("The request body is not valid UTF-8") from None
        except RecursionError:
            raise _serialization_error("The request body is nested too deeply") from None
        except ValueError as exc:
            raise _serialization_error(f"The request body is not valid JSON: {exc}") from None

    def _value(self, shape: Shape, value: Any, path: str) -> Any:
        if isinstance(shape, StructureShape):
            if shape.is_document_type:
                _check_document(value, path)
                return value
            if not isinstance(value, dict):
                raise WireValueError(f"Expected a structure at '{path}', found a {_json_kind(value)}", path)
            return self._structure(shape, value, path)
        if isinstance(shape, ListShape):
            if not isinstance(value, list):
                raise WireValueError(f"Expected a list at '{path}', found a {_json_kind(value)}", path)
            return [
                self._value(shape.member, item, f"{path}.{i}.member")
                for i, item in enumerate(value, 1)
                if item is not None
            ]
        if isinstance(shape, MapShape):
            if not isinstance(value, dict):
                raise WireValueError(f"Expected a map at '{path}', found a {_json_kind(value)}", path)
            return {
                self._value(shape.key, key, path): self._value(shape.value, item, f"{path}.{key}")
                for key, item in value.items()
                if item is not None
            }
        return self._scalar(shape, value, path)

    def _structure(self, shape: StructureShape, value: dict[str, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            raw = value.get(wire_name(member, name))
            if raw is not None:
                out[name] = self._value(member, raw, validation_path(path, name))
        return out

    @staticmethod
    def _scalar(shape: Shape, value: Any, path: str) -> Any:
        kind = shape.type_name
        found = _json_kind(value)
        if isinstance(value, str):
            _require_well_formed(value, path)
        if kind in ("string", "character"):
            if isinstance(value, str):
                return value
        elif kind == "boolean":
            if isinstance(value, bool):
                return value
        elif kind in ("integer", "long"):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                low, high = _INT_RANGES[kind]
                if not low <= value <= high:
                    raise WireValueError(f"Number at '{path}' is out of range for {kind}", path)
                return value
        elif kind in ("float", "double"):
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str) and value in _SPECIAL_FLOATS:
                return parse_float(value, path)
        elif kind == "timestamp":
            if isinstance(value, int | float | str) and not isinstance(value, bool):
                return parse_timestamp(value, shape.serialization.get("timestampFormat") or UNIX, path)
        elif kind == "blob" and isinstance(value, str):
            return parse_blob(value, path)
        raise WireValueError(f"Expected a {kind} at '{path}', found a {found}", path)

    # ---- responses ------------------------------------------------------------------------------------

    def serialize(self, op: OperationModel, result: dict[str, Any], request_id: str) -> HttpResponse:
        shape = op.output_shape
        if shape is None:
            if result:
                raise TypeError(f"{op.name} has no output, but the handler returned {sorted(result)}")
            document: Any = {}
        else:
            document = self._out_structure(shape, result, op.name)
        return self._response(200, document, [])

    def serialize_error(
        self, error: ServiceError, request_id: str, op: OperationModel | None
    ) -> HttpResponse:
        code = wire_error_code(self.service_model, error.code)
        document: dict[str, Any] = {"__type": code, "message": error.message}
        for key, value in error.fields.items():
            document.setdefault(key, value)
        headers = [("x-amzn-ErrorType", code), *error.headers.items()]
        return self._response(error.status, document, headers)

    def _response(self, status: int, document: Any, headers: list[tuple[str, str]]) -> HttpResponse:
        # ASCII-escaped: a lone surrogate a client sent in a JSON string must not break the response.
        body = json.dumps(document, separators=(",", ":"), default=str).encode("ascii")
        return HttpResponse(status, [("Content-Type", self._content_type), *headers], body)

    def _out(self, shape: Shape, value: Any, where: str) -> Any:
        if isinstance(shape, StructureShape):
            if shape.is_document_type:
                return value
            if not isinstance(value, Mapping):
                raise TypeError(f"{where}: expected a dict for {shape.name}, got {type(value).__name__}")
            return self._out_structure(shape, value, where)
        if isinstance(shape, ListShape):
            if not isinstance(value, list | tuple):
                raise TypeError(f"{where}: expected a list, got {type(value).__name__}")
            return [self._out(shape.member, item, f"{where}[{i}]") for i, item in enumerate(value)]
        if isinstance(shape, MapShape):
            if not isinstance(value, Mapping):
                raise TypeError(f"{where}: expected a dict, got {type(value).__name__}")
            return {
                self._out(shape.key, key, f"{where}.key"): self._out(shape.value, item, f"{where}[{key!r}]")
                for key, item in value.items()
            }
        return self._out_scalar(shape, value, where)

    def _out_structure(self, shape: StructureShape, value: Mapping[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                raise TypeError(f"{where}: {name!r} is not a member of {shape.name}")
            if item is not None:
                out[wire_name(member, name)] = self._out(member, item, f"{where}.{name}")
        return out

    @staticmethod
    def _out_scalar(shape: Shape, value: Any, where: str) -> Any:
        kind = shape.type_name
        if kind == "timestamp":
            return format_timestamp(value, shape.serialization.get("timestampFormat") or UNIX, where)
        if kind == "blob":
            return result_base64(value, where)
        if kind in ("float", "double"):
            number = result_number(value, where)
            if math.isnan(number):
                return "NaN"
            if math.isinf(number):
                return "Infinity" if number > 0 else "-Infinity"
            return number
        expected: type | tuple[type, ...] = {
            "string": str,
            "character": str,
            "boolean": bool,
            "integer": int,
            "long": int,
        }.get(kind, object)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise TypeError(f"{where}: expected {kind}, got {type(value).__name__}")
        return value
