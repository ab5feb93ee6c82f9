"""Threshold alerts: warning and critical levels on one signal, in one direction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from .base import CAMEL, Defined, freeze_labels
from .directions import Direction, direction_problem, ordered
from .durations import duration_seconds
from .errors import Source
from .routing import Priority, TimeInterval
from .signals import Signal
from .texts import PLACEHOLDERS, is_own, literal_numbers, placeholders
from .units import TIME, Dimension, Quantity, as_quantity, days, minutes

LONGEST_FOR = days(7)  # the generated tests hold a breach for `for`: longer is a typo, not an alert

SEVERITIES = ("critical", "warning")
OBSGEN_LABELS = ("alertname", "severity", "priority", "system", "service", "team")  # what obsgen sets on every alert it writes


@dataclass(frozen=True)
class Level(Defined):
    """One alerting level: the threshold and the priority it pages with."""

    threshold: Quantity | float  # a plain number only on a count signal
    priority: Priority

    def validate(self) -> None:
        self.need_object("priority", Priority)


@dataclass(frozen=True)
class AlertLevel:
    """A level resolved for the compilers: its threshold in the signal's unit (a plain
    number is a count) and its priority."""

    severity: str
    threshold: Quantity
    priority: Priority
    defined_at: Source | None


@dataclass(frozen=True, kw_only=True)
class Alert(Defined):
    """An alert on a signal crossing a threshold for a while.

    Each level becomes one Prometheus alert with the same name and its own severity
    label, like the mixins do; the critical one inhibits the warning one.
    """

    name: str
    signal: Signal
    direction: Direction
    summary: str
    meaning: str
    actions: tuple[str, ...]
    warning: Level | None = None
    critical: Level | None = None
    for_: Quantity = minutes(5)
    # Stays firing this long after its condition clears (Prometheus keep_firing_for), so a
    # one-off event (an error counted by increase()) is not resolved before anyone acts.
    keep_firing_for: Quantity | None = None
    active_during: tuple[TimeInterval, ...] = ()  # notify only then, e.g. trading hours
    resolution: Quantity | None = None  # expected time to resolve, e.g. minutes(30)
    description: str | None = None  # templated; a default is built from the signal
    # The alert's own runbook elsewhere (an imported mixin's): its runbook_url, instead of the handbook's section.
    runbook_url: str | None = None
    # Static labels its rules carry besides obsgen's (severity, priority, system, service, team), e.g. a mixin's.
    labels: Mapping[str, str] = field(default_factory=dict)

    fills_placeholders = True
    SOURCE_KEYS = ("threshold", "priority", "warning.threshold", "warning.priority", "critical.threshold", "critical.priority")

    def __post_init__(self) -> None:
        freeze_labels(self, "labels")
        super().__post_init__()

    def validate(self) -> None:
        name = self.need_text("name")
        if not CAMEL.match(name) or len(name) > 40:
            shown = repr(name) if len(name) <= 40 else f"{name[:40]!r}... ({len(name)} characters)"
            raise self.fail("name", f"{shown} must be CamelCase and at most 40 characters")
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", f"must be a Signal, got {self.signal!r}")
        problem = direction_problem(self.direction)
        if problem is not None:
            raise self.fail("direction", problem)
        summary = self.need_line("summary")
        if "{{" in summary or not summary.endswith("."):
            raise self.fail("summary", "must be a static sentence (no templates) ending with a period")
        self.need_text("meaning")
        actions = self.need_tuple("actions", str)
        if not actions:
            raise self.fail("actions", "list at least one first action for the operator")
        self.need_duration("for_", longest=LONGEST_FOR)
        if self.keep_firing_for is not None:
            self.need_duration("keep_firing_for", allow_zero=False)
        self.need_tuple("active_during", TimeInterval)
        if self.resolution is not None:
            self.need_duration("resolution")
        if self.description is not None and "{{" not in self.need_text("description"):
            raise self.fail("description", "must be templated (use {{ $value }} or {{ $labels.x }})")
        self.need_labels("labels", OBSGEN_LABELS)
        if self.runbook_url is not None:
            url = urlsplit(self.need_line("runbook_url"))
            if url.scheme not in ("http", "https") or not url.hostname:
                raise self.fail("runbook_url", f"{self.runbook_url!r} is not an absolute http(s) URL: a notification cannot open it")
        levels = [s for s in SEVERITIES if getattr(self, s) is not None]
        if not levels:
            raise self.fail("warning", "give a warning or a critical Level (or both)")
        dimension = self.signal.unit.dimension
        for severity in levels:
            level = getattr(self, severity)
            if not isinstance(level, Level):
                raise self.fail(severity, f"must be a Level(threshold, priority), got {level!r}")
            self.need_measure(f"{severity}.threshold", level.threshold, dimension, self.signal.record)
        for severity in levels:
            threshold = self.level(severity).threshold
            problem = self.signal.reach_problem(self.direction, threshold)
            if problem is not None:
                raise self.fail(f"{severity}.threshold", problem)
        self._validate_texts()
        if self.warning and self.critical:
            warning, critical = self.level("warning").threshold, self.level("critical").threshold
            w, c = warning.base, critical.base
            if not ordered(self.direction, w, c):
                raise self.fail(
                    "warning.threshold",
                    f"warning {warning} is beyond critical {critical} for an alert that fires {self.direction.words} its threshold",
                )

    def _validate_texts(self) -> None:
        """Placeholders name values the alert has; a number typed in the summary or the
        description is one of the alert's own values (better: a placeholder)."""
        texts = [("summary", self.summary), ("description", self.description), ("meaning", self.meaning)]
        texts += [("actions", action) for action in self.actions]
        for field_name, text in texts:
            for name in placeholders(text or ""):
                if name not in PLACEHOLDERS:
                    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                    raise self.fail(field_name, f"{{{name}}} is not a placeholder; use {known}")
                if name in ("warning", "critical", "resolution") and getattr(self, name) is None:
                    raise self.fail(field_name, f"{{{name}}}: the alert has no {name}")
        own = self.own_values
        for field_name, text in texts[:2]:
            for number in literal_numbers(text or ""):
                if not is_own(number, own):
                    values = ", ".join(self.own_words)
                    raise self.fail(
                        field_name,
                        f"says {number.text!r}, which is none of this alert's values ({values}): write a placeholder such as "
                        "{threshold} or {for}, so the text follows the definition",
                    )

    @property
    def own_values(self) -> list[tuple[Dimension, float, float]]:
        """The numbers the alert's text may state: (dimension, base value, value as written)."""
        dimension = self.signal.unit.dimension
        own = [(dimension, level.threshold.base, float(level.threshold.value)) for _, level in self.levels]
        own += [(TIME, q.base, float(q.value)) for q in (self.for_, self.resolution) if q is not None]
        return own + list(self.signal.numbers)

    @property
    def own_words(self) -> list[str]:
        words = [f"{severity} {level.threshold}" for severity, level in self.levels] + [f"for {self.for_!r}"]
        return words + ([f"resolution {self.resolution!r}"] if self.resolution is not None else [])

    def level(self, severity: str) -> AlertLevel:
        """The warning or critical level as the compilers read it."""
        level = self.warning if severity == "warning" else self.critical if severity == "critical" else None
        if level is None:
            raise KeyError(f"alert {self.name!r} has no {severity} level")
        return AlertLevel(severity, as_quantity(level.threshold, self.signal.unit.dimension), level.priority, level.defined_at)

    @cached_property
    def levels(self) -> tuple[tuple[str, AlertLevel], ...]:
        """(severity, level) pairs, warning first."""
        return tuple((s, self.level(s)) for s in ("warning", "critical") if getattr(self, s) is not None)

    @property
    def for_seconds(self) -> int:
        return duration_seconds(self.for_)

    @property
    def keep_firing_seconds(self) -> int:
        return duration_seconds(self.keep_firing_for) if self.keep_firing_for is not None else 0

    def threshold_source(self, severity: str):
        """Where a level's threshold comes from."""
        return self.source_of(f"{severity}.threshold", severity, "threshold")

    def priority_source(self, severity: str):
        """Where a level's priority comes from."""
        return self.source_of(f"{severity}.priority", "priority", severity)

    @property
    def operator(self) -> str:
        return self.direction.operator
