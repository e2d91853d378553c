from __future__ import annotations

from hutch.policy.context import RequestContext


def test_lookup_is_case_insensitive_whatever_the_caller_spelling() -> None:
    context = RequestContext(
        {"aws:SourceIp": "10.0.0.1", "cognito-identity.amazonaws.com:sub": "us-east-1:x"}
    )
    assert context.raw("aws:sourceip") == "10.0.0.1"
    assert context.raw("cognito-identity.amazonaws.com:sub") == "us-east-1:x"
    assert context["AWS:SOURCEIP"] == "10.0.0.1"
    assert "Aws:SourceIP" in context and "aws:missing" not in context
    assert set(context) == {"aws:sourceip", "cognito-identity.amazonaws.com:sub"} and len(context) == 2


def test_single_and_multi_valued() -> None:
    context = RequestContext({"aws:TagKeys": ["a", "b"], "aws:username": "alice"})
    assert context.single("aws:tagkeys") is None
    assert context.single("aws:username") == "alice"
    assert context.values_of("aws:tagkeys") == ("a", "b")
    assert context.values_of("aws:username") == ("alice",)
    assert context.values_of("nope") is None


def test_of_reuses_a_context() -> None:
    context = RequestContext({"a": "b"})
    assert RequestContext.of(context) is context
    assert RequestContext.of({"A": "b"}).raw("a") == "b"
    assert RequestContext.of(None).raw("a") is None


def test_items_as_given_keep_caller_spelling() -> None:
    assert RequestContext({"aws:SourceIp": "1.2.3.4", "k": ["x"]}).items_as_given() == [
        ("aws:SourceIp", "1.2.3.4"),
        ("k", ("x",)),
    ]
