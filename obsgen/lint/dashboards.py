"""Checks on Grafana dashboard JSON, after grafana/dashboard-linter's rules."""

from __future__ import annotations

import json
import re

from . import grafana, promql
from .findings import ERROR, INFO, WARNING, Collector, Finding, rule
from .sources import DashboardFile

UID = rule("dashboard/uid", WARNING, "A dashboard without a stable uid of at most 40 characters: links to it break on re-import.")
EDITABLE = rule("dashboard/editable", WARNING, "A provisioned dashboard left editable: changes made in the UI are lost on the next deploy.")
SCHEMA_VERSION = rule("dashboard/schema-version", INFO, "A dashboard older than schemaVersion 39: Grafana migrates it on every load.")
TEMPLATE_DATASOURCE = rule("dashboard/template-datasource", WARNING, "No `datasource` template variable: the dashboard is tied to one Prometheus.")
PANEL_DATASOURCE = rule("dashboard/panel-datasource", WARNING, "A panel or query whose datasource is not the ${datasource} variable.")
PANEL_TITLE = rule("dashboard/panel-title-description", WARNING, "A panel without a title or a description: the reader cannot tell what it shows.")
PANEL_UNITS = rule("dashboard/panel-units", WARNING, "A numeric panel without a unit: 0.25 may be seconds, a ratio or requests.")
PANEL_TARGETS = rule("dashboard/panel-no-targets", WARNING, "A numeric panel without queries.")
TARGET_PROMQL = rule("dashboard/target-promql", ERROR, "A query that is not valid PromQL (Grafana variables expanded first).")
TARGET_RATE_INTERVAL = rule("dashboard/target-rate-interval", WARNING, "A rate(), irate() or increase() range that is not $__rate_interval.")
TARGET_COUNTER = rule("dashboard/target-counter-without-rate", WARNING, "A query reading a counter as a value instead of through rate() or increase().")

NUMERIC_PANELS = frozenset({"timeseries", "graph", "stat", "singlestat", "gauge", "bargauge"})
MAX_UID = 40
MIN_SCHEMA_VERSION = 39
DATASOURCE_VARIABLE = re.compile(r"^\$\{?datasource(?::\w+)?\}?$")


def panels(dashboard: dict) -> list[dict]:
    """Every panel, rows' nested panels and the old rows[].panels layout included."""
    found: list[dict] = []

    def visit(items) -> None:
        for panel in items or []:
            if isinstance(panel, dict):
                found.append(panel)
                visit(panel.get("panels"))

    visit(dashboard.get("panels"))
    for row in dashboard.get("rows") or []:
        if isinstance(row, dict):
            visit(row.get("panels"))
    return found


def _uses_variable(datasource) -> bool:
    if isinstance(datasource, dict):
        datasource = datasource.get("uid")
    return isinstance(datasource, str) and bool(DATASOURCE_VARIABLE.match(datasource))


def _is_mixed(datasource) -> bool:
    value = datasource.get("uid") if isinstance(datasource, dict) else datasource
    return value in ("-- Mixed --", "-- Dashboard --")


def _unit(panel: dict) -> str | None:
    unit = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("unit")
    if not unit and panel.get("type") == "graph":
        axes = panel.get("yaxes") or [{}]
        unit = axes[0].get("format") if isinstance(axes[0], dict) else None
    if not unit and panel.get("type") == "singlestat":
        unit = panel.get("format")
    return unit or None


def _line_finder(text: str):
    """Lines of the panels' titles, in the order the panels come (an approximation: JSON
    carries no positions)."""
    start = 0

    def find(title) -> int | None:
        nonlocal start
        if not isinstance(title, str):
            return None
        for form in (json.dumps(title, ensure_ascii=False), json.dumps(title)):
            match = re.compile(r'"title"\s*:\s*' + re.escape(form)).search(text, start)
            if match:
                start = match.end()
                return text.count("\n", 0, match.start()) + 1
        return None

    return find


def _is_prometheus(target: dict) -> bool:
    datasource = target.get("datasource")
    other = isinstance(datasource, dict) and datasource.get("type") not in (None, "prometheus")
    return isinstance(target.get("expr"), str) and not other


