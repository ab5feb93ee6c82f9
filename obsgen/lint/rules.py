"""Checks on Prometheus rule files: PromQL, alert semantics, templates, mixin conventions."""

from __future__ import annotations

import re
from datetime import timedelta

from ..model.durations import format_duration
from . import promql, templates
from .findings import ERROR, WARNING, Collector, Finding, rule
from .sources import RuleFile, line_of

STRUCTURE = rule("rules/structure", ERROR, "A group or rule Prometheus cannot load: no name, no expr, or neither alert nor record.")
SYNTAX = rule("promql/syntax", ERROR, "An expression promql-parser cannot parse: Prometheus rejects the whole file.")
COUNTER = rule("promql/counter-without-rate", WARNING, "A counter read as a value instead of through rate() or increase(): it only goes up, and resets.")
RATE_RANGE = rule("promql/rate-range-too-short", WARNING, "A rate(), irate() or increase() range shorter than 4 scrape intervals: gaps and jitter make it empty or noisy.")
NO_COMPARISON = rule("alerts/no-comparison", WARNING, "An alert expression without a comparison: every series it returns fires, all the time.")
VALUE_IN_LABELS = rule("alerts/value-in-labels", ERROR, "$value in an alert label: every new value makes a new alert, which resolves the old one.")
TEMPLATE = rule("alerts/template-syntax", ERROR, "A label or annotation template Prometheus cannot parse (syntax, unknown variable or function).")
ALERT_NAME = rule("mixin/alert-name", WARNING, "An alert name that is not CamelCase or is longer than 40 characters.")
SEVERITY = rule("mixin/severity", WARNING, "An alert without a severity label of critical, warning or info: what Alertmanager routes on.")
SUMMARY = rule("mixin/summary", WARNING, "An alert without a static summary annotation that ends with a period.")
DESCRIPTION = rule("mixin/description", WARNING, "An alert without a description annotation templated with its labels or value.")
RUNBOOK = rule("mixin/runbook-url", WARNING, "An alert without a runbook_url annotation: the on-call has nowhere to start.")
RECORD_NAME = rule("mixin/record-name", WARNING, "A recording rule not named level:metric:operations.")

ALERT_NAME_PATTERN = re.compile(r"[A-Z][A-Za-z0-9]*")
RECORD_NAME_PATTERN = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+")
MAX_ALERT_NAME = 40
SEVERITIES = ("critical", "warning", "info")
MIN_SCRAPES_PER_RATE = 4


def _text_map(value) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _check_expr(out: Collector, expr: str, line, subject: str, scrape_interval: timedelta, alert: bool) -> None:
    error = promql.syntax_error(expr)
    if error:
        out.add(SYNTAX, error, line, subject)
        return
    node = promql.tree(expr)
    for name in dict.fromkeys(promql.bare_counters(node)):
        out.add(COUNTER, f"{name} is a counter; read it through rate() or increase()", line, subject)
    for use in promql.rate_ranges(node):
        if use.range < scrape_interval * MIN_SCRAPES_PER_RATE:
            out.add(
                RATE_RANGE,
                f"{use.function}({use.metric or '...'}[{_duration(use.range)}]) covers fewer than {MIN_SCRAPES_PER_RATE} scrapes "
                f"at a {_duration(scrape_interval)} scrape interval; use at least [{_duration(scrape_interval * MIN_SCRAPES_PER_RATE)}]",
                line, subject,
            )
    if alert and not promql.filters(node):
        out.add(NO_COMPARISON, "the expression has no comparison, so every series it returns is a firing alert", line, subject)


