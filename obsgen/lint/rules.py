"""Checks on Prometheus rule files: what promtool refuses (the artifacts reader's problems,
as errors), PromQL, alert semantics (pint's offline checks), templates, mixin conventions."""

from __future__ import annotations

import re
from datetime import timedelta

from ..artifacts import AlertingRule, RecordingRule
from ..artifacts.read import nodes as problem
from ..model.durations import format_duration
from ..promql import Aggregate, Call, Node, Selector
from ..promql.functions import problem as function_problem
from . import promql, semantics, templates
from .findings import ERROR, INFO, WARNING, Collector, Finding, Rule, rule
from .settings import Settings
from .sources import DUPLICATE_KEY, RuleFile

STRUCTURE = rule("rules/structure", ERROR, "A group or rule Prometheus cannot load: no name, no expr, neither alert nor record, or a value of the wrong kind.")
UNKNOWN_KEY = rule("rules/unknown-key", ERROR, "A key promtool does not know (often a misspelling such as annotaions:), or not in this Prometheus version: Prometheus refuses the file.")
DURATION = rule("rules/duration", ERROR, "A for, keep_firing_for, interval or query_offset that is not a Prometheus duration such as 5m or 1h30m.")
DUPLICATE_GROUP = rule("rules/duplicate-group", ERROR, "Two groups with the same name in one file: Prometheus refuses the file.")
LABEL_NAME = rule("rules/label-name", ERROR, "A label or annotation name Prometheus rejects (team-name in 2.x; __name__ as a rule label).")
RECORD_NAME_INVALID = rule("rules/record-name", ERROR, "A recording rule whose name is not a valid metric name, or that has for, keep_firing_for or annotations.")
# The reader's problem codes (obsgen.artifacts.read) as lint rules.
PROBLEMS: dict[str, Rule] = {
    problem.UNKNOWN_KEY: UNKNOWN_KEY, problem.DURATION: DURATION, problem.DUPLICATE_GROUP: DUPLICATE_GROUP,
    problem.LABEL_NAME: LABEL_NAME, problem.RECORD_NAME: RECORD_NAME_INVALID, problem.DUPLICATE_KEY: DUPLICATE_KEY,
}

SYNTAX = rule("promql/syntax", ERROR, "An expression promql-parser cannot parse: Prometheus rejects the whole file.")
FUNCTION_VERSION = rule("promql/function-version", ERROR, "A function this Prometheus version does not have, or only behind a feature flag (--prometheus-version, --enable-feature).")
RATE_RANGE = rule("promql/rate-range-too-short", WARNING, "A rate(), irate() or increase() range shorter than 2 scrape intervals of --scrape-interval: it returns nothing. Under 4, or with the interval assumed (1m), info.")
NO_COMPARISON = rule("alerts/no-comparison", WARNING, "An alert expression without a comparison: every series it returns fires, all the time.")
VALUE_IN_LABELS = rule("alerts/value-in-labels", ERROR, "$value in an alert label: every new value makes a new alert, which resolves the old one.")
TEMPLATE = rule("alerts/template-syntax", ERROR, "A label or annotation template Prometheus cannot parse (syntax, unknown variable or function).")
DUPLICATE_RULE = rule("rules/duplicate-rule", WARNING, "The same rule (name, expression and labels) twice in one folder: duplicate series or notifications.")
ALERT_NAME = rule("mixin/alert-name", INFO, "An alert name that is not CamelCase or is longer than 40 characters (mixin convention).")
SEVERITY = rule("mixin/severity", INFO, "An alert without a severity label of critical, warning or info (mixin convention: what Alertmanager routes on).")
SUMMARY = rule("mixin/summary", INFO, "An alert without a static summary annotation that ends with a period (mixin convention).")
DESCRIPTION = rule("mixin/description", INFO, "An alert without a description annotation templated with its labels or value (mixin convention).")
RUNBOOK = rule("mixin/runbook-url", INFO, "An alert without a runbook_url annotation: the on-call has nowhere to start (mixin convention).")
RECORD_NAME = rule("mixin/record-name", INFO, "A recording rule not named level:metric:operations (mixin convention).")

ALERT_NAME_PATTERN = re.compile(r"[A-Z][A-Za-z0-9]*")
RECORD_NAME_PATTERN = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+")
MAX_ALERT_NAME = 40
SEVERITIES = ("critical", "warning", "info")
MIN_SCRAPES_PER_RATE = 4


def _functions(out: Collector, node: Node, settings: Settings, line, subject: str) -> None:
    nodes = [n for n, _ in promql.walked(node)]
    used = {n.func for n in nodes if isinstance(n, Call)} | {n.op for n in nodes if isinstance(n, Aggregate)}
    for name in sorted(used):
        why = function_problem(name, settings.prometheus, settings.features)
        if why:
            out.add(FUNCTION_VERSION, why, line, subject)


