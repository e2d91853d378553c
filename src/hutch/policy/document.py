"""Parse and validate a JSON policy document into typed, immutable elements.

``parse_policy(text, kind)`` checks what IAM checks, in the order IAM reports problems (structure,
Version, legacy parsing, Sid, Principal, Action, Resource) and raises
:class:`~hutch.policy.errors.MalformedPolicyError` with IAM's wording. It does not evaluate anything;
:mod:`hutch.policy.compile` turns a :class:`Policy` into matchers.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from typing import Any

from hutch.policy import validate
from hutch.policy.conditions import parse_operator
from hutch.policy.conditions.dates import parse_date
from hutch.policy.errors import MalformedPolicyError
from hutch.policy.positions import statement_spans
from hutch.policy.validate import LEGACY_PARSING, SYNTAX_ERROR

VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"
_VERSIONS = (VERSION_2012, VERSION_2008)
_TOP_LEVEL = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
    }
)
PRINCIPAL_TYPES = ("AWS", "Federated", "Service", "CanonicalUser")
_SID = re.compile(r"[0-9A-Za-z]*")


class PolicyKind(enum.Enum):
    """IDENTITY also covers permissions boundaries and session policies."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"


@dataclass(frozen=True, slots=True)
class PrincipalSpec:
    """A Principal or NotPrincipal element. ``"*"`` (or ``{"AWS": "*"}``) sets ``everyone``."""

    negated: bool
    everyone: bool
    values: tuple[tuple[str, tuple[str, ...]], ...]  # (principal type, values) in document order

    def of_type(self, principal_type: str) -> tuple[str, ...]:
        for name, values in self.values:
            if name == principal_type:
                return values
        return ()


@dataclass(frozen=True, slots=True)
class ConditionEntry:
    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    index: int
    sid: str | None
    effect: str  # "Allow" | "Deny"
    actions: tuple[str, ...]
    actions_negated: bool
    resources: tuple[str, ...]  # empty for trust policies, which have no Resource
    resources_negated: bool
    principal: PrincipalSpec | None
    conditions: tuple[ConditionEntry, ...]
    span: tuple[int, int] | None  # character offsets of the statement in the document text


@dataclass(frozen=True, slots=True)
class Policy:
    text: str
    kind: PolicyKind
    version: str | None
    id: str | None
    statements: tuple[Statement, ...]

    @property
    def variables_enabled(self) -> bool:
        """Policy variables are substituted only under Version 2012-10-17."""
        return self.version == VERSION_2012


def _fail(reason: str = SYNTAX_ERROR) -> MalformedPolicyError:
    return MalformedPolicyError(reason)


def _strings(value: Any, *, allow_scalars: bool = False) -> tuple[str, ...]:
    """A string or list of strings (conditions also take numbers and booleans, read as text)."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif allow_scalars and isinstance(item, bool):
            out.append("true" if item else "false")
        elif allow_scalars and isinstance(item, int | float):
            out.append(json.dumps(item))
        else:
            raise _fail()
    return tuple(out)


def _load(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _fail() from exc
    if not isinstance(document, dict):
        raise _fail()
    return document


def _principal(raw: Any, negated: bool) -> PrincipalSpec:
    if raw == "*":
        return PrincipalSpec(negated, True, ())
    if not isinstance(raw, dict) or not raw:
        raise _fail()
    values: list[tuple[str, tuple[str, ...]]] = []
    everyone = False
    for name, value in raw.items():
        if name not in PRINCIPAL_TYPES:
            raise _fail()
        items = _strings(value)
        if name == "AWS":
            for item in items:
                validate.check_aws_principal(item)
            everyone = everyone or "*" in items
        values.append((name, items))
    return PrincipalSpec(negated, everyone, tuple(values))


def _conditions(raw: Any) -> tuple[ConditionEntry, ...]:
    if not isinstance(raw, dict):
        raise _fail()
    entries: list[ConditionEntry] = []
    for operator, block in raw.items():
        if not isinstance(block, dict):
            raise _fail()
        if not block:
            continue  # IAM accepts and ignores an empty operator block, even an unknown one
        parse_operator(operator)
        for key, value in block.items():
            entries.append(ConditionEntry(operator, key, _strings(value, allow_scalars=True)))
    return tuple(entries)


@dataclass
class _RawStatement:
    index: int
    body: dict[str, Any]
    span: tuple[int, int] | None


def _structure(document: dict[str, Any], text: str) -> list[_RawStatement]:
    """Shape checks that IAM reports as "Syntax errors in policy."."""
    if set(document) - _TOP_LEVEL or "Statement" not in document:
        raise _fail()
    version = document.get("Version")
    if version is not None and version not in _VERSIONS:
        raise _fail()
    if "Id" in document and not isinstance(document["Id"], str):
        raise _fail()
    raw = document["Statement"]
    bodies = raw if isinstance(raw, list) else [raw]
    if not bodies or not all(isinstance(b, dict) for b in bodies):
        raise _fail()
    spans = statement_spans(text)
    if len(spans) != len(bodies):
        spans = []
    statements: list[_RawStatement] = []
    for i, body in enumerate(bodies):
        if set(body) - _STATEMENT_KEYS:
            raise _fail()
        for a, b in (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")):
            if a in body and b in body:
                raise _fail()
        effect = body.get("Effect")
        if not isinstance(effect, str) or effect.lower() not in ("allow", "deny"):
            raise _fail()
        if "Sid" in body and not isinstance(body["Sid"], str):
            raise _fail()
        for name in ("Action", "NotAction", "Resource", "NotResource"):
            if name in body:
                _strings(body[name])
        if "Condition" in body:
            _conditions(body["Condition"])
        if "Principal" in body or "NotPrincipal" in body:
            negated = "NotPrincipal" in body
            _principal(body["NotPrincipal" if negated else "Principal"], negated)
        statements.append(_RawStatement(i, body, spans[i] if spans else None))
    return statements


def _legacy(statements: list[_RawStatement], kind: PolicyKind) -> None:
    """Problems IAM's older parser catches: Effect case, unreadable dates, odd ARN shapes."""
    for raw in statements:
        body = raw.body
        if body["Effect"] not in ("Allow", "Deny"):
            raise _fail(LEGACY_PARSING)
        for entry in _conditions(body.get("Condition", {})):
            is_date = parse_operator(entry.operator).definition.name.startswith("Date")
            if is_date and any(parse_date(v) is None for v in entry.values):
                raise _fail(LEGACY_PARSING)
        if kind is not PolicyKind.TRUST:
            for name in ("Resource", "NotResource"):
                if any(validate.is_legacy_resource_error(r) for r in _strings(body.get(name, []))):
                    raise _fail(LEGACY_PARSING)


