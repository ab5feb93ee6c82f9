"""The files a lint run reads: found under the given paths, read once by the artifacts
reader (obsgen.artifacts.read), sorted by kind.

Typed values keep the line they start on, so a finding points at the rule, route or
receiver it is about; the reader's problems (what promtool or amtool would refuse, each
with its line and kind) travel with each file and become errors in rules.py and
routing.py. Files of kinds the linter has no checks for (promtool tests, routing tests,
provisioning) are recognised from their first key without being parsed, and counted in
the summary as skipped; any other file is reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..artifacts import AlertmanagerConfig
from ..artifacts import RuleFile as Rules
from ..artifacts.read import ALERTMANAGER, DASHBOARD, PROVISIONING, RULES, Problem, panels, read_artifact
from ..promql.functions import Version
from .findings import ERROR, INFO, WARNING, Finding, rule
from .secrets import check_secrets

UNREADABLE = rule("input/unreadable", ERROR, "A file that is not valid YAML, JSON or text: nothing in it can be checked.")
UNRECOGNISED = rule(
    "input/unrecognised", WARNING, "A file that is not a rule file, Alertmanager config, dashboard, Markdown document or a known kind of test or provisioning file."
)
DUPLICATE_KEY = rule("input/duplicate-key", ERROR, "A YAML key written twice in one mapping: promtool and amtool refuse the file (PyYAML silently keeps the last).")

# First keys of files obsgen lint knows and has no checks for: kind, as the summary names it.
SKIPPED_KINDS = {"rule_files": "promtool tests", "evaluation_interval": "promtool tests", "tests": "promtool tests",
                 "cases": "routing tests", "providers": "provisioning", "datasources": "provisioning"}

YAML_SUFFIXES = (".yml", ".yaml")


def first_key(text: str) -> str | None:
    """The first top-level key of a YAML or JSON document, read without parsing it."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "---")):
            continue
        if line.startswith("{"):
            line = line[1:].strip()
            if not line:
                continue
        if line.startswith('"'):
            end = line.find('"', 1)
            return line[1:end] if end > 0 else None
        if raw[:1] in (" ", "\t") or ":" not in line:
            return None
        return line.split(":", 1)[0].strip()
    return None


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclass(frozen=True)
class Source:
    path: Path
    display: str
    text: str


@dataclass(frozen=True)
class RuleFile(Source):
    rules: Rules  # what the reader could read: rules too broken to check further are left out
    problems: tuple[Problem, ...] = ()  # why Prometheus would refuse the file


@dataclass(frozen=True)
class AlertmanagerFile(Source):
    config: AlertmanagerConfig | None
    problems: tuple[Problem, ...] = ()  # why Alertmanager would refuse the file


@dataclass(frozen=True)
class DashboardFile(Source):
    dashboard: dict


@dataclass(frozen=True)
class DashboardSummary:
    """What the checks across files need of a dashboard once its own checks are done: its
    parsed tree is let go (all of them at once were most of a large run's memory)."""

    display: str
    uid: object
    title: str
    panel_ids: frozenset[str]
    links: tuple[tuple[object, str], ...]  # (url, the dashboard's or panel's title) of every link

    @classmethod
    def of(cls, source: DashboardFile) -> "DashboardSummary":
        dashboard = source.dashboard
        title = str(dashboard.get("title", ""))
        found = [(link.get("url"), title) for link in dashboard.get("links") or [] if isinstance(link, dict)]
        for panel in panels(dashboard):
            found += [(link.get("url"), str(panel.get("title", ""))) for link in panel.get("links") or [] if isinstance(link, dict)]
        return cls(source.display, dashboard.get("uid"), title, frozenset(str(p.get("id")) for p in panels(dashboard)), tuple(found))


@dataclass(frozen=True)
class MarkdownFile(Source):
    pass


