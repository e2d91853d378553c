"""`*` / `?` matching over token sequences, iterative and worst-case O(len(text) * len(pattern)).

A pattern is a sequence of tokens: literal text (``str``), :data:`STAR` or :data:`QMARK`. Policy
variables are substituted *before* matching as literal ``str`` tokens, so a ``*`` or ``?`` that came
from a request value (an identity id, a user name) is compared character for character and can never
widen what a statement grants.

Matching splits the pattern at its stars into fixed-length *parts* (literals and ``?``). The first
part is anchored at the start of the text, the last at the end, and every part in between is placed
at its leftmost possible position: with only ``*`` between parts, the leftmost placement always leaves
the most room for the rest, so no backtracking is ever needed. Each placement scans the text once,
which gives the O(n*m) bound even for adversarial patterns such as ``a*a*a*...b``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence


class Wild(enum.Enum):
    """The two wildcard tokens."""

    STAR = "*"
    QMARK = "?"

    def __repr__(self) -> str:
        return self.value


STAR = Wild.STAR
QMARK = Wild.QMARK

Token = str | Wild
# A fixed-length run between stars: literal strings and ``None`` for a single-character ``?``.
Part = tuple[str | None, ...]


def tokenize(text: str, *, wildcards: bool = True) -> tuple[Token, ...]:
    """Turn policy text into tokens; with ``wildcards=False`` every character is literal."""
    if not wildcards or ("*" not in text and "?" not in text):
        return (text,) if text else ()
    tokens: list[Token] = []
    run: list[str] = []
    for ch in text:
        if ch == "*":
            if run:
                tokens.append("".join(run))
                run.clear()
            tokens.append(STAR)
        elif ch == "?":
            if run:
                tokens.append("".join(run))
                run.clear()
            tokens.append(QMARK)
        else:
            run.append(ch)
    if run:
        tokens.append("".join(run))
    return tuple(tokens)


def normalize(tokens: Iterable[Token]) -> tuple[Token, ...]:
    """Merge adjacent literals, drop empty ones and collapse runs of stars (``**`` == ``*``)."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, str):
            if not token:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + token
                continue
        elif token is STAR and out and out[-1] is STAR:
            continue
        out.append(token)
    return tuple(out)


def render(tokens: Iterable[Token]) -> str:
    """The pattern as text (a literal ``*`` from a variable and a wildcard look alike here)."""
    return "".join(t if isinstance(t, str) else t.value for t in tokens)


class Glob:
    """A compiled pattern. Build once, call :meth:`match` many times."""

    __slots__ = ("_exact", "_head", "_kind", "_middle", "_min_len", "_tail", "tokens")

    # Kinds, most specific first; GENERAL is the part-placement algorithm.
    _EXACT, _ANY, _PREFIX, _GENERAL = range(4)

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = normalize(tokens)
        has_q = QMARK in self.tokens
        stars = sum(1 for t in self.tokens if t is STAR)
        self._exact = ""
        self._head: Part = ()
        self._tail: Part | None = None
        self._middle: tuple[Part, ...] = ()
        first = self.tokens[0] if self.tokens else ""
        if stars == 0 and not has_q:
            self._kind = self._EXACT
            self._exact = first if isinstance(first, str) else ""
        elif self.tokens == (STAR,):
            self._kind = self._ANY
        elif stars == 1 and not has_q and self.tokens[-1] is STAR and isinstance(first, str):
            self._kind = self._PREFIX
            self._exact = first
        else:
            self._kind = self._GENERAL
            parts: list[list[str | None]] = [[]]
            for token in self.tokens:
                if isinstance(token, str):
                    parts[-1].append(token)
                elif token is STAR:
                    parts.append([])
                else:
                    parts[-1].append(None)
            frozen = [tuple(p) for p in parts]
            self._head = frozen[0]
            if stars == 0:
                self._tail = None
            else:
                self._tail = frozen[-1]
                self._middle = tuple(frozen[1:-1])
        self._min_len = sum(len(t) if isinstance(t, str) else int(t is QMARK) for t in self.tokens)

    @classmethod
    def from_text(cls, text: str) -> Glob:
        return cls(tokenize(text))

    @property
    def is_literal(self) -> bool:
        return self._kind == self._EXACT

    def match(self, text: str) -> bool:
        kind = self._kind
        if kind == self._EXACT:
            return text == self._exact
        if kind == self._ANY:
            return True
        if kind == self._PREFIX:
            return text.startswith(self._exact)
        return self._match_general(text)

    def _match_general(self, text: str) -> bool:
        n = len(text)
        if n < self._min_len:
            return False
        head = self._head
        head_len = _part_len(head)
        if self._tail is None:  # no star: the single part must cover the text exactly
            return head_len == n and _part_at(head, text, 0)
        if not _part_at(head, text, 0):
            return False
        pos = head_len
        tail = self._tail
        tail_start = n - _part_len(tail)
        for part in self._middle:
            found = _find_part(part, text, pos, tail_start)
            if found < 0:
                return False
            pos = found + _part_len(part)
        return tail_start >= pos and _part_at(tail, text, tail_start)


class Literal:
    """Matches one exact text: what a ``StringLike`` value with no wildcards becomes."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def match(self, text: str) -> bool:
        return text == self.text


class Prefix:
    """Matches text starting with a prefix: a value whose only wildcard is a trailing ``*``."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def match(self, text: str) -> bool:
        return text.startswith(self.prefix)


def _part_len(part: Part) -> int:
    return sum(1 if el is None else len(el) for el in part)


def _part_at(part: Part, text: str, pos: int) -> bool:
    """Does the fixed-length ``part`` match ``text`` at ``pos`` (bounds included)?"""
    if pos + _part_len(part) > len(text):
        return False
    for el in part:
        if el is None:
            pos += 1
        else:
            if not text.startswith(el, pos):
                return False
            pos += len(el)
    return True


def _find_part(part: Part, text: str, start: int, limit: int) -> int:
    """Leftmost position >= start where ``part`` matches and ends at or before ``limit``; -1 if none."""
    length = _part_len(part)
    last = limit - length
    if not part:
        return start if start <= last else -1
    # Jump between candidates with str.find on the first literal when there is one.
    lead = part[0]
    offset = 0
    if lead is None:
        for i, el in enumerate(part):
            if el is not None:
                lead, offset = el, sum(1 if e is None else len(e) for e in part[:i])
                break
    pos = start
    while pos <= last:
        if lead is not None:
            hit = text.find(lead, pos + offset, last + offset + len(lead))
            if hit < 0:
                return -1
            pos = hit - offset
        if _part_at(part, text, pos):
            return pos
        pos += 1
    return -1


def match(pattern: str, text: str) -> bool:
    """Convenience: match policy text (``*``/``?`` as wildcards) against ``text``."""
    return Glob.from_text(pattern).match(text)
