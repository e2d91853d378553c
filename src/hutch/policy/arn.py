"""ARN patterns for Resource / NotResource and the Arn* condition operators.

An ARN has six colon-separated parts: ``arn:partition:service:region:account:resource`` (the resource
part may itself contain colons). IAM matches a pattern part by part, so a wildcard stays inside its
part -- except that a ``*`` ending a part "can expand to match beyond the colon boundaries", which is
what lets ``*`` or ``arn:aws:s3:*`` cover whole ARNs. Patterns are split only at *literal* colons, so a
colon inside a substituted variable value is matched literally (and can therefore never line up with
a part boundary).
"""

from __future__ import annotations

from hutch.policy.context import RequestContext
from hutch.policy.variables import LiteralPlan, Substituted, Template, TemplateToken
from hutch.policy.wildcard import STAR, Glob, Token, normalize

ARN_PARTS = 6


def split_arn(text: str) -> list[str]:
    return text.split(":", ARN_PARTS - 1)


def looks_like_arn(text: str) -> bool:
    return text.startswith("arn:") and text.count(":") >= ARN_PARTS - 1


def _split_tokens(tokens: tuple[TemplateToken, ...]) -> list[list[TemplateToken]]:
    """Split template tokens into ARN parts at the first five literal colons."""
    parts: list[list[TemplateToken]] = [[]]
    for token in tokens:
        literal = isinstance(token, str) and not isinstance(token, Substituted)
        if literal and len(parts) < ARN_PARTS and ":" in token:  # type: ignore[operator]
            pieces = token.split(":", ARN_PARTS - len(parts))  # type: ignore[union-attr]
            parts[-1].append(pieces[0])
            for piece in pieces[1:]:
                parts.append([piece])
        else:
            parts[-1].append(token)
    return parts


def match_tokens(tokens: tuple[Token, ...], text: str) -> bool:
    """Match substituted tokens without building a Glob for the common shapes."""
    if len(tokens) == 1 and isinstance(tokens[0], str):
        return text == tokens[0]
    if len(tokens) == 2 and tokens[1] is STAR and isinstance(tokens[0], str):
        return text.startswith(tokens[0])
    if not tokens:
        return text == ""
    return Glob(tokens).match(text)


class ArnPattern:
    """A compiled Resource (or ArnLike value) pattern."""

    __slots__ = ("_globs", "_head", "_last", "_parts", "_plan", "has_variables", "template")

    def __init__(self, template: Template) -> None:
        self.template = template
        self.has_variables = template.has_variables
        raw_parts = _split_tokens(template.tokens)
        self._parts: tuple[tuple[TemplateToken, ...], ...] = tuple(tuple(p) for p in raw_parts)
        self._globs: tuple[Glob, ...] | None = None
        # Fast path: six parts whose first five are plain literals -> compare a prefix, then match the
        # resource part alone. Covers every S3 / IAM ARN a policy normally names.
        self._head: str | None = None
        self._last: tuple[TemplateToken, ...] = self._parts[-1]
        self._plan: LiteralPlan | None = (
            Template("", self._last).literal_plan() if self.has_variables else None
        )
        if len(self._parts) == ARN_PARTS and all(
            all(isinstance(t, str) for t in part) for part in self._parts[:-1]
        ):
            self._head = ":".join("".join(part) for part in self._parts[:-1]) + ":"  # type: ignore[arg-type]
        if not self.has_variables:
            self._globs = tuple(Glob(normalize(part)) for part in self._parts)  # type: ignore[arg-type]

    @property
    def source(self) -> str:
        return self.template.source

    def match(self, arn: str, context: RequestContext) -> bool | None:
        """True/False; ``None`` when a variable in the pattern has no value (the pattern never matches)."""
        head = self._head
        if head is not None:
            if not arn.startswith(head):
                return False
            rest = arn[len(head) :]
            if self._globs is not None:
                return self._globs[-1].match(rest)
            if self._plan is not None:
                return self._plan.match(rest, context)
            last = _substitute(self._last, context)
            if last is None:
                return None
            return match_tokens(last, rest)
        globs = self._globs
        if globs is None:
            subst: list[Glob] = []
            for part in self._parts:
                tokens = _substitute(part, context)
                if tokens is None:
                    return None
                subst.append(Glob(tokens))
            globs = tuple(subst)
        return _match_parts(globs, arn)

    def resolved_text(self, context: RequestContext) -> str | None:
        """The pattern with variables substituted, for explanations."""
        return self.template.substitute_text(context)


def _substitute(tokens: tuple[TemplateToken, ...], context: RequestContext) -> tuple[Token, ...] | None:
    return Template("", tokens).substitute(context)


def _match_parts(globs: tuple[Glob, ...], arn: str) -> bool:
    """Match part by part; the last pattern part takes the rest of the ARN, colons included."""
    if any(g.tokens and g.tokens[-1] is STAR for g in globs[:-1]):
        return _match_expanding(globs, arn)
    pieces = arn.split(":", len(globs) - 1)
    if len(pieces) != len(globs):
        return False
    return all(glob.match(piece) for glob, piece in zip(globs, pieces, strict=True))


def _match_expanding(globs: tuple[Glob, ...], arn: str) -> bool:
    """Some inner part ends in ``*``, which may run past colons; every other wildcard in the first
    parts stays within its part. One pass of the classic O(n*m) glob DP with two kinds of wildcard."""
    # Flatten to per-character elements: (char, None) literal, (None, crosses_colon) for * and ?.
    elements: list[tuple[str | None, bool, bool]] = []  # (literal char, is_star, crosses_colon)
    last = len(globs) - 1
    for i, glob in enumerate(globs):
        if i:
            elements.append((":", False, False))
        for n, token in enumerate(glob.tokens):
            if isinstance(token, str):
                elements.extend((ch, False, False) for ch in token)
            else:
                crosses = i == last or (token is STAR and n == len(glob.tokens) - 1)
                elements.append((None, token is STAR, crosses))
    # row[k]: the first k elements match the text consumed so far.
    row = [False] * (len(elements) + 1)
    row[0] = True
    for k, (_, is_star, _) in enumerate(elements):
        row[k + 1] = row[k] and is_star
    for ch in arn:
        new = [False] * (len(elements) + 1)
        for k, (lit, is_star, crosses) in enumerate(elements):
            allowed = crosses or ch != ":"
            if lit is not None:
                new[k + 1] = row[k] and lit == ch
            elif is_star:
                new[k + 1] = new[k] or (row[k + 1] and allowed)
            else:
                new[k + 1] = row[k] and allowed
        if not any(new):
            return False
        row = new
    return row[-1]
