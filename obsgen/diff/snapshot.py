"""One side of a diff: each system's alerts, recording rules, routing and dashboards,
read from generated files (as bytes, so either side may come from git)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml
from amlint.goyaml import AlertmanagerLoader

from ..lint.dashboards import panels
from ..lint.sources import rule_groups

ALERTMANAGER = "alertmanager.yml"


@dataclass(frozen=True)
class AlertRule:
    name: str
    expr: str
    for_: str
    labels: dict[str, str]
    annotations: dict[str, str]
    file: str

    @property
    def severity(self) -> str:
        return self.labels.get("severity", "")

    @property
    def static_labels(self) -> dict[str, str]:
        """alertname and the labels whose value is known before the rule runs."""
        return {"alertname": self.name, **{k: v for k, v in self.labels.items() if "{{" not in v}}


@dataclass(frozen=True)
class PanelView:
    id: int | str
    title: str
    exprs: tuple[str, ...]
    unit: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class DashboardView:
    uid: str
    title: str
    panels: dict[str, PanelView]


@dataclass
class SystemSnapshot:
    name: str
    alerts: list[AlertRule] = field(default_factory=list)
    records: dict[str, str] = field(default_factory=dict)
    alertmanager: dict | None = None
    dashboards: dict[str, DashboardView] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


def _text_map(value) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _load_yaml(data: bytes, loader=yaml.SafeLoader):
    try:
        return yaml.load(data, Loader=loader)
    except yaml.YAMLError:
        return None


def _add_rules(snapshot: SystemSnapshot, path: str, groups: list) -> None:
    for group in groups:
        for item in (group.get("rules") or []) if isinstance(group, dict) else []:
            if not isinstance(item, dict):
                continue
            if item.get("record"):
                snapshot.records[str(item["record"])] = str(item.get("expr", ""))
            elif item.get("alert"):
                snapshot.alerts.append(AlertRule(
                    str(item["alert"]), str(item.get("expr", "")), str(item.get("for", "0s")),
                    _text_map(item.get("labels")), _text_map(item.get("annotations")), path,
                ))


def _step_text(step: dict) -> str:
    value = step.get("value")
    return f"{step.get('color')} from {value:g}" if isinstance(value, (int, float)) else f"{step.get('color')} base"


def _dashboard_view(data: dict) -> DashboardView | None:
    if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
        data = data["dashboard"]
    if not isinstance(data, dict) or not isinstance(data.get("uid"), str):
        return None
    views = {}
    for panel in panels(data):
        defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
        steps = ((defaults.get("thresholds") or {}).get("steps")) or []
        views[str(panel.get("id"))] = PanelView(
            panel.get("id"), str(panel.get("title", "")),
            tuple(str(t.get("expr")) for t in panel.get("targets") or [] if isinstance(t, dict) and t.get("expr")),
            str(defaults.get("unit", "")), tuple(_step_text(s) for s in steps if isinstance(s, dict)),
        )
    return DashboardView(data["uid"], str(data.get("title", "")), views)


def snapshot(files: dict[str, bytes]) -> dict[str, SystemSnapshot]:
    """Systems by name, from files named '<system>/<path>' (as generated/ holds them)."""
    systems: dict[str, SystemSnapshot] = {}
    for path, data in sorted(files.items()):
        if "/" not in path:
            continue
        name, inner = path.split("/", 1)
        system = systems.setdefault(name, SystemSnapshot(name))
        system.files[inner] = data
        if inner.endswith((".yml", ".yaml")) and not inner.startswith("tests/"):
            # Alertmanager reads `match: {country: NO}` as the string NO; amlint's loader does too.
            loaded = _load_yaml(data, AlertmanagerLoader if inner == ALERTMANAGER else yaml.SafeLoader)
            groups = rule_groups(loaded)
            if groups is not None:
                _add_rules(system, inner, groups)
            elif inner == ALERTMANAGER and isinstance(loaded, dict):
                system.alertmanager = loaded
        elif inner.endswith(".json"):
            try:
                view = _dashboard_view(json.loads(data))
            except ValueError:
                view = None
            if view is not None:
                system.dashboards[view.uid] = view
    return systems