def _prometheus_targets(panel: dict) -> list[dict]:
    return [t for t in panel.get("targets") or [] if isinstance(t, dict) and _is_prometheus(t)]


def _check_dashboard(out: Collector, dashboard: dict) -> None:
    uid = dashboard.get("uid")
    if not isinstance(uid, str) or not uid or len(uid) > MAX_UID:
        out.add(UID, f"uid {uid!r} should be set and at most {MAX_UID} characters", 1, str(dashboard.get("title", "")))
    if dashboard.get("editable", True) is not False:
        out.add(EDITABLE, "set editable: false; change the definitions instead", 1, str(dashboard.get("title", "")))
    version = dashboard.get("schemaVersion")
    if not isinstance(version, int) or version < MIN_SCHEMA_VERSION:
        out.add(SCHEMA_VERSION, f"schemaVersion {version} is older than {MIN_SCHEMA_VERSION}", 1, str(dashboard.get("title", "")))
    variables = [v for v in (dashboard.get("templating") or {}).get("list") or [] if isinstance(v, dict)]
    if not any(v.get("type") == "datasource" and v.get("name") == "datasource" and v.get("query", "prometheus") == "prometheus" for v in variables):
        out.add(TEMPLATE_DATASOURCE, "add a template variable named datasource of type datasource (query: prometheus)", 1, str(dashboard.get("title", "")))


def _check_target(out: Collector, target: dict, line, subject: str) -> None:
    expr = target["expr"]
    expanded = grafana.expand_grafana_variables(expr)
    error = promql.syntax_error(expanded)
    if error:
        reason = error.splitlines()[0]  # its caret points into the expanded query, not the one written
        out.add(TARGET_PROMQL, f"query {target.get('refId', '?')}: {reason}: {expr}", line, subject)
        return
    node = promql.tree(expanded)
    for use in promql.rate_ranges(node):
        if use.range != grafana.RATE_INTERVAL_STANDIN:
            out.add(TARGET_RATE_INTERVAL, f"query {target.get('refId', '?')}: {use.function}({use.metric or '...'}[...]) should use [$__rate_interval]", line, subject)
    for name in dict.fromkeys(promql.bare_counters(node)):
        out.add(TARGET_COUNTER, f"query {target.get('refId', '?')}: {name} is a counter; read it through rate() or increase()", line, subject)


def _check_panel(out: Collector, panel: dict, line) -> None:
    kind = panel.get("type")
    title = str(panel.get("title") or "").strip()
    subject = title or f"panel {panel.get('id')}"
    if kind == "row":
        return
    if not title or not str(panel.get("description") or "").strip():
        missing = " and ".join(w for w, v in (("title", title), ("description", str(panel.get("description") or "").strip())) if not v)
        out.add(PANEL_TITLE, f"the panel has no {missing}", line, subject)
    if kind in NUMERIC_PANELS:
        if _unit(panel) is None:
            out.add(PANEL_UNITS, f"set a unit on this {kind} panel (fieldConfig.defaults.unit)", line, subject)
        if not panel.get("targets"):
            out.add(PANEL_TARGETS, f"this {kind} panel has no queries", line, subject)
    targets = [t for t in panel.get("targets") or [] if isinstance(t, dict)]
    if targets and not _uses_variable(panel.get("datasource")):
        if not (_is_mixed(panel.get("datasource")) and all(_uses_variable(t.get("datasource")) for t in targets)):
            out.add(PANEL_DATASOURCE, f"datasource is {json.dumps(panel.get('datasource'))}; use {{\"uid\": \"${{datasource}}\"}}", line, subject)
    for target in _prometheus_targets(panel):
        _check_target(out, target, line, subject)


def check_dashboard_file(source: DashboardFile) -> list[Finding]:
    out = Collector(source.display)
    _check_dashboard(out, source.dashboard)
    find_line = _line_finder(source.text)
    for panel in panels(source.dashboard):
        _check_panel(out, panel, find_line(panel.get("title")))
    return out.findings


def target_exprs(dashboard: dict):
    """(panel title, expanded expr) of every Prometheus query on the dashboard."""
    for panel in panels(dashboard):
        for target in _prometheus_targets(panel):
            yield str(panel.get("title") or f"panel {panel.get('id')}"), grafana.expand_grafana_variables(target["expr"])
