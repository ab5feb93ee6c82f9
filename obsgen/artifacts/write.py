"""The one writer: typed artifacts to the bytes of the files they are.

Keys are written in the order Prometheus' and Alertmanager's documentation gives them,
unset fields not at all; render/yaml_file.py and render/grafana.py do the serialising.
"""

from __future__ import annotations

from typing import Any

from ..render.grafana import render_dashboard
from ..render.yaml_file import render_yaml
from .alertmanager import AlertmanagerConfig, InhibitRule, Receiver, Route, TimeInterval, TimeSpec
from .dashboards import Dashboard
from .rules import AlertingRule, Rule, RuleFile, RuleGroup

__all__ = ["alertmanager_bytes", "alertmanager_data", "dashboard_bytes", "rule_file_bytes", "rule_file_data"]


def _rule(rule: Rule) -> dict[str, Any]:
    if isinstance(rule, AlertingRule):
        data: dict[str, Any] = {"alert": rule.alert, "expr": rule.expr}
        if rule.for_ is not None:
            data["for"] = rule.for_
        if rule.keep_firing_for is not None:
            data["keep_firing_for"] = rule.keep_firing_for
        if rule.labels:
            data["labels"] = dict(rule.labels)
        if rule.annotations:
            data["annotations"] = dict(rule.annotations)
        return data
    data = {"record": rule.record, "expr": rule.expr}
    if rule.labels:
        data["labels"] = dict(rule.labels)
    return data


def _group(group: RuleGroup) -> dict[str, Any]:
    data: dict[str, Any] = {"name": group.name}
    if group.interval is not None:
        data["interval"] = group.interval
    if group.limit is not None:
        data["limit"] = group.limit
    if group.query_offset is not None:
        data["query_offset"] = group.query_offset
    if group.labels:
        data["labels"] = dict(group.labels)
    data["rules"] = [_rule(r) for r in group.rules]
    return data


def rule_file_data(rule_file: RuleFile) -> dict[str, Any]:
    return {"groups": [_group(g) for g in rule_file.groups]}


def rule_file_bytes(rule_file: RuleFile, header: str) -> bytes:
    return render_yaml(rule_file_data(rule_file), header)


def _route(route: Route) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if route.receiver is not None:
        data["receiver"] = route.receiver
    if route.group_by is not None:
        data["group_by"] = list(route.group_by)
    if route.matchers:
        data["matchers"] = [str(m) for m in route.matchers]
    for key in ("group_wait", "group_interval", "repeat_interval"):
        if getattr(route, key) is not None:
            data[key] = getattr(route, key)
    if route.mute_time_intervals:
        data["mute_time_intervals"] = list(route.mute_time_intervals)
    if route.active_time_intervals:
        data["active_time_intervals"] = list(route.active_time_intervals)
    if route.continue_:
        data["continue"] = True
    if route.routes:
        data["routes"] = [_route(r) for r in route.routes]
    return data


def _inhibit_rule(rule: InhibitRule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source_matchers": [str(m) for m in rule.source_matchers],
        "target_matchers": [str(m) for m in rule.target_matchers],
    }
    if rule.equal:
        data["equal"] = list(rule.equal)
    return data


def _receiver(receiver: Receiver) -> dict[str, Any]:
    data: dict[str, Any] = {"name": receiver.name}
    for integration in receiver.integrations:
        data.setdefault(integration.kind, []).append(dict(integration.settings))
    return data


def _spec(spec: TimeSpec) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if spec.weekdays is not None:
        data["weekdays"] = list(spec.weekdays)
    if spec.times is not None:
        data["times"] = [{"start_time": t.start_time, "end_time": t.end_time} for t in spec.times]
    for key in ("days_of_month", "months", "years"):
        if getattr(spec, key) is not None:
            data[key] = list(getattr(spec, key))
    if spec.location is not None:
        data["location"] = spec.location
    return data


def _interval(interval: TimeInterval) -> dict[str, Any]:
    return {"name": interval.name, "time_intervals": [_spec(s) for s in interval.time_intervals]}


def alertmanager_data(config: AlertmanagerConfig) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if config.global_ is not None:
        data["global"] = dict(config.global_)
    if config.templates:
        data["templates"] = list(config.templates)
    data["route"] = _route(config.route)
    if config.inhibit_rules:
        data["inhibit_rules"] = [_inhibit_rule(r) for r in config.inhibit_rules]
    data["receivers"] = [_receiver(r) for r in config.receivers]
    if config.mute_time_intervals:
        data["mute_time_intervals"] = [_interval(t) for t in config.mute_time_intervals]
    if config.time_intervals:
        data["time_intervals"] = [_interval(t) for t in config.time_intervals]
    return data


def alertmanager_bytes(config: AlertmanagerConfig, header: str) -> bytes:
    return render_yaml(alertmanager_data(config), header)


def dashboard_bytes(dashboard: Dashboard, origin: str) -> bytes:
    return render_dashboard(dashboard, origin)
