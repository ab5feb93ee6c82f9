"""Alertmanager configuration: receivers, the route tree, inhibitions, time intervals.

The tree is flat on purpose: team routes first, then one route per priority; a
priority with several receivers fans out through sibling routes with `continue: true`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..artifacts import (
    AlertmanagerConfig, InhibitRule, Integration, Matcher, Receiver as ReceiverConfig, Route as RouteConfig,
    TimeInterval as TimeIntervalConfig, TimeRange, TimeSpec,
)
from ..model import Email, PagerDuty, Priority, Receiver, Route, Slack, System, Webhook
from ..model.durations import prom_duration
from ..model.routing import TimeInterval
from .rules import grouping_labels

GROUP_BY = ("alertname", "system", "service")


def _integration(receiver: Receiver) -> Integration:
    if isinstance(receiver, Slack):
        return Integration("slack_configs", {
            "api_url_file": receiver.api_url_file,
            "channel": receiver.channel,
            "send_resolved": receiver.send_resolved,
            "title": '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.priority }} {{ .CommonLabels.alertname }}',
            "text": "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
        })
    if isinstance(receiver, PagerDuty):
        return Integration("pagerduty_configs", {
            "routing_key_file": receiver.routing_key_file,
            "send_resolved": receiver.send_resolved,
            "severity": "{{ .CommonLabels.severity }}",
            "description": "{{ .CommonLabels.priority }} {{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
        })
    if isinstance(receiver, Email):
        cfg: dict[str, object] = {"to": receiver.to, "from": receiver.sender, "smarthost": receiver.smarthost, "send_resolved": receiver.send_resolved}
        if receiver.auth_username:
            cfg["auth_username"] = receiver.auth_username
        if receiver.auth_password_file:
            cfg["auth_password_file"] = receiver.auth_password_file
        return Integration("email_configs", cfg)
    if isinstance(receiver, Webhook):
        cfg = {"url": receiver.url, "send_resolved": receiver.send_resolved}
        if receiver.credentials_file:  # Alertmanager 0.25 has no url_file: the relay checks a bearer token read from a file
            cfg["http_config"] = {"authorization": {"type": "Bearer", "credentials_file": receiver.credentials_file}}
        elif receiver.password_file:
            cfg["http_config"] = {"basic_auth": {"username": receiver.username, "password_file": receiver.password_file}}
        return Integration("webhook_configs", cfg)
    raise TypeError(f"no Alertmanager config for {type(receiver).__name__}")


def receiver_config(receiver: Receiver) -> ReceiverConfig:
    return ReceiverConfig(receiver.name, (_integration(receiver),))


def _eq(name: str, value: str) -> Matcher:
    return Matcher(name, "=", value)


def _fan_out(matchers: tuple[Matcher, ...], receivers: Sequence[Receiver], settings: dict, continue_last: bool) -> list[RouteConfig]:
    last = len(receivers) - 1
    return [
        RouteConfig(receiver=receiver.name, matchers=matchers, continue_=i != last or continue_last, **settings)
        for i, receiver in enumerate(receivers)
    ]


def _priority_settings(priority: Priority) -> dict:
    return {
        "group_wait": prom_duration(priority.group_wait),
        "group_interval": prom_duration(priority.group_interval),
        "repeat_interval": prom_duration(priority.repeat_interval),
        "mute_time_intervals": tuple(t.name for t in priority.mute_time_intervals),
        "active_time_intervals": tuple(t.name for t in priority.active_time_intervals),
    }


def _team_route(system: System, route: Route) -> list[RouteConfig]:
    matchers: tuple[Matcher, ...] = (_eq("system", system.name), _eq("team", route.team))
    if route.priorities:
        matchers += (Matcher("priority", "=~", "|".join(p.name for p in route.priorities)),)
    settings = {"mute_time_intervals": tuple(t.name for t in route.mute_time_intervals)}
    return _fan_out(matchers, route.receivers, settings, continue_last=route.also_default)


def _inhibit_rules(system: System) -> list[InhibitRule]:
    """Critical silences warning of the same alert; declared inhibitions follow.

    Targets are scoped to the system by `equal`, not by a matcher on both sides, and
    sources name their severity, so no two rules can silence each other.
    """
    # Same alert, same series: a signal's own labels (exchange, instance...) but never the
    # levels' own labels, which differ between the critical and the warning by design.
    # An SLO's grouping labels too: a page for one exchange must not silence another's ticket.
    kept = {l for s in system.signals for l in grouping_labels(s)} | {l for slo in system.slos for l in slo.group_by}
    kept -= {"severity", "priority", "team"}
    equal_labels = tuple(dict.fromkeys(["alertname", "system", "service"] + sorted(kept)))
    rules = [InhibitRule((_eq("system", system.name), _eq("severity", "critical")), (_eq("severity", "warning"),), equal_labels)]
    for inhibition in system.inhibitions:
        severities = [severity for severity, _ in inhibition.source.levels]
        source = (
            _eq("system", system.name),
            _eq("alertname", inhibition.source.name),
            _eq("severity", severities[0]) if len(severities) == 1 else Matcher("severity", "=~", "|".join(severities)),
        )
        target: tuple[Matcher, ...]
        if inhibition.targets:
            target = (Matcher("alertname", "=~", "|".join(t.name for t in inhibition.targets)),)
        else:
            target = (Matcher("alertname", "!=", inhibition.source.name),)
        if inhibition.spares:
            target += (Matcher("priority", "!~", "|".join(p.name for p in inhibition.spares)),)
        rules.append(InhibitRule(source, target, ("system",)))
    return rules


def _alert_routes(system: System) -> list[RouteConfig]:
    """Alerts told only during their time intervals (e.g. trading hours): a route of their
    own ahead of the team and priority routes, to their priority's receivers."""
    routes: list[RouteConfig] = []
    for alert in system.alerts:
        if not alert.active_during:
            continue
        for priority in dict.fromkeys(level.priority for _, level in alert.levels):
            matchers = (_eq("system", system.name), _eq("alertname", alert.name), _eq("priority", priority.name))
            settings = {**_priority_settings(priority), "active_time_intervals": tuple(t.name for t in alert.active_during)}
            routes += _fan_out(matchers, priority.receivers, settings, continue_last=False)
    return routes


def _time_interval(interval: TimeInterval) -> TimeIntervalConfig:
    spec = TimeSpec(weekdays=tuple(interval.weekdays), times=(TimeRange(interval.start, interval.end),), location=interval.location)
    return TimeIntervalConfig(interval.name, (spec,))


def compile_alertmanager(system: System) -> AlertmanagerConfig:
    children: list[RouteConfig] = _alert_routes(system)
    for route in system.routes:
        children += _team_route(system, route)
    for priority in system.priorities:
        matchers = (_eq("system", system.name), _eq("priority", priority.name))
        children += _fan_out(matchers, priority.receivers, _priority_settings(priority), continue_last=False)
    root = RouteConfig(
        receiver=system.default_receiver.name,
        group_by=GROUP_BY,
        group_wait="30s",
        group_interval="5m",
        repeat_interval="4h",
        routes=tuple(children),
    )
    return AlertmanagerConfig(
        global_={"resolve_timeout": "5m"},
        route=root,
        inhibit_rules=tuple(_inhibit_rules(system)),
        receivers=tuple(receiver_config(r) for r in system.receivers),
        time_intervals=tuple(_time_interval(t) for t in system.time_intervals),
    )
