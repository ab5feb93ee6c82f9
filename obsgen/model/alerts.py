"""Threshold alerts: warning and critical levels on one signal, in one direction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .base import CAMEL, Defined
from .directions import Direction, direction_problem, ordered
from .durations import duration_seconds
from .errors import Source
from .routing import Priority
from .signals import Signal
from .units import Quantity, as_quantity, minutes

SEVERITIES = ("critical", "warning")


@dataclass(frozen=True)
class Level(Defined):
    """One alerting level: the threshold and the priority it pages with."""

    threshold: Quantity | float  # a plain number only on a count signal
    priority: Priority

    def validate(self) -> None:
        self.need_object("priority", Priority)


@dataclass(frozen=True)
class AlertLevel:
    """A level resolved for the compilers: its threshold in the signal's unit (a plain
    number is a count) and its priority."""

    severity: str
    threshold: Quantity
    priority: Priority
    defined_at: Source | None


@dataclass(frozen=True, kw_only=True)
class Alert(Defined):
    """An alert on a signal crossing a threshold for a while.

    Each level becomes one Prometheus alert with the same name and its own severity
    label, like the mixins do; the critical one inhibits the warning one.
    """

    name: str
    signal: Signal
    direction: Direction
    summary: str
    meaning: str
    actions: tuple[str, ...]
    warning: Level | None = None
    critical: Level | None = None
    for_: Quantity = minutes(5)
    resolution: Quantity | None = None  # expected time to resolve, e.g. minutes(30)
    description: str | None = None  # templated; a default is built from the signal

    def validate(self) -> None:
        name = self.need_text("name")
        if not CAMEL.match(name) or len(name) > 40:
            raise self.fail("name", f"{name!r} must be CamelCase and at most 40 characters")
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", f"must be a Signal, got {self.signal!r}")
        problem = direction_problem(self.direction)
        if problem is not None:
            raise self.fail("direction", problem)
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
                raise self.fail(severity, f"must be a Level(threshold, priority), got {level!r}")
            self.need_measure(f"{severity}.threshold", level.threshold, dimension, self.signal.record)
        if self.warning and self.critical:
            warning, critical = self.level("warning").threshold, self.level("critical").threshold
            w, c = warning.base, critical.base
            if not ordered(self.direction, w, c):
                raise self.fail(
                    "warning.threshold",
                    f"warning {warning} is beyond critical {critical} for an alert that fires {self.direction.words} its threshold",
                )

    def level(self, severity: str) -> AlertLevel:
        """The warning or critical level as the compilers read it."""
        level = self.warning if severity == "warning" else self.critical if severity == "critical" else None
        if level is None:
            raise KeyError(f"alert {self.name!r} has no {severity} level")
        return AlertLevel(severity, as_quantity(level.threshold, self.signal.unit.dimension), level.priority, level.defined_at)

    @cached_property
    def levels(self) -> tuple[tuple[str, AlertLevel], ...]:
        """(severity, level) pairs, warning first."""
        return tuple((s, self.level(s)) for s in ("warning", "critical") if getattr(self, s) is not None)

    @property
    def for_seconds(self) -> int:
        return duration_seconds(self.for_)

    @property
    def operator(self) -> str:
        return self.direction.operator
