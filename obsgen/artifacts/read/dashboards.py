"""Grafana dashboard JSON, plain or wrapped as the HTTP API exports it ({"dashboard": ...})."""

from __future__ import annotations

from typing import Any

from ..dashboards import DashboardFile, DashboardPanel, ThresholdStep


def dashboard_model(data: Any) -> dict | None:
    """The dashboard model of a JSON document, or None when it is not a dashboard."""
    if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
        data = data["dashboard"]
    if isinstance(data, dict) and ("panels" in data or "rows" in data) and ("title" in data or "uid" in data):
        return data
    return None


def panels(model: dict) -> list[dict]:
    """Every panel of a dashboard model: rows' nested panels (at any depth) and the old rows[].panels layout included."""
    found: list[dict] = []

    def visit(items) -> None:
        for panel in items or []:
            if isinstance(panel, dict):
                found.append(panel)
                visit(panel.get("panels"))

    visit(model.get("panels"))
    for row in model.get("rows") or []:
        if isinstance(row, dict):
            visit(row.get("panels"))
    return found


def _steps(panel: dict) -> tuple[ThresholdStep, ...]:
    defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
    steps = (defaults.get("thresholds") or {}).get("steps") or []
    return tuple(
        ThresholdStep(str(s.get("color")), s["value"] if isinstance(s.get("value"), (int, float)) else None)
        for s in steps if isinstance(s, dict)
    )


def _panel(panel: dict) -> DashboardPanel:
    defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
    return DashboardPanel(
        id=panel.get("id"),
        type=str(panel.get("type", "")),
        title=str(panel.get("title", "")),
        exprs=tuple(str(t["expr"]) for t in panel.get("targets") or [] if isinstance(t, dict) and t.get("expr")),
        unit=str(defaults.get("unit", "")),
        steps=_steps(panel),
        links=tuple(str(link["url"]) for link in panel.get("links") or [] if isinstance(link, dict) and isinstance(link.get("url"), str)),
    )


def read_dashboard_model(model: dict) -> DashboardFile:
    return DashboardFile(
        uid=model["uid"] if isinstance(model.get("uid"), str) else None,
        title=str(model.get("title", "")),
        panels=tuple(_panel(p) for p in panels(model)),
        links=tuple(str(link["url"]) for link in model.get("links") or [] if isinstance(link, dict) and isinstance(link.get("url"), str)),
        data=model,
    )
