"""Checks on Grafana dashboard JSON, after grafana/dashboard-linter's rules."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..artifacts.read import panels
from . import grafana, promql, semantics
from .findings import ERROR, INFO, WARNING, Collector, Finding, rule
from .sources import DashboardFile, DashboardSummary

UID = rule("dashboard/uid", INFO, "A dashboard without a stable uid of at most 40 characters: links to it break on re-import.")
DUPLICATE_UID = rule("dashboard/duplicate-uid", ERROR, "Two dashboards in the run with the same uid: Grafana provisions only one of them.")
DUPLICATE_PANEL_ID = rule("dashboard/duplicate-panel-id", WARNING, "Two panels of one dashboard with the same id: viewPanel links and alerts' dashboard_url open the wrong one.")
EDITABLE = rule("dashboard/editable", INFO, "A provisioned dashboard left editable: changes made in the UI are lost on the next deploy.")
SCHEMA_VERSION = rule("dashboard/schema-version", INFO, "A dashboard older than schemaVersion 39: Grafana migrates it on every load.")
TEMPLATE_DATASOURCE = rule("dashboard/template-datasource", INFO, "No datasource template variable (or import input): the dashboard is tied to one Prometheus.")
PANEL_DATASOURCE = rule("dashboard/panel-datasource", INFO, "A panel or query whose datasource is fixed instead of a datasource variable.")
UNDEFINED_VARIABLE = rule("dashboard/undefined-variable", WARNING, "A query or datasource uses a $variable the dashboard does not define: Grafana sends it as written.")
VARIABLE_QUERY = rule("dashboard/variable-query", WARNING, "A template variable query (label_values, query_result...) whose PromQL does not parse: the dropdown stays empty.")
JOB_INSTANCE = rule("dashboard/target-job-instance", INFO, "A query that ignores the dashboard's job or instance variable (dashboard-linter's target-job and target-instance rules).")
PANEL_TITLE = rule("dashboard/panel-title-description", INFO, "A panel without a title or a description: the reader cannot tell what it shows.")
PANEL_UNITS = rule("dashboard/panel-units", INFO, "A numeric panel without a unit: 0.25 may be seconds, a ratio or requests.")
PANEL_TARGETS = rule("dashboard/panel-no-targets", WARNING, "A numeric panel without queries.")
TARGET_PROMQL = rule("dashboard/target-promql", ERROR, "A query that is not valid PromQL (Grafana variables expanded first).")
TARGET_RATE_INTERVAL = rule("dashboard/target-rate-interval", INFO, "A rate(), irate() or increase() range that is not $__rate_interval.")
TARGET_COUNTER = rule("dashboard/target-counter-without-rate", WARNING, "A query reading a counter as a value instead of through rate() or increase(). A guess from the _total suffix alone is info.")

NUMERIC_PANELS = frozenset({"timeseries", "graph", "stat", "singlestat", "gauge", "bargauge"})
MAX_UID = 40
MIN_SCHEMA_VERSION = 39
# Grafana's own variables, always defined.
BUILTIN_VARIABLES = frozenset({
    "__interval", "__interval_ms", "__rate_interval", "__rate_interval_ms", "__range", "__range_s", "__range_ms", "__from", "__to",
    "__dashboard", "__org", "__user", "__name", "__all", "__timeFilter", "timeFilter", "__auto_interval", "__cell", "__data", "__field",
    "__series", "__value", "__url_time_range", "__timezone", "__schema", "__table", "__column", "__unixEpochFilter",
})


@dataclass(frozen=True)
class Variables:
    """The dashboard's template variables: all names, and those that name a datasource
    (with the datasource type each selects: prometheus, loki...)."""

    names: frozenset[str]
    datasources: dict[str, str]

    @classmethod
    def of(cls, dashboard: dict) -> "Variables":
        listed = [v for v in (dashboard.get("templating") or {}).get("list") or [] if isinstance(v, dict) and isinstance(v.get("name"), str)]
        inputs = [i for i in dashboard.get("__inputs") or [] if isinstance(i, dict) and isinstance(i.get("name"), str)]
        datasources = {v["name"]: str(v.get("query") or "prometheus").lower() for v in listed if v.get("type") == "datasource"}
        datasources |= {i["name"]: str(i.get("pluginId") or "prometheus").lower() for i in inputs if i.get("type") == "datasource"}
        constants = {i["name"] for i in inputs}
        return cls(frozenset(v["name"] for v in listed) | frozenset(constants), datasources)


def _variable_name(text) -> str | None:
    """The variable a whole datasource value names: $ds, ${ds}, ${ds:raw} or [[ds]]."""
    names = grafana.variables(text) if isinstance(text, str) else []
    return names[0] if len(names) == 1 and grafana.is_whole_variable(text) else None


def _datasource_value(datasource):
    return datasource.get("uid") if isinstance(datasource, dict) else datasource


def _uses_variable(datasource, variables: Variables) -> bool:
    name = _variable_name(_datasource_value(datasource))
    return name is not None and name in variables.datasources


def _is_mixed(datasource) -> bool:
    return _datasource_value(datasource) in ("-- Mixed --", "-- Dashboard --", "-- Grafana --")


def _datasource_type(datasource, variables: Variables) -> str | None:
    """prometheus, loki, ... when the datasource says or its variable selects it; None when unknown."""
    if isinstance(datasource, dict) and isinstance(datasource.get("type"), str) and not datasource["type"].startswith("$"):
        return datasource["type"].lower()
    name = _variable_name(_datasource_value(datasource))
    return variables.datasources.get(name) if name else None


def _unit(panel: dict) -> str | None:
    unit = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("unit")
    if not unit and panel.get("type") == "graph":
        axes = panel.get("yaxes") or [{}]
        unit = axes[0].get("format") if isinstance(axes[0], dict) else None
    if not unit and panel.get("type") == "singlestat":
        unit = panel.get("format")
    return unit or None


TITLE_KEY = re.compile(r'"title"\s*:\s*')


def _line_finder(text: str):
    """Lines of the panels' titles, in the order the panels come (an approximation: JSON
    carries no positions). Each search starts where the last one ended and lines are
    counted from there: a dashboard of thousands of panels is read once, not once a panel."""
    start, counted, line = 0, 0, 1

    def search(form: str) -> tuple[int, int] | None:
        for key in TITLE_KEY.finditer(text, start):
            if text.startswith(form, key.end()):
                return key.start(), key.end() + len(form)
        return None

    def find(title) -> int | None:
        nonlocal start, counted, line
        if not isinstance(title, str):
            return None
        forms = dict.fromkeys((json.dumps(title, ensure_ascii=False), json.dumps(title)))
        for form in forms:
            match = search(form)
            if match:
                line += text.count("\n", counted, match[0])
                counted, start = match
                return line
        return None

    return find


def _prometheus_targets(panel: dict, variables: Variables) -> list[dict]:
    """The panel's PromQL queries: targets with an expr whose datasource is (or may be) Prometheus."""
    panel_type = _datasource_type(panel.get("datasource"), variables)
    found = []
    for target in panel.get("targets") or []:
        if not isinstance(target, dict) or not isinstance(target.get("expr"), str) or not target["expr"].strip():
            continue
        kind = _datasource_type(target.get("datasource"), variables) if target.get("datasource") else panel_type
        if kind in (None, "prometheus"):
            found.append(target)
    return found


