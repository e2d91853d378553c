"""XML for the query and rest-xml protocols: a bounded, defused parser and shape-driven read/write.

XML from the network is untrusted: it is parsed by defusedxml (no DTDs, no entities, no external references)
and bounded in size, nesting depth and element count before any of it is walked. The layout rules (flattened
lists, ``member`` / ``entry`` wrappers, locationName, xmlAttribute, xmlNamespace) are botocore's, so what we
write is what its XML parser reads and what we read is what its serializer writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, TreeBuilder, tostring

from botocore.model import ListShape, MapShape, Shape, StructureShape
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from hutch.wire.shapes import (
    ISO8601,
    WireValueError,
    parse_blob,
    parse_boolean,
    parse_float,
    parse_integer,
    parse_timestamp,
    result_datetime,
    result_text,
    validation_path,
    wire_name,
    xml_member_name,
)

MAX_XML_BYTES = 4 * 1024 * 1024  # CompleteMultipartUpload with 10,000 parts is ~1 MiB
MAX_DEPTH = 64
MAX_ELEMENTS = 200_000

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

TimestampWriter = Callable[[datetime], str]


class XmlError(ValueError):
    """The body is not well-formed XML, or exceeds the bounds above."""


class _BoundedBuilder:
    """A TreeBuilder target that refuses documents nested too deeply or with too many elements."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self._depth = 0
        self._elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        self._elements += 1
        if self._depth > MAX_DEPTH:
            raise XmlError(f"XML nested deeper than {MAX_DEPTH} elements")
        if self._elements > MAX_ELEMENTS:
            raise XmlError(f"XML has more than {MAX_ELEMENTS} elements")
        return self._builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return self._builder.end(tag)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def close(self) -> Element:
        return self._builder.close()


def parse_document(data: bytes) -> Element:
    """The root element of an untrusted XML document; ``XmlError`` for anything malformed or out of bounds."""
    if len(data) > MAX_XML_BYTES:
        raise XmlError(f"XML body exceeds {MAX_XML_BYTES} bytes")
    parser = DefusedXMLParser(target=_BoundedBuilder(), forbid_dtd=True)
    try:
        parser.feed(data)
        root = parser.close()
    except XmlError:
        raise
    except (ParseError, DefusedXmlException, ValueError, UnicodeError) as exc:
        raise XmlError(str(exc) or type(exc).__name__) from None
    if not isinstance(root, Element):
        raise XmlError("XML document has no root element")
    return root


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def render_document(root: Element) -> bytes:
    # XML parsers turn a literal CR into LF; ElementTree leaves CR in text unescaped and never writes one
    # itself, so escaping every CR keeps "a\rb" intact on the client.
    text = tostring(root, encoding="unicode").replace("\r", "&#13;")
    return XML_DECLARATION + text.encode("utf-8")


# ---- XML -> params ----------------------------------------------------------------------------------------


def decode_value(shape: Shape, node: Element, path: str) -> Any:
    """The Python value of ``node`` read as ``shape`` (timestamps default to ISO 8601 in XML bodies)."""
    if isinstance(shape, StructureShape):
        return _decode_structure(shape, node, path)
    if isinstance(shape, ListShape):
        item_name = wire_name(shape.member, "member")
        return [
            decode_value(shape.member, child, f"{path}.{i}.member")
            for i, child in enumerate((c for c in node if local_name(c.tag) == item_name), 1)
        ]
    if isinstance(shape, MapShape):
        return _decode_map_entries(shape, [c for c in node if local_name(c.tag) == "entry"], path)
    return decode_scalar(shape, node.text or "", path)


def decode_scalar(shape: Shape, text: str, path: str) -> Any:
    kind = shape.type_name
    if kind in ("string", "character"):
        return text
    if kind in ("integer", "long"):
        return parse_integer(text, path)
    if kind in ("float", "double"):
        return parse_float(text, path)
    if kind == "boolean":
        return parse_boolean(text, path)
    if kind == "timestamp":
        return parse_timestamp(text, shape.serialization.get("timestampFormat") or ISO8601, path)
    if kind == "blob":
        return parse_blob(text, path)
    raise WireValueError(f"Unsupported shape type {kind}", path)


