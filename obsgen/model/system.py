"""Systems and their services: the unit a definitions package describes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .alerts import Alert
from .base import Defined
from .errors import DefinitionError
from .checks import Check, ChecklistItem
from .routing import Escalation, Inhibition, Priority, Receiver, Route, TimeInterval
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
    default_receiver: str
    checks: tuple[Check, ...] = ()
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
        self.need_tuple("checks", Check)
        self.need_tuple("routes", Route)
        self.need_tuple("time_intervals", TimeInterval)
        self.need_tuple("inhibitions", Inhibition)
        self.need_tuple("escalations", Escalation)
        self.need_tuple("scenarios", Scenario)
        self.need_tuple("slos", SLO)
        self._validate_unique()
        self._validate_references()
        self._validate_slos()

    def _unique(self, field_name: str, items, key) -> None:
        seen: dict[str, object] = {}
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
        records: dict[str, Signal] = {}
        for signal in self.signals:
            other = records.setdefault(signal.record, signal)
            if other != signal:
                raise self.fail("signals", f"two different signals are recorded as {signal.record!r}").at(signal.defined_at)

    def _validate_references(self) -> None:
        receivers = {r.name for r in self.receivers}
        priorities = {p.name for p in self.priorities}
        intervals = {t.name for t in self.time_intervals}
        alerts = {a.name for a in self.alerts}
        if self.default_receiver not in receivers:
            raise self.fail("default_receiver", _unknown("receiver", self.default_receiver, receivers))
        for priority in self.priorities:
            for name in priority.receivers:
                if name not in receivers:
                    raise priority.fail("receivers", _unknown("receiver", name, receivers))
            for field_name in ("mute_time_intervals", "active_time_intervals"):
                for name in getattr(priority, field_name):
                    if name not in intervals:
                        raise priority.fail(field_name, _unknown("time interval", name, intervals))
        for route in self.routes:
            for name in route.receivers:
                if name not in receivers:
                    raise route.fail("receivers", _unknown("receiver", name, receivers))
            for name in route.priorities:
                if name not in priorities:
                    raise route.fail("priorities", _unknown("priority", name, priorities))
            for name in route.mute_time_intervals:
                if name not in intervals:
                    raise route.fail("mute_time_intervals", _unknown("time interval", name, intervals))
        for service in self.services:
            for alert in service.alerts:
                for severity, level in alert.levels:
                    if level.priority not in priorities:
                        message = _unknown("priority", level.priority, priorities)
                        raise DefinitionError(alert.label, f"{severity}.priority", message, level.defined_at or alert.defined_at)
        for inhibition in self.inhibitions:
            if inhibition.source not in alerts:
                raise inhibition.fail("source", _unknown("alert", inhibition.source, alerts))
            for name in inhibition.targets:
                if name not in alerts:
                    raise inhibition.fail("targets", _unknown("alert", name, alerts))
        signals = {s.record for s in self.signals}
        for scenario in self.scenarios:
            for holds in scenario.holds:
                if holds.signal.record not in signals:
                    raise scenario.fail("holds", f"signal {holds.signal.record!r} is not read by any alert or check of {self.name!r}")
            for fires in scenario.fires:
                if fires.alert not in alerts:
                    raise scenario.fail("fires", _unknown("alert", fires.alert, alerts))
                if fires.priority not in priorities:
                    raise scenario.fail("fires", _unknown("priority", fires.priority, priorities))
            for name in scenario.reaches:
                if name not in receivers:
                    raise scenario.fail("reaches", _unknown("receiver", name, receivers))
        for check in self.checks:
            if check.alert is not None and check.alert.name not in alerts:
                raise check.fail("alert", f"alert {check.alert.name!r} is not in any service of system {self.name!r}")

    def _validate_slos(self) -> None:
        self._unique("slos", self.slos, lambda s: s.name)
        priorities = {p.name for p in self.priorities}
        taken = {a.name: a for a in self.alerts}
        for slo in self.slos:
            if slo.service not in self.services:
                raise slo.fail("service", f"service {slo.service.name!r} is not in the services of system {self.name!r}")
            if slo.service.name == "slo":
                raise slo.service.fail("name", "'slo' names the SLO rule files; give the service another name")
            for field_name in ("page_priority", "ticket_priority"):
                if getattr(slo, field_name) not in priorities:
                    raise slo.fail(field_name, _unknown("priority", getattr(slo, field_name), priorities))
            for name in slo.alert_names:
                if name in taken:
                    first = taken[name].defined_at
                    raise slo.fail("name", f"gives the alert name {name!r}, already taken" + (f" at {first}" if first else ""))
                taken[name] = slo

    @cached_property
    def checklist(self) -> tuple[ChecklistItem, ...]:
        """The checks as the compilers read them, in the runbook's order."""
        return tuple(check.item() for check in self.checks)

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
        return next(s for s in self.services if alert in s.alerts)

    def priority(self, name: str) -> Priority:
        return next(p for p in self.priorities if p.name == name)

    def receiver(self, name: str) -> Receiver:
        return next(r for r in self.receivers if r.name == name)


def _unknown(kind: str, name: str, known) -> str:
    return f"unknown {kind} {name!r} (known: {', '.join(sorted(known)) or 'none'})"
