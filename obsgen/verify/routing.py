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

from ..promql import Matcher, PromQLError, Selector, parse

_WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


def parse_matcher(text: str) -> Matcher:
    """An Alertmanager matcher (`name op "value"`), read by the PromQL parser in a selector."""
    try:
        selector = parse("alert{" + text + "}")
    except PromQLError:
        selector = None
    if not isinstance(selector, Selector) or len(selector.matchers) != 1:
        raise ValueError(f"cannot parse matcher {text!r}")
    return selector.matchers[0]


def _all(matchers: list[Matcher], labels: dict[str, str]) -> bool:
    return all(m.matches_labels(labels) for m in matchers)


@dataclass
class Route:
    receiver: str
    matchers: list[Matcher]
    cont: bool
    mute: list[str]
    active: list[str]
    routes: list["Route"] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict, parent: "Route | None" = None) -> "Route":
        route = cls(
            receiver=data.get("receiver") or (parent.receiver if parent else ""),
            matchers=[parse_matcher(m) for m in data.get("matchers", [])],
            cont=bool(data.get("continue", False)),
            mute=list(data.get("mute_time_intervals", [])),
            active=list(data.get("active_time_intervals", [])),
        )
        route.routes = [cls.parse(child, route) for child in data.get("routes", [])]
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
    source: list[Matcher]
    target: list[Matcher]
    equal: list[str]

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
    ranges: list[dict]

    def contains(self, at: datetime) -> bool:
        for spec in self.ranges:
            local = at.astimezone(ZoneInfo(spec.get("location", "UTC")))
            day = (local.weekday() + 1) % 7  # Python: Monday=0; Alertmanager: Sunday=0
            if spec.get("weekdays") and not any(_day_in(day, w) for w in spec["weekdays"]):
                continue
            minute = local.hour * 60 + local.minute
            times = spec.get("times") or [{"start_time": "00:00", "end_time": "24:00"}]
            if any(_minutes(t["start_time"]) <= minute < _minutes(t["end_time"]) for t in times):
                return True
        return False


class Alertmanager:
    """What a generated alertmanager.yml does with a set of firing alerts."""

    def __init__(self, config: dict):
        self.root = Route.parse(config["route"])
        self.inhibit_rules = [
            InhibitRule(
                [parse_matcher(m) for m in r.get("source_matchers", [])],
                [parse_matcher(m) for m in r.get("target_matchers", [])],
                list(r.get("equal", [])),
            )
            for r in config.get("inhibit_rules", [])
        ]
        self.intervals = {t["name"]: TimeInterval(t["name"], t["time_intervals"]) for t in config.get("time_intervals", [])}

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
