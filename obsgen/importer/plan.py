"""Model stage: a mixin's rule groups as an obsgen System, checked against the source.

Each source group becomes a Service. An alert `expr OP number` (OP one of > < >= <=)
becomes a Signal recording `expr` and an Alert with a Level at `number` in that Direction;
its warning and critical rules (same name, same expression, same `for`) become one Alert
with both levels. A recording rule without labels becomes a Signal. Everything else is
kept verbatim (RawAlert, RawRecording) with the reason. Then every modelled alert is
compiled and compared with its source rule (compare.py): one that does not come out the
same is kept verbatim too, so the import never changes what fires.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..artifacts import AlertingRule, RecordingRule
from ..compile.rule_tests import predictable
from ..compile.rules import alert_rules, recording_rule
from ..model import (
    Alert, Assumed, DefinitionError, Level, PagerDuty, Priority, RawAlert, RawRecording, Service, Signal, Slack, System, count, days,
    hours, minutes, seconds, weeks,
)
from ..model.detection import window_seconds
from ..model.raw import OBSGEN_LABELS as RAW_RESERVED
from ..model.directions import Direction
from ..model.durations import parse_duration
from ..model.signals import UNBOUNDED
from ..model.texts import literal_numbers
from ..model.units import Quantity
from ..promql import Binary, Number, PromQLError, parse
from ..promql.tree import Node
from .compare import alert_difference, canonical
from .sources import Source

DIRECTIONS = {">": Direction.ABOVE, ">=": Direction.AT_OR_ABOVE, "<": Direction.BELOW, "<=": Direction.AT_OR_BELOW}
MODELLED_ANNOTATIONS = {"summary", "description", "runbook_url"}
MAX_UID = 40
EVALUATION = 60  # seconds: obsgen's default evaluation interval, part of each detection time
GROUP_WAIT = 30


@dataclass(frozen=True)
class PriorityPlan:
    """How a severity is routed: the priority it maps to, its placeholder receiver, its response time."""

    name: str
    severities: str  # in words, for the docstring
    meaning: str
    response: int  # seconds, at least
    pages: bool


# critical pages, warning is a ticket, anything else (info, none) is the lowest priority.
SEVERITY_PRIORITY = {"critical": "P1", "warning": "P2"}
LOWEST = "P3"
PRIORITY_PLANS = {
    "P1": PriorityPlan("P1", "critical", "The mixin marks it critical: someone is paged.", 15 * 60, True),
    "P2": PriorityPlan("P2", "warning", "The mixin marks it warning: a ticket for working hours.", 4 * 3600, False),
    "P3": PriorityPlan("P3", "info, none and any other", "The mixin marks it info (or none): for the record, nobody is interrupted.", 86400, False),
}
MAPPING_WORDS = "severity critical -> P1 (pages), warning -> P2 (ticket), info, none and any other -> P3 (lowest)"


@dataclass
class Kept:
    """A source rule kept verbatim, and why."""

    name: str
    origin: str
    why: str


@dataclass
class ServicePlan:
    name: str
    title: str
    origin: str
    signals: list[Signal] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    raw_alerts: list[RawAlert] = field(default_factory=list)
    raw_recordings: list[RawRecording] = field(default_factory=list)


@dataclass
class ImportPlan:
    system: System
    services: list[ServicePlan]
    priorities: dict[str, Priority]
    receivers: list[PagerDuty | Slack]
    kept: list[Kept]
    dropped: list[str]  # group settings the import does not carry over, in words
    dashboards: tuple[str, ...]
    modelled: int  # source alerting rules that are now levels of Alerts
    source_alerts: int
    source_recordings: int


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    value = value if value and value[0].isalpha() else f"g-{value}".rstrip("-")
    return value[:50].rstrip("-")


def snake(name: str) -> str:
    """KubePodCrashLooping -> kube_pod_crash_looping."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_") or "alert"


