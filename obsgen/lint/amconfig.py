"""Alertmanager config keys as amtool's loader knows them, by version: an unknown or
misspelt key, or one this Alertmanager is too old for, makes amtool check-config fail.

Checked: the top level, global, routes, inhibit rules, receivers (which integrations
exist) and time intervals. The integrations' own fields are amlint's and amtool's domain.
"""

from __future__ import annotations

import difflib

from ..promql.functions import Version
from .findings import ERROR, Collector, rule

UNKNOWN_KEY = rule("alertmanager/unknown-key", ERROR, "A key this Alertmanager version does not know (a misspelling, or a newer field): amtool check-config fails.")
STRUCTURE = rule("alertmanager/structure", ERROR, "An Alertmanager config that is not a mapping, or a section of the wrong kind: amtool check-config fails.")

# key -> the first Alertmanager version that knows it (0.22 means "long before 0.25").
_OLD = (0, 22)
TOP = {"global": _OLD, "route": _OLD, "inhibit_rules": _OLD, "receivers": _OLD, "templates": _OLD, "mute_time_intervals": _OLD,
       "time_intervals": (0, 24), "tracing": (0, 28)}
GLOBAL = {**{k: _OLD for k in (
    "resolve_timeout", "http_config", "smtp_from", "smtp_hello", "smtp_smarthost", "smtp_auth_username", "smtp_auth_password",
    "smtp_auth_secret", "smtp_auth_identity", "smtp_require_tls", "slack_api_url", "slack_api_url_file", "victorops_api_key",
    "victorops_api_url", "pagerduty_url", "opsgenie_api_key", "opsgenie_api_key_file", "opsgenie_api_url", "wechat_api_url",
    "wechat_api_secret", "wechat_api_corp_id")},
    "telegram_api_url": (0, 24), "webex_api_url": (0, 25), "smtp_auth_password_file": (0, 25), "victorops_api_key_file": (0, 25),
    "smtp_tls_config": (0, 28), "jira_api_url": (0, 28), "rocketchat_api_url": (0, 28), "rocketchat_token": (0, 28),
    "rocketchat_token_file": (0, 28), "rocketchat_token_id": (0, 28), "rocketchat_token_id_file": (0, 28)}
ROUTE = {**{k: _OLD for k in ("receiver", "group_by", "continue", "match", "match_re", "matchers", "group_wait", "group_interval",
                              "repeat_interval", "mute_time_intervals", "routes")}, "active_time_intervals": (0, 24)}
INHIBIT = {k: _OLD for k in ("target_match", "target_match_re", "target_matchers", "source_match", "source_match_re", "source_matchers", "equal")}
RECEIVER = {**{k: _OLD for k in ("name", "email_configs", "pagerduty_configs", "slack_configs", "webhook_configs", "opsgenie_configs",
                                 "wechat_configs", "pushover_configs", "victorops_configs", "sns_configs")},
            "telegram_configs": (0, 24), "webex_configs": (0, 25), "discord_configs": (0, 25), "msteams_configs": (0, 26),
            "jira_configs": (0, 28), "rocketchat_configs": (0, 28), "msteamsv2_configs": (0, 28)}
TIME_INTERVAL = {"name": _OLD, "time_intervals": _OLD}
TIME_RANGE = {"times": _OLD, "weekdays": _OLD, "days_of_month": _OLD, "months": _OLD, "years": _OLD, "location": (0, 25)}


def _text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def _keys(out: Collector, mapping, known: dict[str, Version], where: str, version: Version, locate) -> None:
    if not isinstance(mapping, dict):
        if mapping is not None:
            out.add(STRUCTURE, f"{where} must be a mapping, not a {type(mapping).__name__}", locate(where), where)
        return
    for key in mapping:
        since = known.get(key)
        if since is None:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            out.add(UNKNOWN_KEY, f"unknown key {key!r} in {where}{hint}", locate(f"{where}.{key}" if where else str(key)), where)
        elif version < since:
            out.add(UNKNOWN_KEY, f"{key} needs Alertmanager {_text(since)} or later (checking for {_text(version)})",
                    locate(f"{where}.{key}" if where else str(key)), where)


def _routes(out: Collector, route, where: str, version: Version, locate) -> None:
    _keys(out, route, ROUTE, where, version, locate)
    if isinstance(route, dict):
        for i, child in enumerate(route.get("routes") or []):
            _routes(out, child, f"{where}.routes[{i}]", version, locate)


def check_keys(out: Collector, config, version: Version, locate) -> bool:
    """Report unknown keys; `locate(path)` gives the line of a dotted path. False if not a mapping."""
    if not isinstance(config, dict):
        out.add(STRUCTURE, f"an Alertmanager config is a mapping, not a {type(config).__name__}", 1)
        return False
    _keys(out, config, TOP, "", version, locate)
    _keys(out, config.get("global"), GLOBAL, "global", version, locate)
    if config.get("route") is not None:
        _routes(out, config.get("route"), "route", version, locate)
    for section, known in (("inhibit_rules", INHIBIT), ("receivers", RECEIVER)):
        items = config.get(section)
        if items is not None and not isinstance(items, list):
            out.add(STRUCTURE, f"{section} must be a list", locate(section), section)
            continue
        for i, item in enumerate(items or []):
            _keys(out, item, known, f"{section}[{i}]", version, locate)
    for section in ("time_intervals", "mute_time_intervals"):
        for i, item in enumerate(config.get(section) or [] if isinstance(config.get(section), list) else []):
            _keys(out, item, TIME_INTERVAL, f"{section}[{i}]", version, locate)
            for j, span in enumerate((item or {}).get("time_intervals") or [] if isinstance(item, dict) else []):
                _keys(out, span, TIME_RANGE, f"{section}[{i}].time_intervals[{j}]", version, locate)
    return True