def _rate_ranges(out: Collector, node: Node, line, subject: str, scrape_interval: timedelta, known_interval: bool) -> None:
    for use in promql.rate_ranges(node):
        if use.range >= scrape_interval * MIN_SCRAPES_PER_RATE:
            continue
        empty = use.range < scrape_interval * 2 and known_interval
        out.add(
            RATE_RANGE,
            f"{use.function}({use.metric or '...'}[{_duration(use.range)}]) covers {'fewer than 2 scrapes, so it is empty' if empty else f'fewer than {MIN_SCRAPES_PER_RATE} scrapes'} "
            f"at a {_duration(scrape_interval)} scrape interval (--scrape-interval); use at least [{_duration(scrape_interval * MIN_SCRAPES_PER_RATE)}]",
            line, subject, severity=None if empty else INFO,
        )


def _semantic(out: Collector, found, line, subject: str) -> None:
    for which, message, severity in found:
        out.add(which, message, line, subject, severity=severity)


def _check_expr(out: Collector, item: AlertingRule | RecordingRule, settings: Settings, facts: semantics.RunFacts) -> None:
    expr, line, subject = item.expr, item.line, item.name
    alert = isinstance(item, AlertingRule)
    node = promql.tree(expr)
    if node is None:
        out.add(SYNTAX, promql.syntax_error(expr) or "cannot parse the expression", line, subject)
        return
    _functions(out, node, settings, line, subject)
    _rate_ranges(out, node, line, subject, settings.scrape_interval, settings.scrape_interval_given)
    found = [
        *semantics.check_counters(node, facts), *semantics.check_rates(node, facts), *semantics.check_joins(node),
        *semantics.check_selectors(node), *semantics.check_histograms(node, alert), *semantics.check_fragile(node, alert),
    ]
    if isinstance(item, AlertingRule):
        labels, annotations = dict(item.labels), dict(item.annotations)
        texts = {**{f"label {k}": v for k, v in labels.items()}, **{f"annotation {k}": v for k, v in annotations.items()}}
        found += semantics.check_template_labels(node, labels, texts)
        found += semantics.check_comparisons(node)
        if not promql.filters(node):
            # A selector that picks series by their labels alerts on their existence, by design.
            chosen = isinstance(node, Selector) and any(m.name not in ("job", "__name__") for m in node.matchers)
            out.add(NO_COMPARISON, "the expression has no comparison, so every series it returns is a firing alert", line, subject, severity=INFO if chosen else None)
        if (item.for_ or "0") in ("0", "0s", "0m", "0h"):  # an invalid for: is a rules/duration error, not a missing one
            found += semantics.check_for(node)
    _semantic(out, found, line, subject)


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


def check_rule_file(source: RuleFile, settings: Settings, facts: semantics.RunFacts | None = None) -> list[Finding]:
    out = Collector(source.display)
    facts = facts or semantics.RunFacts()
    for found in source.problems:
        out.add(PROBLEMS.get(found.code, STRUCTURE), f"{found.where}: {found.message}" if found.where and found.code == problem.STRUCTURE else found.message,
                found.line, found.subject)
    for item in source.rules.rules:
        _check_expr(out, item, settings, facts)
        if isinstance(item, RecordingRule):
            if not RECORD_NAME_PATTERN.fullmatch(item.record):
                out.add(RECORD_NAME, f"{item.record!r} should be named level:metric:operations", item.line, item.name)
            continue
        labels, annotations = dict(item.labels), dict(item.annotations)
        _check_templates(out, item.name, labels, annotations, item.line)
        _check_alert_conventions(out, item.name, labels, annotations, item.line)
    return out.findings


def _duration(value: timedelta) -> str:
    return format_duration(int(value.total_seconds()))


def alert_rules(source: RuleFile):
    """(alert name, labels, annotations, line) of every alerting rule in the file."""
    for item in source.rules.alerting:
        yield item.alert, dict(item.labels), dict(item.annotations), item.line


def rule_exprs(source: RuleFile):
    """(name, expr, line) of every rule in the file."""
    for item in source.rules.rules:
        yield item.name, item.expr, item.line


def recorded_names(source: RuleFile) -> set[str]:
    return {item.record for item in source.rules.recording}


def run_facts(sources: list[RuleFile], types: dict[str, str]) -> semantics.RunFacts:
    facts = semantics.RunFacts(types=dict(types))
    for source in sources:
        for item in source.rules.recording:
            node = promql.tree(item.expr)
            if node is not None:
                facts.recorded.setdefault(item.record, node)
    return facts


def check_duplicates(sources: list[RuleFile]) -> list[Finding]:
    """The same rule twice among the rule files of one folder (what one Prometheus loads together)."""
    seen: dict[tuple, tuple[str, int | None]] = {}
    findings = []
    for source in sources:
        folder = source.path.resolve().parent
        for item in source.rules.rules:
            node = promql.tree(item.expr)
            labels = tuple(sorted(item.labels.items()))
            kind = "record" if isinstance(item, RecordingRule) else "alert"
            key = (folder, kind, item.name, str(node) if node is not None else item.expr, labels)
            first = seen.setdefault(key, (source.display, item.line))
            if first != (source.display, item.line):
                findings.append(Finding(DUPLICATE_RULE.id, DUPLICATE_RULE.severity, source.display,
                                        f"{kind} {item.name} is already defined at {first[0]}:{first[1]} with the same expression and labels", item.line, item.name))
    return findings
