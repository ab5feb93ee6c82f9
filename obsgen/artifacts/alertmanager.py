"""An Alertmanager configuration as values: the route tree, inhibit rules, time
intervals and receivers.

What obsgen reads is typed (routes and their matchers, timings and intervals, inhibit
rules, time intervals, receiver names); the settings of each notification integration
(slack_configs, pagerduty_configs...) and the global section stay data, as written, so a
third party's receivers survive a read. Matchers are one list per route or rule: the
legacy `match` and `match_re` forms are read into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..promql import Matcher

__all__ = [
    "AlertmanagerConfig", "InhibitRule", "Integration", "Matcher", "Receiver", "Route",
    "TimeInterval", "TimeRange", "TimeSpec",
]


@dataclass(frozen=True)
class Route:
    receiver: str | None = None  # None: the parent's
    group_by: tuple[str, ...] | None = None  # None: the parent's
    matchers: tuple[Matcher, ...] = ()
    group_wait: str | None = None
    group_interval: str | None = None
    repeat_interval: str | None = None
    mute_time_intervals: tuple[str, ...] = ()
    active_time_intervals: tuple[str, ...] = ()
    continue_: bool = False
    routes: tuple[Route, ...] = ()
    line: int | None = field(default=None, compare=False, repr=False)

    def walk(self):
        """This route and every route below it, depth first."""
        yield self
        for child in self.routes:
            yield from child.walk()


@dataclass(frozen=True)
class InhibitRule:
    source_matchers: tuple[Matcher, ...]
    target_matchers: tuple[Matcher, ...]
    equal: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class TimeRange:
    start_time: str  # "09:00"
    end_time: str  # "17:00"; "24:00" is the end of the day


@dataclass(frozen=True)
class TimeSpec:
    """One entry of a time interval: each field set narrows it; None: not set."""

    times: tuple[TimeRange, ...] | None = None
    weekdays: tuple[str, ...] | None = None
    days_of_month: tuple[str, ...] | None = None
    months: tuple[str, ...] | None = None
    years: tuple[str, ...] | None = None
    location: str | None = None


@dataclass(frozen=True)
class TimeInterval:
    name: str
    time_intervals: tuple[TimeSpec, ...]
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Integration:
    """One notification integration of a receiver: its kind and its settings, as data."""

    kind: str  # the config list it comes from: 'slack_configs', 'webhook_configs'...
    settings: Mapping[str, Any]


@dataclass(frozen=True)
class Receiver:
    name: str
    integrations: tuple[Integration, ...] = ()
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AlertmanagerConfig:
    route: Route
    receivers: tuple[Receiver, ...]
    inhibit_rules: tuple[InhibitRule, ...] = ()
    time_intervals: tuple[TimeInterval, ...] = ()
    global_: Mapping[str, Any] | None = None
    templates: tuple[str, ...] = ()
    mute_time_intervals: tuple[TimeInterval, ...] = ()  # the deprecated name of time_intervals

    @property
    def intervals(self) -> dict[str, TimeInterval]:
        """Every named time interval, by name (both spellings of the section)."""
        return {t.name: t for t in self.mute_time_intervals + self.time_intervals}

    def receiver(self, name: str) -> Receiver | None:
        return next((r for r in self.receivers if r.name == name), None)