def quantity_of(duration_seconds: int) -> Quantity:
    """A duration as the largest whole time unit: 3600 -> hours(1)."""
    for unit, size in ((weeks, 604800), (days, 86400), (hours, 3600), (minutes, 60)):
        if duration_seconds and duration_seconds % size == 0:
            return unit(duration_seconds // size)
    return seconds(duration_seconds)


def _number(node: Node) -> float | None:
    if isinstance(node, Number) and math.isfinite(node.value):
        return node.value
    return None


@dataclass(frozen=True)
class Threshold:
    lhs: Node
    direction: Direction
    value: float


def threshold_of(expr: str) -> Threshold | str:
    """`expr OP number` read from the tree (also `number OP expr`, and with an `and` or
    `unless` gate after it: compare.canonical), or why it is not one."""
    try:
        tree = canonical(parse(expr))
    except PromQLError as exc:
        return f"the expression does not parse: {exc}"
    if not isinstance(tree, Binary) or tree.op not in DIRECTIONS:
        if isinstance(tree, Binary) and tree.op in ("==", "!="):
            return f"it compares with {tree.op}, which no Direction expresses"
        return "its expression is not `expression > number` (or <, >=, <=), nor one with an `and` or `unless` gate"
    if tree.bool_:
        return "its comparison uses bool"
    right = _number(tree.rhs)
    if right is not None and _number(tree.lhs) is None:
        return Threshold(tree.lhs, DIRECTIONS[tree.op], right)
    return "neither side of its comparison is a plain number"


def _texts_with_placeholder(text: str, thresholds: list[float]) -> str:
    """The text with each literal number equal to the threshold as {threshold}."""
    out, at = [], 0
    for number in literal_numbers(text):
        digits = re.match(r"[\d,]+(?:\.\d+)?", number.text)
        if digits is None:
            continue
        value = float(digits.group(0).replace(",", ""))
        start = text.find(number.text, at)
        if start < 0 or not any(math.isclose(value, t, rel_tol=1e-12) for t in thresholds):
            continue
        out.append(text[at:start] + "{threshold}")
        at = start + len(digits.group(0))
    return "".join(out) + text[at:]


@dataclass
class _Candidate:
    """Rules of one alert name, modelled or not."""

    name: str
    service: ServicePlan
    rules: list[AlertingRule]
    origin: str
    threshold: list[Threshold] = field(default_factory=list)
    why: str = ""


def own_labels(rule: AlertingRule) -> dict[str, str]:
    """A rule's labels besides severity (which obsgen sets from the level)."""
    return {k: v for k, v in rule.labels.items() if k != "severity"}


def _why_not_modelled(candidate: _Candidate, groups: int) -> str:
    rules = candidate.rules
    if groups > 1:
        return "the name is used in more than one rule group"
    severities = [r.labels.get("severity", "") for r in rules]
    if any(s not in ("warning", "critical") for s in severities):
        return f"severity {next(s for s in severities if s not in ('warning', 'critical'))!r}: obsgen's levels are warning and critical"
    if len(set(severities)) != len(severities):
        return "several rules of the same name and severity (different expressions)"
    if len({tuple(sorted(own_labels(r).items())) for r in rules}) > 1:
        return "its rules of different severity carry different labels"
    for rule in rules:
        other = set(rule.annotations) - MODELLED_ANNOTATIONS
        if other:
            return f"annotations {', '.join(sorted(other))}: obsgen writes summary, description and runbook_url"
        if "summary" not in rule.annotations:
            return "no summary annotation"
        for key in ("summary", "description"):
            if key in rule.annotations and not predictable(rule.annotations[key]):
                return f"its {key} uses templates beyond $value, $labels.x, printf and humanize: generated tests cannot predict it"
        found = threshold_of(rule.expr)
        if isinstance(found, str):
            return found
        candidate.threshold.append(found)
    lhs = {str(t.lhs) for t in candidate.threshold}
    if len(lhs) > 1:
        return "its rules of different severity compare different expressions"
    if len({t.direction for t in candidate.threshold}) > 1:
        return "its rules of different severity compare in different directions"
    if len({r.for_seconds for r in rules}) > 1 or len({r.keep_firing_for for r in rules}) > 1:
        return "its rules of different severity wait a different `for`"
    return ""


class Planner:
    def __init__(self, name: str, title: str, source: Source, runbook_base_url: str, grafana_base_url: str, origin: str):
        self.name = name
        self.title = title
        self.source = source
        self.runbook_base_url = runbook_base_url
        self.grafana_base_url = grafana_base_url
        self.origin = origin
        self.kept: list[Kept] = []
        self.dropped: list[str] = []
        self.services: list[ServicePlan] = []
        self.severity_words = Assumed(f"imported from a mixin: {MAPPING_WORDS}")
        self.receivers: dict[str, PagerDuty | Slack] = {}
        self.priorities: dict[str, Priority] = {}

    # -- services and recordings --------------------------------------------------------------

    def _services(self) -> dict[int, ServicePlan]:
        taken: set[str] = set()
        by_group: dict[int, ServicePlan] = {}
        for i, sg in enumerate(self.source.groups):
            base = slug(sg.group.name) or "rules"
            limit = max(8, MAX_UID - len(self.name) - 1)  # the dashboard uid is '<system>-<service>', cut at 40
            name, n = base[:limit].rstrip("-"), 2
            while name in taken or name == "slo":
                suffix = f"-{n}"
                name, n = base[: limit - len(suffix)].rstrip("-") + suffix, n + 1
            taken.add(name)
            plan = ServicePlan(name=name, title=sg.group.name, origin=sg.origin)
            settings = [f"{key} {value}" for key, value in (("interval", sg.group.interval), ("limit", sg.group.limit),
                                                             ("query_offset", sg.group.query_offset)) if value is not None]
            if settings:
                self.dropped.append(f"group {sg.group.name} ({sg.origin}): {', '.join(settings)} (obsgen's groups use Prometheus's global settings)")
            self.services.append(plan)
            by_group[i] = plan
        return by_group

    def _recordings(self, by_group: dict[int, ServicePlan]) -> None:
        records = Counter(r.record for sg in self.source.groups for r in sg.group.rules if isinstance(r, RecordingRule))
        for i, sg in enumerate(self.source.groups):
            service = by_group[i]
            for rule in sg.group.rules:
                if not isinstance(rule, RecordingRule):
                    continue
                why = ""
                if rule.labels:
                    why = f"labels {', '.join(f'{k}={v}' for k, v in rule.labels.items())} (a Signal records one series name, no labels)"
                elif records[rule.record] > 1:
                    why = "the same series is recorded by more than one rule"
                if not why:
                    try:
                        service.signals.append(Signal(
                            record=rule.record, expr=str(parse(rule.expr)), unit=count, minimum=UNBOUNDED, maximum=UNBOUNDED,
                            description=f"{rule.record}, recorded by the mixin",
                        ))
                        continue
                    except DefinitionError as exc:
                        why = exc.message
                service.raw_recordings.append(RawRecording(record=rule.record, expr=rule.expr, labels=dict(rule.labels), why=why))
                self.kept.append(Kept(rule.record, f"{sg.origin} group {sg.group.name}", why))

    # -- routing ------------------------------------------------------------------------------------

    def _receiver(self, pages: bool) -> PagerDuty | Slack:
        key = "pager" if pages else "chat"
        if key not in self.receivers:
            placeholder = Assumed("a placeholder receiver: obsgen needs somewhere to send each priority; point it at your own")
            if pages:
                self.receivers[key] = PagerDuty(
                    name=f"{self.name}-pager-placeholder", service=f"{self.title} on-call (placeholder: replace)",
                    routing_key_file=f"/etc/alertmanager/secrets/{self.name}-pagerduty-key-placeholder", provenance=placeholder,
                )
            else:
                self.receivers[key] = Slack(
                    name=f"{self.name}-chat-placeholder", channel=f"#{self.name}-alerts-placeholder",
                    api_url_file=f"/etc/alertmanager/secrets/{self.name}-slack-url-placeholder", provenance=placeholder,
                )
        return self.receivers[key]

    def _priorities(self, needs: dict[str, int]) -> None:
        for name in sorted(needs):
            plan = PRIORITY_PLANS[name]
            response = max(plan.response, needs[name])
            response = -(-response // 60) * 60  # whole minutes
            raised = response > plan.response
            reason = (f"imported from a mixin: {plan.meaning}" + (
                f" Response time raised to cover the slowest detection of its imported alerts (their `for` and windows are the mixin's)." if raised else ""))
            receivers = (self._receiver(True), self._receiver(False)) if plan.pages else (self._receiver(False),)
            self.priorities[name] = Priority(
                name=name, meaning=plan.meaning, response_time=quantity_of(response), receivers=receivers, provenance=Assumed(reason),
            )

    # -- alerts ---------------------------------------------------------------------------------

    def _candidates(self, by_group: dict[int, ServicePlan]) -> list[_Candidate]:
        grouped: dict[tuple[str, int], _Candidate] = {}
        for i, sg in enumerate(self.source.groups):
            for rule in sg.group.rules:
                if isinstance(rule, AlertingRule):
                    key = (rule.alert, i)
                    if key not in grouped:
                        grouped[key] = _Candidate(rule.alert, by_group[i], [], f"{sg.origin} group {sg.group.name}")
                    grouped[key].rules.append(rule)
        per_name = Counter(name for name, _ in grouped)
        candidates = list(grouped.values())
        for candidate in candidates:
            candidate.why = _why_not_modelled(candidate, per_name[candidate.name])
        return candidates

    def _signal(self, candidate: _Candidate) -> Signal:
        t = candidate.threshold[0]
        return Signal(
            record=f"alert:{snake(candidate.name)}:value", expr=str(t.lhs), unit=count, minimum=UNBOUNDED, maximum=UNBOUNDED,
            description=f"What {candidate.name} compares with its threshold",
        )

    def _needs(self, candidates: list[_Candidate]) -> dict[str, int]:
        """Per priority, the slowest detection of the alerts it will route (seconds)."""
        needs: dict[str, int] = {}
        for c in candidates:
            for rule in c.rules:
                name = SEVERITY_PRIORITY.get(rule.labels.get("severity", ""), LOWEST)
                detection = 0
                if not c.why:
                    try:
                        detection = window_seconds(self._signal(c), c.threshold[0].direction) + rule.for_seconds + EVALUATION + GROUP_WAIT
                    except DefinitionError:
                        detection = 0
                needs[name] = max(needs.get(name, 0), detection)
        return needs

    def _alert(self, c: _Candidate) -> Alert:
        signal = self._signal(c)
        t0 = c.threshold[0]
        levels: dict[str, Level] = {}
        values = [t.value for t in c.threshold]
        for rule, t in zip(c.rules, c.threshold):
            severity = rule.labels["severity"]
            levels[severity] = Level(t.value, self.priorities[SEVERITY_PRIORITY[severity]])
        first = c.rules[0]
        summary = _texts_with_placeholder(first.annotations["summary"], values)
        description = first.annotations.get("description")
        description = _texts_with_placeholder(description, values) if description is not None else None
        runbook = first.annotations.get("runbook_url")
        for rule in c.rules[1:]:
            if rule.annotations.get("runbook_url") != runbook:
                raise DefinitionError(f"Alert {c.name!r}", "runbook_url", "its rules of different severity link different runbooks")
        meaning = summary  # the mixin says no more; its placeholders follow the levels
        actions = (f"Follow the mixin's runbook: {runbook}",) if runbook else ("Read the description and the expression of the firing rule.",)
        for_ = quantity_of(first.for_seconds)
        keep = quantity_of(parse_seconds(first.keep_firing_for)) if first.keep_firing_for and parse_seconds(first.keep_firing_for) else None
        provenance = {f"{s}.priority": self.severity_words for s in levels}
        return Alert(
            name=c.name, signal=signal, direction=t0.direction, summary=summary, description=description, meaning=meaning,
            actions=actions, for_=for_, keep_firing_for=keep, runbook_url=runbook, provenance=provenance, labels=own_labels(first),
            warning=levels.get("warning"), critical=levels.get("critical"),
        )

    def _raw(self, c: _Candidate, why: str) -> None:
        replaced = sorted({f"{k}={v}" for rule in c.rules for k, v in rule.labels.items() if k in RAW_RESERVED})
        if replaced:
            why += f"; its label {', '.join(replaced)} is replaced by obsgen's (which routes and names the service)"
        for rule in c.rules:
            priority = self.priorities[SEVERITY_PRIORITY.get(rule.labels.get("severity", ""), LOWEST)]
            keep = parse_seconds(rule.keep_firing_for) if rule.keep_firing_for else 0
            c.service.raw_alerts.append(RawAlert(
                name=rule.alert, expr=rule.expr, priority=priority, why=why,
                for_=quantity_of(rule.for_seconds) if rule.for_ is not None else None,
                keep_firing_for=quantity_of(keep) if keep else None,
                labels={k: v for k, v in rule.labels.items() if k not in RAW_RESERVED}, annotations=dict(rule.annotations),
            ))
        self.kept.append(Kept(c.name, c.origin, why))

    # -- the whole --------------------------------------------------------------------------------

    def system(self) -> System:
        services = tuple(
            Service(name=s.name, title=s.title, team=self.name, description=f"Rule group {s.title!r} of {s.origin}, imported from a mixin.",
                    alerts=tuple(s.alerts), signals=tuple(s.signals), raw_alerts=tuple(s.raw_alerts), raw_recordings=tuple(s.raw_recordings))
            for s in self.services
        )
        priorities = tuple(self.priorities[n] for n in sorted(self.priorities))
        receivers = tuple(self.receivers[k] for k in ("pager", "chat") if k in self.receivers)
        return System(
            name=self.name, title=self.title, description=f"Imported from the mixin {self.origin} by `obsgen import mixin`.",
            services=services, priorities=priorities, receivers=receivers, default_receiver=self.receivers["chat"],
            runbook_base_url=self.runbook_base_url, grafana_base_url=self.grafana_base_url, runbook=f"the mixin {self.origin}",
        )

    def plan(self) -> ImportPlan:
        by_group = self._services()
        self._recordings(by_group)
        candidates = self._candidates(by_group)
        self._priorities(self._needs(candidates) or {LOWEST: 0})
        self._receiver(False)
        modelled: list[tuple[_Candidate, Alert]] = []
        for c in candidates:
            if c.why:
                self._raw(c, c.why)
                continue
            try:
                alert = self._alert(c)
            except DefinitionError as exc:
                self._raw(c, f"obsgen refuses it as a threshold alert: {exc.field}: {exc.message}".replace("{", "").replace("}", ""))
                continue
            c.service.alerts.append(alert)
            modelled.append((c, alert))
        system = self.system()
        demoted = self._check(system, modelled)
        if demoted:
            for c, alert, why in demoted:
                c.service.alerts = [a for a in c.service.alerts if a is not alert]
                self._raw(c, why)
            modelled = [(c, a) for c, a in modelled if all(a is not d for _, d, _ in demoted)]
            system = self.system()
        self._order_raw()
        system = self.system()
        rules = [r for sg in self.source.groups for r in sg.group.rules]
        return ImportPlan(
            system=system, services=self.services, priorities=self.priorities, receivers=[r for r in system.receivers if isinstance(r, (PagerDuty, Slack))], kept=self.kept, dropped=self.dropped,
            dashboards=self.source.dashboards, modelled=sum(len(c.rules) for c, _ in modelled),
            source_alerts=sum(isinstance(r, AlertingRule) for r in rules), source_recordings=sum(isinstance(r, RecordingRule) for r in rules),
        )

    def _order_raw(self) -> None:
        """Raw alerts in the source's order within each service."""
        for service in self.services:
            order: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
            for sg in self.source.groups:
                for i, rule in enumerate(sg.group.rules):
                    if isinstance(rule, AlertingRule):
                        order.setdefault((rule.alert, tuple(sorted(rule.labels.items()))), i)
            service.raw_alerts.sort(key=lambda r: order.get((r.name, tuple(sorted(r.labels.items()))), 0))

    def _check(self, system: System, modelled: list[tuple[_Candidate, Alert]]) -> list[tuple[_Candidate, Alert, str]]:
        """Modelled alerts whose compiled rules are not their source's (then kept verbatim)."""
        demoted = []
        for c, alert in modelled:
            service = next(s for s in system.services if any(a is alert for a in s.alerts))
            recorded = {alert.signal.record: parse(recording_rule(system, alert.signal).expr)}
            compiled = {r.labels["severity"]: r for r in alert_rules(system, service, alert)}
            for rule in c.rules:
                why = alert_difference(rule, compiled[rule.labels["severity"]], recorded, system.name)
                if why:
                    demoted.append((c, alert, f"as a threshold alert its {why}"))
                    break
        return demoted


def parse_seconds(text: str | None) -> int:
    return parse_duration(text) if text else 0


def plan_import(name: str, title: str, source: Source, runbook_base_url: str, grafana_base_url: str, origin: str) -> ImportPlan:
    return Planner(name, title, source, runbook_base_url, grafana_base_url, origin).plan()

