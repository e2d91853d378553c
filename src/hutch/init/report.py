"""What a run of `hutch init` did to each resource: created, updated (and why), or found as intended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Action = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Step:
    resource: str  # "user pool", "app client", "identity pool", "role", "bucket", ...
    name: str  # what the operator recognises: a name or an id
    action: Action
    detail: str = ""  # for "updated": what was brought back to the intended state


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)

    def created(self, resource: str, name: str, detail: str = "") -> None:
        self.steps.append(Step(resource, name, "created", detail))

    def updated(self, resource: str, name: str, detail: str) -> None:
        self.steps.append(Step(resource, name, "updated", detail))

    def unchanged(self, resource: str, name: str) -> None:
        self.steps.append(Step(resource, name, "unchanged"))

    def outcome(self, resource: str, name: str, changes: list[str], *, created: bool = False) -> None:
        """Record one resource after its checks: created, updated with ``changes``, or unchanged."""
        if created:
            self.created(resource, name)
        elif changes:
            self.updated(resource, name, "; ".join(changes))
        else:
            self.unchanged(resource, name)

    @property
    def changed(self) -> bool:
        return any(step.action != "unchanged" for step in self.steps)
