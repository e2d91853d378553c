"""Policy variables: syntax, defaults, specials, and fail-closed resolution."""

from __future__ import annotations

import pytest

from hutch.policy.context import RequestContext
from hutch.policy.variables import Unresolvable, Variable, parse_template
from hutch.policy.wildcard import STAR


def _text(template: str, context: dict[str, object], *, variables: bool = True) -> str | None:
    return parse_template(template, variables=variables, wildcards=False).substitute_text(
        RequestContext(context)  # type: ignore[arg-type]
    )


def test_substitutes_value() -> None:
    assert _text("home/${aws:username}/", {"aws:username": "alice"}) == "home/alice/"


def test_key_name_is_case_insensitive() -> None:
    assert _text("${AWS:UserName}", {"aws:username": "alice"}) == "alice"
    assert _text("${aws:username}", {"AWS:USERNAME": "alice"}) == "alice"


def test_default_used_when_key_missing() -> None:
    assert _text("${aws:PrincipalTag/team, 'company-wide'}", {}) == "company-wide"
    assert _text("${aws:PrincipalTag/team, 'company-wide'}", {"aws:PrincipalTag/team": "red"}) == "red"


def test_default_doubled_quote_is_one_quote() -> None:
    assert _text("${k, 'it''s'}", {}) == "it's"


def test_default_may_contain_braces() -> None:
    assert _text("${k, 'a}b'}x", {}) == "a}bx"


@pytest.mark.parametrize(("special", "literal"), [("${*}", "*"), ("${?}", "?"), ("${$}", "$")])
def test_special_characters(special: str, literal: str) -> None:
    template = parse_template(f"a{special}b", variables=True, wildcards=True)
    assert template.tokens == ("a", literal, "b")


def test_special_star_is_literal_not_wildcard() -> None:
    template = parse_template("a${*}", variables=True, wildcards=True)
    assert STAR not in (template.substitute(RequestContext()) or ())


def test_unresolved_variable_gives_none() -> None:
    assert _text("home/${aws:username}", {}) is None


def test_multi_valued_key_cannot_be_a_variable() -> None:
    assert _text("${aws:TagKeys}", {"aws:TagKeys": ["a", "b"]}) is None


def test_multi_valued_key_falls_back_to_default() -> None:
    assert _text("${aws:TagKeys, 'd'}", {"aws:TagKeys": ["a"]}) == "d"


def test_version_without_variables_keeps_text_literal() -> None:
    template = parse_template("home/${aws:username}", variables=False, wildcards=False)
    assert not template.has_variables
    assert template.substitute_text(RequestContext({"aws:username": "alice"})) == "home/${aws:username}"


@pytest.mark.parametrize(
    "bad", ["${aws:username", "${}", "${a b}", "${k, default}", "${k, 'x}", "${k, 'a'b'}"]
)
def test_malformed_variable_never_resolves(bad: str) -> None:
    template = parse_template(bad, variables=True, wildcards=False)
    assert any(isinstance(t, Unresolvable) for t in template.tokens)
    assert template.substitute_text(RequestContext({"aws:username": "x", "k": "v", "a b": "v"})) is None


def test_substitution_happens_once() -> None:
    """A value that looks like a variable is not substituted again."""
    assert _text("${a}", {"a": "${b}", "b": "x"}) == "${b}"


def test_variables_listed() -> None:
    template = parse_template("${a}/${B, 'x'}", variables=True, wildcards=True)
    assert [v.lookup for v in template.variables] == ["a", "b"]
    assert isinstance(template.tokens[0], Variable)
