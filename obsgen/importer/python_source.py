"""Render stage: an import plan as readable Python definitions, one module per service.

The modules use the definitions API as a person would write it (Signal, Alert, Level,
time quantities, Priority objects), so that the imported system is edited like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import Alert, Level, Priority, RawAlert, RawRecording, Signal
from ..model.directions import Direction
from ..model.signals import Unbounded
from ..model.units import Quantity
from .plan import MAPPING_WORDS, ImportPlan, ServicePlan, snake

INDENT = "    "


def text(value: str, indent: str) -> str:
    """A string literal; one line per source line when it has several."""
    lines = value.splitlines(keepends=True)
    if len(lines) <= 1:
        return repr(value)
    inner = indent + INDENT
    return "(\n" + "".join(f"{inner}{line!r}\n" for line in lines) + f"{indent})"


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def mapping(value: Mapping[str, str], indent: str) -> str:
    if not value:
        return "{}"
    inner = indent + INDENT
    return "{\n" + "".join(f"{inner}{k!r}: {text(v, inner)},\n" for k, v in value.items()) + f"{indent}}}"


def constant(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Z0-9_]", "_", snake(name).upper()).strip("_") or "VALUE"
    base = base if base[0].isalpha() else f"V_{base}"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}_{n}", n + 1
    taken.add(found)
    return found


def call(kind: str, fields: list[tuple[str, str]], indent: str = "") -> str:
    inner = indent + INDENT
    return f"{kind}(\n" + "".join(f"{inner}{k}={v},\n" for k, v in fields) + f"{indent})"


def quantity(value: Quantity) -> str:
    return repr(value)


class ServiceModule:
    """The Python module of one imported service."""

    def __init__(self, plan: ServicePlan, priorities: dict[int, str]):
        self.plan = plan
        self.priorities = priorities  # id(Priority) -> its constant in routing.py
        self.taken: set[str] = {"SERVICE"}
        self.signals: dict[int, str] = {}

    def _signal(self, signal: Signal) -> tuple[str, str]:
        name = constant(signal.record.split(":")[1] + "_value" if signal.record.startswith("alert:") else signal.record, self.taken)
        self.signals[id(signal)] = name
        fields = [("record", repr(signal.record)), ("expr", text(signal.expr, "")), ("unit", "count")]
        if isinstance(signal.minimum, Unbounded):
            fields.append(("minimum", "UNBOUNDED"))
        if isinstance(signal.maximum, Unbounded):
            fields.append(("maximum", "UNBOUNDED"))
        fields.append(("description", repr(signal.description)))
        return name, f"{name} = " + call("Signal", fields)

    def _level(self, level: Level) -> str:
        threshold = level.threshold if not isinstance(level.threshold, Quantity) else level.threshold.value
        return f"Level({number(threshold)}, {self.priorities[id(level.priority)]})"

    def _alert(self, alert: Alert) -> tuple[str, str]:
        name = constant(alert.name, self.taken)
        fields = [("name", repr(alert.name)), ("signal", self.signals[id(alert.signal)]), ("direction", alert.direction.name)]
        fields += [(s, self._level(getattr(alert, s))) for s in ("warning", "critical") if getattr(alert, s) is not None]
        fields.append(("for_", quantity(alert.for_)))
        if alert.keep_firing_for is not None:
            fields.append(("keep_firing_for", quantity(alert.keep_firing_for)))
        fields += [("summary", repr(alert.summary))]
        if alert.description is not None:
            fields.append(("description", text(alert.description, INDENT)))
        fields += [("meaning", repr(alert.meaning)), ("actions", "(" + ", ".join(repr(a) for a in alert.actions) + ",)")]
        if alert.runbook_url is not None:
            fields.append(("runbook_url", repr(alert.runbook_url)))
        if alert.labels:
            fields.append(("labels", mapping(alert.labels, INDENT)))
        levels = [s for s in ("warning", "critical") if getattr(alert, s) is not None]
        fields.append(("provenance", "{" + ", ".join(f"{f'{s}.priority'!r}: SEVERITY_MAPPING" for s in levels) + "}"))
        return name, f"{name} = " + call("Alert", fields)

    def _raw_alert(self, raw: RawAlert) -> tuple[str, str]:
        name = constant(f"{raw.name}_{raw.severity}" if raw.severity else raw.name, self.taken)
        fields = [("name", repr(raw.name)), ("expr", text(raw.expr, INDENT)), ("priority", self.priorities[id(raw.priority)])]
        if raw.for_ is not None:
            fields.append(("for_", quantity(raw.for_)))
        if raw.keep_firing_for is not None:
            fields.append(("keep_firing_for", quantity(raw.keep_firing_for)))
        fields += [("labels", mapping(raw.labels, INDENT)), ("annotations", mapping(raw.annotations, INDENT)), ("why", repr(raw.why))]
        return name, f"{name} = " + call("RawAlert", fields)

    def _raw_recording(self, raw: RawRecording) -> tuple[str, str]:
        name = constant(f"{raw.record}_{'_'.join(raw.labels.values())}", self.taken)
        fields = [("record", repr(raw.record)), ("expr", text(raw.expr, INDENT))]
        if raw.labels:
            fields.append(("labels", mapping(raw.labels, INDENT)))
        fields.append(("why", repr(raw.why)))
        return name, f"{name} = " + call("RawRecording", fields)

    def source(self, team: str) -> str:
        plan = self.plan
        blocks: list[str] = []
        signals = [s for s in plan.signals] + [a.signal for a in plan.alerts]
        signal_names = []
        for signal in signals:
            name, block = self._signal(signal)
            signal_names.append((signal, name))
            blocks.append(block)
        alerts = [self._alert(a) for a in plan.alerts]
        raws = [self._raw_alert(r) for r in plan.raw_alerts]
        recordings = [self._raw_recording(r) for r in plan.raw_recordings]
        blocks += [b for _, b in alerts + raws + recordings]
        priorities = sorted({self.priorities[id(lvl.priority)] for a in plan.alerts for _, lvl in a.levels}
                            | {self.priorities[id(r.priority)] for r in plan.raw_alerts})
        used = {"Service", "count"} | ({"Signal", "UNBOUNDED"} if signals else set()) | ({"Alert", "Level"} | set(d.name for d in Direction if any(a.direction is d for a in plan.alerts)) if plan.alerts else set())
        used |= {"RawAlert"} if raws else set()
        used |= {"RawRecording"} if recordings else set()
        used |= {q.unit.name for a in plan.alerts for q in (a.for_, a.keep_firing_for) if q is not None}
        used |= {q.unit.name for r in plan.raw_alerts for q in (r.for_, r.keep_firing_for) if q is not None}
        routing = priorities + (["SEVERITY_MAPPING"] if plan.alerts else [])
        service = call("Service", [
            ("name", repr(plan.name)), ("title", repr(plan.title)), ("team", repr(team)),
            ("description", repr(f"Rule group {plan.title!r} of {plan.origin}, imported from a mixin.")),
            *([("alerts", "(" + ", ".join(n for n, _ in alerts) + ",)")] if alerts else []),
            *([("signals", "(" + ", ".join(n for s, n in signal_names if s in plan.signals) + ",)")] if plan.signals else []),
            *([("raw_alerts", "(" + ", ".join(n for n, _ in raws) + ",)")] if raws else []),
            *([("raw_recordings", "(" + ", ".join(n for n, _ in recordings) + ",)")] if recordings else []),
        ])
        counts = (f"{len(plan.alerts)} threshold alerts, {len(plan.signals)} recorded signals, "
                  f"{len(plan.raw_alerts)} alerts and {len(plan.raw_recordings)} recording rules kept as written")
        head = [
            f'"""Rule group {plan.title!r} of {plan.origin}, imported by `obsgen import mixin`: {counts}.',
            "",
            "A threshold alert's Signal records the expression the mixin compared; its Level is the",
            f"number it compared with, routed by the mixin's severity ({MAPPING_WORDS}).",
            'RawAlert and RawRecording keep what obsgen cannot model, as written, with the reason."""',
            "",
            f"from obsgen import {', '.join(sorted(used, key=str.lower))}",
        ]
        if routing:
            head.append(f"from .routing import {', '.join(routing)}")
        return "\n".join(head) + "\n\n" + "\n\n".join(blocks) + ("\n\n" if blocks else "") + f"SERVICE = {service}\n"


