"""The fields of Alertmanager's configuration, section by section, with their kinds, by version.

SECTIONS is 0.25's, derived from amtool 0.25 itself (every yaml field name in the binary,
offered to each section; amtool names the ones the section does not have) and kept honest
by the parity tests, which feed the same files to amtool and to the reader. SINCE and
LATER say which keys older and newer versions lack or add. A kind is one of: "str",
"bool", "int", "duration", "url", "hostport", "tls_version", "any", a section name (a nested mapping),
or a tuple ("list", kind) / ("map", kind).
"""

from __future__ import annotations

from ...promql.functions import Version

Kind = str | tuple[str, str]
TABLES: Version = (0, 25)  # the version SECTIONS describes exactly


def _strs(*names: str) -> dict[str, Kind]:
    return {n: "str" for n in names}


SECTIONS: dict[str, dict[str, Kind]] = {
    "config": {
        "global": "global", "route": "route", "inhibit_rules": ("list", "inhibit_rule"), "receivers": ("list", "receiver"),
        "templates": ("list", "str"), "mute_time_intervals": ("list", "time_interval"), "time_intervals": ("list", "time_interval"),
    },
    "global": {
        **_strs("opsgenie_api_key", "opsgenie_api_key_file", "slack_api_url_file", "smtp_auth_identity", "smtp_auth_password",
                "smtp_auth_password_file", "smtp_auth_secret", "smtp_auth_username", "smtp_from", "smtp_hello",
                "victorops_api_key", "victorops_api_key_file", "wechat_api_corp_id", "wechat_api_secret"),
        "http_config": "http_config", "resolve_timeout": "duration", "smtp_require_tls": "bool", "smtp_smarthost": "hostport",
        **{n: "url" for n in ("opsgenie_api_url", "pagerduty_url", "slack_api_url", "telegram_api_url", "victorops_api_url",
                              "webex_api_url", "wechat_api_url")},
    },
    "route": {
        "receiver": "str", "group_by": ("list", "str"), "continue": "bool", "match": ("map", "str"), "match_re": ("map", "str"),
        "matchers": ("list", "str"), "group_wait": "duration", "group_interval": "duration", "repeat_interval": "duration",
        "mute_time_intervals": ("list", "str"), "active_time_intervals": ("list", "str"), "routes": ("list", "route"),
    },
    "inhibit_rule": {
        "source_match": ("map", "str"), "source_match_re": ("map", "str"), "source_matchers": ("list", "str"),
        "target_match": ("map", "str"), "target_match_re": ("map", "str"), "target_matchers": ("list", "str"),
        "equal": ("list", "str"),
    },
    "receiver": {
        "name": "str",
        **{f"{kind}_configs": ("list", kind) for kind in (
            "discord", "email", "opsgenie", "pagerduty", "pushover", "slack", "sns", "telegram", "victorops", "webex", "webhook", "wechat")},
    },
    "time_interval": {"name": "str", "time_intervals": ("list", "time_interval_spec")},
    "time_interval_spec": {
        "times": ("list", "time_range"), "weekdays": ("list", "str"), "days_of_month": ("list", "str"),
        "months": ("list", "str"), "years": ("list", "str"), "location": "str",
    },
    "time_range": {"start_time": "str", "end_time": "str"},
    "http_config": {
        "authorization": "authorization", "basic_auth": "basic_auth", "bearer_token": "str", "bearer_token_file": "str",
        "enable_http2": "bool", "follow_redirects": "bool", "oauth2": "oauth2", "proxy_connect_header": ("map", "any"),
        "proxy_url": "str", "tls_config": "tls_config",
    },
    "basic_auth": _strs("username", "password", "password_file"),
    "authorization": _strs("type", "credentials", "credentials_file"),
    "oauth2": {
        **_strs("client_id", "client_secret", "client_secret_file", "token_url", "proxy_url"),
        "endpoint_params": ("map", "str"), "scopes": ("list", "str"), "tls_config": "tls_config",
    },
    "tls_config": {
        **_strs("ca_file", "cert_file", "key_file", "server_name"), "min_version": "tls_version", "max_version": "tls_version",
        "insecure_skip_verify": "bool",
    },
    "discord": {"send_resolved": "bool", "http_config": "http_config", "webhook_url": "url", **_strs("title", "message")},
    "email": {
        "send_resolved": "bool", "smarthost": "hostport", "require_tls": "bool", "tls_config": "tls_config", "headers": ("map", "str"),
        **_strs("to", "from", "hello", "auth_username", "auth_password", "auth_password_file", "auth_secret", "auth_identity", "html", "text"),
    },
    "opsgenie": {
        "send_resolved": "bool", "http_config": "http_config", "api_url": "url", "details": ("map", "str"),
        "responders": ("list", "opsgenie_responder"), "update_alerts": "bool",
        **_strs("api_key", "api_key_file", "message", "description", "source", "tags", "note", "priority", "entity", "actions"),
    },
    "opsgenie_responder": _strs("id", "name", "username", "type"),
    "pagerduty": {
        "send_resolved": "bool", "http_config": "http_config", "url": "url", "details": ("map", "str"),
        "images": ("list", "pagerduty_image"), "links": ("list", "pagerduty_link"),
        **_strs("routing_key", "routing_key_file", "service_key", "service_key_file", "client", "client_url", "description",
                "severity", "class", "component", "group", "source"),
    },
    "pagerduty_image": _strs("src", "alt", "href"),
    "pagerduty_link": _strs("href", "text"),
    "pushover": {
        "send_resolved": "bool", "http_config": "http_config", "retry": "duration", "expire": "duration", "html": "bool",
        **_strs("user_key", "token", "title", "message", "url", "url_title", "sound", "priority"),
    },
    "slack": {
        "send_resolved": "bool", "http_config": "http_config", "api_url": "url", "actions": ("list", "slack_action"),
        "fields": ("list", "slack_field"), "short_fields": "bool", "link_names": "bool", "mrkdwn_in": ("list", "str"),
        **_strs("api_url_file", "channel", "username", "color", "title", "title_link", "pretext", "text", "footer", "fallback",
                "callback_id", "icon_emoji", "icon_url", "image_url", "thumb_url"),
    },
    "slack_action": {"confirm": "slack_confirm", **_strs("type", "text", "url", "style", "name", "value")},
    "slack_confirm": _strs("text", "title", "ok_text", "dismiss_text"),
    "slack_field": {"short": "bool", **_strs("title", "value")},
    "sns": {
        "send_resolved": "bool", "http_config": "http_config", "sigv4": "sigv4", "attributes": ("map", "str"),
        **_strs("api_url", "topic_arn", "phone_number", "target_arn", "subject", "message"),
    },
    "sigv4": _strs("region", "access_key", "secret_key", "profile", "role_arn"),
    "telegram": {
        "send_resolved": "bool", "http_config": "http_config", "api_url": "url", "chat_id": "int", "disable_notifications": "bool",
        **_strs("bot_token", "message", "parse_mode"),
    },
    "victorops": {
        "send_resolved": "bool", "http_config": "http_config", "api_url": "url", "custom_fields": ("map", "str"),
        **_strs("api_key", "api_key_file", "routing_key", "message_type", "state_message", "entity_display_name", "monitoring_tool"),
    },
    "webex": {"send_resolved": "bool", "http_config": "http_config", "api_url": "url", **_strs("room_id", "message")},
    "webhook": {"send_resolved": "bool", "http_config": "http_config", "url": "url", "max_alerts": "int"},
    "wechat": {
        "send_resolved": "bool", "http_config": "http_config", "api_url": "url",
        **_strs("api_secret", "corp_id", "message", "message_type", "agent_id", "to_user", "to_party", "to_tag"),
    },
}


