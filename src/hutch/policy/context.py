"""The request context: condition keys and their values, looked up case-insensitively.

Values arrive as strings (single-valued keys) or sequences of strings (multi-valued keys such as
``cognito-identity.amazonaws.com:amr`` or ``aws:TagKeys``). Operators interpret the strings themselves
(numbers, dates, booleans, IPs, ARNs); the context never converts them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

ContextValue = str | Sequence[str]


class RequestContext(Mapping[str, ContextValue]):
    """An immutable view of the request's condition keys, looked up case-insensitively.

    Build one per request and pass it to every decision for that request; ``evaluate`` accepts any
    mapping and wraps it in a ``RequestContext`` when it is not one already. Keys are lowered lazily:
    policies look keys up lower-cased, and most keys callers send already are, so the common lookup
    is one dict probe.
    """

    __slots__ = ("_lowered", "_source")

    def __init__(self, values: Mapping[str, ContextValue] | None = None) -> None:
        self._source: Mapping[str, ContextValue] = values if values is not None else {}
        self._lowered: dict[str, ContextValue] | None = None

    @classmethod
    def of(cls, values: Mapping[str, ContextValue] | None) -> RequestContext:
        return values if isinstance(values, RequestContext) else cls(values)

    def _table(self) -> dict[str, ContextValue]:
        if self._lowered is None:
            self._lowered = {key.lower(): value for key, value in self._source.items()}
        return self._lowered

    def __getitem__(self, key: str) -> ContextValue:
        return self._table()[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.raw(key.lower()) is not None

    def raw(self, lowered_key: str) -> ContextValue | None:
        """The value for an already lower-cased key, or ``None`` when absent (the hot path)."""
        value = self._source.get(lowered_key)
        if value is None:
            value = self._table().get(lowered_key)
        return value

    def values_of(self, lowered_key: str) -> tuple[str, ...] | None:
        """The key's values as a tuple (one for a single-valued key); ``None`` when absent."""
        value = self.raw(lowered_key)
        if value is None:
            return None
        return (value,) if isinstance(value, str) else tuple(value)

    def single(self, lowered_key: str) -> str | None:
        """The value of a single-valued key. Multi-valued keys give ``None``: they cannot be variables."""
        value = self.raw(lowered_key)
        return value if isinstance(value, str) else None

    def items_as_given(self) -> list[tuple[str, str | tuple[str, ...]]]:
        return [
            (key, value if isinstance(value, str) else tuple(value)) for key, value in self._source.items()
        ]

    def __repr__(self) -> str:
        return f"RequestContext({dict(self.items_as_given())!r})"
