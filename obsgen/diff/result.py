"""What a diff found, as plain values: rendered as Markdown for a pull request or as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

# What a change does to an alert, in the reviewer's words (AlertDiff.effects).
STARTS_PAGING = "starts paging"
STOPS_PAGING = "stops paging"
PAGES_SOMEONE_ELSE = "pages someone else"
PAGED_AT_OTHER_TIMES = "paged at other times"
TELLS_SOMEONE_ELSE = "tells someone else"
TOLD_AT_OTHER_TIMES = "told at other times"
FIRES_EARLIER = "fires earlier"
FIRES_LATER = "fires later"
NEW_CONDITION = "fires on a different condition"
SILENCED_DIFFERENTLY = "silenced differently"
EFFECTS = (STARTS_PAGING, STOPS_PAGING, PAGES_SOMEONE_ELSE, PAGED_AT_OTHER_TIMES, TELLS_SOMEONE_ELSE, TOLD_AT_OTHER_TIMES,
           FIRES_EARLIER, FIRES_LATER, NEW_CONDITION, SILENCED_DIFFERENTLY)


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Timing:
    """One thing that moves when an alert fires, with its verdict."""

    what: str  # threshold, window, for, expression
    before: str
    after: str
    verdict: str  # earlier, later, changed


@dataclass
class AlertDiff:
    """One alerting rule (name + static labels) added, removed, renamed or changed."""

    name: str
    kind: str  # added, removed, renamed, changed
    labels: dict[str, str]  # what tells it from other rules of its name (severity, slo, long, short...)
    severity: str
    priority: str
    file: str
    renamed_from: str = ""
    changes: list[Change] = field(default_factory=list)  # labels, annotations, file and group
    timing: list[Timing] = field(default_factory=list)
    reads_changed: list[str] = field(default_factory=list)  # recording rules it reads that changed
    reaches_before: list[str] = field(default_factory=list)
    reaches_after: list[str] = field(default_factory=list)
    pages_before: list[str] = field(default_factory=list)
    pages_after: list[str] = field(default_factory=list)
    silenced_by_before: list[str] = field(default_factory=list)
    silenced_by_after: list[str] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)
    condition: str = ""  # the alert's expression on the side that has it (after, else before)

    @property
    def title(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.labels.items())
        return f"{self.name}{{{extra}}}" if extra else self.name


@dataclass
class RecordDiff:
    """A recording rule (record + static labels) added, removed, renamed or changed."""

    name: str
    kind: str
    labels: dict[str, str]
    file: str
    renamed_from: str = ""
    changes: list[Change] = field(default_factory=list)
    read_by: list[str] = field(default_factory=list)  # alerts whose condition it feeds (head side; base for removed)

    @property
    def title(self) -> str:
        extra = ", ".join(f'{k}="{v}"' for k, v in self.labels.items() if k != "system")
        return f"{self.name}{{{extra}}}" if extra else self.name


@dataclass
class ScenarioDiff:
    """An operator scenario whose outcome differs between the sides."""

    name: str
    situation: str
    kind: str  # added, removed, changed
    fires_before: list[str] = field(default_factory=list)  # 'Name (severity)'
    fires_after: list[str] = field(default_factory=list)
    paged_before: list[str] = field(default_factory=list)  # pagers reached
    paged_after: list[str] = field(default_factory=list)
    told_before: list[str] = field(default_factory=list)  # other receivers reached
    told_after: list[str] = field(default_factory=list)
    situation_before: str = ""
    note: str = ""


@dataclass
class ItemDiff:
    """A receiver, time interval, dashboard, rule group, handbook section... added, removed or changed."""

    name: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    title: str = ""
    file: str = ""


@dataclass
class ConfigDiff:
    receivers: list[ItemDiff] = field(default_factory=list)
    routes_removed: list[str] = field(default_factory=list)
    routes_added: list[str] = field(default_factory=list)
    inhibitions_removed: list[str] = field(default_factory=list)
    inhibitions_added: list[str] = field(default_factory=list)
    time_intervals: list[ItemDiff] = field(default_factory=list)
    settings: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.receivers, self.routes_removed, self.routes_added, self.inhibitions_removed, self.inhibitions_added,
                        self.time_intervals, self.settings))


@dataclass
class FileNote:
    """A changed file and where the diff speaks of it (or why nowhere: form only, unreadable)."""

    path: str
    status: str  # added, removed, changed
    sections: list[str] = field(default_factory=list)
    lines_added: int = 0
    lines_removed: int = 0
    note: str = ""


@dataclass
class SystemDiff:
    name: str
    status: str = "changed"  # added, removed, changed
    alerts: list[AlertDiff] = field(default_factory=list)
    scenarios: list[ScenarioDiff] = field(default_factory=list)
    records: list[RecordDiff] = field(default_factory=list)
    groups: list[ItemDiff] = field(default_factory=list)
    alertmanager: ConfigDiff = field(default_factory=ConfigDiff)
    dashboards: list[ItemDiff] = field(default_factory=list)
    handbook: list[ItemDiff] = field(default_factory=list)
    files: list[FileNote] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read or simulated
    paging_unknown: list[str] = field(default_factory=list)  # why who gets paged cannot be said (a refused alertmanager.yml)

    @property
    def empty(self) -> bool:
        return not self.files and self.status == "changed"


@dataclass
class Report:
    base: str
    target: str
    systems: list[SystemDiff] = field(default_factory=list)
    other_files: list[FileNote] = field(default_factory=list)  # files outside any system's folder
    stale: list[str] = field(default_factory=list)  # how generated/ differs from what the definitions compile to now


def as_json(report: Report) -> str:
    import json
    from dataclasses import asdict

    return json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"
