"""Alertmanager configurations, read as strictly as Alertmanager 0.25 loads them.

Every structural reason `amtool check-config` refuses a file becomes a Problem with its
line: unknown fields (by alertmanager_schema.py), keys given twice, values of the wrong
kind, bad durations and URLs, receivers named twice or used by a route but not defined,
matchers and regular expressions Alertmanager cannot parse, time intervals that are
malformed, named twice or not defined, and the settings an integration cannot go without
(an API URL or key, a routing key, an address). Notification settings stay data.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import re2
import yaml
from amlint.timeintervals import IntervalError, location_problem, parse_entry

from ..alertmanager import (
    AlertmanagerConfig, InhibitRule, Integration, Matcher, Receiver, Route, TimeInterval, TimeRange, TimeSpec,
)
from ...promql.functions import Version
from .alertmanager_schema import SECTIONS, TABLES, Kind, section_fields
from .nodes import (
    GROUP_BY, INTEGRATION, MATCHER, RECEIVER, ROOT_ROUTE, TIME_INTERVAL, VALUE, YAML_LOADER, Walker, hint, is_null, is_zero,
    label_name_problem, line, peek,
)

ALERTMANAGER: Version = (0, 25)  # the version obsgen targets (Debian 12's amtool)

# labels.ParseMatcher in Alertmanager 0.25 (pkg/labels/parse.go): the classic syntax.
_MATCHER = re.compile(r'^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*(.*?)\s*$', re.DOTALL)
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the reason is returned; RE2 would also print it to stderr
_TLS_VERSIONS = {"TLS10", "TLS11", "TLS12", "TLS13"}
_RESPONDER_TYPES = {"team", "teams", "user", "escalation", "schedule"}
_VICTOROPS_RESERVED = {"routing_key", "message_type", "state_message", "entity_display_name", "monitoring_tool", "entity_id", "entity_state"}


def is_alertmanager_document(root: yaml.Node | None) -> bool:
    if not isinstance(root, yaml.MappingNode):
        return False
    keys = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    return bool(keys & {"route", "receivers"}) and "groups" not in keys


def regex_problem(pattern: str) -> str | None:
    """Why Go's regexp (RE2) refuses the anchored pattern Alertmanager compiles, or None."""
    try:
        re2.compile(f"^(?:{pattern})$", options=_RE2_OPTIONS)
    except re2.error as exc:
        why = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return f"invalid regular expression {pattern!r}: {why}"
    return None


def _unquote(raw: str) -> str | None:
    """A matcher value as ParseMatcher reads it; None when a double quote is unescaped."""
    quoted = raw.startswith('"')
    body = raw[1:] if quoted else raw
    out: list[str] = []
    escaped = False
    for i, ch in enumerate(body):
        if escaped:
            escaped = False
            out.append({"n": "\n", '"': '"', "\\": "\\"}.get(ch, "\\" + ch))
        elif ch == "\\" and i < len(body) - 1:
            escaped = True
        elif ch == '"':
            if not quoted or i < len(body) - 1:
                return None
            quoted = False
        else:
            out.append(ch)
    return None if quoted else "".join(out)


def parse_matchers(text: str) -> tuple[tuple[Matcher, ...], str | None]:
    """labels.ParseMatchers: one entry may hold several comma-separated matchers, in braces or not."""
    text = text.removeprefix("{").removesuffix("}")
    tokens: list[str] = []
    token: list[str] = []
    quoted = escaped = False
    for ch in text:
        if ch == "," and not quoted:
            tokens.append("".join(token))
            token = []
            continue
        if ch == '"':
            if escaped:
                escaped = False
            else:
                quoted = not quoted
        elif ch == "\\":
            escaped = not escaped
        else:
            escaped = False
        token.append(ch)
    if "".join(token).strip():
        tokens.append("".join(token).strip())
    out = []
    for item in tokens:
        match = _MATCHER.match(item)
        if not match:
            return (), f"bad matcher format: {item!r} (write name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\")"
        value = _unquote(match.group(3))
        if value is None:
            return (), f"matcher value contains an unescaped double quote: {match.group(3)}"
        if match.group(2) in ("=~", "!~"):
            why = regex_problem(value)
            if why:
                return (), why
        out.append(Matcher(match.group(1), match.group(2), value))
    return tuple(out), None


