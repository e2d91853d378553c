"""Who is asking, and how a Principal / NotPrincipal element names them.

How a resource-based policy names the caller matters for the decision (IAM User Guide, "Policy
evaluation logic" and "Principal element"):

- DIRECT: the caller itself -- ``"*"``, the IAM user ARN, the role *session* ARN, a federated provider
  or service name. Within one account such a grant is not limited by the caller's identity policies,
  permissions boundary or session policies.
- ROLE: the *role* ARN, for a session of that role. Its permissions join the role's identity-based
  permissions before the session exists, so boundaries and session policies still limit them.
- ACCOUNT: the account id or ``arn:aws:iam::ACCOUNT:root`` for a principal inside that account. This
  delegates to the account: the caller still needs an identity-based policy that allows the action.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hutch.policy.document import PrincipalSpec
from hutch.policy.validate import is_account_id

ROOT = "root"
USER = "user"
ASSUMED_ROLE = "assumed-role"
FEDERATED_WEB_IDENTITY = "federated-web-identity"
ANONYMOUS = "anonymous"
SERVICE = "service"
KINDS = (ROOT, USER, ASSUMED_ROLE, FEDERATED_WEB_IDENTITY, ANONYMOUS, SERVICE)


class PrincipalMatch(enum.IntEnum):
    """How strongly a Principal element names the caller; higher wins when several values match."""

    ACCOUNT = 1
    ROLE = 2
    DIRECT = 3


def _root_arn(value: str) -> str:
    """IAM stores an account id in a Principal as the account's root ARN; compare in that form."""
    return f"arn:aws:iam::{value}:root" if is_account_id(value) else value


def _is_account_principal(value: str) -> bool:
    return value.startswith("arn:") and value.endswith(":root") and ":iam::" in value


@dataclass(frozen=True, slots=True)
class RequestPrincipal:
    """The authenticated caller.

    ``identifiers`` are what Principal elements may name, by principal type, e.g.
    ``{"AWS": ["arn:aws:sts::111122223333:assumed-role/R/S", "arn:aws:iam::111122223333:role/R"]}`` or
    ``{"Federated": ["cognito-identity.amazonaws.com"]}``. The account (as id and root ARN) is added
    for users, roles and root; an anonymous caller matches only ``"*"``.
    """

    arn: str
    account: str
    kind: str
    identifiers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    _lookup: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown principal kind {self.kind!r}; expected one of {KINDS}")
        lookup: dict[str, set[str]] = {}
        if self.kind != ANONYMOUS:
            for principal_type, values in self.identifiers.items():
                lookup.setdefault(principal_type, set()).update(_root_arn(v) for v in values)
            if self.kind in (ROOT, USER, ASSUMED_ROLE) and self.account:
                lookup.setdefault("AWS", set()).add(_root_arn(self.account))
        object.__setattr__(self, "_lookup", {k: frozenset(v) for k, v in lookup.items()})

    @classmethod
    def anonymous(cls) -> RequestPrincipal:
        return cls("*", "", ANONYMOUS)

    def names(self, principal_type: str) -> frozenset[str]:
        return self._lookup.get(principal_type, frozenset())

    def identities(self) -> tuple[tuple[str, str], ...]:
        """Every (principal type, value) a Principal element could name this caller by."""
        return tuple((kind, value) for kind, values in self._lookup.items() for value in values)

    def classify(self, principal_type: str, value: str) -> PrincipalMatch:
        """How a matching Principal value names this caller."""
        if principal_type == "AWS" and self.kind != ROOT and _is_account_principal(value):
            return PrincipalMatch.ACCOUNT
        if principal_type == "AWS" and self.kind == ASSUMED_ROLE and ":role/" in value:
            return PrincipalMatch.ROLE
        return PrincipalMatch.DIRECT


class CompiledPrincipal:
    """A Principal / NotPrincipal element ready to match callers.

    ``deny`` is the statement's effect. NotPrincipal reads differently with Deny (IAM User Guide,
    "NotPrincipal"): AWS may check the caller's account, then its role, then the session, and the
    deny applies at the first level that is not listed -- so it spares the caller only when *every*
    identity the caller has is listed; and it "will always deny any IAM principal that has a
    permissions boundary policy attached". With Allow, NotPrincipal applies only to callers none of
    whose identities it lists (the narrower reading).
    """

    __slots__ = ("_listed", "_values", "deny", "everyone", "negated", "spec")

    def __init__(self, spec: PrincipalSpec, *, deny: bool = False) -> None:
        self.spec = spec
        self.negated = spec.negated
        self.everyone = spec.everyone
        self.deny = deny
        self._values = tuple(
            (principal_type, tuple(_root_arn(v) for v in values if v != "*"))
            for principal_type, values in spec.values
        )
        listed: dict[str, set[str]] = {}
        for principal_type, values in self._values:
            listed.setdefault(principal_type, set()).update(values)
        self._listed = {k: frozenset(v) for k, v in listed.items()}

    def match(
        self, principal: RequestPrincipal, *, bounded: bool = False
    ) -> tuple[PrincipalMatch | None, str]:
        """How the element names ``principal`` (None: it does not) and the value that decided it.

        ``bounded``: the caller has a permissions boundary (only NotPrincipal with Deny looks at it).
        """
        if self.negated and self.deny:
            return self._deny_unless_all_listed(principal, bounded)
        best: PrincipalMatch | None = None
        best_value = ""
        if self.everyone:
            best, best_value = PrincipalMatch.DIRECT, "*"
        else:
            for principal_type, values in self._values:
                names = principal.names(principal_type)
                for value in values:
                    if value in names:
                        strength = principal.classify(principal_type, value)
                        if best is None or strength > best:
                            best, best_value = strength, f"{principal_type}:{value}"
        if self.negated:
            # NotPrincipal applies to everyone it does not list.
            if best is None:
                return PrincipalMatch.DIRECT, "not listed in NotPrincipal"
            return None, f"listed in NotPrincipal as {best_value}"
        return best, best_value

    def _deny_unless_all_listed(
        self, principal: RequestPrincipal, bounded: bool
    ) -> tuple[PrincipalMatch | None, str]:
        if bounded:
            return (
                PrincipalMatch.DIRECT,
                "NotPrincipal with Deny applies to every principal with a permissions boundary",
            )
        if self.everyone:
            return None, "listed in NotPrincipal as *"
        identities = principal.identities()
        unlisted = [
            f"{kind}:{value}" for kind, value in identities if value not in self._listed.get(kind, ())
        ]
        if unlisted or not identities:
            missing = ", ".join(unlisted) or principal.arn
            return (
                PrincipalMatch.DIRECT,
                f"not every identity of the caller is in NotPrincipal (missing {missing})",
            )
        return None, "listed in NotPrincipal with every identity of the caller"
