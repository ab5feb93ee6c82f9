"""Systems and their services: the unit a definitions package describes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .alerts import Alert
from .base import Defined
from .errors import DefinitionError, Source
from .checks import Check, CheckGroup, ChecklistItem
from .inhibitions import Inhibition
from .routing import Escalation, Priority, Receiver, Route, TimeInterval
from .scenarios import Scenario
from .signals import Signal
from .slo import SLO, TimeSLI


@dataclass(frozen=True, kw_only=True)
class Service(Defined):
    """A service a team runs: its alerts and the signals its dashboard shows."""

    name: str
    title: str
    team: str
    description: str
    alerts: tuple[Alert, ...] = ()
    signals: tuple[Signal, ...] = ()  # shown on the dashboard without alerting

    def validate(self) -> None:
        self.need_slug("name")
        self.need_text("title")
        self.need_slug("team")
        self.need_text("description")
        self.need_tuple("alerts", Alert)
        self.need_tuple("signals", Signal)

    @cached_property
    def all_signals(self) -> tuple[Signal, ...]:
        """Every signal the service reads, alerting ones first, each once."""
        seen: dict[str, Signal] = {}
        for signal in [a.signal for a in self.alerts] + list(self.signals):
            seen.setdefault(signal.record, signal)
        return tuple(seen.values())


@dataclass(frozen=True, kw_only=True)
class System(Defined):
    """Everything one operator team watches, and who is told about it."""

    name: str
    title: str
    description: str
    services: tuple[Service, ...]
    priorities: tuple[Priority, ...]
    receivers: tuple[Receiver, ...]
    default_receiver: Receiver
    checks: tuple[Check | CheckGroup, ...] = ()
    routes: tuple[Route, ...] = ()
    time_intervals: tuple[TimeInterval, ...] = ()
    inhibitions: tuple[Inhibition, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    slos: tuple[SLO, ...] = ()
    runbook_base_url: str = ""  # where the handbook is published; relative links when empty
    grafana_base_url: str = ""  # where Grafana serves the dashboards; relative links when empty

    def validate(self) -> None:
        self.need_slug("name")
        self.need_text("title")
        self.need_text("description")
        if not self.need_tuple("services", Service):
            raise self.fail("services", "list at least one Service")
        if not self.need_tuple("priorities", Priority):
            raise self.fail("priorities", "list at least one Priority")
        if not self.need_tuple("receivers", Receiver):
            raise self.fail("receivers", "list at least one receiver")
        self.need_object("default_receiver", Receiver)
        for check in self.need_tuple("checks", (Check, CheckGroup)):
            if isinstance(check, Check) and check.frequency is None:
                raise check.fail("frequency", "give how often to look, e.g. frequency=minutes(15), or put the check in a CheckGroup(every=...)")
        self.need_tuple("routes", Route)
        self.need_tuple("time_intervals", TimeInterval)
        self.need_tuple("inhibitions", Inhibition)
        self.need_tuple("escalations", Escalation)
        self.need_tuple("scenarios", Scenario)
        self.need_tuple("slos", SLO)
        self._validate_unique()
        self._validate_references()
        self._validate_slos()

    def _unique(self, field_name: str, items: Sequence[Defined], key: Callable[[Any], str]) -> None:
        seen: dict[str, Defined] = {}
        for item in items:
            k = key(item)
            if k in seen:
                first = seen[k].defined_at
                where = f" (first defined at {first})" if first else ""
                raise DefinitionError(self.label, field_name, f"duplicate name {k!r}{where}", item.defined_at or self.defined_at)
            seen[k] = item

    def _validate_unique(self) -> None:
        self._unique("services", self.services, lambda s: s.name)
        self._unique("priorities", self.priorities, lambda p: p.name)
        self._unique("receivers", self.receivers, lambda r: r.name)
        self._unique("routes", self.routes, lambda r: r.name)
        self._unique("time_intervals", self.time_intervals, lambda t: t.name)
        self._unique("inhibitions", self.inhibitions, lambda i: i.name)
        self._unique("alerts", self.alerts, lambda a: a.name)
        self._unique("scenarios", self.scenarios, lambda s: s.name)
        self._unique("checks", [g for g in self.checks if isinstance(g, CheckGroup)], lambda g: g.title)
        records: dict[str, Signal] = {}
        for signal in self.signals:
            other = records.setdefault(signal.record, signal)
            if other != signal:
                raise self.fail("signals", f"two different signals are recorded as {signal.record!r}").at(signal.defined_at)

    def _validate_references(self) -> None:
        """Every object a definition refers to is this system's own: the same object, not one of the same name."""
        receivers = Members(self, "receivers", self.receivers)
        priorities = Members(self, "priorities", self.priorities)
        intervals = Members(self, "time_intervals", self.time_intervals)
        alerts = Members(self, "alerts", self.alerts)
        receivers.need(self, "default_receiver", self.default_receiver)
        for priority in self.priorities:
            receivers.need_all(priority, "receivers", priority.receivers)
            intervals.need_all(priority, "mute_time_intervals", priority.mute_time_intervals)
            intervals.need_all(priority, "active_time_intervals", priority.active_time_intervals)
        for route in self.routes:
            receivers.need_all(route, "receivers", route.receivers)
            priorities.need_all(route, "priorities", route.priorities)
            intervals.need_all(route, "mute_time_intervals", route.mute_time_intervals)
        for alert in self.alerts:
            for severity, level in alert.levels:
                priorities.need(alert, f"{severity}.priority", level.priority, level.defined_at)
        for inhibition in self.inhibitions:
            alerts.need(inhibition, "source", inhibition.source)
            alerts.need_all(inhibition, "targets", inhibition.targets)
        signals = {s.record for s in self.signals}
        for scenario in self.scenarios:
            for holds in scenario.holds:
                if holds.signal.record not in signals:
                    raise scenario.fail("holds", f"signal {holds.signal.record!r} is not read by any alert or check of {self.name!r}")
            for fires in scenario.fires:
                alerts.need(scenario, "fires", fires.alert, fires.defined_at)
                priorities.need(scenario, "fires", fires.priority, fires.defined_at)
            receivers.need_all(scenario, "reaches", scenario.reaches)
        for item in self.checklist:
            if item.alert is not None:
                alerts.need(item.check, "alert", item.alert)

    def _validate_slos(self) -> None:
        self._unique("slos", self.slos, lambda s: s.name)
        priorities = Members(self, "priorities", self.priorities)
        taken: dict[str, Alert | SLO] = {a.name: a for a in self.alerts}
        for slo in self.slos:
            if not any(slo.service is s for s in self.services):
                raise slo.fail("service", f"service {slo.service.name!r} is not in the services of system {self.name!r}")
            if slo.service.name == "slo":
                raise slo.service.fail("name", "'slo' names the SLO rule files; give the service another name")
            priorities.need(slo, "page_priority", slo.page_priority)
            priorities.need(slo, "ticket_priority", slo.ticket_priority)
            for name in slo.alert_names:
                if name in taken:
                    first = taken[name].defined_at
                    raise slo.fail("name", f"gives the alert name {name!r}, already taken" + (f" at {first}" if first else ""))
                taken[name] = slo

    @cached_property
    def checklist(self) -> tuple[ChecklistItem, ...]:
        """The checks as the compilers read them, in the runbook's order."""
        return tuple(item for c in self.checks for item in (c.items() if isinstance(c, CheckGroup) else (c.item(),)))

    @cached_property
    def alerts(self) -> tuple[Alert, ...]:
        return tuple(a for s in self.services for a in s.alerts)

    @cached_property
    def signals(self) -> tuple[Signal, ...]:
        """Every signal of the system, each once, in definition order."""
        seen: dict[str, Signal] = {}
        slo_signals = [slo.sli.signal for slo in self.slos if isinstance(slo.sli, TimeSLI)]
        for signal in [s for svc in self.services for s in svc.all_signals] + [c.signal for c in self.checklist] + slo_signals:
            seen.setdefault(signal.record, signal)
        return tuple(seen.values())

    def service_of(self, alert: Alert) -> Service:
        return next(s for s in self.services if any(a is alert for a in s.alerts))

    def receiver(self, name: str) -> Receiver:
        return next(r for r in self.receivers if r.name == name)