def routing_source(plan: ImportPlan) -> tuple[str, dict[int, str]]:
    receivers = plan.system.receivers
    lines = [
        '"""Who is told: a placeholder receiver per kind of notification, and one priority per severity.',
        "",
        f"The import maps the mixin's severity label to a priority: {MAPPING_WORDS}.",
        "The receivers are placeholders (no real channel, key or URL): point them at your own",
        'before deploying. Each is marked as an assumption, so the handbook lists it."""',
        "",
        "from obsgen import Assumed, PagerDuty, Priority, Slack, days, hours, minutes, weeks",
        "",
        f"SEVERITY_MAPPING = Assumed({('imported from a mixin: ' + MAPPING_WORDS)!r})",
        'PLACEHOLDER = Assumed("a placeholder receiver: obsgen needs somewhere to send each priority; point it at your own")',
        "",
    ]
    names: dict[int, str] = {}
    for receiver in receivers:
        name = "PAGER" if receiver.kind == "pagerduty" else "CHAT"
        names[id(receiver)] = name
        if receiver.kind == "pagerduty":
            fields = [("name", repr(receiver.name)), ("service", repr(receiver.service)), ("routing_key_file", repr(receiver.routing_key_file))]  # type: ignore[attr-defined]
        else:
            fields = [("name", repr(receiver.name)), ("channel", repr(receiver.channel)), ("api_url_file", repr(receiver.api_url_file))]  # type: ignore[attr-defined]
        lines += [f"{name} = " + call(type(receiver).__name__, fields + [("provenance", "PLACEHOLDER")]), ""]
    priorities: dict[int, str] = {}
    for priority in plan.system.priorities:
        priorities[id(priority)] = priority.name
        reason = priority.provenance.words.removeprefix("assumed: ") if priority.provenance is not None and not isinstance(priority.provenance, Mapping) else ""
        lines += [f"{priority.name} = " + call("Priority", [
            ("name", repr(priority.name)), ("meaning", repr(priority.meaning)), ("response_time", quantity(priority.response_time)),
            ("receivers", "(" + ", ".join(names[id(r)] for r in priority.receivers) + ",)"),
            ("provenance", f"Assumed({reason!r})"),
        ]), ""]
    return "\n".join(lines).rstrip() + "\n", {**priorities, **{k: v for k, v in names.items()}}


