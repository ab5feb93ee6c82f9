"""Files the real loaders refuse, each beside a near-identical one they accept.

Each case is (kind, refused, accepted): the reader must report a problem for the first
and none for the second, and promtool 2.42 / amtool 0.25 must agree (test_artifact_reader).
"""

from __future__ import annotations

RULE = """groups:
- name: latency
  rules:
  - alert: HighLatency
    expr: latency_seconds > 1
{extra}"""

ROUTE = """route:
  receiver: ops
{route}receivers:
- name: ops
{receiver}{tail}"""


def rule(extra: str) -> str:
    return RULE.format(extra=extra)


def am(route: str = "", receiver: str = "", tail: str = "") -> str:
    return ROUTE.format(route=route, receiver=receiver, tail=tail)


def _group(extra: str, rules: str = "  - record: job:up:sum\n    expr: sum(up)\n") -> str:
    return f"groups:\n- name: g\n{extra}  rules:\n{rules}"


RULE_CASES: dict[str, tuple[str, str]] = {
    "misspelt-key": (rule("    annotaions:\n      summary: Slow.\n"), rule("    annotations:\n      summary: Slow.\n")),
    "duplicate-yaml-key": (rule("    expr: latency_seconds > 2\n"), rule("    for: 5m\n")),
    "duplicate-group-name": (
        rule("- name: latency\n  rules: []\n"), rule("- name: latency-2\n  rules: []\n")),
    "for-in-words": (rule("    for: 10 minutes\n"), rule("    for: 10m\n")),
    "for-without-unit": (rule("    for: 5\n"), rule("    for: 0\n")),
    "keep-firing-for-in-words": (rule("    keep_firing_for: 5 min\n"), rule("    keep_firing_for: 5m\n")),
    "bad-interval": (_group("  interval: 1 min\n"), _group("  interval: 1m\n")),
    "bad-limit": (_group("  limit: ten\n"), _group("  limit: 10\n")),
    "label-name-with-dash": (rule("    labels:\n      team-name: ops\n"), rule("    labels:\n      team_name: ops\n")),
    "label-__name__": (rule("    labels:\n      __name__: x\n"), rule("    labels:\n      name: x\n")),
    "labels-as-list": (rule("    labels:\n    - team: ops\n"), rule("    labels:\n      team: ops\n")),
    "label-value-a-mapping": (rule("    labels:\n      team: {name: ops}\n"), rule("    labels:\n      team: 'on'\n")),
    "annotation-name-with-dash": (rule("    annotations:\n      run-book: x\n"), rule("    annotations:\n      run_book: x\n")),
    "neither-alert-nor-record": (
        "groups:\n- name: g\n  rules:\n  - expr: up == 0\n", "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: up == 0\n"),
    "both-alert-and-record": (
        "groups:\n- name: g\n  rules:\n  - alert: Down\n    record: job:up\n    expr: up == 0\n",
        "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n"),
    "invalid-record-name": (_group("", "  - record: job-up\n    expr: up\n"), _group("", "  - record: job_up\n    expr: up\n")),
    "missing-expr": (_group("", "  - record: job_up\n"), _group("", "  - record: job_up\n    expr: '1'\n")),
    "recording-rule-with-for": (
        _group("", "  - record: job_up\n    expr: up\n    for: 5m\n"), _group("", "  - record: job_up\n    expr: up\n    for: 0s\n")),
    "recording-rule-with-annotations": (
        _group("", "  - record: job_up\n    expr: up\n    annotations: {a: b}\n"), _group("", "  - record: job_up\n    expr: up\n    labels: {a: b}\n")),
    "unnamed-group": ("groups:\n- rules: []\n", "groups:\n- name: g\n  rules: []\n"),
    "unknown-top-level-key": ("groups: []\nversion: 2\n", "groups: []\n"),
    "groups-as-mapping": ("groups: {}\n", "groups: []\n"),
    "rule-not-a-mapping": ("groups:\n- name: g\n  rules:\n  - up == 0\n", "groups:\n- name: g\n  rules: []\n"),
    "not-yaml": ("groups: [\n", "groups: []\n"),
}

