"""Who is told, how fast: receivers, priorities, routes, time intervals, escalations.

Secrets never live here: receivers point at files the deployment provides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from .base import SLUG, Defined
from .durations import duration_problem, duration_seconds
from .units import Quantity, hours, minutes, seconds

_FILE = re.compile(r"^/[^\s]+$")
_HOUR_MINUTE = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")  # 24:00 only as an end: Alertmanager refuses 24:30


@dataclass(frozen=True, kw_only=True)
class Receiver(Defined):
    """Somewhere notifications go. Subclasses say how."""

    name: str
    send_resolved: bool = True

    def validate(self) -> None:
        self.need_slug("name")

    def need_file(self, field_name: str) -> None:
        value = self.need_text(field_name)
        if not _FILE.match(value):
            raise self.fail(field_name, f"{value!r} must be an absolute path to a file the deployment provides (secrets stay out of definitions)")

    @property
    def kind(self) -> str:
        return type(self).__name__.lower()

    @property
    def target(self) -> str:
        """Where it lands, in words for the handbook."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class Slack(Receiver):
    channel: str
    api_url_file: str

    def validate(self) -> None:
        super().validate()
        channel = self.need_line("channel")
        if not channel.startswith("#"):
            raise self.fail("channel", f"{channel!r} must start with '#'")
        self.need_file("api_url_file")

    @property
    def target(self) -> str:
        return f"Slack {self.channel}"


@dataclass(frozen=True, kw_only=True)
class PagerDuty(Receiver):
    service: str  # the PagerDuty service or rotation, for people
    routing_key_file: str

    def validate(self) -> None:
        super().validate()
        self.need_line("service")
        self.need_file("routing_key_file")

    @property
    def target(self) -> str:
        return f"PagerDuty {self.service}"


@dataclass(frozen=True, kw_only=True)
class Email(Receiver):
    to: str
    sender: str
    smarthost: str
    auth_username: str | None = None
    auth_password_file: str | None = None

    def validate(self) -> None:
        super().validate()
        for name in ("to", "sender"):
            if "@" not in self.need_text(name):
                raise self.fail(name, f"{getattr(self, name)!r} is not an email address")
        if not re.match(r"^[A-Za-z0-9.-]+:\d+$", self.need_text("smarthost")):
            raise self.fail("smarthost", f"{self.smarthost!r} must be host:port")
        if self.auth_password_file is not None:
            self.need_file("auth_password_file")

    @property
    def target(self) -> str:
        return f"email {self.to}"


@dataclass(frozen=True, kw_only=True)
class Webhook(Receiver):
    """An HTTP endpoint, e.g. a relay to SMS. The URL carries no secret (Alertmanager 0.25
    has no url_file): the relay authenticates the request with a bearer token read from
    credentials_file, or basic auth with a password read from password_file."""

    url: str
    purpose: str  # e.g. 'SMS via Twilio relay', for people
    credentials_file: str | None = None  # Authorization: Bearer <the file's content>
    username: str | None = None  # basic auth, with password_file
    password_file: str | None = None

    def validate(self) -> None:
        super().validate()
        url = self.need_line("url")
        if not re.match(r"^https?://[^/\s?#]+(?:[/?#]\S*)?$", url):
            raise self.fail("url", f"{url!r} must be an http(s) URL")
        self.need_line("purpose")
        if self.credentials_file is not None:
            self.need_file("credentials_file")
        if (self.username is None) != (self.password_file is None):
            raise self.fail("password_file" if self.username is not None else "username", "basic auth needs both username and password_file")
        if self.password_file is not None:
            self.need_line("username")
            self.need_file("password_file")
            if self.credentials_file is not None:
                raise self.fail("credentials_file", "give a bearer credentials_file or basic auth (username, password_file), not both")

    @property
    def target(self) -> str:
        return f"webhook ({self.purpose})"


@dataclass(frozen=True, kw_only=True)
class Priority(Defined):
    """An operator priority (P0-P3): how fast someone responds and who is told."""

    name: str
    meaning: str
    response_time: Quantity  # e.g. minutes(5)
    receivers: tuple[Receiver, ...]
    repeat_interval: Quantity = hours(4)
    group_wait: Quantity = seconds(30)
    group_interval: Quantity = minutes(5)
    mute_time_intervals: tuple[TimeInterval, ...] = ()  # quiet during these, e.g. weekends
    active_time_intervals: tuple[TimeInterval, ...] = ()  # only during these, e.g. trading hours
    response_note: str | None = None  # when the runbook says it in words, e.g. 'next business day'

    def validate(self) -> None:
        if not re.match(r"^P[0-4]$", self.need_text("name")):
            raise self.fail("name", f"{self.name!r} must be one of P0, P1, P2, P3, P4")
        self.need_text("meaning")
        self.need_duration("response_time", allow_zero=False)
        if not self.need_tuple("receivers", Receiver):
            raise self.fail("receivers", "list at least one receiver")
        for name in ("repeat_interval", "group_wait", "group_interval"):
            self.need_duration(name, allow_zero=False)
        if duration_seconds(self.repeat_interval) < duration_seconds(self.group_interval):
            raise self.fail("repeat_interval", f"{self.repeat_interval!r} is shorter than group_interval {self.group_interval!r}: "
                            "Alertmanager only looks again every group_interval, so the reminder would not come that often")
        self.need_tuple("mute_time_intervals", TimeInterval)
        self.need_tuple("active_time_intervals", TimeInterval)

    @property
    def response_seconds(self) -> int:
        return duration_seconds(self.response_time)


