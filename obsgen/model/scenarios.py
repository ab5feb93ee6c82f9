"""Operator scenarios: a situation from the runbook and what must happen in it.

"Order p95 at 120 ms for 10 minutes: HighOrderLatency fires as P2, reaches #bondx-ops,
nothing pages." Scenarios compile to promtool tests and routing checks, so a change to a
threshold, a priority or a route that breaks an operator's expectation fails the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .alerts import Alert
from .base import Defined
from .durations import duration_seconds
from .routing import Priority, Receiver
from .signals import Signal
from .units import Quantity, as_quantity, days


@dataclass(frozen=True)
class Holds(Defined):
    """A signal holding a value for the whole scenario."""

    signal: Signal
    value: Quantity | float

    def validate(self) -> None:
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", f"must be a Signal, got {self.signal!r}")
        quantity = self.need_measure("value", self.value, self.signal.unit.dimension, self.signal.record)
        problem = self.signal.value_problem(quantity)
        if problem is not None:
            raise self.fail("value", problem)

    @property
    def quantity(self) -> Quantity:
        """The value in the signal's unit (a plain number is a count)."""
        return as_quantity(self.value, self.signal.unit.dimension)


@dataclass(frozen=True)
class Fires(Defined):
    """An alert that must be firing at the end, at this priority."""

    alert: Alert
    priority: Priority

    @property
    def label(self) -> str:
        name = self.alert.name if isinstance(self.alert, Alert) else self.alert
        return f"Fires {name!r}"

    def validate(self) -> None:
        self.need_object("alert", Alert)
        self.need_object("priority", Priority)


@dataclass(frozen=True, kw_only=True)
class Scenario(Defined):
    """A situation (signals holding values for a while) and what must happen.

    fires: every alert that must be firing at the end (no other alert may fire);
    reaches: the receivers that are notified, after inhibition and muting;
    pages: whether any PagerDuty receiver is notified.
    """

    name: str
    situation: str
    holds: tuple[Holds, ...]
    lasting: Quantity  # e.g. minutes(10)
    fires: tuple[Fires, ...]
    reaches: tuple[Receiver, ...]
    pages: bool
    at: str = "2026-01-07T14:00:00+00:00"  # when it happens (a Wednesday afternoon, UTC)
    # By when every alert it fires is notified, counted from the start of the situation (the
    # detection time of each, detection.py), e.g. the runbook's response time.
    within: Quantity | None = None

    @property
    def lasting_seconds(self) -> int:
        return duration_seconds(self.lasting)

    @property
    def within_seconds(self) -> int:
        return duration_seconds(self.within) if self.within is not None else 0

    def validate(self) -> None:
        self.need_slug("name")
        self.need_line("situation")
        if not self.need_tuple("holds", Holds):
            raise self.fail("holds", "say which signals hold which values")
        self.need_duration("lasting", allow_zero=False, longest=days(7))
        if self.within is not None:
            self.need_duration("within", allow_zero=False)
        # An alert whose warning and critical share a priority fires twice at that priority.
        fires = self.need_tuple("fires", Fires, unique=False)
        for i, f in enumerate(fires):
            levels = sum(1 for _, level in f.alert.levels if level.priority == f.priority)
            times = sum(1 for other in fires[: i + 1] if other == f)
            if levels and times > levels:
                said = "twice" if times == 2 else f"{times} times"
                raise self.fail("fires", f"lists {f.label} at {f.priority.name} {said}: the alert has {levels} level(s) at {f.priority.name}")
        self.need_tuple("reaches", Receiver)
        if not isinstance(self.pages, bool):
            raise self.fail("pages", "must be True or False")
        try:
            moment = datetime.fromisoformat(self.need_text("at"))
        except ValueError:
            raise self.fail("at", f"{self.at!r} is not an ISO 8601 time like 2026-01-07T14:00:00+00:00") from None
        if moment.tzinfo is None:
            raise self.fail("at", "give a time zone offset, e.g. +00:00")
        records = [h.signal.record for h in self.holds]
        if len(records) != len(set(records)):
            raise self.fail("holds", "a signal is given twice")
