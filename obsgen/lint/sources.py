"""The files a lint run reads: found under the given paths, parsed once, sorted by kind.

YAML mappings keep the line they start on (`line_of`), so a finding points at the rule,
route or receiver it is about. Files of kinds the linter has no checks for (promtool
tests, routing tests, provisioning) are skipped quietly when found in a folder, and
reported when named on the command line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .findings import ERROR, WARNING, Finding, rule

UNREADABLE = rule("input/unreadable", ERROR, "A file that is not valid YAML, JSON or text: nothing in it can be checked.")
UNRECOGNISED = rule(
    "input/unrecognised", WARNING, "A file named on the command line that is not a rule file, Alertmanager config, dashboard or Markdown document."
)

YAML_SUFFIXES = (".yml", ".yaml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A YAML mapping that remembers the line it starts on (1-based)."""

    line: int | None = None


class _LineLoader(_Loader):  # type: ignore[misc, valid-type]
    pass


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_yaml(text: str):
    return yaml.load(text, Loader=_LineLoader)


def line_of(value) -> int | None:
    return getattr(value, "line", None)


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
    groups: list


@dataclass(frozen=True)
class AlertmanagerFile(Source):
    config: dict


@dataclass(frozen=True)
class DashboardFile(Source):
    dashboard: dict


@dataclass(frozen=True)
class MarkdownFile(Source):
    pass


@dataclass
class Sources:
    rules: list[RuleFile] = field(default_factory=list)
    alertmanagers: list[AlertmanagerFile] = field(default_factory=list)
    dashboards: list[DashboardFile] = field(default_factory=list)
    markdown: list[MarkdownFile] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rules) + len(self.alertmanagers) + len(self.dashboards) + len(self.markdown)


def rule_groups(data) -> list | None:
    """Rule groups of a Prometheus rule file or a prometheus-operator PrometheusRule."""
    if not isinstance(data, dict):
        return None
    for holder in (data, data.get("spec")):
        if isinstance(holder, dict) and isinstance(holder.get("groups"), list):
            return holder["groups"]
    return None


def _is_alertmanager(data) -> bool:
    return isinstance(data, dict) and ("route" in data or "receivers" in data) and "groups" not in data


def _dashboard(data) -> dict | None:
    """The dashboard model of a file: plain, or wrapped as the HTTP API exports it."""
    if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
        data = data["dashboard"]
    if isinstance(data, dict) and ("panels" in data or "rows" in data) and ("title" in data or "uid" in data):
        return data
    return None


def _classify(path: Path, named: bool, found: Sources) -> None:
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        found.problems.append(Finding(UNREADABLE.id, UNREADABLE.severity, display, f"cannot read: {exc}"))
        return
    suffix = path.suffix.lower()
    if suffix == ".md":
        found.markdown.append(MarkdownFile(path, display, text))
        return
    try:
        data = json.loads(text) if suffix == ".json" else load_yaml(text)
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        line = line + 1 if line is not None else getattr(exc, "lineno", None)
        found.problems.append(Finding(UNREADABLE.id, UNREADABLE.severity, display, f"not valid {'JSON' if suffix == '.json' else 'YAML'}: {str(exc).splitlines()[0]}", line))
        return
    groups = rule_groups(data) if suffix != ".json" else None
    dashboard = _dashboard(data) if suffix == ".json" else None
    if groups is not None:
        found.rules.append(RuleFile(path, display, text, groups))
    elif suffix != ".json" and _is_alertmanager(data):
        found.alertmanagers.append(AlertmanagerFile(path, display, text, data))
    elif dashboard is not None:
        found.dashboards.append(DashboardFile(path, display, text, dashboard))
    elif named:
        found.problems.append(
            Finding(UNRECOGNISED.id, UNRECOGNISED.severity, display, "not a rule file, Alertmanager config, dashboard or Markdown document; nothing checked")
        )


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(root) / n for n in sorted(names) if n.lower().endswith(YAML_SUFFIXES + (".json", ".md"))]
    return files


def collect(paths: list[Path]) -> Sources:
    """Every lintable file under `paths` (folders are walked), each read once."""
    found = Sources()
    seen: set[Path] = set()
    for given in paths:
        for path, named in ([(p, False) for p in _walk(given)] if given.is_dir() else [(given, True)]):
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                _classify(path, named, found)
    return found
