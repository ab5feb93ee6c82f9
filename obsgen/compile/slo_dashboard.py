"""The SLO overview of a system: one row per SLO, every panel reading a recorded series.

A row shows the objective, the SLI over the period, the error budget left, the burn rate
over each alerting window (with the tiers' factors as its red and orange lines) and the
tiers firing now. Each SLO alert's dashboard_url opens the row's burn-rate panel.
"""

from __future__ import annotations

from ..artifacts import Dashboard, Panel, Row, ThresholdStep
from ..model import System
from ..model.slo import PAGE, SLO, TICKET, window_name
from ..model.durations import prom_duration
from . import links, slo_links
from .slo_rules import OBJECTIVE, budget_remaining, counted, error_ratio, series, windows
from .thresholds import prom_number

PANEL_HEIGHT = 8
ROW_HEIGHT = PANEL_HEIGHT + 1  # the row's heading, then its panels
# (panel, x, width) of each row
LAYOUT = (("objective", 0, 3), ("sli", 3, 4), ("budget", 7, 4), ("burn", 11, 9), ("firing", 20, 4))
SLO_TITLE = "Service level objectives"  # the SLO dashboard: "<system> / Service level objectives"


def _legend(slo: SLO, *first: str) -> str:
    parts = [f"{{{{{label}}}}}" for label in first + slo.group_by]
    return " ".join(parts) if parts else slo.title


def _burn_expr(system: System, slo: SLO) -> str:
    budget = prom_number(float(slo.budget))
    return " or ".join(
        f'label_replace({series(system, slo, error_ratio(s))} / {budget}, "window", "{window_name(s)}", "", "")' for s in windows(slo)
    )


def _burn_steps(slo: SLO) -> tuple[ThresholdStep, ...]:
    """Orange from the lowest ticket factor, red from the lowest page factor."""
    steps = [ThresholdStep("green", None)]
    for kind, colour in ((TICKET, "orange"), (PAGE, "red")):
        factors = [t.factor for t in slo.burn_tiers if t.kind == kind]
        if factors:
            steps.append(ThresholdStep(colour, min(factors)))
    return tuple(sorted(steps, key=lambda s: -1 if s.value is None else s.value))


def _tiers_text(slo: SLO) -> str:
    if not slo.burn_tiers:
        return "No burn-rate alerts."
    return "Tiers: " + "; ".join(
        f"{t.kind.value} when {prom_duration(t.long)} burns at or above {t.factor:g}x, unless {prom_duration(t.short)} is below ({slo.priority(t).name})"
        for t in slo.burn_tiers
    ) + "."


def slo_panels(system: System, slo: SLO) -> list[Panel | Row]:
    top = slo_links.slo_positions(system)[id(slo)] * ROW_HEIGHT
    objective = slo.objective_ratio
    what = f"{slo.title} ({slo.service.title}): {slo.description}"
    specs = {
        "objective": ("stat", f"{slo.title}: objective", f"{what} Objective {slo.objective} over {prom_duration(slo.period)}.",
                      series(system, slo, OBJECTIVE), "percentunit", (ThresholdStep("blue", None),), slo.title),
        "sli": ("stat", f"{slo.title}: SLI over {prom_duration(slo.period)}", f"The share of good {counted(slo)} over the last {prom_duration(slo.period)}; red below the objective {slo.objective}.",
                f"1 - (1 - {series(system, slo, budget_remaining(slo))}) * {prom_number(float(slo.budget))}", "percentunit",
                (ThresholdStep("red", None), ThresholdStep("green", objective)), _legend(slo)),
        "budget": ("stat", f"{slo.title}: error budget left", f"The share of the {prom_duration(slo.period)} error budget ({float(slo.budget) * 100:g}% bad {counted(slo)}) not yet spent; red once it is all spent.",
                   series(system, slo, budget_remaining(slo)), "percentunit",
                   (ThresholdStep("red", None), ThresholdStep("green", 0)), _legend(slo)),
        "burn": ("timeseries", f"{slo.title}: burn rate per window", f"The error ratio over each window divided by the budget ({float(slo.budget) * 100:g}%): 1x spends the budget in exactly {prom_duration(slo.period)}. {_tiers_text(slo)}",
                 _burn_expr(system, slo), "suffix:x", _burn_steps(slo), _legend(slo, "window")),
        "firing": ("stat", f"{slo.title}: alerts firing", f"One tile per alert of this SLO firing now (the page is critical, the ticket warning), empty when none fires. Alerts: {', '.join(slo.alert_names) or 'none'}.",
                   f'sum by ({", ".join(("alertname", "severity") + slo.group_by)}) (ALERTS{{alertstate="firing", system="{system.name}", slo="{slo.name}"}})',
                   "short", (ThresholdStep("green", None), ThresholdStep("red", 1)), " ".join(["{{alertname}} {{severity}}"] + [f"{{{{{g}}}}}" for g in slo.group_by])),
    }
    heading = f"{slo.title}: {slo.objective} over {prom_duration(slo.period)}" + (f", per {', '.join(slo.group_by)}" if slo.group_by else "")
    panels: list[Panel | Row] = [Row(id=slo_links.panel_id(system, slo, "row"), title=heading, y=top)]
    for name, x, width in LAYOUT:
        kind, title, description, expr, unit, steps, legend = specs[name]
        panels.append(Panel(
            id=slo_links.panel_id(system, slo, name), kind=kind, title=title, description=description, expr=expr, legend=legend,
            unit=unit, steps=steps, x=x, y=top + 1, w=width, h=PANEL_HEIGHT, link=links.dashboard_url(system, slo.service),
        ))
    return panels


def slo_dashboard(system: System) -> Dashboard:
    services = list(dict.fromkeys(slo.service for slo in system.slos))
    return Dashboard(
        uid=slo_links.dashboard_uid(system),
        title=f"{system.title} / {SLO_TITLE}",
        description=f"Every SLO of {system.title}: objective, SLI, error budget left, burn rate per window and the tiers firing.",
        tags=("obsgen", system.name, "slo"),
        panels=tuple(p for slo in system.slos for p in slo_panels(system, slo)),
        links=((f"{system.title} overview", links.grafana_url(system, links.overview_uid(system))),)
        + tuple((s.title, links.dashboard_url(system, s)) for s in services),
    )
