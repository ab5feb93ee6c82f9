"""One lint run: read the files, run every check family, sort what they found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from .dashboards import check_dashboard_file
from .findings import Finding
from .links import check_links
from .routing import check_alertmanager_file
from .rules import check_rule_file
from .sources import Sources, collect


@dataclass(frozen=True)
class LintResult:
    sources: Sources
    findings: list[Finding]


def lint_sources(sources: Sources, scrape_interval: timedelta = timedelta(minutes=1)) -> list[Finding]:
    findings = list(sources.problems)
    for rule_file in sources.rules:
        findings += check_rule_file(rule_file, scrape_interval)
    for dashboard in sources.dashboards:
        findings += check_dashboard_file(dashboard)
    for config in sources.alertmanagers:
        findings += check_alertmanager_file(config, sources.rules)
    findings += check_links(sources)
    return sorted(set(findings), key=lambda f: f.sort_key)


def lint_paths(paths: list[Path], scrape_interval: timedelta = timedelta(minutes=1)) -> LintResult:
    sources = collect(paths)
    return LintResult(sources, lint_sources(sources, scrape_interval))