def _check_alert_conventions(out: Collector, name: str, labels: dict, annotations: dict, line) -> None:
    if not ALERT_NAME_PATTERN.fullmatch(name) or len(name) > MAX_ALERT_NAME:
        out.add(ALERT_NAME, f"alert name {name!r} should be CamelCase and at most {MAX_ALERT_NAME} characters (it has {len(name)})", line, name)
    severity = labels.get("severity")
    if severity not in SEVERITIES:
        got = f"is {severity!r}" if severity is not None else "is missing"
        out.add(SEVERITY, f"the severity label {got}; use one of {', '.join(SEVERITIES)}", line, name)
    summary = annotations.get("summary")
    if summary is None:
        out.add(SUMMARY, "no summary annotation", line, name)
    elif "{{" in summary or not summary.rstrip().endswith("."):
        out.add(SUMMARY, "the summary should be a static sentence ending with a period (details go in the description)", line, name)
    description = annotations.get("description")
    if description is None:
        out.add(DESCRIPTION, "no description annotation", line, name)
    elif "{{" not in description:
        out.add(DESCRIPTION, "the description is static; template it with $labels and $value", line, name)
    if not annotations.get("runbook_url"):
        out.add(RUNBOOK, "no runbook_url annotation", line, name)


def _check_templates(out: Collector, name: str, labels: dict, annotations: dict, line) -> None:
    for kind, values in (("label", labels), ("annotation", annotations)):
        for key, text in values.items():
            error = templates.template_error(text)
            if error:
                out.add(TEMPLATE, f"{kind} {key}: {error}", line, name)
    for key, text in labels.items():
        if templates.uses_value(text):
            out.add(VALUE_IN_LABELS, f"label {key} uses the sample value; put it in an annotation", line, name)


def _check_rule(out: Collector, item, scrape_interval: timedelta) -> None:
    line = line_of(item)
    if not isinstance(item, dict):
        out.add(STRUCTURE, "a rule must be a mapping", line)
        return
    alert, record = item.get("alert"), item.get("record")
    subject = str(alert or record or "")
    if bool(alert) == bool(record):
        out.add(STRUCTURE, "a rule needs exactly one of alert: and record:", line, subject)
        return
    expr = item.get("expr")
    if not isinstance(expr, (str, int, float)) or not str(expr).strip():
        out.add(STRUCTURE, "the rule has no expr", line, subject)
        return
    _check_expr(out, str(expr), line, subject, scrape_interval, alert=bool(alert))
    if record:
        if not RECORD_NAME_PATTERN.fullmatch(str(record)):
            out.add(RECORD_NAME, f"{record!r} should be named level:metric:operations", line, subject)
        return
    labels, annotations = _text_map(item.get("labels")), _text_map(item.get("annotations"))
    _check_templates(out, subject, labels, annotations, line)
    _check_alert_conventions(out, subject, labels, annotations, line)


def check_rule_file(source: RuleFile, scrape_interval: timedelta) -> list[Finding]:
    out = Collector(source.display)
    for group in source.groups:
        if not isinstance(group, dict) or not group.get("name") or not isinstance(group.get("rules", []), list):
            out.add(STRUCTURE, "a rule group needs a name and a list of rules", line_of(group))
            continue
        for item in group.get("rules") or []:
            _check_rule(out, item, scrape_interval)
    return out.findings


def _duration(value: timedelta) -> str:
    return format_duration(int(value.total_seconds()))


def alert_rules(source: RuleFile):
    """(alert name, labels, annotations, line) of every alerting rule in the file."""
    for group in source.groups:
        if not isinstance(group, dict):
            continue
        for item in group.get("rules") or []:
            if isinstance(item, dict) and item.get("alert"):
                yield str(item["alert"]), _text_map(item.get("labels")), _text_map(item.get("annotations")), line_of(item)


def rule_exprs(source: RuleFile):
    """(name, expr, line) of every rule in the file."""
    for group in source.groups:
        if not isinstance(group, dict):
            continue
        for item in group.get("rules") or []:
            if isinstance(item, dict) and item.get("expr") is not None:
                yield str(item.get("alert") or item.get("record") or ""), str(item["expr"]), line_of(item)


def recorded_names(source: RuleFile) -> set[str]:
    return {
        str(item["record"])
        for group in source.groups if isinstance(group, dict)
        for item in group.get("rules") or [] if isinstance(item, dict) and item.get("record")
    }
