"""Checks on Alertmanager configs: what amtool refuses, amlint's findings, and the alerts
behind the routes.

The artifacts reader's problems (unknown keys by version, keys given twice, values of the
wrong kind, bad durations, URLs and addresses) are errors; amlint (PyPI) does the
Alertmanager semantics, and this module maps its codes to obsgen rule ids and severities.
Where both find a fault amtool refuses the file for (an undefined receiver, a bad regex, an
integration without its key), the reader's is the one reported: it is held to amtool's
verdicts by tests/test_artifact_reader.py. It adds what needs the rule files next to
the config: alerts that no route reaches. A config is paired with the rule files of its own
folder tree (its system), never with every rule file in the run.
"""

from __future__ import annotations

from pathlib import Path

from amlint import linter as amlint_linter
from amlint.explains import EXPLAINS
from amlint.formats import FormatError, apply_locations, load_input
from amlint.routing import Router, RoutingError
from amlint.rules import AlertRule

from ..artifacts.read import nodes as problem
from ..artifacts.read.alertmanager_schema import TABLES
from .findings import ERROR, INFO, WARNING, Collector, Finding, Rule, rule
from .rules import alert_rules
from .settings import Settings
from .sources import DUPLICATE_KEY, UNREADABLE, AlertmanagerFile, RuleFile

UNKNOWN_KEY = rule("alertmanager/unknown-key", ERROR, "A key this Alertmanager version does not know (a misspelling, or a newer field): amtool check-config fails.")
STRUCTURE = rule("alertmanager/structure", ERROR, "A config amtool check-config refuses: a section or value of the wrong kind, a bad duration, URL, address, matcher or regex, a receiver or time interval undefined or defined twice, an integration without its key.")
# The reader's problem codes (obsgen.artifacts.read) as lint rules; the rest are STRUCTURE.
PROBLEMS: dict[str, Rule] = {problem.UNKNOWN_KEY: UNKNOWN_KEY, problem.DUPLICATE_KEY: DUPLICATE_KEY}
# Problems with one field: reported about the section holding it; the others are about the object at their path.
FIELD_PROBLEMS = frozenset({problem.UNKNOWN_KEY, problem.DUPLICATE_KEY, problem.STRUCTURE, problem.DURATION, problem.VALUE})

UNROUTED = rule("routing/unrouted-alert", WARNING, "An alert no child route matches: it only reaches the root (catch-all) receiver.")
UNUSED_RECEIVER = rule("routing/unused-receiver", WARNING, "A receiver no route uses (amlint unused-receiver).")
LITERAL_SECRET = rule("routing/literal-secret", ERROR, "A secret written into the config instead of a *_file path (amlint plaintext-secret, and every secret field).")

_LEVELS = {amlint_linter.ERROR: ERROR, amlint_linter.WARN: WARNING, amlint_linter.INFO: INFO}
# amlint codes obsgen reports under its own id and severity; the rest pass through as amlint/<code>.
RENAMED = {"unused-receiver": UNUSED_RECEIVER, "plaintext-secret": LITERAL_SECRET}
# Reported per alert, with the rule's file and line, by UNROUTED instead; or a refusal of
# amtool's that the reader reports (once, parity-tested against amtool: alertmanager/structure).
REPLACED = {
    "alert-hits-default-receiver", "duplicate-receiver", "undefined-receiver", "bad-regex", "bad-matcher", "bad-match-label",
    "bad-time-interval", "undefined-time-interval", "no-root-route", "invalid-root-route", "groupby-ellipsis",
}
# What an integration cannot go without: the reader's for the versions its tables describe, amlint's for later ones.
INTEGRATIONS_READ = {
    "discord-no-webhook-url", "email-no-smarthost", "opsgenie-no-api-key", "pagerduty-no-routing-key", "slack-no-api-url",
    "sns-no-target", "telegram-no-bot-token", "victorops-no-api-key", "webhook-no-url", "wechat-no-corp-id",
}
AMLINT_RULES = {
    code: rule(f"amlint/{code}", _LEVELS[entry["level"].split()[0]], f"amlint: {entry['summary']}")
    for code, entry in sorted(EXPLAINS.items())
    if code not in RENAMED and code not in REPLACED
}

# Alertmanager's <secret> fields, each of which has a *_file (or file-based) alternative.
SECRET_FIELDS = frozenset({
    "slack_api_url", "api_url", "routing_key", "service_key", "smtp_auth_password", "smtp_auth_secret",
    "auth_password", "auth_secret", "opsgenie_api_key", "victorops_api_key", "api_key", "user_key", "token",
    "bot_token", "webhook_url", "wechat_api_secret", "api_secret", "password", "credentials", "bearer_token",
    "client_secret", "secret_key",
})


