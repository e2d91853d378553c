"""Wildcard matching: table-driven cases, a reference-model property, and adversarial patterns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hutch.policy.wildcard import QMARK, STAR, Glob, match, normalize, tokenize


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("abc", "abc", True),
        ("abc", "abcd", False),
        ("", "", True),
        ("", "a", False),
        ("*", "", True),
        ("*", "anything", True),
        ("a*", "a", True),
        ("a*", "abc", True),
        ("a*", "ba", False),
        ("*c", "abc", True),
        ("*c", "abd", False),
        ("a*c", "ac", True),
        ("a*c", "abbbc", True),
        ("a*c", "abbbd", False),
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("a?c", "abbc", False),
        ("???", "abc", True),
        ("???", "ab", False),
        ("a*b*c", "aXbYc", True),
        ("a*b*c", "acb", False),
        ("*a*", "bab", True),
        ("*a?", "xxab", True),
        ("*a?", "xxa", False),
        ("s3:Get*", "s3:GetObject", True),
        ("s3:*Object", "s3:PutObject", True),
        ("s3:*Object", "s3:ListBucket", False),
        ("ab*ab", "ab", False),
        ("ab*ab", "abab", True),
        ("a**b", "ab", True),
        ("*?", "", False),
        ("*?", "x", True),
        ("?*?", "xy", True),
        ("?*?", "x", False),
    ],
)
def test_match_table(pattern: str, text: str, expected: bool) -> None:
    assert match(pattern, text) is expected


def test_case_sensitive() -> None:
    assert not match("ABC", "abc")
    assert not match("A*", "abc")


def test_tokenize_splits_wildcards_and_literals() -> None:
    assert tokenize("a*b?c") == ("a", STAR, "b", QMARK, "c")
    assert tokenize("a*b?c", wildcards=False) == ("a*b?c",)


def test_normalize_merges_literals_and_collapses_stars() -> None:
    assert normalize(["a", "b", STAR, STAR, "", "c"]) == ("ab", STAR, "c")


def test_literal_star_token_is_not_a_wildcard() -> None:
    """A '*' that arrives as literal text (e.g. from a substituted variable) matches only '*'."""
    glob = Glob(("prefix/", "*", "/", STAR))
    assert glob.match("prefix/*/file")
    assert not glob.match("prefix/someone-else/file")


def _reference(pattern: str, text: str) -> bool:
    """Textbook DP glob matcher, used only as an oracle."""
    n, m = len(text), len(pattern)
    row = [False] * (n + 1)
    row[0] = True
    for j in range(m):
        p = pattern[j]
        new = [False] * (n + 1)
        if p == "*":
            new[0] = row[0]
            for i in range(1, n + 1):
                new[i] = new[i - 1] or row[i]
        else:
            for i in range(1, n + 1):
                new[i] = row[i - 1] and (p == "?" or p == text[i - 1])
        row = new
    return row[n]


@given(st.text(alphabet="ab*?", max_size=10), st.text(alphabet="ab", max_size=12))
def test_matches_reference_model(pattern: str, text: str) -> None:
    assert match(pattern, text) is _reference(pattern, text)


@pytest.mark.timeout(10)
def test_adversarial_pattern_finishes() -> None:
    """a*a*...a*b against a long run of 'a': exponential for a backtracking matcher (it would not
    finish within the timeout), a few milliseconds here."""
    pattern = "a*" * 40 + "b"
    text = "a" * 20000
    assert match(pattern, text) is False
    assert match(pattern, text + "b") is True


@pytest.mark.timeout(10)
def test_adversarial_question_marks_finish() -> None:
    pattern = "*?a?" * 30 + "*b"
    text = "xa" * 8000
    assert match(pattern, text) is False