@dataclass(frozen=True, kw_only=True)
class Route(Defined):
    """A route ahead of the priority routes: alerts of a team (and priorities) go here."""

    name: str
    team: str
    receivers: tuple[Receiver, ...]
    priorities: tuple[Priority, ...] = ()  # empty: every priority
    also_default: bool = False  # continue to the priority routes as well
    mute_time_intervals: tuple[TimeInterval, ...] = ()  # e.g. outside a lead's business hours

    def validate(self) -> None:
        self.need_slug("name")
        self.need_slug("team")
        if not self.need_tuple("receivers", Receiver):
            raise self.fail("receivers", "list at least one receiver")
        self.need_tuple("priorities", Priority)
        self.need_tuple("mute_time_intervals", TimeInterval)


_WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")  # Alertmanager's order


@dataclass(frozen=True, kw_only=True)
class TimeInterval(Defined):
    """A recurring window such as trading hours, for muting routes outside it."""

    name: str
    weekdays: tuple[str, ...]  # e.g. ('monday:friday',)
    start: str  # 'HH:MM'
    end: str
    location: str = "UTC"

    def validate(self) -> None:
        self.need_slug("name")
        for day in self.need_tuple("weekdays", str):
            parts = day.split(":")
            if len(parts) > 2 or any(part not in _WEEKDAYS for part in parts):
                raise self.fail("weekdays", f"{day!r} is not a weekday or a range like 'monday:friday'")
            if _WEEKDAYS.index(parts[0]) > _WEEKDAYS.index(parts[-1]):
                raise self.fail("weekdays", f"{day!r}: a range runs sunday to saturday; write the days separately")
        for name in ("start", "end"):
            value = self.need_text(name)
            if not (_HOUR_MINUTE.match(value) or (name == "end" and value == "24:00")):
                raise self.fail(name, f"{value!r} must be HH:MM from 00:00 to 23:59{' (or 24:00, the end of the day)' if name == 'end' else ''}")
        if self.start >= self.end:
            raise self.fail("end", f"{self.end} must be after {self.start}")
        try:
            ZoneInfo(self.need_text("location"))
        except (KeyError, ValueError, OSError):
            raise self.fail("location", f"{self.location!r} is not a time zone name such as 'Europe/London'") from None

    def contains(self, at: datetime) -> bool:
        """Whether the moment falls in this interval (weekday and time in its zone)."""
        local = at.astimezone(ZoneInfo(self.location))
        day = (local.weekday() + 1) % 7  # Alertmanager counts from Sunday
        in_days = any(
            _WEEKDAYS.index(spec.split(":")[0]) <= day <= _WEEKDAYS.index(spec.split(":")[-1]) for spec in self.weekdays
        )
        minute = local.hour * 60 + local.minute
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (self.start, self.end))
        return in_days and start <= minute < end


@dataclass(frozen=True, kw_only=True)
class Escalation(Defined):
    """An escalation path in the operators' words: who, after how long.

    priorities and teams say which alerts it is for, when the runbook says so; the
    system checks that some alert of theirs exists."""

    name: str
    steps: tuple[tuple[str, Quantity], ...]  # (who, after how long), the first usually after seconds(0)
    priorities: tuple[Priority, ...] = ()
    teams: tuple[str, ...] = ()

    def validate(self) -> None:
        self.need_line("name")
        steps = self.need_tuple("steps", tuple)
        if not steps:
            raise self.fail("steps", "list at least one step")
        previous = 0
        for step in steps:
            if len(step) != 2 or not isinstance(step[0], str) or not step[0].strip():
                raise self.fail("steps", f"every step is (who, after), e.g. ('Team lead', minutes(15)), got {step!r}")
            problem = duration_problem(step[1])
            if problem is not None:
                raise self.fail("steps", f"step {step[0]!r}: {problem}")
            if duration_seconds(step[1]) < previous:
                raise self.fail("steps", f"step {step[0]!r} comes after {step[1]!r}, earlier than the step before it: list the steps in order")
            previous = duration_seconds(step[1])
        self.need_tuple("priorities", Priority)
        for team in self.need_tuple("teams", str):
            if not SLUG.match(team):
                raise self.fail("teams", f"{team!r} is not a team name (a service's team=...)")
