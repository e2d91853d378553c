"""Plain words for a denied request: who the caller is, what their policies let them do, what the request
did instead — before the full trace.

    alice's credentials may write only under photos/cognito/myapp/us-east-1:7f…/; this request wrote under
    photos/cognito/myapp/3c9e…/ — that is alice's user-pool sub, but the policy uses her identity id
    (us-east-1:7f…, from GetId).

Built from the engine's trace (the statements whose action matched but whose resource or condition did not),
so it says what the policies really allow, with their variables substituted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from typing import Any

from hutch.policy import AuthzRequest, Decision
from hutch.policy.trace import Layer, Outcome, StatementTrace

_COGNITO_SUB = "cognito-identity.amazonaws.com:sub"
_COGNITO_AMR = "cognito-identity.amazonaws.com:amr"

# How a person would say what an action does.
_VERBS = {
    "s3:getobject": ("read", "read"),
    "s3:putobject": ("write", "wrote"),
    "s3:deleteobject": ("delete", "deleted"),
    "s3:listbucket": ("list", "listed"),
    "s3:getobjecttagging": ("read tags", "read the tags of"),
    "s3:putobjecttagging": ("tag", "tagged"),
    "s3:abortmultipartupload": ("abort uploads", "aborted an upload at"),
}

UsernameLookup = Callable[[str, str], str | None]  # (user pool id, user-pool sub) -> username


def _context(request: AuthzRequest) -> dict[str, Any]:
    return {k.lower(): v for k, v in request.context.items()}


def _values(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _cognito_login(request: AuthzRequest) -> tuple[str, str] | None:
    """(user pool id, user-pool sub) of an identity-pool session signed in through a user pool."""
    for value in _values(_context(request).get(_COGNITO_AMR)):
        provider, marker, sub = value.rpartition(":CognitoSignIn:")
        if marker and sub:
            return provider.rsplit("/", 1)[-1], sub
    return None


def caller_name(request: AuthzRequest, usernames: UsernameLookup | None) -> tuple[str, bool]:
    """How to name the caller, and whether that name is plural ("alice's credentials ... are")."""
    context = _context(request)
    identity_id = context.get(_COGNITO_SUB)
    if isinstance(identity_id, str):
        login = _cognito_login(request)
        if login is None:
            return f"guest identity {identity_id}'s credentials", True
        name = usernames(*login) if usernames is not None else None
        return (f"{name}'s credentials" if name else f"identity {identity_id}'s credentials"), True
    principal = request.principal
    if principal.kind == "anonymous":
        return "an anonymous caller", False
    arn = principal.arn
    if ":assumed-role/" in arn:
        role, _, session = arn.split(":assumed-role/", 1)[1].partition("/")
        return f"role {role} (session {session})", False
    if ":user/" in arn:
        return f"IAM user {arn.rsplit('/', 1)[-1]}", False
    return arn, False


def _place(arn: str) -> str:
    """An S3 ARN as a person reads it: bucket/key; patterns ending in /* as 'under bucket/prefix/'."""
    text = arn.removeprefix("arn:aws:s3:::")
    if text.endswith("/*"):
        return f"under {text[:-1]}"
    return text


def _allowed_places(statements: Sequence[StatementTrace]) -> list[str]:
    places: list[str] = []
    for st in statements:
        for res in st.resources:
            if res.resolved is not None:
                place = _place(res.resolved)
                if place not in places:
                    places.append(place)
    return places


def _prefix_conditions(statements: Sequence[StatementTrace]) -> list[str]:
    wanted: list[str] = []
    for st in statements:
        for cond in st.conditions:
            if cond.key.lower() == "s3:prefix" and not cond.result:
                wanted += [v for v in cond.resolved_values if v is not None and v not in wanted]
    return wanted


def _unresolved_variables(statements: Sequence[StatementTrace], request: AuthzRequest) -> list[str]:
    """Statements that matched the action but whose Resource variable had no value for this caller — usually
    a misspelt key — with the closest key the request did have."""
    keys = list(request.context)
    notes: list[str] = []
    for st in statements:
        if st.outcome is not Outcome.RESOURCE_MISMATCH:
            continue
        for res in st.resources:
            if res.resolved is not None:
                continue
            for name in re.findall(r"\$\{([^}]+)\}", res.pattern):
                key = name.split(",", 1)[0].strip()
                if key in ("*", "?", "$") or key.lower() in (k.lower() for k in keys):
                    continue
                close = difflib.get_close_matches(key.lower(), [k.lower() for k in keys], n=1, cutoff=0.8)
                original = next((k for k in keys if close and k.lower() == close[0]), None)
                hint = f" (did you mean ${{{original}}}?)" if original else ""
                note = f"variable ${{{key}}} has no value for this caller{hint}"
                if note not in notes:
                    notes.append(note)
    return notes


def _sub_mixup(request: AuthzRequest, looked_at: Sequence[str]) -> tuple[str, bool] | None:
    """(identity id, whether the user-pool sub appears instead) when an identity-pool session's request
    does not contain its identity id where ``looked_at`` says it looked; None when there is nothing to say."""
    identity_id = _context(request).get(_COGNITO_SUB)
    if not isinstance(identity_id, str) or any(identity_id in text for text in looked_at):
        return None
    login = _cognito_login(request)
    return identity_id, login is not None and any(login[1] in text for text in looked_at)


def _sub_pitfall(request: AuthzRequest, usernames: UsernameLookup | None, looked_at: Sequence[str]) -> str:
    mixup = _sub_mixup(request, looked_at)
    if mixup is None:
        return ""
    identity_id, used_sub = mixup
    login = _cognito_login(request)
    whose = "the caller's"
    if login is not None:
        name = usernames(*login) if usernames is not None else None
        whose = f"{name}'s" if name else whose
    if used_sub and login is not None:
        return (
            f" — {login[1]} is {whose} user-pool sub, but the policy's ${{{_COGNITO_SUB}}} is {whose}"
            f" identity id {identity_id} (from GetId)"
        )
    return (
        f" — ${{{_COGNITO_SUB}}} is {whose} identity id {identity_id} (from GetId), which it does not contain"
    )


def cognito_sub_hint(request: AuthzRequest, decision: Decision) -> str:
    """The same pitfall as one line for the explain summary: ${cognito-identity.amazonaws.com:sub} is the
    identity ID, and a denied request (its resource or listed prefix) did not contain it."""
    if decision.allowed:
        return ""
    prefix = _context(request).get("s3:prefix")
    mixup = _sub_mixup(request, [request.resource, *([prefix] if isinstance(prefix, str) else [])])
    if mixup is None:
        return ""
    identity_id, used_sub = mixup
    hint = (
        "Hint: ${cognito-identity.amazonaws.com:sub} is this caller's identity ID "
        f"{identity_id} (from the identity pool's GetId), not the user pool's sub claim"
    )
    if used_sub:
        return hint + "; this request uses the user pool sub instead."
    return hint + "; this request does not contain it."


def plain_words(
    request: AuthzRequest,
    decision: Decision,
    usernames: UsernameLookup | None = None,
    *,
    pitfalls: bool = True,
) -> str:
    """One or two sentences saying why ``decision`` (computed with explain=True) denied ``request``;
    ``pitfalls``: add the user-pool-sub diagnosis where it may apply."""

    def pitfall(looked_at: Sequence[str]) -> str:
        return _sub_pitfall(request, usernames, looked_at) if pitfalls else ""

    if decision.allowed or decision.trace is None:
        return ""
    who, plural = caller_name(request, usernames)
    are, have = ("are", "have") if plural else ("is", "has")
    action = request.action
    verb, did = _VERBS.get(action.lower(), (f"perform {action}", f"asked for {action} on"))
    identity = [p for p in decision.trace.policies if p.layer is Layer.IDENTITY]
    statements = [st for p in identity for st in p.statements if st.effect == "Allow"]
    if decision.effect == "ExplicitDeny":
        denying = [
            f"{p.name}" + (f" (statement {st.sid})" if st.sid else f" (statement #{st.index})")
            for p in decision.trace.policies
            for st in p.statements
            if st.effect == "Deny" and st.outcome is Outcome.APPLIED
        ]
        return f"{who} {are} denied {action} on {_place(request.resource)} by an explicit Deny in " + (
            ", ".join(denying) or "a policy"
        )
    context = _context(request)
    prefix = context.get("s3:prefix")
    if action.lower() == "s3:listbucket":
        wanted = _prefix_conditions([st for st in statements if st.outcome is Outcome.CONDITION_FAILED])
        if wanted:
            asked = (
                f"prefix {prefix!r}" if isinstance(prefix, str) and prefix else "the whole bucket (no prefix)"
            )
            looked_at = [prefix] if isinstance(prefix, str) else []
            return (
                f"{who} may list {_place(request.resource)} only with a prefix matching "
                + " or ".join(wanted)
                + f"; this request listed {asked}"
                + pitfall(looked_at)
                + "."
            )
    near = [st for st in statements if st.outcome is Outcome.RESOURCE_MISMATCH]
    places = _allowed_places(near)
    if places:
        return (
            f"{who} may {verb} only "
            + " or ".join(places)
            + f"; this request {did} {_place(request.resource)}"
            + pitfall([request.resource])
            + "."
        )
    unresolved = _unresolved_variables(statements, request)
    if unresolved:
        return f"{who} would be allowed {action} by a statement whose " + "; ".join(unresolved) + "."
    if decision.denied_by is not None and decision.denied_by is not Layer.IDENTITY:
        return f"{who} {are} not allowed {action} here: {decision.reason}."
    return f"{who} {have} no policy that allows {action} at all ({decision.reason})."
