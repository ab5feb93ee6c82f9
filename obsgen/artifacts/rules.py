"""Prometheus rule files as values: files of groups of recording and alerting rules.

The compilers build them, the writer turns them into YAML, and the reader builds them
from any rule file, obsgen's or a third party's. A value read from a file keeps the line
it starts on (`line`, 1-based), which equality ignores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model.durations import parse_duration

Labels = Mapping[str, str]


def _seconds(text: str | None) -> int:
    """Whole seconds of a rule duration (0 when unset); ms parts are dropped."""
    if not text or text == "0":
        return 0
    try:
        return parse_duration(text)
    except ValueError:  # ms parts, or a duration the reader already reported
        return 0


@dataclass(frozen=True)
class RecordingRule:
    record: str
    expr: str
    labels: Labels = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.record


@dataclass(frozen=True)
class AlertingRule:
    alert: str
    expr: str
    for_: str | None = None  # as written ("5m"); None when unset
    labels: Labels = field(default_factory=dict)
    annotations: Labels = field(default_factory=dict)
    keep_firing_for: str | None = None
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.alert

    @property
    def for_seconds(self) -> int:
        return _seconds(self.for_)


Rule = RecordingRule | AlertingRule


@dataclass(frozen=True)
class RuleGroup:
    name: str
    rules: tuple[Rule, ...]
    interval: str | None = None
    limit: int | None = None
    query_offset: str | None = None  # Prometheus 2.53 and later
    labels: Labels = field(default_factory=dict)  # Prometheus 3.5 and later: added to every rule of the group
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def interval_seconds(self) -> int | None:
        return _seconds(self.interval) if self.interval else None


@dataclass(frozen=True)
class RuleFile:
    groups: tuple[RuleGroup, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for g in self.groups for r in g.rules)

    @property
    def alerting(self) -> tuple[AlertingRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, AlertingRule))

    @property
    def recording(self) -> tuple[RecordingRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, RecordingRule))
