"""The things to check at the start of a shift, and how often during it."""

from __future__ import annotations

from dataclasses import dataclass

from .alerts import ABOVE, BELOW, Alert
from .base import Defined
from .signals import Signal
from .units import Quantity, as_quantity


@dataclass(frozen=True, kw_only=True)
class Check(Defined):
    """One thing an operator checks: a signal, its thresholds, what good looks like.

    A check that watches an alerting signal names the alert and takes its thresholds,
    so the panel's red line and the alert are the same number.
    """

    title: str
    good: str  # what good looks like, e.g. 'p95 around 35 ms'
    action: str  # what to do when it is not good
    frequency: str  # how often to look, a duration
    signal: Signal | None = None
    alert: Alert | None = None
    direction: str | None = None
    warning: Quantity | float | None = None
    critical: Quantity | float | None = None
    when: str | None = None  # e.g. 'during trading hours'
    group: str | None = None  # e.g. '1. Overall System Health': a row on the overview

    def validate(self) -> None:
        self.need_text("title")
        self.need_text("good")
        self.need_text("action")
        self.need_duration("frequency", allow_zero=False)
        if self.group is not None:
            self.need_text("group")
        if self.alert is not None:
            if not isinstance(self.alert, Alert):
                raise self.fail("alert", f"must be an Alert, got {self.alert!r}")
            if self.signal is not None and self.signal != self.alert.signal:
                raise self.fail("signal", f"differs from the signal of alert {self.alert.name!r}; give one or the other")
            for name in ("direction", "warning", "critical"):
                if getattr(self, name) is not None:
                    raise self.fail(name, f"comes from alert {self.alert.name!r}: one source for every number")
            self.set("signal", self.alert.signal)
            self.set("direction", self.alert.direction)
            for severity, level in self.alert.levels:
                self.set(severity, level.threshold)
            return
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", "give the Signal to watch, or the Alert whose signal it is")
        if self.warning is None and self.critical is None:
            return
        if self.direction not in (ABOVE, BELOW):
            raise self.fail("direction", f"must be ABOVE or BELOW when thresholds are given, got {self.direction!r}")
        dimension = self.signal.unit.dimension
        for name in ("warning", "critical"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                quantity = as_quantity(value, dimension)
            except TypeError as exc:
                raise self.fail(name, str(exc)) from None
            if quantity.unit.dimension is not dimension:
                raise self.fail(name, f"{quantity} is {quantity.unit.dimension.name} but signal {self.signal.record!r} is {dimension.name}")
            self.set(name, quantity)
        if self.warning is not None and self.critical is not None:
            w, c = self.warning.base, self.critical.base
            if (w >= c) if self.direction == ABOVE else (w <= c):
                raise self.fail("warning", f"warning {self.warning} is beyond critical {self.critical}")
