"""Who must receive each alert, computed from the priority policy, not from the tree.

These cases are what amtool checks the generated routing against: if the tree and the
declared policy disagree, a test fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..model import PagerDuty, System
from .rules import alert_labels, raw_alert_rule
from .slo_rules import alert_label_sets, slo_alert_label_sets


@dataclass(frozen=True)
class RoutingCase:
    alert: str
    labels: dict[str, str]
    receivers: tuple[str, ...]


def _timed_alert(system: System, labels: dict[str, str]):
    """The alert, when it is told only during its own time intervals (its own route)."""
    return system.timed_alerts.get(labels.get("alertname", ""))


def _route_parts(system: System, labels: dict[str, str]):
    """The team routes an alert takes, and the priority it continues to (None if it stops)."""
    if _timed_alert(system, labels) is not None:
        return [], next((p for p in system.priorities if p.name == labels.get("priority")), None)
    taken = []
    for route in system.routes:
        if route.team == labels.get("team") and (not route.priorities or labels.get("priority") in {p.name for p in route.priorities}):
            taken.append(route)
            if not route.also_default:
                return taken, None
    return taken, next((p for p in system.priorities if p.name == labels.get("priority")), None)


def expected_receivers(system: System, labels: dict[str, str]) -> tuple[str, ...]:
    """Names of the receivers an alert with these labels reaches."""
    routes, priority = _route_parts(system, labels)
    team = [r.name for route in routes for r in route.receivers]
    if priority is None:
        return tuple(team) or (system.default_receiver.name,)
    return tuple(team + [r.name for r in priority.receivers])


def routing_cases(system: System) -> list[RoutingCase]:
    cases = []
    for service in system.services:
        for alert in service.alerts:
            for severity, level in alert.levels:
                labels = {"alertname": alert.name, **alert_labels(system, service, alert, severity, level)}
                cases.append(RoutingCase(alert.name, labels, expected_receivers(system, labels)))
        for raw in service.raw_alerts:
            labels = {"alertname": raw.name, **raw_alert_rule(system, service, raw).labels}
            cases.append(RoutingCase(raw.name, labels, expected_receivers(system, labels)))
    for name, labels in alert_label_sets(system):
        cases.append(RoutingCase(name, labels, expected_receivers(system, labels)))
    return cases


def compile_routing_cases(system: System) -> dict:
    """Everything routing must do, from the declared policy: for amtool and in-process."""
    return {
        "cases": [{"alert": c.alert, "labels": c.labels, "receivers": list(c.receivers)} for c in routing_cases(system)],
        "inhibitions": inhibition_cases(system),
        "muting": muting_cases(system),
        "scenarios": scenario_cases(system),
    }


# --- What inhibition and time intervals do: checked in-process, amtool cannot. ---------

WEEK_START = datetime(2026, 1, 5, tzinfo=timezone.utc)  # a Monday


def _labels(system: System, service, alert, severity: str) -> dict[str, str]:
    level = alert.level(severity)
    return {"alertname": alert.name, **alert_labels(system, service, alert, severity, level)}


def _key(labels: dict[str, str]) -> str:
    return f"{labels['alertname']}/{labels['severity']}"


def _reaches_at(system: System, labels: dict[str, str], at: datetime) -> list[str]:
    """Receivers an uninhibited alert reaches at a moment, from the declared policy."""
    routes, priority = _route_parts(system, labels)
    team_receivers = [r.name for route in routes if not any(t.contains(at) for t in route.mute_time_intervals) for r in route.receivers]
    if priority is None:
        return team_receivers if routes else [system.default_receiver.name]
    timed = _timed_alert(system, labels)
    active = timed.active_during if timed is not None else priority.active_time_intervals
    muted = any(t.contains(at) for t in priority.mute_time_intervals)
    inactive = active and not any(t.contains(at) for t in active)
    return team_receivers + ([] if muted or inactive else [r.name for r in priority.receivers])


def _quiet_moment(system: System) -> datetime:
    """A moment in no time interval of the system (to test inhibition alone)."""
    for half_hours in range(7 * 48):
        at = WEEK_START + timedelta(minutes=30 * half_hours + 7)
        if not any(t.contains(at) for t in system.time_intervals):
            return at
    return WEEK_START


def inhibition_cases(system: System) -> list[dict]:
    at = _quiet_moment(system)
    cases = []
    located = [(s, a) for s in system.services for a in s.alerts]
    for service, alert in located:
        if alert.warning and alert.critical:
            firing = [_labels(system, service, alert, "warning"), _labels(system, service, alert, "critical")]
            cases.append({"why": f"{alert.name} critical silences its warning", "firing": firing, "at": at.isoformat(),
                          "notified": {_key(firing[0]): [], _key(firing[1]): _reaches_at(system, firing[1], at)}})
    by_name = dict((a.name, (s, a)) for s, a in located)
    for inhibition in system.inhibitions:
        src_service, src_alert = by_name[inhibition.source.name]
        source = _labels(system, src_service, src_alert, src_alert.levels[-1][0])
        targets = [t.name for t in inhibition.targets] or [n for n in by_name if n != src_alert.name]
        for name in targets:
            service, alert = by_name[name]
            for severity, level in alert.levels:
                target = _labels(system, service, alert, severity)
                spared = any(level.priority is p for p in inhibition.spares)
                verb = "spares" if spared else "silences"
                cases.append({"why": f"{inhibition.name}: {src_alert.name} {verb} {name} {severity}",
                              "firing": [source, target], "at": at.isoformat(),
                              "notified": {_key(source): _reaches_at(system, source, at),
                                           _key(target): _reaches_at(system, target, at) if spared else []}})
    return cases + slo_inhibition_cases(system, at)


def slo_inhibition_cases(system: System, at: datetime) -> list[dict]:
    """A page silences the ticket of the same SLO (and group: see the equal labels in alertmanager.py)."""
    cases = []
    for slo in system.slos:
        tiers = {labels["severity"]: labels for labels in slo_alert_label_sets(system, slo) if labels["alertname"] == slo.alert_name}
        if {"critical", "warning"} - set(tiers):
            continue
        page, ticket = tiers["critical"], tiers["warning"]
        group = {label: "a" for label in slo.group_by}
        firing = [{**ticket, **group}, {**page, **group}]
        cases.append({"why": f"SLO {slo.name}: a page silences its ticket", "firing": firing, "at": at.isoformat(),
                      "notified": {_key(ticket): [], _key(page): _reaches_at(system, page, at)}})
    return cases


def muting_cases(system: System) -> list[dict]:
    """For each priority or team route with time intervals: an alert of it at a moment
    inside and a moment outside each interval."""
    located = [(s, a, sev) for s in system.services for a in s.alerts for sev, _ in a.levels]
    timed = [
        (p.name, (*p.mute_time_intervals, *p.active_time_intervals), lambda s, a, sev, p=p: a.level(sev).priority is p)
        for p in system.priorities
    ] + [
        (f"route {r.name}", tuple(r.mute_time_intervals),
         lambda s, a, sev, r=r: s.team == r.team and (not r.priorities or any(a.level(sev).priority is p for p in r.priorities)))
        for r in system.routes
    ] + [
        (f"alert {alert.name}", tuple(alert.active_during), lambda s, a, sev, alert=alert: a is alert)
        for alert in system.alerts if alert.active_during
    ]
    cases = []
    for what, intervals, applies in timed:
        sample = next(((s, a, sev) for s, a, sev in located if applies(s, a, sev)), None)
        if not intervals or sample is None:
            continue
        labels = _labels(system, *sample)
        for at in dict.fromkeys(m for interval in intervals for m in _moments(interval)):
            cases.append({"why": f"{what} at {at.isoformat()}", "labels": labels, "at": at.isoformat(),
                          "receivers": _reaches_at(system, labels, at)})
    return cases


def _moments(interval) -> list[datetime]:
    """One moment inside the interval and one just outside it."""
    inside = outside = None
    for minutes in range(0, 7 * 24 * 60, 15):
        at = WEEK_START + timedelta(minutes=minutes)
        if inside is None and interval.contains(at):
            inside = at
        if outside is None and not interval.contains(at):
            outside = at
    return [m for m in (inside, outside) if m is not None]


def scenario_cases(system: System) -> list[dict]:
    from .scenarios import scenario_firing

    pagers = [r.name for r in system.receivers if isinstance(r, PagerDuty)]
    return [
        {"scenario": s.name, "situation": s.situation, "at": s.at, "firing": scenario_firing(system, s),
         "reaches": sorted(r.name for r in s.reaches), "pages": s.pages, "pagers": pagers}
        for s in system.scenarios
    ]