def url_problem(text: str) -> str | None:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        return f"unsupported scheme {parts.scheme!r} for URL {text!r}: use http or https"
    if not parts.hostname:
        return f"missing host for URL {text!r}"
    return None


def hostport_problem(text: str) -> str | None:
    host, sep, port = text.rpartition(":")
    if not sep:
        return f"address {text}: missing port in address (write host:port)"
    if not port:
        return f"address {text}: port cannot be empty"
    if not host:
        return f"address {text}: host cannot be empty"
    return None


class _Reader:
    def __init__(self, walker: Walker, version: Version):
        self.w = walker
        self.version = version

    def fields(self, node: yaml.Node | None, section: str, where: str, what: str, subject: str = "") -> dict[str, yaml.Node]:
        """A section's fields: known ones only (as this version knows them), each once."""
        kinds, other, strict = section_fields(section, self.version)
        return self.w.mapping(node, where, set(kinds) if strict else None, what, subject, other)

    def kind(self, section: str, key: str) -> Kind:
        return section_fields(section, self.version)[0].get(key, "any")

    # -- values by kind -----------------------------------------------------------------------

    def value(self, node: yaml.Node | None, kind: Kind, where: str, subject: str = "") -> Any:
        """The Python value of a field (checked against its kind), None where it is unusable."""
        w = self.w
        if isinstance(kind, tuple):
            container, item = kind
            if container == "list":
                return [self.value(n, item, f"{where}[{i}]", subject) for i, n in enumerate(w.sequence(node, where, subject=subject))]
            entries = w.mapping(node, where, None, subject=subject)
            return {k: self.value(v, item, f"{where}.{k}", subject) for k, v in entries.items()}
        if kind in SECTIONS:
            fields = self.fields(node, kind, where, kind.replace("_", " "), subject)
            return {k: self.value(v, self.kind(kind, k), f"{where}.{k}", subject) for k, v in fields.items()}
        if is_null(node):
            return None
        if kind == "any":
            return yaml.load(yaml.serialize(node), Loader=YAML_LOADER)
        if kind == "bool":
            return w.boolean(node, where, subject)
        if kind == "int":
            return w.integer(node, where, subject)
        if kind == "duration":
            return w.duration(node, where, subject)
        text = w.text(node, where, subject)
        if text is None:
            return None
        why = url_problem(text) if kind == "url" else hostport_problem(text) if kind == "hostport" else None
        if kind == "tls_version" and text and text not in _TLS_VERSIONS:
            why = f"unknown TLS version {text!r} (use one of {', '.join(sorted(_TLS_VERSIONS))})"
        if where.endswith("proxy_url") and text.startswith(":"):
            why = f"proxy_url {text!r} has no scheme (write e.g. http://proxy:3128)"
        if why:
            w.report(node, where, why, subject, VALUE)
        return text

    # -- sections -----------------------------------------------------------------------------

    def matchers(self, fields: dict, data: dict, prefix: str, where: str, subject: str) -> tuple[Matcher, ...]:
        """matchers, match and match_re of a route (prefix '') or of an inhibit rule's side."""
        out: list[Matcher] = []
        for legacy, op in (("match", "="), ("match_re", "=~")):
            key = prefix + legacy
            for name, value in (data.get(key) or {}).items():
                why = label_name_problem(name)
                if why:
                    self.w.report(fields[key], f"{where}.{key}.{name}", why, subject, MATCHER)
                    continue
                if value is None and op == "=~":
                    self.w.report(fields[key], f"{where}.{key}.{name}", f"{key}.{name} has no regular expression", subject, MATCHER)
                    continue
                value = value or ""
                if op == "=~":
                    why = regex_problem(value)
                    if why:
                        self.w.report(fields[key], f"{where}.{key}.{name}", why, subject, MATCHER)
                        continue
                out.append(Matcher(name, op, value))
        key = prefix + "matchers"
        entries = fields[key].value if isinstance(fields.get(key), yaml.SequenceNode) else []
        for i, text in enumerate(data.get(key) or []):
            parsed, why = parse_matchers(text or "")
            if why:
                self.w.report(entries[i] if i < len(entries) else fields[key], f"{where}.{key}[{i}]", why, subject, MATCHER)
            out += parsed
        return tuple(out)

    def route(self, node: yaml.Node | None, where: str) -> Route:
        fields = self.fields(node, "route", where, "a route")
        data = {k: self.value(v, self.kind("route", k), f"{where}.{k}") for k, v in fields.items() if k != "routes"}
        subject = data.get("receiver") or where
        group_by = data.get("group_by")
        if group_by is not None:
            seen: set[str] = set()
            for i, label in enumerate(group_by):
                if label in seen:
                    self.w.report(fields["group_by"], f"{where}.group_by[{i}]", f"label {label!r} is in group_by twice", subject, GROUP_BY)
                seen.add(label)
                why = label_name_problem(label) if label != "..." else None
                if why:
                    self.w.report(fields["group_by"], f"{where}.group_by[{i}]", f"group_by: {why}", subject, GROUP_BY)
            if "..." in group_by and len(group_by) > 1:
                self.w.report(fields["group_by"], f"{where}.group_by", "group_by '...' (every label) cannot be combined with other labels", subject, GROUP_BY)
        for key in ("group_interval", "repeat_interval"):
            if key in data and data[key] is not None and is_zero(data[key]):
                self.w.report(fields[key], f"{where}.{key}", f"{key} cannot be zero", subject, VALUE)
        children = tuple(
            self.route(child, f"{where}.routes[{i}]") for i, child in enumerate(self.w.sequence(fields.get("routes"), f"{where}.routes", "routes"))
        )
        return Route(
            receiver=data.get("receiver") or None,
            group_by=tuple(group_by) if group_by is not None else None,
            matchers=self.matchers(fields, data, "", where, subject),
            group_wait=data.get("group_wait"),
            group_interval=data.get("group_interval"),
            repeat_interval=data.get("repeat_interval"),
            mute_time_intervals=tuple(x for x in data.get("mute_time_intervals") or () if x is not None),
            active_time_intervals=tuple(x for x in data.get("active_time_intervals") or () if x is not None),
            continue_=bool(data.get("continue")),
            routes=children,
            line=line(node),
        )

    def inhibit_rule(self, node: yaml.Node, where: str) -> InhibitRule:
        fields = self.fields(node, "inhibit_rule", where, "an inhibit rule")
        data = {k: self.value(v, self.kind("inhibit_rule", k), f"{where}.{k}") for k, v in fields.items()}
        equal = tuple(x for x in data.get("equal") or () if x is not None)
        for i, label in enumerate(equal):
            why = label_name_problem(label)
            if why:
                self.w.report(fields["equal"], f"{where}.equal[{i}]", why, code=MATCHER)
        return InhibitRule(
            self.matchers(fields, data, "source_", where, ""), self.matchers(fields, data, "target_", where, ""), equal, line(node)
        )

    def time_interval(self, node: yaml.Node, where: str) -> TimeInterval | None:
        fields = self.fields(node, "time_interval", where, "a time interval")
        name = self.value(fields.get("name"), "str", f"{where}.name") or ""
        if not name:
            self.w.report(node, f"{where}.name", "a time interval needs a name", code=TIME_INTERVAL)
        specs = []
        entries = self.w.sequence(fields.get("time_intervals"), f"{where}.time_intervals", "time interval entries", name)
        for i, entry in enumerate(entries):
            path = f"{where}.time_intervals[{i}]"
            data = self.value(entry, "time_interval_spec", path, name)
            try:
                parse_entry(data)
            except IntervalError as exc:
                self.w.report(entry, f"{path}.{exc.where}" if exc.where else path, str(exc), name, TIME_INTERVAL)
            except ValueError as exc:
                self.w.report(entry, path, str(exc), name, TIME_INTERVAL)
            if data.get("location"):
                why = location_problem(data["location"])
                if why:
                    self.w.report(entry, f"{path}.location", why, name, TIME_INTERVAL)
            times = tuple(TimeRange(t.get("start_time") or "", t.get("end_time") or "") for t in data["times"]) if data.get("times") is not None else None
            specs.append(TimeSpec(
                times=times,
                **{k: tuple(str(x) for x in data[k]) if data.get(k) is not None else None for k in ("weekdays", "days_of_month", "months", "years")},
                location=data.get("location"),
            ))
        return TimeInterval(name, tuple(specs), line(node))

    def receiver(self, node: yaml.Node, where: str, global_: dict) -> Receiver:
        fields = self.fields(node, "receiver", where, "a receiver")
        name = self.value(fields.get("name"), "str", f"{where}.name") or ""
        if not name:
            self.w.report(node, f"{where}.name", "a receiver needs a name", code=RECEIVER)
        integrations = []
        for kind in (k for k in fields if k.endswith("_configs")):
            section = kind[: -len("_configs")]
            for i, item in enumerate(self.w.sequence(fields[kind], f"{where}.{kind}", kind, name)):
                settings = self.value(item, section if section in SECTIONS else "any", f"{where}.{kind}[{i}]", name)
                # What an integration cannot go without is known exactly for the versions the tables describe.
                checked = isinstance(settings, dict) and self.version <= TABLES
                why = integration_problem(kind, settings, global_) if checked else None
                if why:
                    self.w.report(item, f"{where}.{kind}[{i}]", why, name, INTEGRATION)
                integrations.append(Integration(kind, settings))
        return Receiver(name, tuple(integrations), line(node))