AM_CASES: dict[str, tuple[str, str]] = {
    "unknown-field": (am(route="  labels: {team: ops}\n"), am(route="  group_by: [team]\n")),
    "misspelt-section": (am(tail="inhibit_rule: []\n"), am(tail="inhibit_rules: []\n")),
    "duplicate-yaml-key": (am(route="  receiver: ops\n"), am(route="  group_wait: 30s\n")),
    "bad-duration": (am(route="  group_wait: 30 seconds\n"), am(route="  group_wait: 30s\n")),
    "bad-global-duration": ("global:\n  resolve_timeout: 5 minutes\n" + am(), "global:\n  resolve_timeout: 5m\n" + am()),
    "zero-repeat-interval": (am(route="  repeat_interval: 0s\n"), am(route="  repeat_interval: 1h\n")),
    "unknown-receiver": (
        am(route="  routes:\n  - receiver: team\n"), am(route="  routes:\n  - receiver: ops\n")),
    "duplicate-receiver": (am(tail="- name: ops\n"), am(tail="- name: team\n")),
    "unnamed-receiver": (am(tail="- webhook_configs: []\n"), am(tail="- name: team\n  webhook_configs: []\n")),
    "no-route": ("receivers:\n- name: ops\n", am()),
    "root-matchers": (am(route="  matchers: ['team=\"a\"']\n"), am(route="  routes:\n  - matchers: ['team=\"a\"']\n")),
    "root-continue": (am(route="  continue: true\n"), am(route="  routes:\n  - continue: true\n")),
    "bad-matcher": (
        am(route="  routes:\n  - matchers: ['team ops']\n"), am(route="  routes:\n  - matchers: ['team=ops']\n")),
    "unescaped-quote": (
        am(route="  routes:\n  - matchers: ['team=\"o\"ps\"']\n"), am(route="  routes:\n  - matchers: ['team=\"o\\\"ps\"']\n")),
    "bad-regex": (
        am(route="  routes:\n  - matchers: ['team=~\"(ops\"']\n"), am(route="  routes:\n  - matchers: ['team=~\"(ops)\"']\n")),
    "lookahead-regex": (
        am(route="  routes:\n  - matchers: ['team=~\"(?=ops)\"']\n"), am(route="  routes:\n  - matchers: ['team=~\"(?:ops)\"']\n")),
    "bad-match-re": (am(route="  routes:\n  - match_re: {team: '[a'}\n"), am(route="  routes:\n  - match_re: {team: '[a]'}\n")),
    "bad-match-label": (am(route="  routes:\n  - match: {team-name: a}\n"), am(route="  routes:\n  - match: {team_name: a}\n")),
    "bad-group-by": (am(route="  group_by: [team-name]\n"), am(route="  group_by: [team_name]\n")),
    "group-by-twice": (am(route="  group_by: [team, team]\n"), am(route="  group_by: [team, service]\n")),
    "not-a-bool": (am(route="  routes:\n  - continue: maybe\n"), am(route="  routes:\n  - continue: yes\n")),
    "bad-inhibit-matcher": (
        am(tail="inhibit_rules:\n- source_matchers: ['severity critical']\n  target_matchers: ['severity=\"warning\"']\n"),
        am(tail="inhibit_rules:\n- source_matchers: ['severity=\"critical\"']\n  target_matchers: ['severity=\"warning\"']\n")),
    "bad-equal-label": (
        am(tail="inhibit_rules:\n- source_matchers: ['a=\"b\"']\n  equal: [team-name]\n"),
        am(tail="inhibit_rules:\n- source_matchers: ['a=\"b\"']\n  equal: [team_name]\n")),
    "bad-time": (
        am(tail="time_intervals:\n- name: hours\n  time_intervals:\n  - times:\n    - {start_time: '25:00', end_time: '26:00'}\n"),
        am(tail="time_intervals:\n- name: hours\n  time_intervals:\n  - times:\n    - {start_time: '09:00', end_time: '17:00'}\n")),
    "bad-weekday": (
        am(tail="time_intervals:\n- name: days\n  time_intervals:\n  - weekdays: [funday]\n"),
        am(tail="time_intervals:\n- name: days\n  time_intervals:\n  - weekdays: [monday:friday]\n")),
    "bad-location": (
        am(tail="time_intervals:\n- name: days\n  time_intervals:\n  - location: Mars/Base\n"),
        am(tail="time_intervals:\n- name: days\n  time_intervals:\n  - location: Europe/London\n")),
    "unknown-time-interval": (
        am(route="  routes:\n  - mute_time_intervals: [nights]\n", tail="time_intervals:\n- name: night\n  time_intervals: []\n"),
        am(route="  routes:\n  - mute_time_intervals: [night]\n", tail="time_intervals:\n- name: night\n  time_intervals: []\n")),
    "duplicate-time-interval": (
        am(tail="time_intervals:\n- name: night\n  time_intervals: []\n- name: night\n  time_intervals: []\n"),
        am(tail="time_intervals:\n- name: night\n  time_intervals: []\n- name: day\n  time_intervals: []\n")),
    "slack-without-url": (
        am(receiver="  slack_configs:\n  - channel: '#ops'\n"), am(receiver="  slack_configs:\n  - channel: '#ops'\n    api_url_file: /etc/slack\n")),
    "pagerduty-without-key": (
        am(receiver="  pagerduty_configs:\n  - severity: critical\n"), am(receiver="  pagerduty_configs:\n  - routing_key_file: /etc/pd\n")),
    "email-without-to": (
        am(receiver="  email_configs:\n  - {from: a@b.c, smarthost: 'mail:25'}\n"),
        am(receiver="  email_configs:\n  - {to: o@b.c, from: a@b.c, smarthost: 'mail:25'}\n")),
    "smarthost-without-port": (
        am(receiver="  email_configs:\n  - {to: o@b.c, from: a@b.c, smarthost: mail}\n"),
        am(receiver="  email_configs:\n  - {to: o@b.c, from: a@b.c, smarthost: 'mail:25'}\n")),
    "webhook-bad-scheme": (
        am(receiver="  webhook_configs:\n  - url: ftp://hooks\n"), am(receiver="  webhook_configs:\n  - url: https://hooks\n")),
    "webhook-without-url": (
        am(receiver="  webhook_configs:\n  - send_resolved: true\n"), am(receiver="  webhook_configs:\n  - url: http://hooks\n")),
    "bad-tls-version": (
        am(receiver="  webhook_configs:\n  - url: http://hooks\n    http_config: {tls_config: {min_version: TLS14}}\n"),
        am(receiver="  webhook_configs:\n  - url: http://hooks\n    http_config: {tls_config: {min_version: TLS13}}\n")),
    "unknown-integration": (
        am(receiver="  mattermost_configs: []\n"), am(receiver="  telegram_configs: []\n")),
}