def _check_dashboard(out: Collector, dashboard: dict, variables: Variables) -> None:
    title = str(dashboard.get("title", ""))
    uid = dashboard.get("uid")
    if not isinstance(uid, str) or not uid or len(uid) > MAX_UID:
        out.add(UID, f"uid {uid!r} should be set and at most {MAX_UID} characters", 1, title)
    if dashboard.get("editable", True) is not False:
        out.add(EDITABLE, "set editable: false; change the definitions instead", 1, title)
    version = dashboard.get("schemaVersion")
    if not isinstance(version, int) or version < MIN_SCHEMA_VERSION:
        out.add(SCHEMA_VERSION, f"schemaVersion {version} is older than {MIN_SCHEMA_VERSION}", 1, title)
    if not any(kind == "prometheus" for kind in variables.datasources.values()):
        out.add(TEMPLATE_DATASOURCE, "add a template variable of type datasource (query: prometheus)", 1, title)
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        if isinstance(variable, dict) and variable.get("type") == "query" and _datasource_type(variable.get("datasource"), variables) in (None, "prometheus"):
            query = variable.get("query")
            query = query.get("query") if isinstance(query, dict) else query
            problem = grafana.variable_query_problem(query) if isinstance(query, str) else None
            if problem:
                out.add(VARIABLE_QUERY, f"variable {variable.get('name')}: {problem}", 1, title)


