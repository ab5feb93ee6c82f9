"""Inhibitions: while one alert fires, others it explains stay quiet."""

from __future__ import annotations

from dataclasses import dataclass

from .alerts import Alert
from .base import Defined


@dataclass(frozen=True, kw_only=True)
class Inhibition(Defined):
    """While the source alert fires, the target alerts of the same system stay quiet.

    targets=() means every other alert of the system: maintenance mode silencing all.
    """

    name: str
    source: Alert
    targets: tuple[Alert, ...] = ()
    reason: str = ""

    def validate(self) -> None:
        self.need_slug("name")
        self.need_object("source", Alert)
        self.need_tuple("targets", Alert)
        self.need_text("reason")
