"""Where an SLO's alerts, handbook section and dashboard panels point at each other."""

from __future__ import annotations

from ..model import System
from ..model.slo import SLO
from . import links
from .memo import per_object

PANEL_OFFSETS = {"row": 1, "objective": 2, "sli": 3, "budget": 4, "burn": 5, "firing": 6}
PANELS_PER_SLO = len(PANEL_OFFSETS)


def dashboard_uid(system: System) -> str:
    return f"{system.name}-slos"[:40]


@per_object
def slo_positions(system: System) -> dict[int, int]:
    """Each SLO's place in the system's list, by identity."""
    return {id(slo): i for i, slo in enumerate(system.slos)}


def panel_id(system: System, slo: SLO, panel: str) -> int:
    """Stable, 1-based: each SLO owns a row and its five panels, in definition order."""
    return slo_positions(system)[id(slo)] * PANELS_PER_SLO + PANEL_OFFSETS[panel]


def dashboard_url(system: System, slo: SLO | None = None) -> str:
    base = links.grafana_url(system, dashboard_uid(system))
    return f"{base}?viewPanel={panel_id(system, slo, 'burn')}" if slo is not None else base


def heading(slo: SLO) -> str:
    return f"SLO {slo.name}"


def runbook_url(system: System, slo: SLO) -> str:
    return links.handbook_url(system, heading(slo))
