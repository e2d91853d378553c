"""STS: who am I, and temporary credentials for roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hutch.runtime import Runtime


class StsService:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt


def create(rt: Runtime) -> StsService:
    return StsService(rt)
