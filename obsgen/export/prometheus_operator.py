"""Target `prometheus-operator`: a PrometheusRule per rule file and an AlertmanagerConfig
(monitoring.coreos.com/v1alpha1) per system, receivers' secrets as Secret references.

The operator rewrites every AlertmanagerConfig before Alertmanager sees it (operator 0.93,
pkg/alertmanager/amcfg.go, strategy OnNamespace, Alertmanager >= 0.22): receivers and time
intervals are renamed `<namespace>/<name>/<x>`, the top route gets a `namespace="<ns>"`
matcher and `continue: true` and goes first under the Alertmanager's own root route, and
every inhibit rule gets `namespace="<ns>"` on both sides. `operator_alertmanager_config`
does the same to the exported objects, so obsgen test can prove the routing still holds
after it. Alerts carry the namespace label because every alerting rule of the
PrometheusRules sets it (as a Prometheus `enforcedNamespaceLabel` would).
"""

from __future__ import annotations

from typing import Any

from ..artifacts import AlertmanagerConfig, InhibitRule, Matcher, Route, TimeInterval, TimeSpec
from ..artifacts.write import rule_file_data
from .compiled import Compiled
from .kubernetes import manifest, manifests, object_labels, object_name
from .secrets import secret_key
from .targets import ExportError, ExportOptions, target

API_V1 = "monitoring.coreos.com/v1"
API_V1ALPHA1 = "monitoring.coreos.com/v1alpha1"
NAMESPACE_LABEL = "namespace"

# Per integration: (Alertmanager key, AlertmanagerConfig key, is a Secret reference).
# A secret's Alertmanager key is the file form obsgen writes (api_url_file...).
FIELDS: dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]] = {
    "slack_configs": ("slackConfigs", (
        ("api_url_file", "apiURL", True), ("channel", "channel", False), ("send_resolved", "sendResolved", False),
        ("username", "username", False), ("color", "color", False), ("title", "title", False),
        ("title_link", "titleLink", False), ("pretext", "pretext", False), ("text", "text", False),
        ("footer", "footer", False), ("fallback", "fallback", False), ("icon_emoji", "iconEmoji", False),
        ("icon_url", "iconURL", False), ("link_names", "linkNames", False),
    )),
    "pagerduty_configs": ("pagerdutyConfigs", (
        ("routing_key_file", "routingKey", True), ("service_key_file", "serviceKey", True),
        ("send_resolved", "sendResolved", False), ("url", "url", False), ("client", "client", False),
        ("client_url", "clientURL", False), ("description", "description", False), ("severity", "severity", False),
        ("class", "class", False), ("component", "component", False), ("group", "group", False),
    )),
    "email_configs": ("emailConfigs", (
        ("to", "to", False), ("from", "from", False), ("smarthost", "smarthost", False), ("hello", "hello", False),
        ("auth_username", "authUsername", False), ("auth_password_file", "authPassword", True),
        ("auth_identity", "authIdentity", False), ("require_tls", "requireTLS", False),
        ("send_resolved", "sendResolved", False), ("html", "html", False), ("text", "text", False),
    )),
    "webhook_configs": ("webhookConfigs", (
        ("url", "url", False), ("url_file", "urlSecret", True), ("send_resolved", "sendResolved", False),
        ("max_alerts", "maxAlerts", False),
    )),
}


def secret_name(system: str) -> str:
    """The Secret that holds a system's receiver secrets, one key per secret file."""
    return object_name("obsgen", system, "receivers")


def config_name(system: str) -> str:
    return object_name(system)


# -- AlertmanagerConfig from the typed config ------------------------------------------------


def _matchers(matchers: tuple[Matcher, ...]) -> list[dict[str, str]]:
    return [{"name": m.name, "value": m.value, "matchType": m.op} for m in matchers]


def _route(route: Route) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if route.receiver is not None:
        out["receiver"] = route.receiver
    if route.group_by is not None:
        out["groupBy"] = list(route.group_by)
    for key, camel in (("group_wait", "groupWait"), ("group_interval", "groupInterval"), ("repeat_interval", "repeatInterval")):
        if getattr(route, key) is not None:
            out[camel] = getattr(route, key)
    if route.matchers:
        out["matchers"] = _matchers(route.matchers)
    if route.continue_:
        out["continue"] = True
    if route.mute_time_intervals:
        out["muteTimeIntervals"] = list(route.mute_time_intervals)
    if route.active_time_intervals:
        out["activeTimeIntervals"] = list(route.active_time_intervals)
    if route.routes:
        out["routes"] = [_route(r) for r in route.routes]
    return out


