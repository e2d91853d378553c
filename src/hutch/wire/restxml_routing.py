"""Which rest-xml operation a request is: method + path + query + headers against every requestUri template.

Several S3 operations share a method and template (PUT /{Bucket}/{Key+} is PutObject, CopyObject, UploadPart
and UploadPartCopy). The model tells them apart by what each one *requires*: literal query keys in the
template (``?uploads``, ``?list-type=2``), required query members (``uploadId``, ``partNumber``) and required
headers (``x-amz-copy-source``). A route matches when all of those are present; the most specific match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from botocore.model import OperationModel, ServiceModel

from hutch.errors import ServiceError
from hutch.wire.form import FormError, decode_component
from hutch.wire.http import HttpRequest

_LABEL = re.compile(r"\{([^}]+)\}")
_KNOWN_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "HEAD"})
_MAX_CANDIDATE_SETS = 4096


@dataclass(frozen=True)
class Route:
    op: OperationModel
    method: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]  # label names in group order ("Bucket", "Key")
    literal_query: tuple[tuple[str, str | None], ...]  # ("uploads", None), ("list-type", "2")
    literal_path_chars: int
    required_query: tuple[str, ...]
    required_headers: tuple[str, ...]

    @cached_property
    def specificity(self) -> tuple[int, int, int, int]:
        deprecated = bool(self.op.deprecated)
        return (
            len(self.literal_query),
            self.literal_path_chars,
            len(self.required_query) + len(self.required_headers),
            0 if deprecated else 1,
        )

    def match_path(self, raw_path: str) -> dict[str, str] | None:
        """Percent-decoded label values, or None when the path does not fit the template."""
        found = self.pattern.fullmatch(raw_path)
        if found is None:
            return None
        try:
            return {
                label: decode_component(found.group(f"g{i}"), plus_is_space=False)
                for i, label in enumerate(self.labels)
            }
        except FormError:
            raise ServiceError("InvalidURI", "Couldn't parse the specified URI.", 400) from None

    def query_fits(self, query: dict[str, str]) -> bool:
        return all(k in query and (v is None or query[k] == v) for k, v in self.literal_query)

    def requirements_met(self, query: dict[str, str], request: HttpRequest) -> bool:
        return all(k in query for k in self.required_query) and all(
            h in request.headers for h in self.required_headers
        )


def build_route(op: OperationModel) -> Route:
    template = str(op.http.get("requestUri", "/"))
    path, _, query = template.partition("?")
    regex: list[str] = []
    labels: list[str] = []
    literal_chars = 0
    position = 0
    for found in _LABEL.finditer(path):
        literal = path[position : found.start()]
        regex.append(re.escape(literal))
        literal_chars += len(literal)
        label = found.group(1)
        greedy = label.endswith("+")
        regex.append(f"(?P<g{len(labels)}>{'.+' if greedy else '[^/]+'})")
        labels.append(label.rstrip("+"))
        position = found.end()
    tail = path[position:]
    regex.append(re.escape(tail))
    literal_chars += len(tail)
    if path.endswith("}") and not path.endswith("+}"):
        regex.append("/?")  # "/bucket/" addresses the bucket, as S3 accepts
    literal_query: list[tuple[str, str | None]] = []
    for part in filter(None, query.split("&")):
        key, sep, value = part.partition("=")
        literal_query.append((key, value if sep else None))
    required_query: list[str] = []
    required_headers: list[str] = []
    shape = op.input_shape
    if shape is not None:
        for name in shape.required_members:
            member = shape.members[name]
            location = member.serialization.get("location")
            wire = str(member.serialization.get("name", name))
            if location == "querystring" and member.type_name != "map":
                required_query.append(wire)
            elif location == "header":
                required_headers.append(wire.lower())
    return Route(
        op=op,
        method=str(op.http.get("method", "POST")).upper(),
        pattern=re.compile("".join(regex), re.DOTALL),
        labels=tuple(labels),
        literal_query=tuple(literal_query),
        literal_path_chars=literal_chars,
        required_query=tuple(required_query),
        required_headers=tuple(required_headers),
    )


class Router:
    def __init__(self, model: ServiceModel) -> None:
        routes = [build_route(model.operation_model(name)) for name in sorted(model.operation_names)]
        # Most specific first; sorted() is stable, so ties keep alphabetical order (ListBuckets before
        # ListDirectoryBuckets, which share GET /).
        self.routes = sorted(routes, key=lambda r: r.specificity, reverse=True)
        self._by_name = {route.op.name: route for route in routes}
        # A route can only fit a request whose query holds all of its literal keys, so the routes worth
        # trying depend on which of those keys the query has: a handful, instead of all hundred-odd.
        self._literal_keys = frozenset(k for route in routes for k, _ in route.literal_query)
        self._candidates: dict[tuple[str, frozenset[str]], tuple[Route, ...]] = {}

    def route_for(self, op: OperationModel) -> Route:
        return self._by_name[op.name]

    def _candidates_for(self, method: str, query: dict[str, str]) -> tuple[Route, ...]:
        """The routes of ``method`` whose literal query keys ``query`` all has, most specific first."""
        present = frozenset(k for k in query if k in self._literal_keys)
        key = (method, present)
        found = self._candidates.get(key)
        if found is None:
            found = tuple(
                r for r in self.routes if r.method == method and all(k in present for k, _ in r.literal_query)
            )
            if len(self._candidates) < _MAX_CANDIDATE_SETS:  # keys come from requests: keep it bounded
                self._candidates[key] = found
        return found

    def find(self, request: HttpRequest, query: dict[str, str]) -> Route:
        method = request.method.upper()
        if method not in _KNOWN_METHODS:
            raise ServiceError(
                "NotImplemented", "A header you provided implies functionality that is not implemented.", 501
            )
        raw_path = request.raw_path or "/"
        for route in self._candidates_for(method, query):
            if (
                route.query_fits(query)
                and route.match_path(raw_path) is not None
                and route.requirements_met(query, request)
            ):
                return route
        # No operation: does the resource exist under another method (405) or not at all (400)?
        resource_matched = any(
            route.query_fits(query) and route.match_path(raw_path) is not None for route in self.routes
        )
        resource_type = "SERVICE" if raw_path == "/" else ("BUCKET" if raw_path.count("/") <= 1 else "OBJECT")
        if not resource_matched:
            raise ServiceError("InvalidURI", "Couldn't parse the specified URI.", 400)
        raise ServiceError(
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
            405,
            fields={"Method": method, "ResourceType": resource_type},
        )