def _has(settings: dict, *keys: str) -> bool:
    return any(settings.get(k) not in (None, "") for k in keys)


def _both(settings: dict, a: str, b: str) -> str | None:
    return f"at most one of {a} and {b} can be set" if _has(settings, a) and _has(settings, b) else None


def integration_problem(kind: str, s: dict, g: dict) -> str | None:
    """What Alertmanager 0.25 refuses in one integration's settings (with the global defaults)."""
    if kind == "email_configs":
        if not _has(s, "to"):
            return "missing to address in email config"
        if not _has(s, "smarthost") and not _has(g, "smtp_smarthost"):
            return "no smarthost in the email config and no global smtp_smarthost"
        if not _has(s, "from") and not _has(g, "smtp_from"):
            return "no from address in the email config and no global smtp_from"
        headers = [h.lower() for h in s.get("headers") or {}]
        if len(headers) != len(set(headers)):
            return "an email header is given twice (header names are case-insensitive)"
        return _both(s, "auth_password", "auth_password_file")
    if kind == "pagerduty_configs":
        if not _has(s, "routing_key", "routing_key_file", "service_key", "service_key_file"):
            return "missing service or routing key in PagerDuty config"
        return _both(s, "routing_key", "routing_key_file") or _both(s, "service_key", "service_key_file")
    if kind == "slack_configs":
        if not _has(s, "api_url", "api_url_file") and not _has(g, "slack_api_url", "slack_api_url_file"):
            return "no api_url or api_url_file in the Slack config and no global slack_api_url"
        for action in s.get("actions") or []:
            if not _has(action, "type") or not _has(action, "text") or not _has(action, "url", "name"):
                return "a Slack action needs type, text, and url or name"
        for item in s.get("fields") or []:
            if not _has(item, "title") or not _has(item, "value"):
                return "a Slack field needs title and value"
        return _both(s, "api_url", "api_url_file")
    if kind == "opsgenie_configs":
        if not _has(s, "api_key", "api_key_file") and not _has(g, "opsgenie_api_key", "opsgenie_api_key_file"):
            return "no api_key in the OpsGenie config and no global opsgenie_api_key"
        for responder in s.get("responders") or []:
            if not _has(responder, "id", "name", "username"):
                return "an OpsGenie responder needs id, name or username"
            kind_ = responder.get("type") or ""
            if "{{" not in kind_ and kind_ not in _RESPONDER_TYPES:
                return f"OpsGenie responder type {kind_!r} is not one of {', '.join(sorted(_RESPONDER_TYPES))}"
        return _both(s, "api_key", "api_key_file")
    if kind == "wechat_configs":
        if not _has(s, "api_secret") and not _has(g, "wechat_api_secret"):
            return "no api_secret in the WeChat config and no global wechat_api_secret"
        if not _has(s, "corp_id") and not _has(g, "wechat_api_corp_id"):
            return "no corp_id in the WeChat config and no global wechat_api_corp_id"
        if (s.get("message_type") or "text") not in ("text", "markdown"):
            return f"WeChat message_type {s['message_type']!r} is not text or markdown"
        return None
    if kind == "victorops_configs":
        if not _has(s, "api_key", "api_key_file") and not _has(g, "victorops_api_key", "victorops_api_key_file"):
            return "no api_key in the VictorOps config and no global victorops_api_key"
        if not _has(s, "routing_key"):
            return "missing routing_key in VictorOps config"
        reserved = sorted(_VICTOROPS_RESERVED & set(s.get("custom_fields") or {}))
        return f"VictorOps custom field {reserved[0]!r} is one of its fixed fields" if reserved else None
    if kind == "pushover_configs":
        if not _has(s, "user_key"):
            return "missing user_key in Pushover config"
        return None if _has(s, "token") else "missing token in Pushover config"
    if kind == "sns_configs":
        a, b, c = (not _has(s, k) for k in ("target_arn", "topic_arn", "phone_number"))
        return "an SNS config needs exactly one of target_arn, topic_arn and phone_number" if (a != b) != c else None
    if kind == "telegram_configs":
        if not _has(s, "bot_token"):
            return "missing bot_token in Telegram config"
        if not s.get("chat_id"):
            return "missing chat_id in Telegram config"
        if (s.get("parse_mode") or "") not in ("", "MarkdownV2", "Markdown", "HTML"):
            return f"Telegram parse_mode {s['parse_mode']!r} is not MarkdownV2, Markdown or HTML"
        return None
    if kind == "discord_configs":
        return None if _has(s, "webhook_url") else "missing webhook_url in Discord config"
    if kind == "webex_configs":
        if not _has(s, "room_id"):
            return "missing room_id in Webex config"
        if not ((s.get("http_config") or {}).get("authorization")):
            return "a Webex config needs http_config.authorization"
        return None
    if kind == "webhook_configs":
        return None if _has(s, "url") else "missing url in webhook config"
    return None


