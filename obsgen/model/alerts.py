"""Threshold alerts: warning and critical levels on one signal, in one direction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .base import CAMEL, Defined
from .durations import parse_duration
from .signals import Signal
from .units import Quantity, as_quantity

ABOVE = "above"
BELOW = "below"
SEVERITIES = ("critical", "warning")


@dataclass(frozen=True)
class Level(Defined):
    """One alerting level: the threshold and the priority it pages with."""

    threshold: Quantity | float
    priority: str

    def validate(self) -> None:
        self.need_text("priority")


@dataclass(frozen=True, kw_only=True)
class Alert(Defined):
    """An alert on a signal crossing a threshold for a while.

    Each level becomes one Prometheus alert with the same name and its own severity
    label, like the mixins do; the critical one inhibits the warning one.
    """

    name: str
    signal: Signal
    direction: str
    summary: str
    meaning: str
    actions: tuple[str, ...]
    warning: Level | None = None
    critical: Level | None = None
    for_: str = "5m"
    resolution: str | None = None  # expected time to resolve, a duration
    description: str | None = None  # templated; a default is built from the signal

    def validate(self) -> None:
        name = self.need_text("name")
        if not CAMEL.match(name) or len(name) > 40:
            raise self.fail("name", f"{name!r} must be CamelCase and at most 40 characters")
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", f"must be a Signal, got {self.signal!r}")
        if self.direction not in (ABOVE, BELOW):
            raise self.fail("direction", f"must be ABOVE or BELOW, got {self.direction!r}")
        summary = self.need_text("summary")
        if "{{" in summary or not summary.endswith("."):
            raise self.fail("summary", "must be a static sentence (no templates) ending with a period")
        self.need_text("meaning")
        actions = self.need_tuple("actions", str)
        if not actions:
            raise self.fail("actions", "list at least one first action for the operator")
        self.need_duration("for_")
        if self.resolution is not None:
            self.need_duration("resolution")
        if self.description is not None and "{{" not in self.need_text("description"):
            raise self.fail("description", "must be templated (use {{ $value }} or {{ $labels.x }})")
        levels = [s for s in SEVERITIES if getattr(self, s) is not None]
        if not levels:
            raise self.fail("warning", "give a warning or a critical Level (or both)")
        dimension = self.signal.unit.dimension
        for severity in levels:
            level = getattr(self, severity)
            if not isinstance(level, Level):
                raise self.fail(severity, f"must be a Level(threshold=..., priority=...), got {level!r}")
            try:
                quantity = as_quantity(level.threshold, dimension)
            except TypeError as exc:
                raise self.fail(f"{severity}.threshold", str(exc)) from None
            if quantity.unit.dimension is not dimension:
                raise self.fail(
                    f"{severity}.threshold",
                    f"{quantity} is {quantity.unit.dimension.name} but signal {self.signal.record!r} is {dimension.name}",
                )
            if quantity is not level.threshold:
                object.__setattr__(level, "threshold", quantity)
        if self.warning and self.critical:
            w, c = self.warning.threshold.base, self.critical.threshold.base
            beyond = w >= c if self.direction == ABOVE else w <= c
            if beyond:
                raise self.fail(
                    "warning.threshold",
                    f"warning {self.warning.threshold} is beyond critical {self.critical.threshold} for an alert that fires {self.direction} its threshold",
                )

    @cached_property
    def levels(self) -> tuple[tuple[str, Level], ...]:
        """(severity, level) pairs, warning first."""
        return tuple((s, getattr(self, s)) for s in ("warning", "critical") if getattr(self, s) is not None)

    @cached_property
    def for_seconds(self) -> int:
        return parse_duration(self.for_)

    @property
    def operator(self) -> str:
        return ">" if self.direction == ABOVE else "<"
