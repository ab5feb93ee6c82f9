"""The things to check at the start of a shift, and how often during it."""

from __future__ import annotations

from dataclasses import dataclass

from .alerts import Alert
from .base import Defined
from .directions import Direction, direction_problem, ordered
from .errors import Source
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
    frequency: Quantity | None = None  # how often to look, e.g. minutes(15); in a CheckGroup, its `every`
    signal: Signal | None = None
    alert: Alert | None = None
    direction: Direction | None = None
    warning: Quantity | float | None = None
    critical: Quantity | float | None = None
    when: str | None = None  # e.g. 'during trading hours'

    def validate(self) -> None:
        self.need_line("title")
        self.need_text("good")
        self.need_text("action")
        if self.frequency is not None:
            self.need_duration("frequency", allow_zero=False)
        if self.when is not None:
            self.need_text("when")
        if self.alert is not None:
            if not isinstance(self.alert, Alert):
                raise self.fail("alert", f"must be an Alert, got {self.alert!r}")
            if self.signal is not None and self.signal != self.alert.signal:
                raise self.fail("signal", f"differs from the signal of alert {self.alert.name!r}; give one or the other")
            for name in ("direction", "warning", "critical"):
                if getattr(self, name) is not None:
                    raise self.fail(name, f"comes from alert {self.alert.name!r}: one source for every number")
            return
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", "give the Signal to watch, or the Alert whose signal it is")
        if self.warning is None and self.critical is None:
            return
        problem = direction_problem(self.direction)
        if problem is not None:
            raise self.fail("direction", f"{problem} (thresholds need a direction)")
        assert isinstance(self.direction, Direction)
        dimension = self.signal.unit.dimension
        found = {name: self.need_measure(name, getattr(self, name), dimension, self.signal.record)
                 for name in ("warning", "critical") if getattr(self, name) is not None}
        for name, quantity in found.items():
            problem = self.signal.reach_problem(self.direction, quantity)
            if problem is not None:
                raise self.fail(name, problem)
        if len(found) == 2:
            w, c = found["warning"], found["critical"]
            if not ordered(self.direction, w.base, c.base):
                raise self.fail("warning", f"warning {w} is beyond critical {c}")

    def item(self, group: CheckGroup | None = None) -> ChecklistItem:
        """The check as the compilers read it: its alert's signal and thresholds when it
        names one, its group's title, frequency and `when` when it is in one."""
        frequency = group.every if group is not None else self.frequency
        assert frequency is not None  # System.validate() requires it outside a group
        when = group.when if group is not None and group.when is not None else self.when
        title = group.title if group is not None else None
        if self.alert is not None:
            levels = dict(self.alert.levels)
            warning, critical = levels.get("warning"), levels.get("critical")
            return ChecklistItem(
                check=self, signal=self.alert.signal, direction=self.alert.direction, frequency=frequency, group=title, when=when,
                warning=warning.threshold if warning else None, critical=critical.threshold if critical else None,
            )
        assert self.signal is not None  # validate() requires a signal or an alert
        dimension = self.signal.unit.dimension
        return ChecklistItem(
            check=self, signal=self.signal, direction=self.direction, frequency=frequency, group=title, when=when,
            warning=None if self.warning is None else as_quantity(self.warning, dimension),
            critical=None if self.critical is None else as_quantity(self.critical, dimension),
        )


@dataclass(frozen=True)
class CheckGroup(Defined):
    """Checks read together at one frequency, e.g. one of the runbook's dashboards: a row on
    the overview and a section of the handbook's checklist. Its checks give neither a
    frequency nor (when the group has one) a `when` of their own."""

    title: str
    every: Quantity  # how often to look, e.g. minutes(15)
    when: str | None = None  # e.g. 'during trading hours'
    checks: tuple[Check, ...] = ()

    def validate(self) -> None:
        self.need_line("title")
        self.need_duration("every", allow_zero=False)
        if self.when is not None:
            self.need_text("when")
        if not self.need_tuple("checks", Check):
            raise self.fail("checks", "list at least one Check")
        for check in self.checks:
            if check.frequency is not None:
                raise check.fail("frequency", f"comes from CheckGroup {self.title!r} (every={self.every!r}): leave it out")
            if self.when is not None and check.when is not None:
                raise check.fail("when", f"comes from CheckGroup {self.title!r} (when={self.when!r}): leave it out")

    def items(self) -> tuple[ChecklistItem, ...]:
        return tuple(check.item(self) for check in self.checks)


@dataclass(frozen=True, kw_only=True)
class ChecklistItem:
    """A check resolved for the compilers: the signal it shows, the thresholds it colours
    (its alert's, when it names one), how often and in which group it is read."""

    check: Check
    signal: Signal
    direction: Direction | None
    warning: Quantity | None
    critical: Quantity | None
    frequency: Quantity
    group: str | None  # the CheckGroup's title
    when: str | None

    @property
    def title(self) -> str:
        return self.check.title

    @property
    def good(self) -> str:
        return self.check.good

    @property
    def action(self) -> str:
        return self.check.action

    @property
    def alert(self) -> Alert | None:
        return self.check.alert

    @property
    def defined_at(self) -> Source | None:
        return self.check.defined_at