def _paths(route: Route, path: str):
    """(path in the document, route) of a route and every route below it, depth first."""
    yield path, route
    for i, child in enumerate(route.routes):
        yield from _paths(child, f"{path}.routes[{i}]")


def read_alertmanager_document(root: yaml.Node | None, walker: Walker, version: Version = ALERTMANAGER) -> AlertmanagerConfig | None:
    reader = _Reader(walker, version)
    if is_null(root):
        walker.report(root, "", "an empty file: no route and no receivers")
        return None
    fields = reader.fields(root, "config", "", "an Alertmanager configuration")
    if not isinstance(root, yaml.MappingNode):
        return None
    global_ = reader.value(fields["global"], "global", "global") if "global" in fields else None
    g = global_ or {}
    for a, b in (("slack_api_url", "slack_api_url_file"), ("opsgenie_api_key", "opsgenie_api_key_file"),
                 ("victorops_api_key", "victorops_api_key_file"), ("smtp_auth_password", "smtp_auth_password_file")):
        why = _both(g, a, b)
        if why:
            walker.report(fields["global"], f"global.{b}", why, code=VALUE)
    receivers = tuple(
        reader.receiver(node, f"receivers[{peek(node, 'name') or i}]", g)  # by name, as amlint says it
        for i, node in enumerate(walker.sequence(fields.get("receivers"), "receivers", "receivers"))
    )
    names: dict[str, int | None] = {}
    for receiver in receivers:
        if receiver.name in names:
            walker.report_at(receiver.line, f"receivers[{receiver.name}].name", f"receiver {receiver.name!r} is defined twice (first on line {names[receiver.name]})", receiver.name, RECEIVER)
        names.setdefault(receiver.name, receiver.line)
    intervals: dict[str, TimeInterval] = {}
    sections: dict[str, tuple[TimeInterval, ...]] = {}
    for key in ("mute_time_intervals", "time_intervals"):
        read = []
        for i, node in enumerate(walker.sequence(fields.get(key), key, "time intervals")):
            interval = reader.time_interval(node, f"{key}[{i}]")
            if interval is None:
                continue
            if interval.name in intervals:
                walker.report(node, f"{key}[{i}].name", f"time interval {interval.name!r} is defined twice", interval.name, TIME_INTERVAL)
            intervals.setdefault(interval.name, interval)
            read.append(interval)
        sections[key] = tuple(read)
    inhibit_rules = tuple(
        reader.inhibit_rule(node, f"inhibit_rules[{i}]") for i, node in enumerate(walker.sequence(fields.get("inhibit_rules"), "inhibit_rules", "inhibit rules"))
    )
    templates = tuple(t for t in reader.value(fields.get("templates"), ("list", "str"), "templates") or () if t)
    if is_null(fields.get("route")):
        walker.report(root, "route", "no route: the configuration needs a root route with a receiver", code=ROOT_ROUTE)
        route = Route()
    else:
        route = reader.route(fields["route"], "route")
        if not route.receiver:
            walker.report(fields["route"], "route.receiver", "the root route needs a receiver (the default for every alert)", code=ROOT_ROUTE)
        if route.matchers:
            walker.report(fields["route"], "route", "the root route cannot have matchers: every alert starts there", code=ROOT_ROUTE)
        if route.mute_time_intervals or route.active_time_intervals:
            walker.report(fields["route"], "route", "the root route cannot have mute or active time intervals", code=ROOT_ROUTE)
        if route.continue_:
            walker.report(fields["route"], "route.continue", "the root route cannot have continue", code=ROOT_ROUTE)
    for path, node in _paths(route, "route"):
        if node.receiver and node.receiver not in names:
            walker.report_at(node.line, f"{path}.receiver", f"a route uses receiver {node.receiver!r}, which is not defined{hint(node.receiver, names)}",
                             node.receiver, RECEIVER)
        for key, used in (("mute_time_intervals", node.mute_time_intervals), ("active_time_intervals", node.active_time_intervals)):
            for name in used:
                if name not in intervals:
                    walker.report_at(node.line, f"{path}.{key}", f"a route uses time interval {name!r}, which is not defined{hint(name, intervals)}",
                                     node.receiver or "", TIME_INTERVAL)
    return AlertmanagerConfig(
        route=route,
        receivers=receivers,
        inhibit_rules=inhibit_rules,
        time_intervals=sections.get("time_intervals", ()),
        global_=global_,
        templates=templates,
        mute_time_intervals=sections.get("mute_time_intervals", ()),
    )

