"""obsgen's dashboard model to Grafana dashboard JSON, through grafanalib.

This is the only module that knows grafanalib. grafanalib 0.7 still writes keys from
Grafana's pre-v7 schema and nulls for unset options; Grafana's strict schema rejects
both, so they are removed here.
"""

from __future__ import annotations

import json

import orjson
from grafanalib import core as g
from grafanalib._gen import DashboardEncoder

from ..artifacts import Dashboard, Panel

SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}

_LEGACY_DASHBOARD_KEYS = ("__inputs", "hideControls", "rows", "sharedCrosshair", "style", "gnetId")
_LEGACY_PANEL_KEYS = ("editable", "error", "height", "minSpan", "span", "hideTimeOverride")
_LEGACY_TARGET_KEYS = ("query", "target", "metric", "step", "intervalFactor", "datasource")
_LEGACY_VARIABLE_KEYS = ("tagValuesQuery", "tagsQuery", "useTags")


def _steps(panel: Panel) -> list[dict]:
    return [{"color": s.color, "value": s.value} for s in panel.steps]


def _target(panel: Panel) -> g.Target:
    return g.Target(expr=panel.expr, legendFormat=panel.legend, refId="A")


def _link(title: str, url: str) -> dict:
    """A link as Grafana's schema requires it: every field present."""
    return {
        "title": title, "url": url, "type": "link", "icon": "external link", "tooltip": "", "tags": [],
        "asDropdown": False, "targetBlank": False, "includeVars": False, "keepTime": True,
    }


def _links(panel: Panel) -> list[dict]:
    return [_link("Service dashboard", panel.link)] if panel.link else []


def _panel(panel: Panel):
    common = dict(
        id=panel.id,
        title=panel.title,
        description=panel.description,
        dataSource=DATASOURCE,
        targets=[_target(panel)],
        gridPos=g.GridPos(h=panel.h, w=panel.w, x=panel.x, y=panel.y),
        links=_links(panel),
    )
    if panel.kind == "stat":
        return g.Stat(format=panel.unit, thresholds=_steps(panel), reduceCalc="lastNotNull", graphMode="none", colorMode="background", **common)
    return g.TimeSeries(unit=panel.unit, thresholdType="absolute", thresholds=_steps(panel), thresholdsStyleMode="line+area" if len(panel.steps) > 1 else "off", **common)


def _drop_nulls(value):
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None or k == "value"}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _conform(data: dict) -> dict:
    """Remove what grafanalib writes but Grafana's strict schema does not allow."""
    for key in _LEGACY_DASHBOARD_KEYS:
        data.pop(key, None)
    data.get("timepicker", {}).pop("time_options", None)
    data["schemaVersion"] = SCHEMA_VERSION
    for variable in data["templating"]["list"]:
        for key in _LEGACY_VARIABLE_KEYS:
            variable.pop(key, None)
        if variable.get("current", {}).get("value") is None:
            variable.pop("current", None)
    for panel in data["panels"]:
        for key in _LEGACY_PANEL_KEYS:
            panel.pop(key, None)
        for target in panel.get("targets", []):
            for key in _LEGACY_TARGET_KEYS:
                target.pop(key, None)
        options = panel.setdefault("options", {})
        if panel["type"] == "stat":
            options.update(wideLayout=True, showPercentChange=False, percentChangeColorMode="standard")
        else:
            options.setdefault("legend", {})["showLegend"] = True
        defaults = panel["fieldConfig"]["defaults"]
        if not isinstance(defaults.get("color"), dict):
            defaults["color"] = {"mode": "thresholds"}
    return data


def render_dashboard(dashboard: Dashboard) -> bytes:
    model = g.Dashboard(
        title=dashboard.title,
        uid=dashboard.uid,
        description=dashboard.description,
        tags=list(dashboard.tags),
        editable=False,
        refresh=dashboard.refresh,
        timezone="utc",
        time=g.Time("now-6h", "now"),
        templating=g.Templating([g.Template(name="datasource", label="Data source", query="prometheus", type="datasource", hide=0)]),
        panels=[_panel(p) for p in dashboard.panels],
    )
    data = json.loads(json.dumps(model.to_json_data(), cls=DashboardEncoder))
    data = _conform(_drop_nulls(data))
    data["links"] = [_link(t, u) for t, u in dashboard.links]
    # orjson writes the same bytes as json.dumps(indent=2, sort_keys=True), ten times faster.
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