def rules_for(config: AlertmanagerFile, rule_files: list[RuleFile]) -> list[RuleFile]:
    """The rule files whose alerts reach this config: those in its folder tree (its system)."""
    folder = config.path.resolve().parent
    return [r for r in rule_files if folder in r.path.resolve().parents]


def _is_blackhole(where: str) -> bool:
    """A receiver named to drop alerts on purpose: receivers[null], receivers[blackhole]..."""
    name = where.partition("[")[2].rstrip("]").lower()
    return any(word in name for word in ("null", "blackhole", "devnull", "discard", "drop", "void", "none"))


def _alerts(rule_files: list[RuleFile]) -> list[AlertRule]:
    """amlint's view of the alerts (the labels they are sure to carry), from files already read."""
    alerts = []
    for source in rule_files:
        for name, labels, _, line in alert_rules(source):
            fixed = {k: v for k, v in labels.items() if k != "alertname" and v and "{{" not in v}
            unknown = frozenset(k for k, v in labels.items() if k != "alertname" and "{{" in v)
            alerts.append(AlertRule(name, {"alertname": name, **fixed}, unknown, str(source.path), line or 0))
    return alerts


def _secrets(value, where: str):
    """(where, field) of every secret field set to a literal value."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_FIELDS and isinstance(item, str) and item.strip():
                yield where, key
            else:
                yield from _secrets(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            label = item.get("name") if isinstance(item, dict) and where == "receivers" else i
            yield from _secrets(item, f"{where}[{label}]")


def _unrouted(out: Collector, loaded, alerts, display: dict[str, str]) -> None:
    route = loaded.cfg.get("route")
    if not isinstance(route, dict) or not route.get("routes"):
        return  # no child routes: the root receiver is the only one, by design
    try:
        router = Router(route)
    except RoutingError:
        return  # amlint reports why
    from_rules = {label for a in alerts for label in (*a.labels, *a.unknown)}
    matched = {m[0] for node, _ in amlint_linter._walk_routes(route) for m in amlint_linter._matchers(node)}
    runtime = matched - from_rules  # set by the series or external labels: unknown here
    for alert in alerts:
        matches = router.match_partial(alert.labels, alert.unknown | runtime)
        if matches is not None and [m.path for m in matches] == [("route",)]:
            labels = ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items()) if k != "alertname")
            out.findings.append(Finding(
                UNROUTED.id, UNROUTED.severity, display.get(alert.file, alert.file),
                f"no route matches {{{labels}}}; it only reaches the root receiver {matches[0].receiver!r} of {out.path}",
                alert.line, alert.name,
            ))


def check_alertmanager_file(source: AlertmanagerFile, rule_files: list[RuleFile], settings: Settings = Settings()) -> list[Finding]:
    out = Collector(source.display)
    try:
        loaded = load_input(source.text, "alertmanager", path=str(source.path))
    except FormatError as exc:
        out.add(UNREADABLE, f"amlint cannot read it: {exc}")
        _reader_problems(out, source)
        return out.findings
    near = rules_for(source, rule_files)
    display = {str(r.path): r.display for r in near}
    alerts = _alerts(near)
    reported_secrets: set[int | None] = set()
    for where, key in _secrets(loaded.cfg, ""):
        line, _ = loaded.locate(where)
        reported_secrets.add(line)
        out.add(LITERAL_SECRET, f"{where}.{key} is written into the file; use {key}_file and let the deployment provide it", line, where)
    findings = apply_locations(amlint_linter.lint(loaded.cfg, basedir=str(Path(source.path).parent), rules=alerts or None), loaded)
    replaced = REPLACED | (INTEGRATIONS_READ if settings.alertmanager <= TABLES else set())
    for f in findings:
        if f.code in replaced or (f.code == "plaintext-secret" and f.line in reported_secrets):
            continue
        known = RENAMED.get(f.code) or AMLINT_RULES.get(f.code) or rule(f"amlint/{f.code}", _LEVELS[f.level], f"amlint: {f.code}")
        blackhole = f.code == "empty-receiver" and _is_blackhole(f.where)
        out.add(known, f"{f.msg}", f.line, f.where, severity=INFO if blackhole else None)
    _unrouted(out, loaded, alerts, display)
    _reader_problems(out, source)
    return out.findings


def _section(where: str) -> str:
    """The section a field is in: 'route.routes[0]' for 'route.routes[0].group_wait'."""
    return where.rsplit(".", 1)[0] if "." in where else ""


def _reader_problems(out: Collector, source: AlertmanagerFile) -> None:
    """Why amtool refuses the file, as the reader found it."""
    for found in source.problems:
        message = f"{found.where}: {found.message}" if found.where and found.code != problem.UNKNOWN_KEY else found.message
        subject = _section(found.where) if found.code in FIELD_PROBLEMS else found.where
        out.add(PROBLEMS.get(found.code, STRUCTURE), message, found.line, subject)
