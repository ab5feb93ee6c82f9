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
    link_title: str = "Service dashboard"
    # More series drawn beside the first, as (expr, legend): e.g. the same signal a week ago.
    more: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Row:
    """A full-width heading that groups the panels below it.

    A collapsed row holds its panels (Grafana's layout for a closed row) and opens on a
    click or on a link to one of them (?viewPanel=N).
    """

    id: int
    title: str
    y: int
    collapsed: bool = False
    panels: tuple[Panel, ...] = ()


@dataclass(frozen=True)
class Variable:
    """A filter at the top of a dashboard: one label of the panels' series, all values by default."""

    label: str
    query: str  # label_values(<series>, <label>)


@dataclass(frozen=True)
class AlertAnnotation:
    """Firing alerts drawn on every time series of the dashboard (Prometheus' ALERTS series),
    one annotation per severity in that severity's colour."""

    name: str
    expr: str
    colour: str


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    tags: tuple[str, ...]
    panels: tuple[Panel | Row, ...]
    refresh: str = "1m"
    links: tuple[tuple[str, str], ...] = ()  # (title, url)
    variables: tuple[Variable, ...] = ()
    annotations: tuple[AlertAnnotation, ...] = ()


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