# (section, key) -> the first version with the key, for keys 0.25 has that older versions lack.
SINCE: dict[tuple[str, str], Version] = {
    ("config", "time_intervals"): (0, 24), ("route", "active_time_intervals"): (0, 24),
    ("receiver", "telegram_configs"): (0, 24), ("global", "telegram_api_url"): (0, 24),
    ("receiver", "webex_configs"): (0, 25), ("receiver", "discord_configs"): (0, 25), ("global", "webex_api_url"): (0, 25),
    ("global", "smtp_auth_password_file"): (0, 25), ("global", "victorops_api_key_file"): (0, 25),
    ("time_interval_spec", "location"): (0, 25),
}
# (section, key) -> the first version with it, for keys of versions after 0.25 (values kept as written).
LATER: dict[tuple[str, str], Version] = {
    ("config", "tracing"): (0, 28), ("receiver", "msteams_configs"): (0, 26), ("receiver", "jira_configs"): (0, 28),
    ("receiver", "rocketchat_configs"): (0, 28), ("receiver", "msteamsv2_configs"): (0, 28),
    **{("global", k): (0, 28) for k in ("smtp_tls_config", "jira_api_url", "rocketchat_api_url", "rocketchat_token",
                                        "rocketchat_token_file", "rocketchat_token_id", "rocketchat_token_id_file")},
}
# Sections whose keys SINCE and LATER follow across versions; in the others (an
# integration's settings), a version after TABLES may have fields the tables lack.
VERSIONED = frozenset({"config", "global", "route", "inhibit_rule", "receiver", "time_interval", "time_interval_spec"})


def _text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def section_fields(section: str, version: Version) -> tuple[dict[str, Kind], dict[str, str], bool]:
    """(fields this version has, with their kinds; {field of another version: why this one refuses it};
    whether a field outside both is refused)."""
    fields = {k: kind for k, kind in SECTIONS[section].items() if SINCE.get((section, k), (0, 0)) <= version}
    fields |= {k: "any" for (s, k), since in LATER.items() if s == section and since <= version}
    why = f"(checking for Alertmanager {_text(version)})"
    other = {k: f"needs Alertmanager {_text(SINCE[(section, k)])} or later {why}" for k in SECTIONS[section] if k not in fields}
    other |= {k: f"needs Alertmanager {_text(since)} or later {why}" for (s, k), since in LATER.items() if s == section and k not in fields}
    return fields, other, section in VERSIONED or version <= TABLES
