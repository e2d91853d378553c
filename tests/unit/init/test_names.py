"""How init names what it makes: valid in every service that carries the name, found again by tag."""

from __future__ import annotations

import re

import pytest

from hutch.init.names import TAG_KEY, InvalidName, Names, check_app

IAM_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
IDENTITY_POOL_NAME = re.compile(r"^[\w ]+$")


@pytest.mark.parametrize("app", ["myapp", "a", "My.App-2_x", "x" * 40])
def test_valid_app_names_make_valid_resource_names(app: str) -> None:
    names = Names(check_app(app))
    assert IAM_ROLE_NAME.match(names.role("unauthenticated"))
    assert IAM_ROLE_NAME.match(names.role("authenticated"))
    assert IDENTITY_POOL_NAME.match(names.identity_pool)
    assert names.user_pool == app
    assert names.app_client == f"{app}-web"


@pytest.mark.parametrize("app", ["", "-leading", "has space", "slash/y", "x" * 41, "ünï"])
def test_app_names_that_cannot_be_used_everywhere_are_refused(app: str) -> None:
    with pytest.raises(InvalidName, match="app name"):
        check_app(app)


def test_identity_pool_names_replace_what_older_clients_refuse() -> None:
    assert Names("my-app.v2").identity_pool == "my_app_v2"


def test_only_the_apps_own_tag_marks_a_resource_as_its() -> None:
    names = Names("myapp")
    assert names.tags == {TAG_KEY: "myapp"}
    assert names.is_tagged({TAG_KEY: "myapp", "other": "x"})
    assert not names.is_tagged({TAG_KEY: "myapp2"})
    assert not names.is_tagged({})
    assert not names.is_tagged(None)