@dataclass
class Sources:
    rules: list[RuleFile] = field(default_factory=list)
    alertmanagers: list[AlertmanagerFile] = field(default_factory=list)
    dashboards: list[DashboardSummary] = field(default_factory=list)  # those read so far (read_dashboards)
    markdown: list[MarkdownFile] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # kind -> files recognised but not checked
    pending: list[tuple[Path, bool]] = field(default_factory=list)  # JSON files, read by read_dashboards
    versions: tuple[Version, Version] = ((0, 0), (0, 0))  # the Prometheus and Alertmanager the files are read as

    def read_dashboards(self) -> Iterator[DashboardFile]:
        """The JSON files, read and classified one at a time, each dashboard yielded to be
        checked and then kept only as its summary."""
        pending, self.pending = self.pending, []
        for path, named in pending:
            dashboard = _classify(path, named, self, *self.versions)
            if dashboard is not None:
                self.dashboards.append(DashboardSummary.of(dashboard))
                yield dashboard

    @property
    def count(self) -> int:
        return len(self.rules) + len(self.alertmanagers) + len(self.dashboards) + len(self.markdown)


def _classify(path: Path, named: bool, found: Sources, prometheus: Version, alertmanager: Version) -> DashboardFile | None:
    """Read one file into `found`; a dashboard is returned instead, for the caller to check."""
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        found.problems.append(Finding(UNREADABLE.id, UNREADABLE.severity, display, f"cannot read: {exc}"))
        return None
    suffix = path.suffix.lower()
    found.problems += check_secrets(display, text, structured=suffix != ".md")
    if suffix == ".md":
        found.markdown.append(MarkdownFile(path, display, text))
        return None
    kind = SKIPPED_KINDS.get(first_key(text[:4096]) or "")
    if kind is not None:
        found.skipped[kind] = found.skipped.get(kind, 0) + 1
        return None
    read = read_artifact(path.name, text, prometheus=prometheus, alertmanager=alertmanager)
    if read.kind == RULES and isinstance(read.value, Rules):
        found.rules.append(RuleFile(path, display, text, read.value, read.problems))
    elif read.kind == ALERTMANAGER:
        found.alertmanagers.append(AlertmanagerFile(path, display, text, read.value, read.problems))
    elif read.kind == DASHBOARD and read.value is not None:
        return DashboardFile(path, display, text, read.value.data)
    elif read.kind == PROVISIONING:
        found.skipped["provisioning"] = found.skipped.get("provisioning", 0) + 1
    elif read.problems:  # not YAML or JSON, or a document that is a single value
        problem = read.problems[0]
        found.problems.append(Finding(UNREADABLE.id, UNREADABLE.severity, display, problem.message, problem.line))
    else:
        found.problems.append(
            Finding(UNRECOGNISED.id, UNRECOGNISED.severity if named else INFO, display, "not a rule file, Alertmanager config, dashboard or Markdown document; nothing checked")
        )
    return None


# generated/<system>/export/<target>/: the system's artifacts again, in a deployment target's
# form (obsgen export); walking a system's folder passes it by, so each rule is linted once
# and a dangling reference is not answered by its own copy. Name the folder to lint it.
EXPORTS = "export"


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        exports_here = "alertmanager.yml" in names
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (exports_here and d == EXPORTS))
        files += [Path(root) / n for n in sorted(names) if n.lower().endswith(YAML_SUFFIXES + (".json", ".md"))]
    return files


def collect(paths: list[Path], prometheus: Version, alertmanager: Version) -> Sources:
    """Every lintable file under `paths` (folders are walked), each read once, as these versions would.
    JSON files are left for Sources.read_dashboards, which reads them when the rules are known."""
    found = Sources(versions=(prometheus, alertmanager))
    seen: set[Path] = set()
    for given in paths:
        for path, named in ([(p, False) for p in _walk(given)] if given.is_dir() else [(given, True)]):
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                if path.name.lower().endswith(".json"):
                    found.pending.append((path, named))
                else:
                    _classify(path, named, found, prometheus, alertmanager)
    return found
