"""One lint run: read the files, run every check family, sort what they found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import promql, suppress
from .dashboards import check_dashboard_file, check_dashboard_uids
from .findings import Finding
from .links import check_dashboard_metrics, check_links, recorded_in
from .routing import LITERAL_SECRET, check_alertmanager_file
from .rules import check_duplicates, check_rule_file, run_facts
from .secrets import CREDENTIAL
from .settings import Settings
from .sources import Sources, collect


@dataclass(frozen=True)
class LintResult:
    sources: Sources
    findings: list[Finding]


def lint_sources(sources: Sources, settings: Settings | None = None) -> list[Finding]:
    settings = settings or Settings()
    findings: list[Finding] = []
    facts = run_facts(sources.rules, settings.metric_types)
    for rule_file in sources.rules:
        findings += check_rule_file(rule_file, settings, facts)
    findings += check_duplicates(sources.rules)
    recorded = recorded_in(sources.rules)
    for dashboard in sources.read_dashboards():  # one parsed dashboard in memory at a time
        findings += check_dashboard_file(dashboard, facts)
        findings += check_dashboard_metrics(dashboard, recorded)
    findings += sources.problems  # the dashboards' reading problems among them
    findings += check_dashboard_uids(sources.dashboards)
    for config in sources.alertmanagers:
        findings += check_alertmanager_file(config, sources.rules, settings)
    findings += check_links(sources)
    findings = suppress.apply(_one_secret_per_line(findings), sources.rules)
    promql.forget()
    return sorted(set(findings), key=lambda f: f.sort_key)


def lint_paths(paths: list[Path], settings: Settings | None = None) -> LintResult:
    settings = settings or Settings()
    sources = collect(paths, settings.prometheus, settings.alertmanager)
    return LintResult(sources, lint_sources(sources, settings))


def _one_secret_per_line(findings: list[Finding]) -> list[Finding]:
    """A secret field in an Alertmanager config is found twice: by the routing check, which
    names the field, and by the text scan every file gets. Keep the routing check's."""
    named = {(f.path, f.line) for f in findings if f.rule == LITERAL_SECRET.id}
    return [f for f in findings if not (f.rule == CREDENTIAL.id and (f.path, f.line) in named)]
