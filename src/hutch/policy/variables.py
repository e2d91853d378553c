"""Policy variables such as ``${aws:username}`` and ``${cognito-identity.amazonaws.com:sub}``.

Rules (IAM User Guide, "Policy variables"):

- Variables are recognised only in policies with ``"Version": "2012-10-17"``; in ``2008-10-17`` or
  without a Version the text ``${...}`` is literal.
- ``${*}``, ``${?}`` and ``${$}`` stand for a literal ``*``, ``?`` and ``$``.
- ``${key, 'default'}`` falls back to the quoted default when the key has no value; inside the quotes
  ``''`` is one quote. The key name is case-insensitive, the default is not.
- A key with no value and no default, a multi-valued key, or malformed ``${`` syntax leaves the
  variable *unresolved*: the value that uses it is null and equals / is like nothing ("Policy variables
  with no value"). An Allow then fails closed (the element or condition test never holds); a Deny
  treats it as AWS does, so a negated condition operator or a NotResource still applies.
- Substitution happens once; a value is never re-scanned for variables and is matched literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hutch.policy.context import RequestContext
from hutch.policy.wildcard import QMARK, STAR, Token, Wild, normalize, tokenize

_SPECIAL = {"*": "*", "?": "?", "$": "$"}


class Substituted(str):
    """A variable's value inside substituted tokens: literal text that ARN splitting must not cut."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Variable:
    """One ``${...}`` occurrence. ``key`` is as written; ``lookup`` is its lower-cased form."""

    key: str
    default: str | None
    text: str  # exactly as it appears in the policy, for explanations
    lookup_key: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lookup_key", self.key.lower())

    @property
    def lookup(self) -> str:
        return self.lookup_key

    def resolve(self, context: RequestContext) -> str | None:
        value = context.single(self.lookup_key)
        if value is not None:
            return value
        return self.default


@dataclass(frozen=True, slots=True)
class Unresolvable:
    """Malformed ``${`` syntax: never resolves, so the element using it never matches."""

    text: str


TemplateToken = Token | Variable | Unresolvable


@dataclass(frozen=True, slots=True)
class LiteralPlan:
    """A template that is literal text and variables, optionally ending in one ``*``: matching it needs
    only string building and ``==`` / ``startswith`` (the shape of almost every per-user policy)."""

    pieces: tuple[str | Variable, ...]
    trailing_star: bool

    def render(self, context: RequestContext) -> str | None:
        out: list[str] = []
        for piece in self.pieces:
            if type(piece) is Variable:
                value = context.single(piece.lookup_key)
                if value is None:
                    value = piece.default
                    if value is None:
                        return None
                out.append(value)
            else:
                out.append(piece)  # type: ignore[arg-type]
        return "".join(out)

    def match(self, text: str, context: RequestContext) -> bool | None:
        literal = self.render(context)
        if literal is None:
            return None
        return text.startswith(literal) if self.trailing_star else text == literal


@dataclass(frozen=True, slots=True)
class Template:
    """Policy text split into literal, wildcard and variable tokens."""

    source: str
    tokens: tuple[TemplateToken, ...]

    @property
    def has_variables(self) -> bool:
        return any(isinstance(t, Variable | Unresolvable) for t in self.tokens)

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(t for t in self.tokens if isinstance(t, Variable))

    def literal_plan(self) -> LiteralPlan | None:
        """This template as a :class:`LiteralPlan`, or ``None`` when it has other wildcards."""
        tokens = self.tokens
        trailing_star = bool(tokens) and tokens[-1] is STAR
        if trailing_star:
            tokens = tokens[:-1]
        if not all(isinstance(t, str | Variable) for t in tokens):
            return None
        return LiteralPlan(tuple(t for t in tokens if isinstance(t, str | Variable)), trailing_star)

    def static_tokens(self) -> tuple[Token, ...]:
        """The tokens of a template without variables."""
        return normalize(t for t in self.tokens if isinstance(t, str | Wild))

    def substitute(self, context: RequestContext, *, merge: bool = True) -> tuple[Token, ...] | None:
        """Tokens with every variable replaced by its literal value; ``None`` if any is unresolved.

        With ``merge=False`` values stay separate :class:`Substituted` tokens (ARN matching needs to
        know which colons came from the policy).
        """
        out: list[Token] = []
        for token in self.tokens:
            if isinstance(token, Variable):
                value = token.resolve(context)
                if value is None:
                    return None
                out.append(Substituted(value))
            elif isinstance(token, Unresolvable):
                return None
            else:
                out.append(token)
        return normalize(out) if merge else tuple(out)

    def substitute_text(self, context: RequestContext) -> str | None:
        """The substituted text (for literal comparisons and explanations); ``None`` if unresolved."""
        tokens = self.substitute(context)
        if tokens is None:
            return None
        return "".join(t if isinstance(t, str) else t.value for t in tokens)


def parse_template(text: str, *, variables: bool, wildcards: bool) -> Template:
    """Split ``text`` into tokens. ``variables`` follows the policy Version; ``wildcards`` the element."""
    if not variables or "${" not in text:
        return Template(text, tokenize(text, wildcards=wildcards))
    tokens: list[TemplateToken] = []
    pos = 0
    while pos < len(text):
        start = text.find("${", pos)
        if start < 0:
            tokens.extend(tokenize(text[pos:], wildcards=wildcards))
            break
        tokens.extend(tokenize(text[pos:start], wildcards=wildcards))
        end = _closing_brace(text, start + 2)
        if end < 0:
            tokens.append(Unresolvable(text[start:]))
            break
        tokens.append(_parse_variable(text[start : end + 1]))
        pos = end + 1
    return Template(text, tuple(tokens))


def _closing_brace(text: str, pos: int) -> int:
    """Index of the ``}`` that closes a variable, skipping braces inside a quoted default."""
    in_quote = False
    while pos < len(text):
        ch = text[pos]
        if ch == "'":
            in_quote = not in_quote  # '' inside a default toggles twice: still inside
        elif ch == "}" and not in_quote:
            return pos
        pos += 1
    return -1


def _parse_variable(whole: str) -> Variable | Unresolvable | str:
    body = whole[2:-1]
    if body in _SPECIAL:
        return _SPECIAL[body]
    key, sep, rest = body.partition(",")
    key = key.strip()
    if not key or any(ch.isspace() for ch in key):
        return Unresolvable(whole)
    if not sep:
        return Variable(key, None, whole)
    rest = rest.strip()
    if len(rest) < 2 or rest[0] != "'" or rest[-1] != "'":
        return Unresolvable(whole)
    inner = rest[1:-1]
    # Every quote inside must be doubled.
    if inner.replace("''", "").count("'"):
        return Unresolvable(whole)
    return Variable(key, inner.replace("''", "'"), whole)


def variable_keys(templates: Iterable[Template]) -> frozenset[str]:
    """Lower-cased context keys the templates read."""
    return frozenset(v.lookup for t in templates for v in t.variables)


__all__ = [
    "QMARK",
    "STAR",
    "LiteralPlan",
    "Substituted",
    "Template",
    "TemplateToken",
    "Unresolvable",
    "Variable",
    "parse_template",
    "variable_keys",
]