def parse_policy(text: str, kind: PolicyKind, *, require_current_version: bool = False) -> Policy:
    """Validate ``text`` as a policy of ``kind``; raises MalformedPolicyError with IAM's reason.

    IAM accepts inline policies without a Version (they mean 2008-10-17: no policy variables) but insists on
    2012-10-17 for managed policies; IAM asks for that with ``require_current_version``.
    """
    document = _load(text)
    raws = _structure(document, text)
    version: str | None = document.get("Version")
    if require_current_version and version != VERSION_2012:
        raise _fail("Policy document must be version 2012-10-17 or greater.")
    _legacy(raws, kind)
    if kind is not PolicyKind.RESOURCE:
        sids = [r.body["Sid"] for r in raws if r.body.get("Sid")]
        if kind is PolicyKind.IDENTITY and any(not _SID.fullmatch(s) for s in sids):
            raise _fail(
                "Statement IDs (SID) must be alpha-numeric. "
                "Check that your input satisfies the regular expression [0-9A-Za-z]*"
            )
        if len(set(sids)) != len(sids):
            raise _fail("Statement IDs (SID) in a single policy must be unique.")
    statements = tuple(_statement(raw, kind) for raw in raws)
    return Policy(text, kind, version, document.get("Id"), statements)


def _statement(raw: _RawStatement, kind: PolicyKind) -> Statement:
    body = raw.body
    has_principal = "Principal" in body or "NotPrincipal" in body
    if kind is PolicyKind.IDENTITY and has_principal:
        raise _fail("Policy document should not specify a principal.")
    if kind is not PolicyKind.IDENTITY and not has_principal:
        raise _fail("Missing required field Principal")
    has_resource = "Resource" in body or "NotResource" in body
    if kind is PolicyKind.TRUST and has_resource:
        raise _fail("Has prohibited field Resource")
    if kind is PolicyKind.TRUST and "NotPrincipal" in body:
        # IAM User Guide, NotPrincipal: not allowed in a role trust policy.
        raise _fail("Has prohibited field NotPrincipal")

    actions_negated = "NotAction" in body
    actions = _strings(body.get("NotAction" if actions_negated else "Action", []))
    for action in actions:
        validate.check_action_prefix(action)
    resources_negated = "NotResource" in body
    resources = _strings(body.get("NotResource" if resources_negated else "Resource", []))
    for resource in resources:
        validate.check_resource(resource)
    for action in actions:
        validate.check_action_shape(action)
    if not actions:
        raise _fail("Policy statement must contain actions.")
    if kind is not PolicyKind.TRUST and not resources:
        raise _fail("Policy statement must contain resources.")

    principal = None
    if has_principal:
        negated = "NotPrincipal" in body
        principal = _principal(body["NotPrincipal" if negated else "Principal"], negated)
    return Statement(
        index=raw.index,
        sid=body.get("Sid"),
        effect=body["Effect"],
        actions=actions,
        actions_negated=actions_negated,
        resources=resources,
        resources_negated=resources_negated,
        principal=principal,
        conditions=_conditions(body.get("Condition", {})),
        span=raw.span,
    )
