"""Read stage: a mixin, its compiled rules or its dashboards, to rule groups.

SOURCE is a jsonnet mixin (evaluated with its vendored libraries on the jpath), a rule
file of prometheusAlerts / prometheusRules output, a PrometheusRule manifest (several
YAML documents allowed), a dashboard JSON, or a folder of such files. Rule files are read
through obsgen's one reader, so a file promtool would refuse is refused here too, with
its line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import _jsonnet
import yaml

from ..artifacts import RuleGroup
from ..artifacts.read import RuleChecks, read_dashboard
from ..artifacts.read.nodes import Walker, compose_documents, syntax_problem
from ..artifacts.read.rules import is_rule_document, read_rule_document
from ..promql import PromQLError, parse

JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")
YAML_SUFFIXES = (".yml", ".yaml")
MIXIN_FIELDS = ("prometheusAlerts", "prometheusRules", "grafanaDashboards")
_JSONNET_PLACE = re.compile(r"(?P<file>[^\s:]+):(?P<line>\d+):\d+(?:-\d+)?(?::\s*)?")


class SourceError(ValueError):
    """A source obsgen cannot import: one line naming the file (and line) and what is wrong."""


@dataclass(frozen=True)
class SourceGroup:
    """A rule group and where it was read."""

    origin: str  # 'kp-rules/node.yml', or 'mixin.libsonnet prometheusAlerts'
    group: RuleGroup


@dataclass(frozen=True)
class Source:
    groups: tuple[SourceGroup, ...]
    dashboards: tuple[str, ...]  # 'file: title' of each dashboard read (obsgen draws its own)


def _check_expr(expr: str) -> str | None:
    try:
        parse(expr)
    except PromQLError as exc:
        return str(exc)
    return None


CHECKS = RuleChecks(expr=_check_expr)


def _rule_groups(display: str, data: str, require: bool) -> tuple[SourceGroup, ...] | None:
    """The groups of a rule file or PrometheusRule stream; None when it is neither (and not required)."""
    try:
        documents = compose_documents(data)
    except yaml.YAMLError as exc:
        raise SourceError(f"{display}:{syntax_problem(exc).line or 1}: {syntax_problem(exc).message}") from None
    documents = [d for d in documents if d is not None]
    if not documents or not all(is_rule_document(d) for d in documents):
        if not require and not documents:
            return None
        first = next((d for d in documents if not is_rule_document(d)), None)
        line = first.start_mark.line + 1 if first is not None else 1
        raise SourceError(f"{display}:{line}: not a rule file or PrometheusRule manifest (no groups: or spec.groups:): "
                          "give a mixin's prometheusAlerts/prometheusRules output, a PrometheusRule, a dashboard JSON or a jsonnet mixin")
    groups: list[SourceGroup] = []
    for document in documents:
        walker = Walker()
        rule_file = read_rule_document(document, walker, CHECKS)
        if walker.problems:
            problem = walker.problems[0]
            raise SourceError(f"{display}:{problem.line or 1}: {problem.where + ': ' if problem.where else ''}{problem.message}")
        groups += [SourceGroup(display, g) for g in rule_file.groups]
    return tuple(groups)


def _jsonnet_error(path: Path, text: str) -> SourceError:
    lines = text.strip().splitlines()
    first = lines[0] if lines else "jsonnet failed"
    place = _JSONNET_PLACE.search(text)
    where = f"{place.group('file')}:{place.group('line')}" if place else str(path)
    message = re.sub(r"^(STATIC|RUNTIME) ERROR: ", "", first)
    message = message.replace(place.group(0), "").strip() if place else message
    return SourceError(f"{where}: jsonnet does not evaluate: {message}")


def _mixin(path: Path, jpath: tuple[str, ...], display: str) -> Source:
    # Mixins hide their fields (prometheusAlerts+::): manifest them explicitly.
    snippet = "local m = import %s;\n{ [f]: std.get(m, f, inc_hidden=true) for f in %s if std.objectHasAll(m, f) }" % (
        json.dumps(str(path.resolve())), json.dumps(list(MIXIN_FIELDS)))
    try:
        output = json.loads(_jsonnet.evaluate_snippet("<obsgen import>", snippet, jpathdir=list(jpath)))
    except RuntimeError as exc:
        raise _jsonnet_error(path, str(exc)) from None
    if not isinstance(output, dict) or not output:
        raise SourceError(f"{display}:1: evaluates to no mixin (an object with prometheusAlerts, prometheusRules or grafanaDashboards)")
    groups: list[SourceGroup] = []
    for field in ("prometheusAlerts", "prometheusRules"):
        value = output.get(field)
        if value in (None, {}):
            continue
        if not isinstance(value, dict) or "groups" not in value:
            raise SourceError(f"{display}:1: {field} is not {{groups: [...]}}")
        found = _rule_groups(f"{display} {field}", yaml.safe_dump({"groups": value["groups"]}, sort_keys=False), require=True)
        groups += found or ()
    dashboards = output.get("grafanaDashboards") or {}
    titles = tuple(f"{display} {name}: {d.get('title', name) if isinstance(d, dict) else name}" for name, d in sorted(dashboards.items()))
    return Source(tuple(groups), titles)


def _file(path: Path, display: str, jpath: tuple[str, ...], in_folder: bool) -> Source | None:
    suffix = path.suffix.lower()
    if suffix in JSONNET_SUFFIXES:
        return None if in_folder else _mixin(path, jpath, display)
    try:
        data = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{display}: cannot read: {exc}") from None
    if suffix in YAML_SUFFIXES:
        groups = _rule_groups(display, data, require=not in_folder)
        return Source(groups, ()) if groups is not None else None
    if suffix == ".json":
        read = read_dashboard(data)
        if read.value is None:
            why = "; ".join(str(p) for p in read.problems) or "not a Grafana dashboard"
            raise SourceError(f"{display}:1: {why}")
        return Source((), (f"{display}: {read.value.title or path.stem}",))
    if in_folder:
        return None
    raise SourceError(f"{display}: not a mixin (.jsonnet, .libsonnet), rule file or manifest (.yml, .yaml) or dashboard (.json)")


def read_source(source: str, jpath: tuple[str, ...] = ()) -> Source:
    """Every rule group and dashboard of SOURCE; SourceError on the first bad file."""
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{source}: no such file or folder")
    if path.is_file():
        found = _file(path, source, jpath, in_folder=False)
        assert found is not None
        return found
    groups: list[SourceGroup] = []
    dashboards: list[str] = []
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        read = _file(child, str(child), jpath, in_folder=True)
        if read is not None:
            groups += read.groups
            dashboards += read.dashboards
    if not groups and not dashboards:
        raise SourceError(f"{source}: no rule files, PrometheusRule manifests or dashboards in the folder")
    return Source(tuple(groups), tuple(dashboards))
