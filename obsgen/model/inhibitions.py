"""Inhibitions: while one alert fires, others it explains stay quiet."""

from __future__ import annotations

from dataclasses import dataclass

from .alerts import Alert
from .base import Defined
from .routing import Priority


@dataclass(frozen=True, kw_only=True)
class Inhibition(Defined):
    """While the source alert fires, the target alerts of the same system stay quiet.

    targets=() means every other alert of the system: maintenance mode silencing all.
    spares: priorities it never silences (maintenance mode must not hide a P0).
    """

    name: str
    source: Alert
    targets: tuple[Alert, ...] = ()
    spares: tuple[Priority, ...] = ()
    reason: str = ""

    def validate(self) -> None:
        self.need_slug("name")
        self.need_object("source", Alert)
        self.need_tuple("targets", Alert)
        self.need_tuple("spares", Priority)
        self.need_text("reason")
