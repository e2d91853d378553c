"""Which identity a set of verified logins belongs to, and what linking or merging that implies.

Pure rules, no storage: the store loads the identities involved, asks ``plan_links`` what to do, and applies
the plan in the same transaction. AWS's rules (Cognito developer guide, "Identity pools authentication flow"):

- GetId with logins nobody has seen creates an authenticated identity holding them; with a known login it
  answers that login's identity (the same login always maps to the same identity).
- A login not yet linked anywhere is linked to the identity it is presented with ("linking logins"); an
  identity holds at most one login per public provider, so a second, different login of the same provider is a
  ResourceConflictException. Developer-provider logins are exempt (MergeDeveloperIdentities gathers several).
- A login linked to another identity merges the two: the login's owner is the parent and keeps every login,
  the other identity is disabled, and the parent's id is returned ("merging identities"). An unauthenticated
  identity presented with a known login therefore becomes disabled and the caller gets the known identity.
- An authenticated identity can only be used with at least one of its own logins ("Logins don't match");
  a disabled identity not at all.

A token minted by this service (GetOpenIdToken / GetOpenIdTokenForDeveloperIdentity, Logins key
cognito-identity.amazonaws.com) is presented as the pseudo-login (that provider, identity id): it proves its
identity like one of its logins, but is never linked anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.model import COGNITO_IDENTITY_PROVIDER, Identity, IdentityState, Login


@dataclass(frozen=True)
class LinkPlan:
    """What to change so the presented logins and the identity agree."""

    identity_id: str | None  # the identity the caller gets; None: create a new one
    state: IdentityState  # its state afterwards
    add: tuple[Login, ...] = ()  # logins to link to it
    merge: tuple[str, ...] = ()  # identities whose logins move to it and which are then disabled
    state_changed: bool = False

    @property
    def changes_anything(self) -> bool:
        return self.identity_id is None or bool(self.add or self.merge) or self.state_changed


def is_proof(login: Login) -> bool:
    """A token of this service standing in for its identity (never linked)."""
    return login.provider == COGNITO_IDENTITY_PROVIDER


def plan_links(
    *,
    target: Identity | None,
    presented: Sequence[Login],
    owners: Mapping[Login, Identity],
    developer_provider: str | None,
    allow_unauthenticated: bool,
) -> LinkPlan:
    """Decide the outcome of presenting ``presented`` (verified logins) for ``target``.

    ``target`` is the identity named in the call (None for GetId); ``owners`` maps each presented login
    that is already linked (and each proof) to the identity holding it.
    """
    # A guest's own token proves nothing its identity id does not: it never authenticates anyone.
    presented = [
        login
        for login in dict.fromkeys(presented)
        if not (is_proof(login) and login in owners and owners[login].state == "unauthenticated")
    ]
    if target is not None and target.state == "disabled":
        raise errors.identity_forbidden(target.identity_id)
    for owner in owners.values():
        if owner.state == "disabled":
            raise errors.identity_forbidden(owner.identity_id)

    if not presented:
        if target is not None and target.state == "authenticated":
            raise errors.logins_do_not_match()
        if not allow_unauthenticated:
            raise errors.unauthenticated_not_supported()
        if target is None:
            return LinkPlan(None, "unauthenticated", state_changed=True)
        return LinkPlan(target.identity_id, "unauthenticated")

    owner_order: list[Identity] = []
    for login in presented:
        found = owners.get(login)
        if found is not None and all(o.identity_id != found.identity_id for o in owner_order):
            owner_order.append(found)
    unowned = [login for login in presented if login not in owners and not is_proof(login)]

    if target is not None and target.state == "authenticated":
        if all(o.identity_id != target.identity_id for o in owner_order):
            raise errors.logins_do_not_match()
        parent: Identity | None = target
    elif owner_order:
        # The login's owner is the parent; an unauthenticated target merges into it.
        parent = owner_order[0]
    else:
        parent = target  # an unauthenticated identity becoming authenticated, or (None) a new identity

    merge = [o for o in owner_order if parent is None or o.identity_id != parent.identity_id]
    if target is not None and parent is not None and target.identity_id != parent.identity_id:
        merge.append(target)

    held = list(parent.logins) if parent is not None else []
    for other in merge:
        held.extend(other.logins)
    _check_one_login_per_provider([*held, *unowned], developer_provider)

    if parent is None:
        return LinkPlan(None, "authenticated", tuple(unowned), tuple(m.identity_id for m in merge), True)
    return LinkPlan(
        parent.identity_id,
        "authenticated",
        tuple(unowned),
        tuple(dict.fromkeys(m.identity_id for m in merge)),
        parent.state != "authenticated",
    )


def _check_one_login_per_provider(logins: Sequence[Login], developer_provider: str | None) -> None:
    subjects: dict[str, str] = {}
    for login in logins:
        if is_proof(login) or login.provider == developer_provider:
            continue
        seen = subjects.setdefault(login.provider, login.subject)
        if seen != login.subject:
            raise errors.resource_conflict(
                f"An identity can be linked to only one login of provider '{login.provider}'."
            )
