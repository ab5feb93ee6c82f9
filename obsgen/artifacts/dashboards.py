"""Dashboards as obsgen builds them: small, typed, and free of grafanalib, which only
render/grafana.py may import.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThresholdStep:
    """A colour from a value upward (value None: the base colour)."""

    color: str
    value: float | None


@dataclass(frozen=True)
class Panel:
    id: int
    kind: str  # 'timeseries' or 'stat'
    title: str
    description: str
    expr: str
    legend: str
    unit: str
    steps: tuple[ThresholdStep, ...]
    x: int
    y: int
    w: int
    h: int
    link: str | None = None  # where the panel leads (a service dashboard)


@dataclass(frozen=True)
class Row:
    """A full-width heading that groups the panels below it."""

    id: int
    title: str
    y: int


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    tags: tuple[str, ...]
    panels: tuple[Panel | Row, ...]
    refresh: str = "1m"
    links: tuple[tuple[str, str], ...] = ()  # (title, url)


# -- dashboards as read from any Grafana JSON file ------------------------------------------------


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of a dashboard file (rows' nested panels included): what obsgen reads of it."""

    id: int | str | None
    type: str
    title: str
    exprs: tuple[str, ...]  # the PromQL of its targets
    unit: str
    steps: tuple[ThresholdStep, ...]
    links: tuple[str, ...]  # URLs


@dataclass(frozen=True)
class DashboardFile:
    """A Grafana dashboard as a file holds it; `data` keeps the whole JSON model for checks
    that read more than obsgen types."""

    uid: str | None
    title: str
    panels: tuple[DashboardPanel, ...]
    links: tuple[str, ...]
    data: dict = field(compare=False, repr=False, default_factory=dict)
