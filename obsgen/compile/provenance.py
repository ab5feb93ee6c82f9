"""Where a system's values come from, as the handbook and dashboards show it.

Every Assumed of a system gets a number (A1, A2, ...) in definition order; each value that
rests on one is marked with a link to it, and the handbook lists them all with the places
they apply. Values left at obsgen's defaults are listed too, as obsgen's own assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Alert, System
from ..model.base import Defined
from ..model.provenance import Assumed, Runbook
from ..model.routing import Priority
from ..model.units import hours, seconds
from .memo import per_object

DEFAULTS = (
    ("group_wait", seconds(30), "Alertmanager's default group wait: alerts that start together are sent together."),
    ("repeat_interval", hours(4), "Alertmanager's default repeat interval for an alert nobody resolved."),
)
EVALUATION = "Prometheus's default global evaluation_interval: rules are evaluated once a minute."


@dataclass
class Assumption:
    number: int
    reason: str
    places: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"a{self.number}"


def _label(obj: Defined) -> str:
    if isinstance(obj, System):
        return "system"
    return obj.label


def _objects(system: System) -> list[Defined]:
    objs: list[Defined] = [system, *system.receivers, *system.priorities, *system.time_intervals, *system.routes]
    for service in system.services:
        objs += list(service.alerts)
    objs += list(system.signals)
    for check in system.checks:
        objs.append(check)
        objs += list(getattr(check, "checks", ()))
    objs += [*system.inhibitions, *system.slos, *system.escalations, *system.externals]
    return list({id(o): o for o in objs}.values())  # each object once, in order (by identity: hashing a System hashes the fleet)


@per_object
def assumptions(system: System) -> tuple[Assumption, ...]:
    """Every assumption of the system, numbered, with where it applies."""
    found: dict[str, Assumption] = {}

    def note(reason: str, place: str) -> None:
        entry = found.setdefault(reason, Assumption(len(found) + 1, reason))
        if place not in entry.places:
            entry.places.append(place)

    for obj in _objects(system):
        prov = obj.provenance
        if isinstance(prov, Assumed):
            note(prov.reason, _label(obj))
        elif prov is not None and not isinstance(prov, Runbook):
            for key, value in prov.items():
                if isinstance(value, Assumed):
                    note(value.reason, f"{_label(obj)}: {key}")
    if system.source_of("evaluation_interval") is None:
        note(EVALUATION, "system: evaluation_interval 1m")
    for priority in system.priorities:
        for name, default, reason in DEFAULTS:
            if getattr(priority, name) == default and priority.source_of(name) is None:
                note(reason, f"{priority.label}: {name} {default}")
    return tuple(found.values())


def assumption_of(system: System, obj: Defined, *keys: str) -> Assumption | None:
    prov = obj.source_of(*keys)
    if isinstance(prov, Assumed):
        return next(a for a in assumptions(system) if a.reason == prov.reason)
    if prov is None and isinstance(obj, Priority):
        for name, default, reason in DEFAULTS:
            if name in keys and getattr(obj, name) == default:
                return next(a for a in assumptions(system) if a.reason == reason)
    return None


def mark(system: System, obj: Defined, *keys: str) -> str:
    """' [A3](#a3)' after a value that rests on an assumption, else ''."""
    found = assumption_of(system, obj, *keys)
    return f" [A{found.number}](#{found.anchor})" if found else ""


def mark_text(system: System, obj: Defined, *keys: str) -> str:
    """' (assumed, A3)' for text without links (panel descriptions)."""
    found = assumption_of(system, obj, *keys)
    return f" (assumed, A{found.number} in the handbook)" if found else ""


def stated(obj: Defined, *keys: str) -> Runbook | None:
    prov = obj.source_of(*keys)
    return prov if isinstance(prov, Runbook) else None


def alert_sources(system: System, alert: Alert) -> list[str]:
    """'threshold: runbook §2.1: "..."' for each field the runbook states."""
    lines = []
    for key in ("threshold", "warning.threshold", "critical.threshold", "direction", "priority", "warning.priority",
                "critical.priority", "for_", "keep_firing_for", "active_during"):
        prov = alert.provenance.get(key) if alert.provenance is not None and not isinstance(alert.provenance, (Runbook, Assumed)) else None
        if isinstance(prov, Runbook):
            lines.append(f"{key.replace('_', ' ').strip()}: {prov.words}")
    if isinstance(alert.provenance, Runbook):
        lines.append(alert.provenance.words)
    return lines
