"""The files a lint run reads: found under the given paths, parsed once, sorted by kind.

YAML mappings keep the line they start on (`line_of`), so a finding points at the rule,
route or receiver it is about; a key written twice in one mapping is an error, as it is
for promtool and amtool. Files of kinds the linter has no checks for (promtool tests,
routing tests, provisioning) are recognised from their first key without being parsed,
and counted in the summary as skipped; any other file is reported.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .findings import ERROR, INFO, WARNING, Finding, rule

UNREADABLE = rule("input/unreadable", ERROR, "A file that is not valid YAML, JSON or text: nothing in it can be checked.")
UNRECOGNISED = rule(
    "input/unrecognised", WARNING, "A file that is not a rule file, Alertmanager config, dashboard, Markdown document or a known kind of test or provisioning file."
)
DUPLICATE_KEY = rule("input/duplicate-key", ERROR, "A YAML key written twice in one mapping: promtool and amtool refuse the file (PyYAML silently keeps the last).")

# First keys of files obsgen lint knows and has no checks for: kind, as the summary names it.
SKIPPED_KINDS = {"rule_files": "promtool tests", "evaluation_interval": "promtool tests", "tests": "promtool tests",
                 "cases": "routing tests", "providers": "provisioning", "datasources": "provisioning"}

YAML_SUFFIXES = (".yml", ".yaml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key (1-based)."""

    line: int | None = None
    key_lines: dict = {}


class _LineLoader(_Loader):  # type: ignore[misc, valid-type]
    duplicates: list[tuple[str, int]]


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    lines: dict = {}
    for key_node, _ in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key is not None and key in lines and key != "<<":
            loader.duplicates.append((key, key_node.start_mark.line + 1))
        lines.setdefault(key, key_node.start_mark.line + 1)
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_yaml_checked(text: str):
    """(data, [(key, line) of every key repeated in its mapping])."""
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def load_yaml(text: str):
    return load_yaml_checked(text)[0]


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


def line_of(value, key: str | None = None) -> int | None:
    """The line a YAML mapping starts on, or the line of one of its keys."""
    if key is not None and key in getattr(value, "key_lines", {}):
        return value.key_lines[key]
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
    groups: list  # as written: check_structure reports anything else
    data: object = None


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
    skipped: dict[str, int] = field(default_factory=dict)  # kind -> files recognised but not checked

    @property
    def count(self) -> int:
        return len(self.rules) + len(self.alertmanagers) + len(self.dashboards) + len(self.markdown)


def rule_groups(data):
    """The `groups:` of a Prometheus rule file or a prometheus-operator PrometheusRule, as
    written (the structure checks report a value that is not a list); None if it has none."""
    if not isinstance(data, dict):
        return None
    for holder in (data, data.get("spec")):
        if isinstance(holder, dict) and "groups" in holder:
            return holder["groups"] if holder["groups"] is not None else []
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
    kind = SKIPPED_KINDS.get(first_key(text[:4096]) or "")
    if kind is not None:
        found.skipped[kind] = found.skipped.get(kind, 0) + 1
        return
    duplicates: list[tuple[str, int]] = []
    try:
        data = json.loads(text) if suffix == ".json" else None
        if suffix != ".json":
            data, duplicates = load_yaml_checked(text)
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        line = line + 1 if line is not None else getattr(exc, "lineno", None)
        found.problems.append(Finding(UNREADABLE.id, UNREADABLE.severity, display, f"not valid {'JSON' if suffix == '.json' else 'YAML'}: {str(exc).splitlines()[0]}", line))
        return
    for key, line in duplicates:
        found.problems.append(Finding(DUPLICATE_KEY.id, DUPLICATE_KEY.severity, display, f"key {key!r} is written twice in the same mapping", line))
    groups = rule_groups(data) if suffix != ".json" else None
    dashboard = _dashboard(data) if suffix == ".json" else None
    if groups is not None:
        found.rules.append(RuleFile(path, display, text, groups, data))
    elif suffix != ".json" and _is_alertmanager(data):
        found.alertmanagers.append(AlertmanagerFile(path, display, text, data))
    elif dashboard is not None:
        found.dashboards.append(DashboardFile(path, display, text, dashboard))
    elif isinstance(data, dict) and ("providers" in data or "datasources" in data):
        found.skipped["provisioning"] = found.skipped.get("provisioning", 0) + 1
    elif data is not None and not isinstance(data, (dict, list)):
        found.problems.append(Finding(UNREADABLE.id, UNREADABLE.severity, display, f"the document is a {type(data).__name__}, not a mapping: no rule file, Alertmanager config or dashboard is", 1))
    else:
        found.problems.append(
            Finding(UNRECOGNISED.id, UNRECOGNISED.severity if named else INFO, display, "not a rule file, Alertmanager config, dashboard or Markdown document; nothing checked")
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