def _inhibit_rule(rule: InhibitRule) -> dict[str, Any]:
    out: dict[str, Any] = {"sourceMatch": _matchers(rule.source_matchers), "targetMatch": _matchers(rule.target_matchers)}
    if rule.equal:
        out["equal"] = list(rule.equal)
    return out


def _day_range(text: str) -> dict[str, int]:
    start, _, end = text.partition(":")
    return {"start": int(start), "end": int(end or start)}


def _time_spec(interval: TimeInterval, spec: TimeSpec) -> dict[str, Any]:
    if spec.location not in (None, "UTC", "Etc/UTC"):
        raise ExportError(
            f"time interval {interval.name!r}, field location: {spec.location!r} cannot be expressed in an AlertmanagerConfig "
            "(v1alpha1 time intervals are always UTC); write the interval in UTC"
        )
    out: dict[str, Any] = {}
    if spec.times is not None:
        out["times"] = [{"startTime": t.start_time, "endTime": t.end_time} for t in spec.times]
    if spec.weekdays is not None:
        out["weekdays"] = list(spec.weekdays)
    if spec.days_of_month is not None:
        out["daysOfMonth"] = [_day_range(d) for d in spec.days_of_month]
    if spec.months is not None:
        out["months"] = list(spec.months)
    if spec.years is not None:
        out["years"] = list(spec.years)
    return out


