"""The linking and merging rules, table by table (Cognito developer guide, "Identity pools authentication
flow": linking logins, merging identities)."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_identity.linking import plan_links
from hutch.services.cognito_identity.model import COGNITO_IDENTITY_PROVIDER, Identity, Login

UP = "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"
GOOGLE = "accounts.google.com"
DEV = "login.example.app"

alice = Login(UP, "alice-sub")
bob = Login(UP, "bob-sub")
alice_google = Login(GOOGLE, "g-alice")


def ident(identity_id: str, state: str = "authenticated", *logins: Login) -> Identity:
    return Identity(identity_id, "pool", state, tuple(logins))  # type: ignore[arg-type]


def plan(target=None, presented=(), owners=None, allow_unauthenticated=True, developer_provider=DEV):  # type: ignore[no-untyped-def]
    return plan_links(
        target=target,
        presented=list(presented),
        owners=owners or {},
        developer_provider=developer_provider,
        allow_unauthenticated=allow_unauthenticated,
    )


def code(excinfo: pytest.ExceptionInfo[ServiceError]) -> tuple[str, str]:
    return excinfo.value.code, excinfo.value.message


def test_get_id_with_a_new_login_creates_an_authenticated_identity_holding_it() -> None:
    p = plan(presented=[alice])
    assert (p.identity_id, p.state, p.add, p.merge) == (None, "authenticated", (alice,), ())


def test_get_id_with_a_known_login_returns_its_identity_without_changes() -> None:
    a = ident("id-a", "authenticated", alice)
    p = plan(presented=[alice], owners={alice: a})
    assert p.identity_id == "id-a" and not p.changes_anything


def test_get_id_without_logins_creates_a_guest_only_when_the_pool_allows_it() -> None:
    assert plan().state == "unauthenticated" and plan().identity_id is None
    with pytest.raises(ServiceError) as refused:
        plan(allow_unauthenticated=False)
    assert code(refused) == (
        "NotAuthorizedException",
        "Unauthenticated access is not supported for this identity pool.",
    )


def test_a_guest_presenting_a_new_login_becomes_authenticated_keeping_its_id() -> None:
    guest = ident("id-g", "unauthenticated")
    p = plan(target=guest, presented=[alice])
    assert (p.identity_id, p.state, p.add, p.merge, p.state_changed) == (
        "id-g",
        "authenticated",
        (alice,),
        (),
        True,
    )


def test_a_guest_presenting_a_known_login_merges_into_the_logins_owner_and_is_disabled() -> None:
    guest = ident("id-g", "unauthenticated")
    a = ident("id-a", "authenticated", alice)
    p = plan(target=guest, presented=[alice], owners={alice: a})
    assert (p.identity_id, p.merge, p.add) == ("id-a", ("id-g",), ())


def test_an_authenticated_identity_used_with_someone_elses_login_gets_logins_dont_match() -> None:
    """Bob's identity id with Alice's token gets nothing (and no merge happens)."""
    b = ident("id-b", "authenticated", bob)
    a = ident("id-a", "authenticated", alice)
    with pytest.raises(ServiceError) as refused:
        plan(target=b, presented=[alice], owners={alice: a})
    assert code(refused) == (
        "NotAuthorizedException",
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    )


def test_an_authenticated_identity_without_logins_is_refused() -> None:
    with pytest.raises(ServiceError) as refused:
        plan(target=ident("id-a", "authenticated", alice))
    assert refused.value.code == "NotAuthorizedException"


def test_a_disabled_identity_is_forbidden() -> None:
    with pytest.raises(ServiceError) as refused:
        plan(target=ident("id-x", "disabled"), presented=[alice])
    assert code(refused) == ("NotAuthorizedException", "Access to Identity 'id-x' is forbidden.")


def test_an_own_login_plus_a_new_provider_links_the_new_login() -> None:
    a = ident("id-a", "authenticated", alice)
    p = plan(target=a, presented=[alice, alice_google], owners={alice: a})
    assert (p.identity_id, p.add, p.merge) == ("id-a", (alice_google,), ())


def test_an_own_login_plus_a_login_of_another_identity_merges_the_other_into_this_one() -> None:
    a = ident("id-a", "authenticated", alice)
    g = ident("id-g", "authenticated", alice_google)
    p = plan(target=a, presented=[alice, alice_google], owners={alice: a, alice_google: g})
    assert (p.identity_id, p.merge) == ("id-a", ("id-g",))


def test_a_second_login_of_the_same_public_provider_is_a_conflict() -> None:
    a = ident("id-a", "authenticated", alice)
    with pytest.raises(ServiceError) as refused:
        plan(target=a, presented=[alice, bob], owners={alice: a})
    assert refused.value.code == "ResourceConflictException"


def test_developer_logins_are_exempt_from_one_login_per_provider() -> None:
    d1, d2 = Login(DEV, "user-1"), Login(DEV, "user-2")
    a = ident("id-a", "authenticated", d1)
    p = plan(target=a, presented=[d1, d2], owners={d1: a})
    assert p.add == (d2,)


def test_get_id_with_logins_of_two_identities_merges_into_the_first_presented_owner() -> None:
    a = ident("id-a", "authenticated", alice)
    g = ident("id-g", "authenticated", alice_google)
    p = plan(presented=[alice_google, alice], owners={alice: a, alice_google: g})
    assert (p.identity_id, p.merge) == ("id-g", ("id-a",))


def test_a_proof_token_authenticates_its_identity_but_is_never_linked() -> None:
    a = ident("id-a", "authenticated", Login(DEV, "u"))
    proof = Login(COGNITO_IDENTITY_PROVIDER, "id-a")
    p = plan(target=a, presented=[proof], owners={proof: a})
    assert p.identity_id == "id-a" and not p.changes_anything


def test_a_guests_own_token_does_not_make_it_authenticated() -> None:
    guest = ident("id-g", "unauthenticated")
    proof = Login(COGNITO_IDENTITY_PROVIDER, "id-g")
    p = plan(target=guest, presented=[proof], owners={proof: guest})
    assert (p.identity_id, p.state, p.changes_anything) == ("id-g", "unauthenticated", False)
    with pytest.raises(ServiceError):
        plan(target=guest, presented=[proof], owners={proof: guest}, allow_unauthenticated=False)


def test_the_same_login_presented_twice_counts_once() -> None:
    p = plan(presented=[alice, alice])
    assert p.add == (alice,)
