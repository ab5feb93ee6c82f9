"""Systems and their services: the unit a definitions package describes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from .alerts import Alert
from .base import Defined
from .detection import alert_detection, promise_words, slo_detections
from .durations import human_duration
from .errors import DefinitionError, Source
from .checks import Check, CheckGroup, ChecklistItem
from .externals import External
from .inhibitions import Inhibition
from .raw import RawAlert, RawRecording
from .routing import Escalation, Priority, Receiver, Route, TimeInterval
from .scenarios import Scenario
from .signals import Signal
from .slo import SLO, TimeSLI
from .units import Quantity, minutes


@dataclass(frozen=True, kw_only=True)
class Service(Defined):
    """A service a team runs: its alerts and the signals its dashboard shows."""

    name: str
    title: str
    team: str
    description: str
    alerts: tuple[Alert, ...] = ()
    signals: tuple[Signal, ...] = ()  # shown on the dashboard without alerting
    # Rules kept as written (raw.py): an imported mixin's alerts and recordings obsgen cannot model.
    raw_alerts: tuple[RawAlert, ...] = ()
    raw_recordings: tuple[RawRecording, ...] = ()

    def validate(self) -> None:
        self.need_slug("name")
        self.need_line("title")
        self.need_slug("team")
        self.need_text("description")
        self.need_tuple("alerts", Alert)
        self.need_tuple("signals", Signal)
        self.need_tuple("raw_alerts", RawAlert)
        self.need_tuple("raw_recordings", RawRecording)

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
    runbook_base_url: str = ""  # the folder the handbook is published in: runbook_url is <it>handbook.md#<alert>
    grafana_base_url: str = ""  # where Grafana serves the dashboards: dashboard_url is <it>/d/<uid>
    alertmanager_url: str = ""  # the system's Alertmanager, linked from its dashboards and handbook
    externals: tuple[External, ...] = ()  # what operators open that obsgen does not generate
    runbook: str = ""  # the runbook these definitions express, e.g. 'DEX Operator Manual'
    # How often Prometheus evaluates the rules (its global evaluation_interval): part of every detection time.
    evaluation_interval: Quantity = minutes(1)

    def validate(self) -> None:
        self.need_slug("name")
        self.need_line("title")
        self.need_text("description")
        self.need_base_url("runbook_base_url", "the folder where handbook.md is published, e.g. 'https://runbooks.example.com/bondx/'")
        self.need_base_url("grafana_base_url", "Grafana's address, e.g. 'https://grafana.example.com'")
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
        self.need_tuple("externals", External)
        self.need_duration("evaluation_interval", allow_zero=False)
        if self.alertmanager_url and not self.alertmanager_url.startswith(("http://", "https://")):
            raise self.fail("alertmanager_url", f"{self.alertmanager_url!r} must be an absolute http(s) URL")
        self._validate_unique()
        self._validate_references()
        self._validate_slos()
        self._validate_detection()

    def need_base_url(self, field_name: str, what: str) -> str:
        """An absolute http(s) URL: links in notifications open from Slack or PagerDuty."""
        value = getattr(self, field_name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field_name, f"is required: {what}; links in notifications must be absolute")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
            raise self.fail(field_name, f"{value!r} is not an absolute http(s) URL: give {what}")
        if parts.query or parts.fragment or "@" in parts.netloc:
            raise self.fail(field_name, f"{value!r}: a base URL has no query, fragment or user: give {what}")
        return value

    def _unique(self, field_name: str, items: Sequence[Defined], key: Callable[[Any], str]) -> None:
        seen: dict[str, Defined] = {}
        for item in items:
            k = key(item)
            if k in seen:
                first = seen[k].defined_at
                where = f" (first defined at {first})" if first else ""
                name = getattr(item, "name", None) or getattr(item, "title", k)
                other = getattr(seen[k], "name", None) or getattr(seen[k], "title", k)
                also = "" if other == name else f", the same as {other!r} but for case (one runbook anchor for both)"
                raise DefinitionError(self.label, field_name, f"duplicate name {name!r}{also}{where}", item.defined_at or self.defined_at)
            seen[k] = item

    def _validate_unique(self) -> None:
        self._unique("services", self.services, lambda s: s.name)
        self._unique("priorities", self.priorities, lambda p: p.name)
        self._unique("receivers", self.receivers, lambda r: r.name)
        self._unique("routes", self.routes, lambda r: r.name)
        self._unique("time_intervals", self.time_intervals, lambda t: t.name)
        self._unique("inhibitions", self.inhibitions, lambda i: i.name)
        self._unique("alerts", self.alerts, lambda a: a.name.lower())  # one runbook anchor per alert, whatever the case
        self._unique("scenarios", self.scenarios, lambda s: s.name)
        self._unique("raw_alerts", self.raw_alerts, lambda a: f"{a.name} {sorted(a.labels.items())}")
        modelled = {a.name.lower(): a for a in self.alerts}
        for raw in self.raw_alerts:
            if raw.name.lower() in modelled:
                raise raw.fail("name", f"{raw.name!r} is also the name of alert {modelled[raw.name.lower()].label}: one name, one kind of alert")
        self._unique("checks", [g for g in self.checks if isinstance(g, CheckGroup)], lambda g: g.title)
        self._unique("escalations", self.escalations, lambda e: e.name)
        records: dict[str, Signal] = {}
        for signal in self.referenced_signals():
            other = records.setdefault(signal.record, signal)
            if other is not signal and other != signal:
                differ = [f.name for f in fields(Signal) if f.init and getattr(other, f.name) != getattr(signal, f.name)]
                first = f" at {other.defined_at}" if other.defined_at else ""
                raise DefinitionError(
                    signal.label, differ[0] if differ else "record",
                    f"another signal is recorded as {signal.record!r}{first} with a different {', '.join(differ)}: "
                    "one record, one definition (reuse the Signal object, or give this one its own record)",
                    signal.defined_at or self.defined_at,
                )

    def referenced_signals(self) -> Iterator[Signal]:
        """Every signal any definition of the system refers to, repeats included."""
        for service in self.services:
            yield from (a.signal for a in service.alerts)
            yield from service.signals
        for check in self.checks:
            for item in check.checks if isinstance(check, CheckGroup) else (check,):
                yield from (s for s in (item.signal, item.alert.signal if item.alert else None) if s is not None)
        yield from (slo.sli.signal for slo in self.slos if isinstance(slo.sli, TimeSLI))
        yield from (holds.signal for scenario in self.scenarios for holds in scenario.holds)

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
        for alert in self.alerts:
            for severity, level in alert.levels:
                priorities.need(alert, f"{severity}.priority", level.priority, level.defined_at)
        for raw in self.raw_alerts:
            priorities.need(raw, "priority", raw.priority)
        for slo in self.slos:  # checked in full by _validate_slos; needed here for what teams produce
            priorities.need(slo, "page_priority", slo.page_priority)
            priorities.need(slo, "ticket_priority", slo.ticket_priority)
        produced = self.produced
        for route in self.routes:
            receivers.need_all(route, "receivers", route.receivers)
            priorities.need_all(route, "priorities", route.priorities)
            intervals.need_all(route, "mute_time_intervals", route.mute_time_intervals)
            self._need_produced(route, route.team, route.priorities, produced)
        for escalation in self.escalations:
            priorities.need_all(escalation, "priorities", escalation.priorities)
            for team in escalation.teams or (None,):
                self._need_produced(escalation, team, escalation.priorities, produced)
        for inhibition in self.inhibitions:
            alerts.need(inhibition, "source", inhibition.source)
            alerts.need_all(inhibition, "targets", inhibition.targets)
            if any(t is inhibition.source for t in inhibition.targets):
                raise inhibition.fail("targets", f"alert {inhibition.source.name!r} is its own source: an alert cannot explain itself away")
            if not inhibition.targets and len(self.alerts) + sum(len(slo.alert_names) for slo in self.slos) < 2:
                raise inhibition.fail("targets", "every other alert of the system: there is none")
        signals = {s.record for s in self.signals}
        for scenario in self.scenarios:
            for holds in scenario.holds:
                if holds.signal.record not in signals:
                    raise scenario.fail("holds", f"signal {holds.signal.record!r} is not read by any alert or check of {self.name!r}")
            for fires in scenario.fires:
                alerts.need(scenario, "fires", fires.alert, fires.defined_at)
                priorities.need(scenario, "fires", fires.priority, fires.defined_at)
                if not any(level.priority is fires.priority for _, level in fires.alert.levels):
                    levels = ", ".join(f"{severity} {level.priority.name}" for severity, level in fires.alert.levels)
                    raise DefinitionError(fires.label, "priority", f"{fires.priority.name} is not a priority alert {fires.alert.name!r} fires with ({levels})",
                                          fires.defined_at or scenario.defined_at)
            receivers.need_all(scenario, "reaches", scenario.reaches)
        for item in self.checklist:
            if item.alert is not None:
                alerts.need(item.check, "alert", item.alert)

    @cached_property
    def produced(self) -> dict[str, set[str]]:
        """Priority names each team's alerts and SLOs fire with, by team."""
        teams: dict[str, set[str]] = {}
        for service in self.services:
            names = teams.setdefault(service.team, set())
            names.update(level.priority.name for alert in service.alerts for _, level in alert.levels)
            names.update(raw.priority.name for raw in service.raw_alerts)
        for slo in self.slos:
            names = teams.setdefault(slo.service.team, set())
            names.update(slo.priority(tier).name for tier in slo.burn_tiers)
            if slo.no_data_for is not None:
                names.add(slo.ticket_priority.name)
        return teams

    def _need_produced(self, owner: Defined, team: str | None, priorities: Sequence[Priority], produced: dict[str, set[str]]) -> None:
        """A route or escalation for a team and priorities some alert of the system fires with: else it never applies."""
        if team is not None and team not in produced:
            raise owner.fail("team" if isinstance(owner, Route) else "teams", f"no service of system {self.name!r} has team {team!r} (teams: {', '.join(sorted(produced))})")
        fired = produced[team] if team is not None else set().union(*produced.values())
        for priority in priorities:
            if priority.name not in fired:
                whose = f"team {team!r}" if team is not None else f"system {self.name!r}"
                raise owner.fail("priorities", f"no alert or SLO of {whose} fires with {priority.name}: this {type(owner).__name__.lower()} would never apply")

    def _validate_slos(self) -> None:
        self._unique("slos", self.slos, lambda s: s.name)
        priorities = Members(self, "priorities", self.priorities)
        taken: dict[str, Alert | SLO] = {a.name.lower(): a for a in self.alerts}  # one runbook anchor each, whatever the case
        for slo in self.slos:
            if not any(slo.service is s for s in self.services):
                raise slo.fail("service", f"service {slo.service.name!r} is not in the services of system {self.name!r}")
            if slo.service.name == "slo":
                raise slo.service.fail("name", "'slo' names the SLO rule files; give the service another name")
            priorities.need(slo, "page_priority", slo.page_priority)
            priorities.need(slo, "ticket_priority", slo.ticket_priority)
            for name in slo.alert_names:
                if name.lower() in taken:
                    first = taken[name.lower()].defined_at
                    raise slo.fail("name", f"gives the alert name {name!r}, already taken" + (f" at {first}" if first else ""))
                taken[name.lower()] = slo

    @property
    def evaluation_seconds(self) -> int:
        return int(self.evaluation_interval.base)

    def _validate_detection(self) -> None:
        """Every alert notifies within the response time of its priority (detection.py)."""
        for alert in self.alerts:
            for severity, level in alert.levels:
                found = alert_detection(alert, level.priority, self.evaluation_seconds)
                if not found.fits:
                    raise DefinitionError(
                        alert.label, f"{severity}.priority",
                        f"the {severity} level is notified up to {found.words} after its condition starts, but {promise_words(found)}: "
                        "shorten for_ or the signal's window, or give the level a priority with a longer response time",
                        level.defined_at or alert.defined_at,
                    )
        for slo in self.slos:
            for kind, found in slo_detections(slo, self.evaluation_seconds).items():
                if not found.fits:
                    raise slo.fail(
                        f"{kind.value}_priority",
                        f"a total outage notifies its {kind.value} tiers up to {found.words} after it starts, but {promise_words(found)}: "
                        "give it a priority with a longer response time, or tiers that fire sooner",
                    )
        for scenario in self.scenarios:
            if scenario.within is None:
                continue
            for fires in scenario.fires:
                found = alert_detection(fires.alert, fires.priority, self.evaluation_seconds)
                if found.total > scenario.within_seconds:
                    raise scenario.fail(
                        "within",
                        f"{fires.alert.name} ({fires.priority.name}) is notified up to {found.words} after the situation starts, "
                        f"later than the {human_duration(scenario.within_seconds)} the scenario expects",
                    ).at(fires.defined_at)

    @cached_property
    def checklist(self) -> tuple[ChecklistItem, ...]:
        """The checks as the compilers read them, in the runbook's order."""
        return tuple(item for c in self.checks for item in (c.items() if isinstance(c, CheckGroup) else (c.item(),)))

    @cached_property
    def alerts(self) -> tuple[Alert, ...]:
        return tuple(a for s in self.services for a in s.alerts)

    @cached_property
    def timed_alerts(self) -> dict[str, Alert]:
        """The alerts told only during their own time intervals, by name (the first of a name)."""
        timed: dict[str, Alert] = {}
        for alert in self.alerts:
            if alert.active_during:
                timed.setdefault(alert.name, alert)
        return timed

    @cached_property
    def raw_alerts(self) -> tuple[RawAlert, ...]:
        return tuple(a for s in self.services for a in s.raw_alerts)

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