def _receiver(receiver, system: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": receiver.name}
    for integration in receiver.integrations:
        if integration.kind not in FIELDS:
            raise ExportError(f"receiver {receiver.name!r}, field {integration.kind}: the AlertmanagerConfig exporter does not know this integration")
        camel_kind, fields = FIELDS[integration.kind]
        known = {snake: (camel, secret) for snake, camel, secret in fields}
        item: dict[str, Any] = {}
        for key, value in integration.settings.items():
            if key not in known:
                raise ExportError(f"receiver {receiver.name!r}, field {integration.kind}.{key}: no AlertmanagerConfig field for it")
            camel, secret = known[key]
            item[camel] = {"name": secret_name(system), "key": secret_key(str(value))} if secret else value
        out.setdefault(camel_kind, []).append(item)
    return out


def alertmanager_config_spec(config: AlertmanagerConfig, system: str) -> dict[str, Any]:
    extra_global = {k: v for k, v in (config.global_ or {}).items() if k != "resolve_timeout"}
    if extra_global:
        raise ExportError(f"alertmanager global settings {sorted(extra_global)}: set them on the Alertmanager resource, not an AlertmanagerConfig")
    if config.templates:
        raise ExportError("alertmanager templates: an AlertmanagerConfig cannot carry template files")
    spec: dict[str, Any] = {"route": _route(config.route), "receivers": [_receiver(r, system) for r in config.receivers]}
    if config.inhibit_rules:
        spec["inhibitRules"] = [_inhibit_rule(r) for r in config.inhibit_rules]
    intervals = config.mute_time_intervals + config.time_intervals
    if intervals:
        spec["muteTimeIntervals"] = [{"name": t.name, "timeIntervals": [_time_spec(t, s) for s in t.time_intervals]} for t in intervals]
    return spec


# -- PrometheusRule from the typed rule files ------------------------------------------------


def prometheus_rule_spec(rule_file, namespace: str) -> dict[str, Any]:
    """The rule file's groups; each alerting rule labelled with the namespace its routes match."""
    data = rule_file_data(rule_file)
    for group in data["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                rule["labels"] = {**rule.get("labels", {}), NAMESPACE_LABEL: namespace}
    return data


def rule_object_name(system: str, file_name: str) -> str:
    return object_name(system, file_name.removesuffix(".yml"))


@target("prometheus-operator", "a PrometheusRule per rule file and an AlertmanagerConfig (v1alpha1) per system")
def export_prometheus_operator(compiled: Compiled, options: ExportOptions) -> dict[str, bytes]:
    system = compiled.system.name
    namespace = options.namespace_for(compiled)
    labels = object_labels(compiled, options)
    objects = [
        manifest(API_V1, "PrometheusRule", rule_object_name(system, name), namespace, labels, prometheus_rule_spec(rule_file, namespace))
        for name, rule_file in compiled.rule_files.items()
    ]
    objects.append(
        manifest(API_V1ALPHA1, "AlertmanagerConfig", config_name(system), namespace, labels, alertmanager_config_spec(compiled.alertmanager, system),
                 annotations={"obsgen/receiver-secret": secret_name(system)})
    )
    return manifests(objects, compiled)


# -- what the operator makes of an AlertmanagerConfig -----------------------------------------


def _am_matchers(items: list[dict[str, Any]]) -> list[str]:
    return [str(Matcher(m["name"], m.get("matchType", "="), m.get("value", ""))) for m in items]


def _prefixed(obj: dict[str, Any], name: str) -> str:
    return f"{obj['metadata']['namespace']}/{obj['metadata']['name']}/{name}"


def _am_route(route: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "receiver" in route:
        out["receiver"] = _prefixed(obj, route["receiver"])
    if "groupBy" in route:
        out["group_by"] = list(route["groupBy"])
    for camel, key in (("groupWait", "group_wait"), ("groupInterval", "group_interval"), ("repeatInterval", "repeat_interval")):
        if camel in route:
            out[key] = route[camel]
    if route.get("matchers"):
        out["matchers"] = _am_matchers(route["matchers"])
    if route.get("continue"):
        out["continue"] = True
    for camel, key in (("muteTimeIntervals", "mute_time_intervals"), ("activeTimeIntervals", "active_time_intervals")):
        if route.get(camel):
            out[key] = [_prefixed(obj, n) for n in route[camel]]
    if route.get("routes"):
        out["routes"] = [_am_route(r, obj) for r in route["routes"]]
    return out


def _am_receiver(receiver: dict[str, Any], obj: dict[str, Any], secrets: dict[tuple[str, str], str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": _prefixed(obj, receiver["name"])}
    for kind, (camel_kind, fields) in FIELDS.items():
        for item in receiver.get(camel_kind, []):
            converted: dict[str, Any] = {}
            for snake, camel, secret in fields:
                if camel not in item:
                    continue
                if secret:  # the operator reads the Secret and writes the value inline
                    ref = item[camel]
                    converted[snake.removesuffix("_file")] = secrets[(ref["name"], ref["key"])]
                else:
                    converted[snake] = item[camel]
            out.setdefault(kind, []).append(converted)
    return out


def _am_time_spec(spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "times" in spec:
        out["times"] = [{"start_time": t["startTime"], "end_time": t["endTime"]} for t in spec["times"]]
    if "weekdays" in spec:
        out["weekdays"] = list(spec["weekdays"])
    if "daysOfMonth" in spec:
        out["days_of_month"] = [f"{d['start']}:{d['end']}" for d in spec["daysOfMonth"]]
    for key in ("months", "years"):
        if key in spec:
            out[key] = list(spec[key])
    return out


def operator_alertmanager_config(objects: list[dict[str, Any]], secrets: dict[tuple[str, str], str],
                                 base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The alertmanager.yml the operator generates from AlertmanagerConfig objects.

    base is the Alertmanager's own configuration (default: the operator's, a root route
    to a receiver named "null"); secrets maps (Secret name, key) to the value it holds.
    """
    config = dict(base or {"route": {"receiver": "null"}, "receivers": [{"name": "null"}]})
    config["route"] = dict(config["route"])
    sub_routes, receivers, inhibit_rules, intervals = [], list(config["receivers"]), list(config.get("inhibit_rules", [])), []
    for obj in sorted(objects, key=lambda o: (o["metadata"]["namespace"], o["metadata"]["name"])):
        spec, namespace = obj["spec"], obj["metadata"]["namespace"]
        enforced = str(Matcher(NAMESPACE_LABEL, "=", namespace))
        for rule in spec.get("inhibitRules", []):
            converted = {"source_matchers": _am_matchers(rule.get("sourceMatch", [])), "target_matchers": _am_matchers(rule.get("targetMatch", []))}
            for side in ("source_matchers", "target_matchers"):
                if enforced not in converted[side]:
                    converted[side].append(enforced)
            if rule.get("equal"):
                converted["equal"] = list(rule["equal"])
            inhibit_rules.append(converted)
        if "route" in spec:
            route = _am_route(spec["route"], obj)
            route["matchers"] = route.get("matchers", []) + [enforced]
            route["continue"] = True
            sub_routes.append(route)
        receivers += [_am_receiver(r, obj, secrets) for r in spec.get("receivers", [])]
        intervals += [{"name": _prefixed(obj, t["name"]), "time_intervals": [_am_time_spec(s) for s in t.get("timeIntervals", [])]}
                      for t in spec.get("muteTimeIntervals", [])]
    config["route"]["routes"] = sub_routes + list(config["route"].get("routes", []))
    config["receivers"] = receivers
    if inhibit_rules:
        config["inhibit_rules"] = inhibit_rules
    if intervals:
        config["mute_time_intervals"] = list(config.get("mute_time_intervals", [])) + intervals
    return config
