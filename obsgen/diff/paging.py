"""Who an alert reaches under one side's Alertmanager configuration, and what silences it.

Routes are walked by obsgen's in-process Alertmanager (verify/routing.py, held to amtool
by `obsgen test`). A receiver is named by where it delivers (a Slack channel, a PagerDuty
routing key, an address), so a receiver that keeps its name but pages another service is
someone else. Secrets are compared, never shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..artifacts import AlertmanagerConfig, Receiver
from ..verify.routing import Alertmanager
from .identity import RuleEntry

PAGING = {"pagerduty_configs", "opsgenie_configs", "victorops_configs"}
KINDS = {
    "pagerduty_configs": "PagerDuty", "opsgenie_configs": "Opsgenie", "victorops_configs": "VictorOps", "slack_configs": "Slack",
    "email_configs": "email", "webhook_configs": "webhook", "msteams_configs": "Teams", "discord_configs": "Discord",
    "telegram_configs": "Telegram", "pushover_configs": "Pushover", "sns_configs": "SNS", "wechat_configs": "WeChat",
    "webex_configs": "Webex",
}
# Settings that say where a notification goes; the rest (titles, templates) say how it reads.
ADDRESS = {
    "pagerduty_configs": ("routing_key", "routing_key_file", "service_key", "service_key_file", "url"),
    "opsgenie_configs": ("api_key", "api_key_file", "api_url", "responders"),
    "victorops_configs": ("api_key", "api_key_file", "routing_key", "api_url"),
    "slack_configs": ("api_url", "api_url_file", "channel"),
    "email_configs": ("to",),
    "webhook_configs": ("url", "url_file"),
    "msteams_configs": ("webhook_url", "webhook_url_file"),
    "discord_configs": ("webhook_url", "webhook_url_file"),
    "telegram_configs": ("bot_token", "bot_token_file", "chat_id"),
    "pushover_configs": ("user_key", "user_key_file", "token", "token_file"),
    "sns_configs": ("topic_arn", "target_arn", "phone_number"),
    "wechat_configs": ("to_user", "to_party", "to_tag", "agent_id"),
    "webex_configs": ("room_id",),
}
SECRET = ("key", "token", "password", "secret", "api_url", "webhook_url", "url")  # value hidden unless it is a file path


def is_secret(key: str) -> bool:
    return not key.endswith("_file") and any(word in key for word in SECRET) and key != "channel"


def shown(key: str, value: object) -> str:
    if is_secret(key):
        return f"(secret {hashlib.sha256(str(value).encode()).hexdigest()[:8]})"
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Target:
    """A receiver as one alert reaches it: where it delivers, whether it pages, and when."""

    receiver: str
    kind: str  # 'PagerDuty', 'Slack', 'email', ... ('' for a receiver with no integration)
    destination: str  # '#ops', 'incidents@example.com', the receiver's name for a pager
    address: tuple  # what says where it goes; equal addresses, same someone
    pages: bool
    muted: tuple[str, ...] = ()  # time intervals it is muted in
    active: tuple[str, ...] = ()  # time intervals it is only active in

    @property
    def text(self) -> str:
        where = f"{self.kind} `{self.destination}`" if self.kind else f"`{self.receiver}` (no integration: nobody)"
        when = []
        if self.muted:
            when.append("muted in " + ", ".join(self.muted))
        if self.active:
            when.append("only in " + ", ".join(self.active))
        return where + (f" ({'; '.join(when)})" if when else "")

    @property
    def who(self) -> tuple:
        return (self.receiver, self.address)


def _destination(receiver: Receiver) -> tuple[str, str, tuple, bool]:
    kinds, places, address = [], [], []
    for integration in receiver.integrations:
        kinds.append(KINDS.get(integration.kind, integration.kind.removesuffix("_configs")))
        settings = integration.settings
        for key in ADDRESS.get(integration.kind, tuple(sorted(settings))):
            if key in settings:
                address.append((integration.kind, key, shown(key, settings[key])))
        if integration.kind == "slack_configs" and settings.get("channel"):
            places.append(str(settings["channel"]))
        elif integration.kind == "email_configs" and settings.get("to"):
            places.append(str(settings["to"]))
    pages = any(i.kind in PAGING for i in receiver.integrations)
    kind = "/".join(dict.fromkeys(kinds))
    return kind, ", ".join(dict.fromkeys(places)) or receiver.name, tuple(address), pages


@dataclass
class Paging:
    """Receivers per alert under one configuration (None: the side has none)."""

    config: AlertmanagerConfig | None
    error: str = ""
    _targets: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.manager = None
        if self.config is not None:
            try:
                self.manager = Alertmanager(self.config)
            except (KeyError, ValueError) as exc:
                self.error = f"the route tree cannot be walked: {exc}"
        receivers = {r.name: r for r in self.config.receivers} if self.config else {}
        self._receivers = {name: _destination(r) for name, r in receivers.items()}

    def reach(self, labels: dict[str, str]) -> tuple[Target, ...]:
        """The receivers an alert with these labels reaches, in route order, each once."""
        if self.manager is None:
            return ()
        found: dict[str, Target] = {}
        for route in self.manager.root.match(labels):
            if route.receiver in found:
                continue
            kind, destination, address, pages = self._receivers.get(route.receiver, ("", route.receiver, (), False))
            found[route.receiver] = Target(route.receiver, kind, destination, address, pages, tuple(route.mute), tuple(route.active))
        return tuple(found.values())

    def address(self, name: str) -> tuple:
        return self._receivers.get(name, ("", name, (), False))[2]

    def receiver_text(self, name: str) -> str:
        kind, destination, _, _ = self._receivers.get(name, ("", name, (), False))
        return f"{kind} `{destination}`" if kind else f"`{name}`"

    @property
    def pagers(self) -> set[str]:
        return {name for name, (_, _, _, pages) in self._receivers.items() if pages}


def silencers(config: AlertmanagerConfig | None, alerts: Iterable[RuleEntry]) -> dict[int, frozenset[str]]:
    """For each alert (by id), the alerts whose firing can inhibit it, as 'Name (severity)'.

    From static labels: an `equal` label both alerts set must agree; one a query may add
    at run time is assumed to (so this says "can silence", never less).
    """
    out: dict[int, set[str]] = {}
    if config is None or not config.inhibit_rules:
        return {}
    alerts = list(alerts)
    for rule in config.inhibit_rules:
        sources = [a for a in alerts if all(m.matches_labels(a.route_labels) for m in rule.source_matchers)]
        targets = [a for a in alerts if all(m.matches_labels(a.route_labels) for m in rule.target_matchers)]
        if not sources or not targets:
            continue
        joined = [label for label in rule.equal if all(label in a.route_labels for a in sources + targets)]
        by_key: dict[tuple, list[RuleEntry]] = {}
        for s in sources:
            by_key.setdefault(tuple(s.route_labels[label] for label in joined), []).append(s)
        for t in targets:
            both = all(m.matches_labels(t.route_labels) for m in rule.source_matchers)
            for s in by_key.get(tuple(t.route_labels[label] for label in joined), ()):
                if s is t:
                    continue
                if both and all(m.matches_labels(s.route_labels) for m in rule.target_matchers):
                    continue  # Alertmanager: an alert matching both sides is not inhibited by another that does too
                out.setdefault(id(t), set()).add(f"{s.name} ({s.severity or 'no severity'})")
    return {k: frozenset(v) for k, v in out.items()}
