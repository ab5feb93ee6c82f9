"""Names and links shared by every artifact, so a rule, its panel and its handbook
section always point at each other."""

from __future__ import annotations

import re

from ..model import Alert, Service, System
from ..model.directions import Direction
from .memo import per_object

HANDBOOK = "handbook.md"


def overview_uid(system: System) -> str:
    return f"{system.name}-overview"[:40]


def service_uid(system: System, service: Service) -> str:
    return f"{system.name}-{service.name}"[:40]


def anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def alert_heading(alert: Alert) -> str:
    return alert.name


def handbook_url(system: System, heading: str) -> str:
    """The absolute URL of a handbook section, where the system publishes its handbook."""
    base = system.runbook_base_url if system.runbook_base_url.endswith("/") else system.runbook_base_url + "/"
    return f"{base}{HANDBOOK}#{anchor(heading)}"


def grafana_url(system: System, uid: str) -> str:
    """The absolute URL of a dashboard in the system's Grafana."""
    return f"{system.grafana_base_url.rstrip('/')}/d/{uid}"


def runbook_url(system: System, alert: Alert) -> str:
    return handbook_url(system, alert_heading(alert))


def dashboard_url(system: System, service: Service, panel_id: int | None = None) -> str:
    base = grafana_url(system, service_uid(system, service))
    return f"{base}?viewPanel={panel_id}" if panel_id is not None else base


@per_object
def panel_ids(service: Service) -> dict[str, int]:
    """Panel id of each signal on its service dashboard: stable, 1-based, in order."""
    return {signal.record: i + 1 for i, signal in enumerate(service.all_signals)}


def selector(system: System, record: str) -> str:
    """The recorded series of one system (systems may share a Prometheus)."""
    return f'{record}{{system="{system.name}"}}'


def direction_words(direction: Direction) -> str:
    return direction.words
