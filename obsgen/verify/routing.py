"""An in-process Alertmanager: route matching, inhibition and time intervals.

amtool resolves routes but cannot say what inhibition or a mute interval does to a
notification; this does, from the generated alertmanager.yml alone. It must agree with
amtool on every routing case (a test holds it to that), so what it adds can be trusted.
Semantics follow Alertmanager 0.25: dispatch/route.go, inhibit/inhibit.go,
timeinterval/timeinterval.go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from ..artifacts import AlertmanagerConfig, Matcher
from ..artifacts import Route as RouteConfig
from ..artifacts import TimeSpec
from ..artifacts.read import read_alertmanager

_WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


def _all(matchers: tuple[Matcher, ...], labels: dict[str, str]) -> bool:
    return all(m.matches_labels(labels) for m in matchers)


@dataclass
class Route:
    receiver: str
    matchers: tuple[Matcher, ...]
    cont: bool
    mute: tuple[str, ...]
    active: tuple[str, ...]
    routes: list["Route"] = field(default_factory=list)

    @classmethod
    def of(cls, config: RouteConfig, parent: "Route | None" = None) -> "Route":
        """The route with what it inherits from its parent (the receiver) filled in."""
        route = cls(
            receiver=config.receiver or (parent.receiver if parent else ""),
            matchers=config.matchers,
            cont=config.continue_,
            mute=config.mute_time_intervals,
            active=config.active_time_intervals,
        )
        route.routes = [cls.of(child, route) for child in config.routes]
        return route

    def match(self, labels: dict[str, str]) -> list["Route"]:
        """The routes an alert lands on, in order (Route.Match in dispatch/route.go)."""
        if not _all(self.matchers, labels):
            return []
        found: list[Route] = []
        for child in self.routes:
            matched = child.match(labels)
            found += matched
            if matched and not child.cont:
                break
        return found or [self]


@dataclass(frozen=True)
class InhibitRule:
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]

    def inhibits(self, source: dict[str, str], target: dict[str, str]) -> bool:
        if source is target or not _all(self.source, source) or not _all(self.target, target):
            return False
        if any(source.get(l, "") != target.get(l, "") for l in self.equal):
            return False
        # An alert matching both sides cannot be inhibited by another that does too.
        return not (_all(self.source, target) and _all(self.target, source))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _day_in(day: int, spec: str) -> bool:
    parts = spec.split(":")
    start, end = _WEEKDAYS.index(parts[0]), _WEEKDAYS.index(parts[-1])
    return start <= day <= end


@dataclass(frozen=True)
class TimeInterval:
    name: str
    ranges: tuple[TimeSpec, ...]

    def contains(self, at: datetime) -> bool:
        for spec in self.ranges:
            local = at.astimezone(ZoneInfo(spec.location or "UTC"))
            day = (local.weekday() + 1) % 7  # Python: Monday=0; Alertmanager: Sunday=0
            if spec.weekdays and not any(_day_in(day, w) for w in spec.weekdays):
                continue
            minute = local.hour * 60 + local.minute
            times = spec.times or ()
            if not times or any(_minutes(t.start_time) <= minute < _minutes(t.end_time) for t in times):
                return True
        return False


class Alertmanager:
    """What a generated alertmanager.yml does with a set of firing alerts."""

    def __init__(self, config: AlertmanagerConfig):
        self.root = Route.of(config.route)
        self.inhibit_rules = [InhibitRule(r.source_matchers, r.target_matchers, r.equal) for r in config.inhibit_rules]
        self.intervals = {name: TimeInterval(name, t.time_intervals) for name, t in config.intervals.items()}

    @classmethod
    def read(cls, data: bytes | str, source: str = "alertmanager.yml") -> "Alertmanager":
        """From a configuration file's bytes; UnreadableArtifact (a ValueError) naming what Alertmanager would refuse."""
        return cls(read_alertmanager(data).require(source))

    def labels_read(self) -> tuple[str, ...]:
        """Every label a route matcher reads: only these decide where an alert goes."""
        names: set[str] = set()
        stack = [self.root]
        while stack:
            route = stack.pop()
            names.update(m.name for m in route.matchers)
            stack += route.routes
        return tuple(sorted(names))

    def receivers(self, labels: dict[str, str]) -> list[str]:
        """Route resolution only, as `amtool config routes test` reports it."""
        return [r.receiver for r in self.root.match(labels)]

    def inhibited(self, alert: dict[str, str], firing: list[dict[str, str]]) -> bool:
        return any(rule.inhibits(other, alert) for other in firing if other is not alert for rule in self.inhibit_rules)

    def notified(self, firing: list[dict[str, str]], at: datetime) -> dict[str, list[str]]:
        """Receivers each firing alert reaches at a moment: after inhibition and muting."""
        out: dict[str, list[str]] = {}
        for alert in firing:
            key = _key(alert)
            if self.inhibited(alert, firing):
                out[key] = []
                continue
            reached = []
            for route in self.root.match(alert):
                if any(self.intervals[n].contains(at) for n in route.mute):
                    continue
                if route.active and not any(self.intervals[n].contains(at) for n in route.active):
                    continue
                reached.append(route.receiver)
            out[key] = reached
        return out


def _key(labels: dict[str, str]) -> str:
    return f"{labels.get('alertname')}/{labels.get('severity')}"
