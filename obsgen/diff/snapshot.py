"""One side of a diff: each system's alerts, recording rules, routing and dashboards,
read from generated files (as bytes, so either side may come from git) by the one reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..artifacts import AlertingRule, AlertmanagerConfig, DashboardFile, DashboardPanel, RecordingRule
from ..artifacts.read import ALERTMANAGER, DASHBOARD, RULES, read_artifact

ALERTMANAGER_FILE = "alertmanager.yml"


@dataclass(frozen=True)
class AlertRule:
    """An alerting rule and the file it is in."""

    rule: AlertingRule
    file: str

    @property
    def name(self) -> str:
        return self.rule.alert

    @property
    def expr(self) -> str:
        return self.rule.expr

    @property
    def for_(self) -> str:
        return self.rule.for_ or "0s"

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.rule.labels)

    @property
    def annotations(self) -> dict[str, str]:
        return dict(self.rule.annotations)

    @property
    def severity(self) -> str:
        return self.rule.labels.get("severity", "")

    @property
    def static_labels(self) -> dict[str, str]:
        """alertname and the labels whose value is known before the rule runs."""
        return {"alertname": self.name, **{k: v for k, v in self.rule.labels.items() if "{{" not in v}}


def panel_key(panel: DashboardPanel) -> str:
    return str(panel.id)


def step_texts(panel: DashboardPanel) -> tuple[str, ...]:
    return tuple(f"{s.color} from {s.value:g}" if s.value is not None else f"{s.color} base" for s in panel.steps)


@dataclass
class SystemSnapshot:
    name: str
    alerts: list[AlertRule] = field(default_factory=list)
    records: dict[str, str] = field(default_factory=dict)
    alertmanager: AlertmanagerConfig | None = None
    dashboards: dict[str, DashboardFile] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


def snapshot(files: dict[str, bytes]) -> dict[str, SystemSnapshot]:
    """Systems by name, from files named '<system>/<path>' (as generated/ holds them)."""
    systems: dict[str, SystemSnapshot] = {}
    for path, data in sorted(files.items()):
        if "/" not in path:
            continue
        name, inner = path.split("/", 1)
        system = systems.setdefault(name, SystemSnapshot(name))
        system.files[inner] = data
        if inner.startswith(("tests/", "export/")) or not inner.endswith((".yml", ".yaml", ".json")):
            continue  # export/: the same artifacts in a deployment target's form (obsgen export), compared once
        read = read_artifact(inner, data)
        if read.value is None:
            continue
        if read.kind == RULES:
            for rule in read.value.rules:
                if isinstance(rule, RecordingRule):
                    system.records[rule.record] = rule.expr
                else:
                    system.alerts.append(AlertRule(rule, inner))
        elif read.kind == ALERTMANAGER and inner == ALERTMANAGER_FILE:
            system.alertmanager = read.value
        elif read.kind == DASHBOARD and read.value.uid is not None:
            system.dashboards[read.value.uid] = read.value
    return systems