def _check_target(out: Collector, target: dict, line, subject: str, variables: Variables, facts: semantics.RunFacts) -> None:
    expr = target["expr"]
    query = f"query {target.get('refId', '?')}"
    undefined = [n for n in dict.fromkeys(grafana.variables(expr)) if n not in variables.names and n not in BUILTIN_VARIABLES and not n.isdigit()]
    for name in undefined:
        out.add(UNDEFINED_VARIABLE, f"{query} uses ${name}, which the dashboard does not define", line, subject)
    expanded = grafana.expand_grafana_variables(expr)
    error = promql.syntax_error(expanded)
    if error:
        reason = error.splitlines()[0]  # its caret points into the expanded query, not the one written
        out.add(TARGET_PROMQL, f"{query}: {reason}: {expr}", line, subject)
        return
    node = promql.tree(expanded)
    if node is None:
        return
    for use in promql.rate_ranges(node):
        if use.range != grafana.RATE_INTERVAL_STANDIN:
            out.add(TARGET_RATE_INTERVAL, f"{query}: {use.function}({use.metric or '...'}[...]) should use [$__rate_interval]", line, subject)
    for which, message, severity in semantics.check_counters(node, facts):
        out.add(TARGET_COUNTER, f"{query}: {message}", line, subject, severity=severity)
    for which, message, severity in [*semantics.check_selectors(node), *semantics.check_joins(node), *semantics.check_histograms(node, False)]:
        out.add(which, f"{query}: {message}", line, subject, severity=severity)
    used = set(grafana.variables(expr))
    for label in ("job", "instance"):
        if label in variables.names and label not in used:
            out.add(JOB_INSTANCE, f"{query} does not filter on {label}=~\"${label}\" although the dashboard has a {label} variable", line, subject)


def _check_panel(out: Collector, panel: dict, line, variables: Variables, facts: semantics.RunFacts) -> None:
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
    datasources = [panel.get("datasource")] + [t.get("datasource") for t in panel.get("targets") or [] if isinstance(t, dict) and t.get("datasource")]
    for datasource in datasources:
        name = _variable_name(_datasource_value(datasource))
        if name is not None and name not in variables.names and name not in BUILTIN_VARIABLES:
            out.add(UNDEFINED_VARIABLE, f"datasource ${name} is not a variable of the dashboard", line, subject)
    targets = _prometheus_targets(panel, variables)
    if targets and not _uses_variable(panel.get("datasource"), variables):
        if not (_is_mixed(panel.get("datasource")) and all(_uses_variable(t.get("datasource"), variables) for t in targets)):
            out.add(PANEL_DATASOURCE, f"datasource is {json.dumps(panel.get('datasource'))}; use a datasource variable such as {{\"uid\": \"${{datasource}}\"}}", line, subject)
    for target in targets:
        _check_target(out, target, line, subject, variables, facts)


def check_dashboard_file(source: DashboardFile, facts: semantics.RunFacts | None = None) -> list[Finding]:
    out = Collector(source.display)
    facts = facts or semantics.RunFacts()
    variables = Variables.of(source.dashboard)
    _check_dashboard(out, source.dashboard, variables)
    find_line = _line_finder(source.text)
    ids: dict[object, str] = {}
    for panel in panels(source.dashboard):
        line = find_line(panel.get("title"))
        _check_panel(out, panel, line, variables, facts)
        pid = panel.get("id")
        if pid is not None and not isinstance(pid, (dict, list)):
            if pid in ids:
                out.add(DUPLICATE_PANEL_ID, f"panel id {pid} is also used by {ids[pid]!r}", line, str(panel.get("title") or f"panel {pid}"))
            else:
                ids[pid] = str(panel.get("title") or f"panel {pid}")
    return out.findings


def check_dashboard_uids(dashboards: list[DashboardSummary]) -> list[Finding]:
    first: dict[str, str] = {}
    findings = []
    for source in dashboards:
        uid = source.uid
        if not isinstance(uid, str) or not uid:
            continue
        if uid in first:
            findings.append(Finding(DUPLICATE_UID.id, DUPLICATE_UID.severity, source.display, f"uid {uid!r} is also the uid of {first[uid]}", 1, source.title))
        else:
            first[uid] = source.display
    return findings


def target_exprs(dashboard: dict):
    """(panel title, expanded expr) of every Prometheus query on the dashboard."""
    variables = Variables.of(dashboard)
    for panel in panels(dashboard):
        for target in _prometheus_targets(panel, variables):
            yield str(panel.get("title") or f"panel {panel.get('id')}"), grafana.expand_grafana_variables(target["expr"])
