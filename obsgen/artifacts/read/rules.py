"""Rule files, read as strictly as Prometheus' rulefmt reads them (2.42 unless told otherwise).

Every reason `promtool check rules` refuses a file becomes a Problem with its line:
unknown or misspelt keys, keys given twice, a group name given twice, a bad duration in
`for`, `keep_firing_for`, `interval` or `query_offset`, invalid label and annotation
names, `labels:` that is not a mapping, a rule with neither or both of alert and record,
an invalid record name, a missing expr. Which keys exist and which names are valid depend
on the Prometheus version (`keep_firing_for` from 2.42, `query_offset` from 2.53, group
`labels` from 3.5, UTF-8 names from 3.0). PromQL and Go templates are judged by the hooks
the caller gives (the PromQL layer owns parsing); without them, expressions are taken as
text. A prometheus-operator PrometheusRule is read through its spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml

from ...promql.functions import Version
from ..rules import AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup
from .nodes import (
    DUPLICATE_GROUP, EXPR, METRIC_NAME_PATTERN, RECORD_NAME, TEMPLATE, UTF8_NAMES, Walker, is_null, is_zero, kind_name,
    label_name_problem, peek, version_text,
)

PROMETHEUS: Version = (2, 42)  # the version obsgen targets (Debian 12's promtool)
_OLD: Version = (2, 0)
FILE_FIELDS = {"groups"}
# key -> the first Prometheus version whose rulefmt knows it
GROUP_FIELDS: dict[str, Version] = {
    "name": _OLD, "interval": _OLD, "rules": _OLD, "limit": (2, 31), "query_offset": (2, 53), "labels": (3, 5),
}
RULE_FIELDS: dict[str, Version] = {
    **dict.fromkeys(("record", "alert", "expr", "for", "labels", "annotations"), _OLD), "keep_firing_for": (2, 42),
}

Check = Callable[[str], "str | None"]  # text -> why it is invalid, or None


@dataclass(frozen=True)
class RuleChecks:
    """Hooks for what the reader does not parse itself: PromQL expressions and Go templates."""

    expr: Check | None = None
    template: Check | None = None


def fields_for(table: dict[str, Version], version: Version) -> tuple[set[str], dict[str, str]]:
    """(keys this version knows, {key of a later version: why this one refuses it})."""
    known = {k for k, since in table.items() if since <= version}
    later = {k: f"needs Prometheus {version_text(since)} or later (checking for {version_text(version)})"
             for k, since in table.items() if since > version}
    return known, later


def _label_key(version: Version) -> Callable[[str], str | None]:
    def check(name: str) -> str | None:
        if name == "__name__":
            return "invalid label name '__name__': a rule cannot set the metric name"
        return label_name_problem(name, version >= UTF8_NAMES)
    return check


def _annotation_key(version: Version) -> Callable[[str], str | None]:
    return lambda name: label_name_problem(name, version >= UTF8_NAMES, "annotation")


def record_name_problem(name: str, version: Version) -> str | None:
    if version >= UTF8_NAMES:
        valid = name != "" and "{" not in name and "}" not in name
    else:
        valid = METRIC_NAME_PATTERN.match(name) is not None
    return None if valid else f"{name!r} is not a valid metric name for a recording rule"


def is_rule_document(root: yaml.Node | None) -> bool:
    """A rule file, or a PrometheusRule whose spec holds the groups."""
    return _groups_holder(root) is not None


def _groups_holder(root: yaml.Node | None) -> yaml.MappingNode | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "groups" in keys:
        return root
    spec = keys.get("spec")
    if isinstance(spec, yaml.MappingNode) and any(isinstance(k, yaml.ScalarNode) and k.value == "groups" for k, _ in spec.value):
        return spec
    return None


def read_rule_document(root: yaml.Node | None, walker: Walker, checks: RuleChecks = RuleChecks(), prometheus: Version = PROMETHEUS) -> RuleFile:
    if is_null(root):
        return RuleFile(())
    holder = _groups_holder(root) or root
    where = "spec" if holder is not root else ""
    fields = walker.mapping(holder, where, FILE_FIELDS, "a rule file")
    prefix = f"{where}.groups" if where else "groups"
    groups: list[RuleGroup] = []
    names: dict[str, int | None] = {}
    for i, node in enumerate(walker.sequence(fields.get("groups"), prefix, "rule groups")):
        group = _group(node, f"{prefix}[{i}]", walker, checks, prometheus)
        if group is None:
            continue
        if group.name and group.name in names:
            walker.report(node, f"{prefix}[{i}].name", f"group name {group.name!r} is repeated in the file (first on line {names[group.name]})",
                          group.name, DUPLICATE_GROUP)
        names.setdefault(group.name, group.line)
        groups.append(group)
    return RuleFile(tuple(groups))


def _group(node: yaml.Node, where: str, walker: Walker, checks: RuleChecks, prometheus: Version) -> RuleGroup | None:
    if not isinstance(node, yaml.MappingNode):
        walker.report(node, where, f"a rule group must be a mapping with name and rules, not {kind_name(node)}")
        return None
    known, later = fields_for(GROUP_FIELDS, prometheus)
    fields = walker.mapping(node, where, known, "a rule group", peek(node, "name"), later)
    name = walker.text(fields.get("name"), f"{where}.name") or ""
    if not name:
        walker.report(node, f"{where}.name", "a rule group needs a name")
    interval = walker.duration(fields.get("interval"), f"{where}.interval", name)
    query_offset = walker.duration(fields.get("query_offset"), f"{where}.query_offset", name)
    limit = walker.integer(fields.get("limit"), f"{where}.limit", name)
    labels = walker.text_map(fields.get("labels"), f"{where}.labels", "labels", name, _label_key(prometheus))
    rules = []
    for i, item in enumerate(walker.sequence(fields.get("rules"), f"{where}.rules", "rules", name)):
        rule = _rule(item, f"{where}.rules[{i}]", walker, checks, prometheus)
        if rule is not None:
            rules.append(rule)
    return RuleGroup(name=name, rules=tuple(rules), interval=interval, limit=limit, query_offset=query_offset, labels=labels,
                     line=node.start_mark.line + 1)


def _rule(node: yaml.Node, where: str, walker: Walker, checks: RuleChecks, prometheus: Version) -> Rule | None:
    if not isinstance(node, yaml.MappingNode):
        walker.report(node, where, f"a rule must be a mapping, not {kind_name(node)}")
        return None
    known, later = fields_for(RULE_FIELDS, prometheus)
    fields = walker.mapping(node, where, known, "a rule", peek(node, "alert") or peek(node, "record"), later)
    alert = walker.text(fields["alert"], f"{where}.alert") if "alert" in fields else ""
    record = walker.text(fields["record"], f"{where}.record") if "record" in fields else ""
    subject = alert or record or ""
    line = node.start_mark.line + 1
    if alert and record:
        walker.report(node, where, "a rule has either alert: or record:, not both", subject)
    elif not alert and not record:
        walker.report(node, where, "a rule needs alert: (an alerting rule) or record: (a recording rule)", subject)
    expr = walker.text(fields.get("expr"), f"{where}.expr", subject) if "expr" in fields else ""
    if expr is not None and not expr.strip():
        walker.report(fields.get("expr", node), f"{where}.expr", "the rule has no expr", subject)
    elif expr and checks.expr is not None:
        why = checks.expr(expr)
        if why:
            walker.report(fields["expr"], f"{where}.expr", why, subject, EXPR)
    expr = expr or ""
    for_ = walker.duration(fields.get("for"), f"{where}.for", subject)
    keep = walker.duration(fields.get("keep_firing_for"), f"{where}.keep_firing_for", subject)
    labels = walker.text_map(fields.get("labels"), f"{where}.labels", "labels", subject, _label_key(prometheus))
    annotations = walker.text_map(fields.get("annotations"), f"{where}.annotations", "annotations", subject, _annotation_key(prometheus))
    if record and not alert:
        why = record_name_problem(record, prometheus)
        if why:
            walker.report(fields["record"], f"{where}.record", why, subject, RECORD_NAME)
        for key, value in (("annotations", bool(annotations)), ("for", not is_zero(for_)), ("keep_firing_for", not is_zero(keep))):
            if value:
                walker.report(fields[key], f"{where}.{key}", f"a recording rule cannot have {key}", subject, RECORD_NAME)
        return RecordingRule(record=record, expr=expr, labels=labels, line=line) if expr.strip() else None
    if alert and not record:
        if checks.template is not None:
            for kind, values in (("label", labels), ("annotation", annotations)):
                for key, text in values.items():
                    why = checks.template(text)
                    if why:
                        walker.report(fields[f"{kind}s"], f"{where}.{kind}s.{key}", f"{kind} {key}: {why}", subject, TEMPLATE)
        if not expr.strip():
            return None
        return AlertingRule(alert=alert, expr=expr, for_=for_, labels=labels, annotations=annotations, keep_firing_for=keep, line=line)
    return None