def package_sources(plan: ImportPlan, source: str, report: str) -> dict[str, str]:
    """File name -> content of the definitions package."""
    routing, refs = routing_source(plan)
    files = {"routing.py": routing}
    modules = []
    taken = {"routing", "__init__"}
    system = plan.system
    for service_plan in plan.services:
        module = snake(service_plan.name)
        module = module if module[0].isalpha() else f"group_{module}"
        n, base = 2, module
        while module in taken:
            module, n = f"{base}_{n}", n + 1
        taken.add(module)
        files[f"{module}.py"] = ServiceModule(service_plan, refs).source(team=system.name)
        modules.append((module, service_plan))
    default = refs[id(system.default_receiver)]
    imports = [f"from .{m} import SERVICE as {constant(m, set())}" for m, _ in modules]
    init = [f'"""{system.title}: imported from {source} by `obsgen import mixin`.', "", *report.splitlines(), '"""', "",
            "from obsgen import System", f"from .routing import {', '.join(sorted(set(refs.values())))}", *imports, "",
            "SYSTEM = " + call("System", [
                ("name", repr(system.name)), ("title", repr(system.title)), ("description", repr(system.description)),
                ("services", "(" + ", ".join(constant(m, set()) for m, _ in modules) + ",)"),
                ("priorities", "(" + ", ".join(p.name for p in system.priorities) + ",)"),
                ("receivers", "(" + ", ".join(refs[id(r)] for r in system.receivers) + ",)"),
                ("default_receiver", default),
                ("runbook", repr(system.runbook)),
                ("runbook_base_url", repr(system.runbook_base_url)),
                ("grafana_base_url", repr(system.grafana_base_url)),
            ])]
    files["__init__.py"] = "\n".join(init) + "\n"
    return files
