"""The Alertmanager configuration, section by section: receivers, routes, inhibitions,
time intervals, and the settings around them. Secrets are compared, never printed."""

from __future__ import annotations

import difflib
import json

from ..artifacts import AlertmanagerConfig, InhibitRule, Receiver, Route, TimeInterval
from .paging import shown
from .result import Change, ConfigDiff, ItemDiff

_ROUTE_SETTINGS = ("group_by", "group_wait", "group_interval", "repeat_interval", "mute_time_intervals", "active_time_intervals")


def _matchers(matchers) -> str:
    return "{" + ", ".join(str(m) for m in matchers) + "}"


def route_lines(route: Route | None, depth: int = 0) -> list[str]:
    """The route tree, one line per route, indented by depth: what a reviewer compares."""
    if route is None:
        return []
    settings = []
    for key in _ROUTE_SETTINGS:
        value = getattr(route, key)
        if value:
            settings.append(f"{key}={','.join(value) if isinstance(value, tuple) else value}")
    if route.continue_:
        settings.append("continue")
    where = _matchers(route.matchers) if depth else "(root)"
    line = f"{'  ' * depth}{where} -> {route.receiver or '(inherited)'}" + (f" [{'; '.join(settings)}]" if settings else "")
    return [line] + [text for child in route.routes for text in route_lines(child, depth + 1)]


def inhibition_line(rule: InhibitRule) -> str:
    return f"{_matchers(rule.source_matchers)} silences {_matchers(rule.target_matchers)} when equal ({', '.join(rule.equal)})"


def _sequence_diff(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def _leaves(value, prefix: str = "") -> dict[str, str]:
    """Scalar leaves by path, secrets hidden: slack_configs[0].channel -> '#ops'."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_leaves(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, (list, tuple)):
        out = {}
        for i, item in enumerate(value):
            out.update(_leaves(item, f"{prefix}[{i}]"))
        return out
    key = prefix.rsplit(".", 1)[-1].split("[")[0]
    return {prefix: shown(key, value) if isinstance(value, str) else json.dumps(value)}


def leaf_changes(old, new) -> list[Change]:
    if old == new:
        return []
    a, b = _leaves(old), _leaves(new)
    return [Change(k, a.get(k, ""), b.get(k, "")) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def _receiver_data(receiver: Receiver) -> dict:
    data: dict = {}
    for integration in receiver.integrations:
        data.setdefault(integration.kind, []).append(dict(integration.settings))
    return data


def _interval_text(interval: TimeInterval) -> str:
    parts = []
    for spec in interval.time_intervals:
        bits = []
        if spec.weekdays:
            bits.append(",".join(spec.weekdays))
        if spec.times:
            bits.append(",".join(f"{t.start_time}-{t.end_time}" for t in spec.times))
        for key in ("days_of_month", "months", "years"):
            if getattr(spec, key):
                bits.append(f"{key.replace('_', ' ')} {','.join(getattr(spec, key))}")
        if spec.location:
            bits.append(spec.location)
        parts.append(" ".join(bits) or "always")
    return "; ".join(parts)


def _named(old: dict, new: dict, describe) -> list[ItemDiff]:
    diffs = []
    for name in dict.fromkeys([*old, *new]):
        if name not in new:
            diffs.append(ItemDiff(name, "removed", describe(old[name], None)))
        elif name not in old:
            diffs.append(ItemDiff(name, "added", describe(None, new[name])))
        else:
            changes = describe(old[name], new[name])
            if changes:
                diffs.append(ItemDiff(name, "changed", changes))
    return diffs


def _describe_receiver(old: Receiver | None, new: Receiver | None) -> list[Change]:
    return leaf_changes(_receiver_data(old) if old else {}, _receiver_data(new) if new else {})


def _describe_interval(old: TimeInterval | None, new: TimeInterval | None) -> list[Change]:
    a, b = (_interval_text(old) if old else ""), (_interval_text(new) if new else "")
    return [Change("when", a, b)] if a != b else []


def compare_config(old: AlertmanagerConfig | None, new: AlertmanagerConfig | None) -> ConfigDiff:
    diff = ConfigDiff()
    if old is None and new is None:
        return diff
    diff.receivers = _named({r.name: r for r in old.receivers} if old else {}, {r.name: r for r in new.receivers} if new else {},
                            _describe_receiver)
    diff.routes_removed, diff.routes_added = _sequence_diff(route_lines(old.route if old else None), route_lines(new.route if new else None))
    diff.inhibitions_removed, diff.inhibitions_added = _sequence_diff(
        [inhibition_line(r) for r in old.inhibit_rules] if old else [], [inhibition_line(r) for r in new.inhibit_rules] if new else [])
    diff.time_intervals = _named(old.intervals if old else {}, new.intervals if new else {}, _describe_interval)
    diff.settings = leaf_changes({"global": dict(old.global_ or {}), "templates": list(old.templates)} if old else {},
                                 {"global": dict(new.global_ or {}), "templates": list(new.templates)} if new else {})
    return diff
