"""Semantic differences between two snapshots of generated/, system by system.

Alerts are matched by name, then by severity, so a moved threshold reads as one changed
alert, not one removed and one added; each alert's receivers are worked out under the
routing of its own side.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from ..promql import PromQLError, parse
from ..promql.analysis import comparison_threshold as threshold_of
from ..artifacts import AlertmanagerConfig, DashboardFile
from ..artifacts.write import alertmanager_data
from .paging import Paging
from .snapshot import AlertRule, SystemSnapshot, panel_key, step_texts

# Labels with a column of their own; the rest are compared as "labels".
NAMED_LABELS = ("severity", "priority")



def comparison_threshold(expr: str) -> tuple[str, str, float] | None:
    """(left side, operator, number) when the alert is `something OP number`."""
    try:
        return threshold_of(parse(expr))
    except PromQLError:
        return None


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class AlertDiff:
    name: str
    severity: str
    kind: str  # added, removed, changed, rerouted
    changes: list[Change] = field(default_factory=list)
    receivers_before: list[str] = field(default_factory=list)
    receivers_after: list[str] = field(default_factory=list)
    file: str = ""

    @property
    def paged_differently(self) -> bool:
        return self.receivers_before != self.receivers_after


@dataclass
class ItemDiff:
    """A recording rule, receiver, dashboard or time interval added, removed or changed."""

    name: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    title: str = ""


@dataclass
class SystemDiff:
    name: str
    status: str = "changed"  # added, removed, changed
    alerts: list[AlertDiff] = field(default_factory=list)
    records: list[ItemDiff] = field(default_factory=list)
    receivers: list[ItemDiff] = field(default_factory=list)
    routes_removed: list[str] = field(default_factory=list)
    routes_added: list[str] = field(default_factory=list)
    inhibitions_removed: list[str] = field(default_factory=list)
    inhibitions_added: list[str] = field(default_factory=list)
    time_intervals: list[ItemDiff] = field(default_factory=list)
    dashboards: list[ItemDiff] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    routing_error: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.alerts, self.records, self.receivers, self.routes_removed, self.routes_added, self.inhibitions_removed,
                        self.inhibitions_added, self.time_intervals, self.dashboards, self.other_files)) and self.status == "changed"


def _pair_alerts(before: list[AlertRule], after: list[AlertRule]) -> list[tuple[AlertRule | None, AlertRule | None]]:
    """Rules of the same name matched by severity first, then in file order."""
    pairs: list[tuple[AlertRule | None, AlertRule | None]] = []
    names = list(dict.fromkeys([a.name for a in before] + [a.name for a in after]))
    for name in names:
        old = [a for a in before if a.name == name]
        new = [a for a in after if a.name == name]
        for rule in list(old):
            same = next((n for n in new if n.severity == rule.severity), None)
            if same is not None:
                pairs.append((rule, same))
                old.remove(rule)
                new.remove(same)
        while old and new:
            pairs.append((old.pop(0), new.pop(0)))
        pairs += [(o, None) for o in old] + [(None, n) for n in new]
    return pairs


def _threshold_text(expr: str) -> str:
    parsed = comparison_threshold(expr)
    return f"{parsed[1]} {parsed[2]:g}" if parsed else ""


def _alert_changes(old: AlertRule, new: AlertRule) -> list[Change]:
    changes = []
    old_cmp, new_cmp = comparison_threshold(old.expr), comparison_threshold(new.expr)
    if old_cmp and new_cmp:
        if old_cmp[0] != new_cmp[0]:
            changes.append(Change("expression", old_cmp[0], new_cmp[0]))
        if old_cmp[1:] != new_cmp[1:]:
            changes.append(Change("threshold", _threshold_text(old.expr), _threshold_text(new.expr)))
    elif old.expr != new.expr:
        changes.append(Change("expression", old.expr, new.expr))
    if old.for_ != new.for_:
        changes.append(Change("for", old.for_, new.for_))
    for label in NAMED_LABELS:
        if old.labels.get(label, "") != new.labels.get(label, ""):
            changes.append(Change(label, old.labels.get(label, ""), new.labels.get(label, "")))
    for label in sorted(set(old.labels) | set(new.labels)):
        if label not in NAMED_LABELS and old.labels.get(label, "") != new.labels.get(label, ""):
            changes.append(Change(f"label {label}", old.labels.get(label, ""), new.labels.get(label, "")))
    for key in sorted(set(old.annotations) | set(new.annotations)):
        if old.annotations.get(key, "") != new.annotations.get(key, ""):
            changes.append(Change(f"annotation {key}", old.annotations.get(key, ""), new.annotations.get(key, "")))
    return changes


def _describe(rule: AlertRule) -> list[Change]:
    """What an added or removed alert is: its condition, for and labels, on one side."""
    threshold = comparison_threshold(rule.expr)
    condition = [Change("expression", "", threshold[0]), Change("threshold", "", _threshold_text(rule.expr))] if threshold else [Change("expression", "", rule.expr)]
    return condition + [Change("for", "", rule.for_)] + [Change(label, "", rule.labels.get(label, "")) for label in NAMED_LABELS]


def _flip(changes: list[Change]) -> list[Change]:
    return [Change(c.field, c.after, c.before) for c in changes]


def compare_alerts(before: SystemSnapshot | None, after: SystemSnapshot | None) -> list[AlertDiff]:
    old_paging = Paging(before.alertmanager if before else None)
    new_paging = Paging(after.alertmanager if after else None)
    diffs = []
    for old, new in _pair_alerts(before.alerts if before else [], after.alerts if after else []):
        was = list(old_paging.receivers(old.static_labels)) if old else []
        now = list(new_paging.receivers(new.static_labels)) if new else []
        if old is None:
            assert new is not None, "a pair has at least one side"
            diffs.append(AlertDiff(new.name, new.severity, "added", _describe(new), was, now, new.file))
        elif new is None:
            diffs.append(AlertDiff(old.name, old.severity, "removed", _flip(_describe(old)), was, now, old.file))
        else:
            changes = _alert_changes(old, new)
            if changes or was != now:
                diffs.append(AlertDiff(new.name, new.severity, "changed" if changes else "rerouted", changes, was, now, new.file))
    return diffs


def _leaves(value, prefix: str = "") -> dict[str, str]:
    """Scalar leaves by path: receivers[0].slack_configs[0].channel -> '#ops'."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_leaves(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(_leaves(item, f"{prefix}[{i}]"))
        return out
    return {prefix: json.dumps(value) if not isinstance(value, str) else value}


