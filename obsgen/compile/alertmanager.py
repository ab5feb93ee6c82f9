"""Alertmanager configuration: receivers, the route tree, inhibitions, time intervals.

The tree is flat on purpose: team routes first, then one route per priority; a
priority with several receivers fans out through sibling routes with `continue: true`.
"""

from __future__ import annotations

from ..model import Email, PagerDuty, Priority, Receiver, Route, Slack, System, Webhook
from ..model.durations import prom_duration
from .rules import grouping_labels

GROUP_BY = ["alertname", "system", "service"]


def receiver_config(receiver: Receiver) -> dict:
    if isinstance(receiver, Slack):
        cfg = {
            "api_url_file": receiver.api_url_file,
            "channel": receiver.channel,
            "send_resolved": receiver.send_resolved,
            "title": '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.priority }} {{ .CommonLabels.alertname }}',
            "text": "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
        }
        return {"name": receiver.name, "slack_configs": [cfg]}
    if isinstance(receiver, PagerDuty):
        cfg = {
            "routing_key_file": receiver.routing_key_file,
            "send_resolved": receiver.send_resolved,
            "severity": "{{ .CommonLabels.severity }}",
            "description": "{{ .CommonLabels.priority }} {{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
        }
        return {"name": receiver.name, "pagerduty_configs": [cfg]}
    if isinstance(receiver, Email):
        cfg = {"to": receiver.to, "from": receiver.sender, "smarthost": receiver.smarthost, "send_resolved": receiver.send_resolved}
        if receiver.auth_username:
            cfg["auth_username"] = receiver.auth_username
        if receiver.auth_password_file:
            cfg["auth_password_file"] = receiver.auth_password_file
        return {"name": receiver.name, "email_configs": [cfg]}
    if isinstance(receiver, Webhook):
        return {"name": receiver.name, "webhook_configs": [{"url": receiver.url, "send_resolved": receiver.send_resolved}]}
    raise TypeError(f"no Alertmanager config for {type(receiver).__name__}")


def _fan_out(matchers: list[str], receivers: tuple[str, ...], settings: dict, continue_last: bool) -> list[dict]:
    routes = []
    for i, name in enumerate(receivers):
        last = i == len(receivers) - 1
        route = {"receiver": name, "matchers": list(matchers), **settings}
        if not last or continue_last:
            route["continue"] = True
        routes.append(route)
    return routes


def _priority_settings(priority: Priority) -> dict:
    settings = {
        "group_wait": prom_duration(priority.group_wait),
        "group_interval": prom_duration(priority.group_interval),
        "repeat_interval": prom_duration(priority.repeat_interval),
    }
    if priority.mute_time_intervals:
        settings["mute_time_intervals"] = list(priority.mute_time_intervals)
    if priority.active_time_intervals:
        settings["active_time_intervals"] = list(priority.active_time_intervals)
    return settings


def _team_route(system: System, route: Route) -> list[dict]:
    matchers = [f'system="{system.name}"', f'team="{route.team}"']
    if route.priorities:
        matchers.append(f'priority=~"{"|".join(route.priorities)}"')
    settings = {"mute_time_intervals": list(route.mute_time_intervals)} if route.mute_time_intervals else {}
    return _fan_out(matchers, route.receivers, settings, continue_last=route.also_default)


def _inhibit_rules(system: System) -> list[dict]:
    """Critical silences warning of the same alert; declared inhibitions follow.

    Targets are scoped to the system by `equal`, not by a matcher on both sides, and
    sources name their severity, so no two rules can silence each other.
    """
    # Same alert, same series: a signal's own labels (exchange, instance...) but never the
    # levels' own labels, which differ between the critical and the warning by design.
    # An SLO's grouping labels too: a page for one exchange must not silence another's ticket.
    kept = {l for s in system.signals for l in grouping_labels(s)} | {l for slo in system.slos for l in slo.group_by}
    kept -= {"severity", "priority", "team"}
    equal_labels = list(dict.fromkeys(["alertname", "system", "service"] + sorted(kept)))
    rules = [
        {
            "source_matchers": [f'system="{system.name}"', 'severity="critical"'],
            "target_matchers": ['severity="warning"'],
            "equal": equal_labels,
        }
    ]
    alerts = {a.name: a for a in system.alerts}
    for inhibition in system.inhibitions:
        severities = [severity for severity, _ in alerts[inhibition.source].levels]
        source = [f'system="{system.name}"', f'alertname="{inhibition.source}"']
        source.append(f'severity="{severities[0]}"' if len(severities) == 1 else f'severity=~"{"|".join(severities)}"')
        if inhibition.targets:
            target = [f'alertname=~"{"|".join(inhibition.targets)}"']
        else:
            target = [f'alertname!="{inhibition.source}"']
        rules.append({"source_matchers": source, "target_matchers": target, "equal": ["system"]})
    return rules


def _time_interval(interval) -> dict:
    return {
        "name": interval.name,
        "time_intervals": [
            {
                "weekdays": list(interval.weekdays),
                "times": [{"start_time": interval.start, "end_time": interval.end}],
                "location": interval.location,
            }
        ],
    }


def compile_alertmanager(system: System) -> dict:
    children: list[dict] = []
    for route in system.routes:
        children += _team_route(system, route)
    for priority in system.priorities:
        matchers = [f'system="{system.name}"', f'priority="{priority.name}"']
        children += _fan_out(matchers, priority.receivers, _priority_settings(priority), continue_last=False)
    config: dict = {
        "global": {"resolve_timeout": "5m"},
        "route": {
            "receiver": system.default_receiver,
            "group_by": GROUP_BY,
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
            "routes": children,
        },
        "inhibit_rules": _inhibit_rules(system),
        "receivers": [receiver_config(r) for r in system.receivers],
    }
    if system.time_intervals:
        config["time_intervals"] = [_time_interval(t) for t in system.time_intervals]
    return config