class Members:
    """The objects a system lists in one field, to check that a reference is one of them."""

    # What a member is called, and where the system lists it.
    WHAT = {
        "receivers": ("receiver", "the receivers of system {system}: add it to System(receivers=...)"),
        "priorities": ("priority", "the priorities of system {system}: add it to System(priorities=...)"),
        "time_intervals": ("time interval", "the time intervals of system {system}: add it to System(time_intervals=...)"),
        "alerts": ("alert", "any service of system {system}: add it to the alerts of its Service"),
    }

    def __init__(self, system: System, field_name: str, members: Sequence[Defined]):
        self.system = system
        self.field_name = field_name
        self.ids = {id(m) for m in members}

    def need(self, owner: Defined, field_name: str, obj: Any, source: Source | None = None) -> None:
        """obj, referred to by owner.field_name, must be one of the members (the object itself)."""
        if id(obj) in self.ids:
            return
        name = getattr(obj, "name", obj)
        where = f" (defined at {obj.defined_at})" if getattr(obj, "defined_at", None) else ""
        what, listed = self.WHAT[self.field_name]
        message = f"{what} {name!r}{where} is not in {listed.format(system=repr(self.system.name))}"
        raise DefinitionError(owner.label, field_name, message, source or owner.defined_at)

    def need_all(self, owner: Defined, field_name: str, objs: Sequence[Any]) -> None:
        for obj in objs:
            self.need(owner, field_name, obj)