def _decode_structure(shape: StructureShape, node: Element, path: str) -> dict[str, Any]:
    children: dict[str, list[Element]] = {}
    for child in node:
        children.setdefault(local_name(child.tag), []).append(child)
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        member_path = validation_path(path, name)
        if member.serialization.get("xmlAttribute"):
            value = _attribute(node, wire_name(member, name))
            if value is not None:
                out[name] = decode_scalar(member, value, member_path)
            continue
        flattened = bool(member.serialization.get("flattened"))
        # botocore writes a flattened list under the structure member's name and reads it under the list
        # member's name; accept both.
        names = {xml_member_name(member, name), wire_name(member, name)}
        nodes = [n for key in names for n in children.get(key, [])]
        if not nodes:
            continue
        if flattened and isinstance(member, ListShape):
            out[name] = [
                decode_value(member.member, n, f"{member_path}.{i}.member") for i, n in enumerate(nodes, 1)
            ]
        elif flattened and isinstance(member, MapShape):
            out[name] = _decode_map_entries(member, nodes, member_path)
        else:
            out[name] = decode_value(member, nodes[0], member_path)
    return out


def _decode_map_entries(shape: MapShape, entries: list[Element], path: str) -> dict[str, Any]:
    key_name = wire_name(shape.key, "key")
    value_name = wire_name(shape.value, "value")
    out: dict[str, Any] = {}
    for entry in entries:
        key_node = next((c for c in entry if local_name(c.tag) == key_name), None)
        value_node = next((c for c in entry if local_name(c.tag) == value_name), None)
        if key_node is None or value_node is None:
            raise WireValueError("Map entry without a key or a value", path)
        key = decode_scalar(shape.key, key_node.text or "", path)
        out[key] = decode_value(shape.value, value_node, f"{path}.{key}")
    return out


def _attribute(node: Element, qualified: str) -> str | None:
    # "xsi:type" arrives as "{http://www.w3.org/2001/XMLSchema-instance}type": match on the local part.
    wanted = qualified.split(":", 1)[-1]
    for key, value in node.attrib.items():
        if local_name(key) == wanted:
            return value
    return None


# ---- result -> XML ----------------------------------------------------------------------------------------


class XmlWriter:
    """Writes a handler's result under a parent element; ``timestamp`` renders body timestamps."""

    def __init__(self, timestamp: TimestampWriter) -> None:
        self._timestamp = timestamp

    def members(self, parent: Element, shape: StructureShape, value: Mapping[str, Any], where: str) -> None:
        """The structure's body members as children of ``parent`` (header/status members are skipped)."""
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                raise TypeError(f"{where}: {name!r} is not a member of {shape.name}")
            if item is None or member.serialization.get("location"):
                continue
            if member.serialization.get("xmlAttribute"):
                parent.set(wire_name(member, name), self._text(member, item, f"{where}.{name}"))
                continue
            self.value(parent, member, item, xml_member_name(member, name), f"{where}.{name}")

    def value(self, parent: Element, shape: Shape, value: Any, name: str, where: str) -> None:
        if isinstance(shape, StructureShape):
            if not isinstance(value, Mapping):
                raise TypeError(f"{where}: expected a dict for {shape.name}, got {type(value).__name__}")
            node = SubElement(parent, name)
            _add_namespace(shape, node)
            self.members(node, shape, value, where)
        elif isinstance(shape, ListShape):
            if not isinstance(value, list | tuple):
                raise TypeError(f"{where}: expected a list, got {type(value).__name__}")
            if shape.serialization.get("flattened"):
                for i, item in enumerate(value):
                    self.value(parent, shape.member, item, name, f"{where}[{i}]")
            else:
                node = SubElement(parent, name)
                item_name = wire_name(shape.member, "member")
                for i, item in enumerate(value):
                    self.value(node, shape.member, item, item_name, f"{where}[{i}]")
        elif isinstance(shape, MapShape):
            if not isinstance(value, Mapping):
                raise TypeError(f"{where}: expected a dict, got {type(value).__name__}")
            flattened = bool(shape.serialization.get("flattened"))
            container = parent if flattened else SubElement(parent, name)
            for key, item in value.items():
                entry = SubElement(container, name if flattened else "entry")
                self.value(entry, shape.key, key, wire_name(shape.key, "key"), f"{where}.key")
                self.value(entry, shape.value, item, wire_name(shape.value, "value"), f"{where}[{key!r}]")
        else:
            node = SubElement(parent, name)
            node.text = self._text(shape, value, where)
            _add_namespace(shape, node)

    def _text(self, shape: Shape, value: Any, where: str) -> str:
        if shape.type_name == "timestamp" and not shape.serialization.get("timestampFormat"):
            return self._timestamp(result_datetime(value, where))
        return result_text(shape, value, where, ISO8601)


def _add_namespace(shape: Shape, node: Element) -> None:
    namespace = shape.serialization.get("xmlNamespace")
    if isinstance(namespace, Mapping):
        prefix = namespace.get("prefix")
        node.set(f"xmlns:{prefix}" if prefix else "xmlns", str(namespace.get("uri", "")))
    elif isinstance(namespace, str):
        node.set("xmlns", namespace)
