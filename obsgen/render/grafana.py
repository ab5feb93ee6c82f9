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

from ..artifacts.dashboards import AlertAnnotation, Dashboard, Panel, Row, Variable

SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
# Missing data must not read as healthy: "No data" in the warning colour, never "none".
NO_DATA = "No data"
NO_DATA_COLOUR = "orange"
NO_DATA_MAPPING = {"type": "special", "options": {"match": "null+nan", "result": {"text": NO_DATA, "color": NO_DATA_COLOUR, "index": 0}}}

_LEGACY_DASHBOARD_KEYS = ("__inputs", "hideControls", "rows", "sharedCrosshair", "style", "gnetId")
_LEGACY_PANEL_KEYS = ("editable", "error", "height", "minSpan", "span", "hideTimeOverride")
_LEGACY_TARGET_KEYS = ("query", "target", "metric", "step", "intervalFactor", "datasource")
_LEGACY_VARIABLE_KEYS = ("tagValuesQuery", "tagsQuery", "useTags")


def _steps(panel: Panel) -> list[dict]:
    return [{"color": s.color, "value": s.value} for s in panel.steps]


def _targets(panel: Panel) -> list[g.Target]:
    series = [(panel.expr, panel.legend), *panel.more]
    return [g.Target(expr=expr, legendFormat=legend, refId=chr(ord("A") + i)) for i, (expr, legend) in enumerate(series)]


def _link(title: str, url: str) -> dict:
    """A link as Grafana's schema requires it: every field present."""
    return {
        "title": title, "url": url, "type": "link", "icon": "external link", "tooltip": "", "tags": [],
        "asDropdown": False, "targetBlank": False, "includeVars": False, "keepTime": True,
    }


def _links(panel: Panel) -> list[dict]:
    return [_link(panel.link_title, panel.link)] if panel.link else []


def _variable(variable: Variable) -> dict:
    """A multi-value filter on one label, "All" by default (a regex matcher in every panel)."""
    return {
        "name": variable.label, "label": variable.label, "type": "query", "datasource": DATASOURCE,
        "query": variable.query, "definition": variable.query, "refresh": 2, "sort": 1, "hide": 0,
        "multi": True, "includeAll": True, "allValue": ".*", "regex": "", "options": [],
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
    }


def _annotation(annotation: AlertAnnotation) -> dict:
    return {
        "name": annotation.name, "datasource": DATASOURCE, "enable": True, "hide": False, "iconColor": annotation.colour,
        "expr": annotation.expr, "step": "60s", "titleFormat": "{{alertname}} ({{priority}})",
        "textFormat": "{{severity}} alert of {{service}}", "tagKeys": "priority,severity,service", "useValueForTime": False,
    }


_ROW_KEYS = ("type", "collapsed", "title", "gridPos", "id", "panels")


def _panel(panel: Panel | Row):
    if isinstance(panel, Row):
        return g.RowPanel(id=panel.id, title=panel.title, gridPos=g.GridPos(h=1, w=24, x=0, y=panel.y),
                          collapsed=panel.collapsed, panels=[_panel(p) for p in panel.panels])
    common = dict(
        id=panel.id,
        title=panel.title,
        description=panel.description,
        dataSource=DATASOURCE,
        targets=_targets(panel),
        gridPos=g.GridPos(h=panel.h, w=panel.w, x=panel.x, y=panel.y),
        links=_links(panel),
    )
    if panel.kind == "histogram":
        return _histogram(panel, common)
    if panel.kind == "stat":
        # graphMode "area": the sparkline that shows the trend behind the last value.
        return g.Stat(format=panel.unit, thresholds=_steps(panel), reduceCalc="lastNotNull", graphMode="area", colorMode="background",
                      noValue=NO_DATA, mappings=[NO_DATA_MAPPING], **common)
    return g.TimeSeries(unit=panel.unit, thresholdType="absolute", thresholds=_steps(panel), thresholdsStyleMode="line+area" if len(panel.steps) > 1 else "off",
                        extraJson={"fieldConfig": {"defaults": {"noValue": NO_DATA}}}, **common)


def _histogram(panel: Panel, common: dict) -> dict:
    """A histogram as Grafana draws one from Prometheus buckets: a bar gauge of the
    `heatmap`-formatted query (cumulative buckets turned into per-bucket values), one bar per bucket."""
    return {
        "type": "bargauge", "id": panel.id, "title": panel.title, "description": panel.description, "datasource": DATASOURCE,
        "gridPos": {"h": panel.h, "w": panel.w, "x": panel.x, "y": panel.y}, "links": common["links"],
        "targets": [{"expr": panel.expr, "format": "heatmap", "legendFormat": panel.legend, "refId": "A"}],
        "fieldConfig": {"defaults": {"unit": panel.unit, "noValue": NO_DATA, "color": {"mode": "thresholds"},
                                     "thresholds": {"mode": "absolute", "steps": _steps(panel)}}, "overrides": []},
        "options": {
            "displayMode": "gradient", "valueMode": "color", "namePlacement": "auto", "showUnfilled": True, "sizing": "auto",
            "minVizWidth": 8, "minVizHeight": 16, "maxVizHeight": 300, "orientation": "vertical",
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": False, "calcs": []},
            "reduceOptions": {"calcs": ["mean"], "fields": "", "values": False},
        },
    }


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
    data["panels"] = _conform_panels(data["panels"])
    return data


def _conform_panels(panels: list[dict]) -> list[dict]:
    for i, panel in enumerate(panels):
        if panel["type"] == "row":
            panels[i] = {k: panel[k] for k in _ROW_KEYS if k in panel}
            panels[i]["panels"] = _conform_panels(panels[i].get("panels", []))
            continue
        for key in _LEGACY_PANEL_KEYS:
            panel.pop(key, None)
        for target in panel.get("targets", []):
            for key in _LEGACY_TARGET_KEYS:
                target.pop(key, None)
        options = panel.setdefault("options", {})
        if panel["type"] == "stat":
            options.update(wideLayout=True, showPercentChange=False, percentChangeColorMode="standard")
        elif panel["type"] == "timeseries":
            options.setdefault("legend", {})["showLegend"] = True
        defaults = panel["fieldConfig"]["defaults"]
        if not isinstance(defaults.get("color"), dict):
            defaults["color"] = {"mode": "thresholds"}
    return panels


def render_dashboard(dashboard: Dashboard, origin: str) -> bytes:
    """JSON has no comments: the generated-from note goes at the end of the description."""
    model = g.Dashboard(
        title=dashboard.title,
        uid=dashboard.uid,
        description=f"{dashboard.description} Generated by obsgen from {origin}; do not edit.",
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
    data["templating"]["list"] += [_variable(v) for v in dashboard.variables]
    data["annotations"] = {"list": [_annotation(a) for a in dashboard.annotations]}
    # orjson writes the same bytes as json.dumps(indent=2, sort_keys=True), ten times faster.
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
