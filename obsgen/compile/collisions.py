"""Names the compilers write must not collide: one file, one dashboard uid, one handbook
anchor per thing. A collision would overwrite a file or send a link to the wrong place
without any error, so it is a definition error naming the second object.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import CheckGroup, DefinitionError, System
from ..model.base import Defined
from . import links, slo_links
from .dashboards import OVERVIEW_TITLE
from .slo_dashboard import SLO_TITLE
from .slo_rules import alerts_file as slo_alerts_file, recording_file as slo_recording_file

# Headings every handbook has (obsgen/compile/handbook.py, slo_handbook.py).
FIXED_HEADINGS = ("Start-of-shift checklist", "Alerts", "Service level objectives", "Priorities and routing", "Escalation matrix", "Scenarios")


class Names:
    """Names already taken in one namespace, and by whom."""

    def __init__(self, what: str):
        self.what = what
        self.taken: dict[str, tuple[Defined, str]] = {}

    def take(self, name: str, owner: Defined, field_name: str) -> None:
        first = self.taken.get(name)
        if first is not None and first[0] is not owner:
            other, other_field = first
            where = f" at {other.defined_at}" if other.defined_at else ""
            raise DefinitionError(
                owner.label, field_name,
                f"gives the {self.what} {name!r}, already taken by {other.label} ({other_field}){where}: rename one of them",
                owner.defined_at,
            )
        self.taken[name] = (owner, field_name)


def _dashboards(system: System, uids: Names) -> None:
    uids.take(links.overview_uid(system), system, "name")
    for service in system.services:
        uids.take(links.service_uid(system, service), service, "name")
    if system.slos:
        uids.take(slo_links.dashboard_uid(system), system.slos[0], "name")


def _rule_files(system: System) -> None:
    files = Names("rule file")
    files.take("checks.recording.yml", system, "checks")
    for service in system.services:
        files.take(f"{service.name}.recording.yml", service, "name")
        files.take(f"{service.name}.alerts.yml", service, "name")
    for slo in system.slos:
        files.take(slo_recording_file(slo), slo, "name")
        files.take(slo_alerts_file(slo), slo, "name")


def _headings(system: System) -> Iterable[tuple[str, Defined, str]]:
    """Handbook headings that are not alerts or SLOs, with the object that titles them."""
    yield f"{system.title}: operator handbook", system, "title"
    for heading in FIXED_HEADINGS:
        yield heading, system, "title"
    for check in system.checks:
        if isinstance(check, CheckGroup):
            yield check.title, check, "title"
    for service in system.services:
        if service.alerts:
            yield service.title, service, "title"
    for escalation in system.escalations:
        yield escalation.name, escalation, "name"


def _anchors(system: System) -> None:
    """Every alert's and SLO's runbook_url anchor lands on its own section."""
    anchors = Names("handbook anchor")
    for alert in system.alerts:
        anchors.take(links.anchor(links.alert_heading(alert)), alert, "name")
    for slo in system.slos:
        anchors.take(links.anchor(slo_links.heading(slo)), slo, "name")
    for heading, owner, field_name in _headings(system):
        anchor = links.anchor(heading)
        if anchor in anchors.taken and anchors.taken[anchor][0] is not owner:
            anchors.take(anchor, owner, field_name)


def _dashboard_titles(system: System, titles: Names) -> None:
    """Grafana refuses a second dashboard of the same title in a folder (the system's title)."""
    titles.take(f"{system.title} / {OVERVIEW_TITLE}", system, "title")
    for service in system.services:
        titles.take(f"{system.title} / {service.title}", service, "title")
    if system.slos:
        titles.take(f"{system.title} / {SLO_TITLE}", system.slos[0], "title")


def check_collisions(systems: Iterable[System]) -> None:
    """Raise a DefinitionError at the first name two things would both write."""
    uids = Names("Grafana dashboard uid")  # uids are global in a Grafana, across systems
    titles = Names("dashboard title")  # titles are unique per folder, and a system's folder is its title
    for system in systems:
        _dashboards(system, uids)
        _dashboard_titles(system, titles)
        _rule_files(system)
        _anchors(system)
