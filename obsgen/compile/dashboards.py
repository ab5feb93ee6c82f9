"""Dashboards: the system's things-to-check overview and one per service.

Panels read the recorded signals, so a panel, its alert and its check show one series;
threshold steps come from the same Quantity the alert compares against.
"""

from __future__ import annotations

from ..artifacts import Dashboard, Panel, ThresholdStep
from ..model import ABOVE, Check, Service, Signal, System
from ..model.units import Quantity
from . import links
from .rules import grouping_labels, signal_owners


def threshold_steps(direction: str | None, warning: Quantity | None, critical: Quantity | None) -> tuple[ThresholdStep, ...]:
    """Grafana colours a value by the highest step at or below it."""
    if direction is None or (warning is None and critical is None):
        return (ThresholdStep("green", None),)
    w = warning.base if warning is not None else None
    c = critical.base if critical is not None else None
    if direction == ABOVE:
        steps = [ThresholdStep("green", None)]
        if w is not None:
            steps.append(ThresholdStep("orange", w))
        if c is not None:
            steps.append(ThresholdStep("red", c))
        return tuple(steps)
    if c is not None and w is not None:
        return (ThresholdStep("red", None), ThresholdStep("orange", c), ThresholdStep("green", w))
    if c is not None:
        return (ThresholdStep("red", None), ThresholdStep("green", c))
    return (ThresholdStep("orange", None), ThresholdStep("green", w))


def _thresholds_of(system: System, signal: Signal) -> tuple[str | None, Quantity | None, Quantity | None]:
    """The signal's alert thresholds, else its check's, else none."""
    for alert in system.alerts:
        if alert.signal.record == signal.record:
            return alert.direction, alert.warning.threshold if alert.warning else None, alert.critical.threshold if alert.critical else None
    for check in system.checks:
        if check.signal.record == signal.record and (check.warning or check.critical):
            return check.direction, check.warning, check.critical
    return None, None, None


def _legend(signal: Signal) -> str:
    labels = grouping_labels(signal)
    return " ".join(f"{{{{{label}}}}}" for label in labels) if labels else signal.description


def _threshold_text(direction, warning, critical) -> str:
    if direction is None:
        return ""
    words = links.direction_words(direction)
    parts = [f"{name} {words} {q}" for name, q in (("warning", warning), ("critical", critical)) if q is not None]
    return " Thresholds: " + ", ".join(parts) + "."


def service_dashboard(system: System, service: Service) -> Dashboard:
    ids = links.panel_ids(service)
    panels = []
    for i, signal in enumerate(service.all_signals):
        direction, warning, critical = _thresholds_of(system, signal)
        alerts = [a.name for a in service.alerts if a.signal.record == signal.record]
        alerting = f" Alerts: {', '.join(alerts)}." if alerts else ""
        panels.append(
            Panel(
                id=ids[signal.record],
                kind="timeseries",
                title=signal.description,
                description=f"Recorded as {signal.record}.{_threshold_text(direction, warning, critical)}{alerting}",
                expr=links.selector(system, signal.record),
                legend=_legend(signal),
                unit=signal.unit.dimension.grafana_unit,
                steps=threshold_steps(direction, warning, critical),
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
        links=((f"{system.title} overview", f"{system.grafana_base_url}/d/{links.overview_uid(system)}"),),
    )


def _check_panel(system: System, check: Check, index: int, owners: dict[str, str]) -> Panel:
    owner = next((s for s in system.services if s.name == owners.get(check.signal.record)), None)
    when = f" ({check.when})" if check.when else ""
    return Panel(
        id=index + 1,
        kind="stat",
        title=check.title,
        description=(
            f"Check every {check.frequency}{when}. Good: {check.good}. If not: {check.action}."
            f"{_threshold_text(check.direction, check.warning, check.critical)}"
        ),
        expr=links.selector(system, check.signal.record),
        legend=_legend(check.signal),
        unit=check.signal.unit.dimension.grafana_unit,
        steps=threshold_steps(check.direction, check.warning, check.critical),
        x=(index % 3) * 8,
        y=(index // 3) * 5,
        w=8,
        h=5,
        link=links.dashboard_url(system, owner) if owner else None,
    )


def overview_dashboard(system: System) -> Dashboard:
    owners = signal_owners(system)
    return Dashboard(
        uid=links.overview_uid(system),
        title=f"{system.title} / Things to check",
        description=f"The start-of-shift checks for {system.title}, in the runbook's order.",
        tags=("obsgen", system.name, "overview"),
        panels=tuple(_check_panel(system, c, i, owners) for i, c in enumerate(system.checks)),
        links=tuple((s.title, links.dashboard_url(system, s)) for s in system.services),
    )


def compile_dashboards(system: System) -> list[Dashboard]:
    return [overview_dashboard(system)] + [service_dashboard(system, s) for s in system.services]