def _leaf_changes(old, new) -> list[Change]:
    a, b = _leaves(old), _leaves(new)
    return [Change(k, a.get(k, ""), b.get(k, "")) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def _by_name(items) -> dict[str, dict]:
    return {str(i.get("name")): i for i in items or [] if isinstance(i, dict)}


def _compare_named(old: dict[str, dict], new: dict[str, dict]) -> list[ItemDiff]:
    diffs = []
    for name in list(dict.fromkeys([*old, *new])):
        if name not in new:
            diffs.append(ItemDiff(name, "removed"))
        elif name not in old:
            diffs.append(ItemDiff(name, "added"))
        elif old[name] != new[name]:
            diffs.append(ItemDiff(name, "changed", _leaf_changes(old[name], new[name])))
    return diffs


def _matchers(node: dict, prefix: str = "") -> list[str]:
    found = [str(m) for m in node.get(f"{prefix}matchers") or []]
    found += [f'{k}="{v}"' for k, v in (node.get(f"{prefix}match") or {}).items()]
    found += [f'{k}=~"{v}"' for k, v in (node.get(f"{prefix}match_re") or {}).items()]
    return found


_ROUTE_SETTINGS = ("group_by", "group_wait", "group_interval", "repeat_interval", "mute_time_intervals", "active_time_intervals")


def route_lines(route: dict | None, depth: int = 0) -> list[str]:
    """The route tree, one line per route, indented by depth: what a reviewer compares."""
    if not isinstance(route, dict):
        return []
    settings = [f"{k}={route[k] if not isinstance(route[k], list) else ','.join(map(str, route[k]))}" for k in _ROUTE_SETTINGS if k in route]
    flags = ["continue"] if route.get("continue") else []
    where = "{" + ", ".join(_matchers(route)) + "}" if depth else "(root)"
    line = f"{'  ' * depth}{where} -> {route.get('receiver', '(inherited)')}" + (f" [{'; '.join(settings + flags)}]" if settings or flags else "")
    return [line] + [l for child in route.get("routes") or [] if isinstance(child, dict) for l in route_lines(child, depth + 1)]


def inhibition_lines(rules) -> list[str]:
    return [
        f"{{{', '.join(_matchers(r, 'source_'))}}} silences {{{', '.join(_matchers(r, 'target_'))}}} when equal ({', '.join(r.get('equal') or [])})"
        for r in rules or [] if isinstance(r, dict)
    ]


def _sequence_diff(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def _compare_dashboards(old: dict[str, DashboardFile], new: dict[str, DashboardFile]) -> list[ItemDiff]:
    diffs = []
    for uid in list(dict.fromkeys([*old, *new])):
        if uid not in new:
            diffs.append(ItemDiff(uid, "removed", title=old[uid].title))
        elif uid not in old:
            diffs.append(ItemDiff(uid, "added", title=new[uid].title))
        else:
            a, b = old[uid], new[uid]
            changes = [Change("title", a.title, b.title)] if a.title != b.title else []
            panels_a, panels_b = {panel_key(p): p for p in a.panels}, {panel_key(p): p for p in b.panels}
            for pid in list(dict.fromkeys([*panels_a, *panels_b])):
                pa, pb = panels_a.get(pid), panels_b.get(pid)
                label = f"panel {pid}"
                if pb is None:
                    assert pa is not None, "a panel key comes from one side at least"
                    changes.append(Change(label, pa.title, "(removed)"))
                elif pa is None:
                    changes.append(Change(label, "(added)", pb.title))
                else:
                    for what, x, y in (("title", pa.title, pb.title), ("query", " ; ".join(pa.exprs), " ; ".join(pb.exprs)),
                                       ("unit", pa.unit, pb.unit), ("thresholds", ", ".join(step_texts(pa)), ", ".join(step_texts(pb)))):
                        if x != y:
                            changes.append(Change(f"{label} {what}" + (f" ({pb.title})" if what != "title" else ""), x, y))
            if changes:
                diffs.append(ItemDiff(uid, "changed", changes, title=b.title))
    return diffs


def _compare_records(old: dict[str, str], new: dict[str, str]) -> list[ItemDiff]:
    diffs = []
    for name in list(dict.fromkeys([*old, *new])):
        if name not in new:
            diffs.append(ItemDiff(name, "removed", [Change("expr", old[name], "")]))
        elif name not in old:
            diffs.append(ItemDiff(name, "added", [Change("expr", "", new[name])]))
        elif old[name] != new[name]:
            diffs.append(ItemDiff(name, "changed", [Change("expr", old[name], new[name])]))
    return diffs


def _data(config: AlertmanagerConfig | None) -> dict:
    """The config as the file would hold it (legacy match forms read into matchers)."""
    return alertmanager_data(config) if config is not None else {}


SEMANTIC_FILES = ("rules/", "dashboards/", "alertmanager.yml")


def compare_system(name: str, before: SystemSnapshot | None, after: SystemSnapshot | None) -> SystemDiff:
    diff = SystemDiff(name, "added" if before is None else "removed" if after is None else "changed")
    old_am, new_am = _data(before.alertmanager if before else None), _data(after.alertmanager if after else None)
    diff.alerts = compare_alerts(before, after)
    diff.records = _compare_records(before.records if before else {}, after.records if after else {})
    diff.receivers = _compare_named(_by_name(old_am.get("receivers")), _by_name(new_am.get("receivers")))
    diff.routes_removed, diff.routes_added = _sequence_diff(route_lines(old_am.get("route")), route_lines(new_am.get("route")))
    diff.inhibitions_removed, diff.inhibitions_added = _sequence_diff(inhibition_lines(old_am.get("inhibit_rules")), inhibition_lines(new_am.get("inhibit_rules")))
    diff.time_intervals = _compare_named(_by_name(old_am.get("time_intervals")), _by_name(new_am.get("time_intervals")))
    diff.dashboards = _compare_dashboards(before.dashboards if before else {}, after.dashboards if after else {})
    old_files, new_files = (before.files if before else {}), (after.files if after else {})
    diff.other_files = sorted(
        f for f in set(old_files) | set(new_files)
        if old_files.get(f) != new_files.get(f) and not f.startswith(SEMANTIC_FILES)
    ) if before and after else []
    diff.routing_error = "; ".join(e for e in (Paging(before.alertmanager if before else None).error, Paging(after.alertmanager if after else None).error) if e)
    return diff


def compare(before: dict[str, SystemSnapshot], after: dict[str, SystemSnapshot]) -> list[SystemDiff]:
    """Every system that changed, in name order."""
    diffs = [compare_system(n, before.get(n), after.get(n)) for n in sorted(set(before) | set(after))]
    return [d for d in diffs if not d.empty]
