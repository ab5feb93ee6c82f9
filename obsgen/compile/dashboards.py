"""Dashboards: the system's things-to-check overview and one per service.

Panels read the recorded signals, so a panel, its alert and its check show one series;
threshold steps come from the same Quantity the alert compares against.
"""

from __future__ import annotations

from typing import Iterator

from ..artifacts import Dashboard, Panel, Row, ThresholdStep
from ..model import Direction, Service, Signal, System
from ..model.checks import ChecklistItem
from ..model.durations import prom_duration
from ..model.units import Quantity
from . import links
from .rules import grouping_labels, signal_owners
from .slo_dashboard import slo_dashboard
from .thresholds import panel_boundary


_COLOURS = {"critical": "red", "warning": "orange", None: "green"}
_RANK = {None: 0, "warning": 1, "critical": 2}
OVERVIEW_TITLE = "Things to check"  # the overview dashboard: "<system> / Things to check"


def threshold_steps(lines: list[tuple[Direction, str, Quantity]]) -> tuple[ThresholdStep, ...]:
    """Grafana steps for (direction, severity, threshold) lines on one panel.

    Grafana colours a value by the highest step at or below it, so each region between
    thresholds takes the worst severity whose line it crosses. Step values are the
    thresholds themselves: the red line is the alert's number.
    """
    bounds = [(d, sev, panel_boundary(d, q)) for d, sev, q in lines]
    values = sorted({b for _, _, b in bounds})
    if not values:
        return (ThresholdStep("green", None),)

    def worst(v: float) -> str | None:
        hit = [sev for d, sev, b in bounds if (v >= b if d.upward else v < b)]
        return max(hit, key=_RANK.__getitem__, default=None)

    steps = [ThresholdStep(_COLOURS[worst(values[0] - 1)], None)]
    for v in values:
        colour = _COLOURS[worst(v)]
        if colour != steps[-1].color:
            steps.append(ThresholdStep(colour, v))
    return tuple(steps)


def _lines(direction: Direction | None, warning: Quantity | None, critical: Quantity | None) -> list[tuple[Direction, str, Quantity]]:
    if direction is None:
        return []
    return [(direction, sev, q) for sev, q in (("warning", warning), ("critical", critical)) if q is not None]


def _signal_lines(system: System) -> dict[str, list[tuple[Direction, str, Quantity]]]:
    """Per recorded signal: every alert threshold on it, else its checks' thresholds."""
    lines: dict[str, list] = {}
    for alert in system.alerts:
        lines.setdefault(alert.signal.record, []).extend((alert.direction, sev, lvl.threshold) for sev, lvl in alert.levels)
    checked: dict[str, list] = {}
    for check in system.checklist:
        checked.setdefault(check.signal.record, []).extend(_lines(check.direction, check.warning, check.critical))
    return {record: lines.get(record) or checked.get(record, []) for record in {s.record for s in system.signals}}


def _legend(signal: Signal) -> str:
    labels = grouping_labels(signal)
    return " ".join(f"{{{{{label}}}}}" for label in labels) if labels else signal.description


def _threshold_text(lines) -> str:
    if not lines:
        return ""
    return " Thresholds: " + ", ".join(f"{sev} {links.direction_words(d)} {q}" for d, sev, q in lines) + "."


def service_dashboard(system: System, service: Service, signal_lines: dict[str, list]) -> Dashboard:
    ids = links.panel_ids(service)
    alerts_on: dict[str, list[str]] = {}
    for alert in service.alerts:
        alerts_on.setdefault(alert.signal.record, []).append(alert.name)
    panels = []
    for i, signal in enumerate(service.all_signals):
        lines = signal_lines[signal.record]
        alerts = alerts_on.get(signal.record, [])
        alerting = f" Alerts: {', '.join(alerts)}." if alerts else ""
        panels.append(
            Panel(
                id=ids[signal.record],
                kind="timeseries",
                title=signal.description,
                description=f"Recorded as {signal.record}.{_threshold_text(lines)}{alerting}",
                expr=links.selector(system, signal.record),
                legend=_legend(signal),
                unit=signal.unit.dimension.grafana_unit,
                steps=threshold_steps(lines),
                x=(i % 2) * 12,
                y=(i // 2) * 8,
                w=12,
                h=8,
            )
        )
    return Dashboard(
        uid=links.service_uid(system, service),
        title=f"{system.title} / {service.title}",
        description=service.description,
        tags=("obsgen", system.name, service.team),
        panels=tuple(panels),
        links=((f"{system.title} overview", links.grafana_url(system, links.overview_uid(system))),),
    )


def _check_panel(system: System, check: ChecklistItem, panel_id: int, index: int, top: int, owners: dict[str, str]) -> Panel:
    owner = next((s for s in system.services if s.name == owners.get(check.signal.record)), None)
    when = f" ({check.when})" if check.when else ""
    lines = _lines(check.direction, check.warning, check.critical)
    return Panel(
        id=panel_id,
        kind="stat",
        title=check.title,
        description=(
            f"Check every {prom_duration(check.frequency)}{when}. Good: {check.good}. If not: {check.action}."
            f"{_threshold_text(lines)}"
        ),
        expr=links.selector(system, check.signal.record),
        legend=_legend(check.signal),
        unit=check.signal.unit.dimension.grafana_unit,
        steps=threshold_steps(lines),
        x=(index % 3) * 8,
        y=top + (index // 3) * 5,
        w=8,
        h=5,
        link=links.dashboard_url(system, owner) if owner else None,
    )


def _overview_panels(system: System) -> tuple[Panel | Row, ...]:
    """Checks in the runbook's order; a row above each group when checks are grouped."""
    owners = signal_owners(system)
    groups: dict[str | None, list[ChecklistItem]] = {}
    for check in system.checklist:
        groups.setdefault(check.group, []).append(check)
    panels: list[Panel | Row] = []
    top = 0
    for group, checks in groups.items():
        if group is not None:
            panels.append(Row(id=len(panels) + 1, title=group, y=top))
            top += 1
        for index, check in enumerate(checks):
            panels.append(_check_panel(system, check, len(panels) + 1, index, top, owners))
        top += ((len(checks) + 2) // 3) * 5
    return tuple(panels)


def overview_dashboard(system: System) -> Dashboard:
    return Dashboard(
        uid=links.overview_uid(system),
        title=f"{system.title} / {OVERVIEW_TITLE}",
        description=f"The start-of-shift checks for {system.title}, in the runbook's order.",
        tags=("obsgen", system.name, "overview"),
        panels=_overview_panels(system),
        links=tuple((s.title, links.dashboard_url(system, s)) for s in system.services),
    )


def compile_dashboards(system: System) -> Iterator[Dashboard]:
    """The overview, one dashboard per service and the SLO dashboard, one at a time."""
    signal_lines = _signal_lines(system)
    yield overview_dashboard(system)
    for service in system.services:
        yield service_dashboard(system, service, signal_lines)
    if system.slos:
        yield slo_dashboard(system)


def check_panel_ids(system: System) -> list[int]:
    """The overview panel of each check, in check order (for the handbook's links)."""
    return [p.id for p in _overview_panels(system) if isinstance(p, Panel)]
