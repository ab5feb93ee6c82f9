"""Prometheus recording and alerting rule groups, one rule file per service."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from ..artifacts import AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup
from ..model import Alert, RawAlert, RawRecording, Service, Signal, System
from ..model.alerts import AlertLevel
from ..model.durations import duration_seconds, human_duration, prom_duration
from ..model.texts import render
from ..promql import parse
from ..promql.analysis import named_labels
from . import links
from .thresholds import prom_number

MAX_GROUP_RULES = 20


def grouping_labels(signal: Signal) -> tuple[str, ...]:
    """Labels the signal's series carry that its expression names (less 'le'), for alert text."""
    return _grouping_labels(signal.expr)


@lru_cache(maxsize=65536)
def _grouping_labels(expr: str) -> tuple[str, ...]:
    # Asked for each rule, test probe and description of a signal's alerts: analysed once.
    return tuple(label for label in named_labels(parse(expr)) if label != "le")


def text_values(alert: Alert, level: AlertLevel | None) -> dict[str, str]:
    """What each placeholder of an alert's text says: for one level (a rule's annotations),
    or for the alert as a whole (the handbook: '100 ms (warning) or 500 ms (critical)')."""

    def each(word) -> str:
        if level is not None:
            return word(level)
        words = [(word(lvl), severity) for severity, lvl in alert.levels]
        return words[0][0] if len(words) == 1 else " or ".join(f"{w} ({severity})" for w, severity in words)

    levels = dict(alert.levels)
    return {
        "threshold": each(lambda lvl: str(lvl.threshold)),
        "priority": each(lambda lvl: lvl.priority.name),
        "warning": str(levels["warning"].threshold) if "warning" in levels else "",
        "critical": str(levels["critical"].threshold) if "critical" in levels else "",
        "for": human_duration(alert.for_seconds),
        "direction": alert.direction.words,
        "resolution": human_duration(duration_seconds(alert.resolution)) if alert.resolution is not None else "",
    }


def alert_text(alert: Alert, text: str, level: AlertLevel | None = None) -> str:
    """An alert's summary, description, meaning or action with its placeholders filled in."""
    return render(text, text_values(alert, level))


def description_template(alert: Alert, severity: str, level: AlertLevel) -> str:
    """The templated description: what, where, how much, against which threshold."""
    if alert.description:
        return alert_text(alert, alert.description, level)
    dim = alert.signal.unit.dimension
    value = f"{{{{ $value | {dim.humanize} }}}}{dim.base_symbol if dim.humanize == 'humanize' else ''}"
    where = "".join(f" {label} {{{{ $labels.{label} }}}}" for label in grouping_labels(alert.signal))
    where = f" for{where}" if where else ""
    # "<what the signal is>: now <value>" reads right whether the description names a
    # quantity ("Order latency p95") or explains its values ("1 while Redis answers, 0 ...").
    return (
        f"{alert.signal.description.rstrip('.')}: now {value}{where}, "
        f"{links.direction_words(alert.direction)} the {severity} threshold of {level.threshold}."
    )


def alert_labels(system: System, service: Service, alert: Alert, severity: str, level: AlertLevel) -> dict[str, str]:
    """The labels of one level's rule: obsgen's (what routing reads), then the alert's own."""
    return {
        "severity": severity,
        "priority": level.priority.name,
        "system": system.name,
        "service": service.name,
        "team": service.team,
        **alert.labels,
    }


def alert_expr(system: System, alert: Alert, level: AlertLevel) -> str:
    return f"{links.selector(system, alert.signal.record)} {alert.operator} {prom_number(level.threshold.base)}"


def alert_rules(system: System, service: Service, alert: Alert) -> list[AlertingRule]:
    panel = links.panel_ids(service)[alert.signal.record]
    return [
        AlertingRule(
            alert=alert.name,
            expr=alert_expr(system, alert, level),
            for_=prom_duration(alert.for_) if alert.for_seconds else None,
            keep_firing_for=prom_duration(alert.keep_firing_for) if alert.keep_firing_for is not None else None,
            labels=alert_labels(system, service, alert, severity, level),
            annotations={
                "summary": alert_text(alert, alert.summary, level),
                "description": description_template(alert, severity, level),
                "runbook_url": alert.runbook_url or links.runbook_url(system, alert),
                "dashboard_url": links.dashboard_url(system, service, panel),
            },
        )
        for severity, level in alert.levels
    ]


def raw_alert_rule(system: System, service: Service, raw: RawAlert) -> AlertingRule:
    """A raw alert as written, plus the labels that route it and say whose it is."""
    labels = {**raw.labels, "priority": raw.priority.name, "system": system.name, "service": service.name, "team": service.team}
    return AlertingRule(
        alert=raw.name,
        expr=raw.expr,
        for_=prom_duration(raw.for_) if raw.for_ is not None else None,
        keep_firing_for=prom_duration(raw.keep_firing_for) if raw.keep_firing_for is not None else None,
        labels=labels,
        annotations=dict(raw.annotations),
    )


def raw_recording_rule(raw: RawRecording) -> RecordingRule:
    return RecordingRule(record=raw.record, expr=raw.expr, labels=dict(raw.labels))


def recording_rule(system: System, signal: Signal) -> RecordingRule:
    return RecordingRule(record=signal.record, expr=signal.expr, labels={"system": system.name})


def chunk(name: str, rules: list[Rule], interval: str | None = None) -> RuleFile:
    """Groups of at most MAX_GROUP_RULES rules: name, name-2, name-3..."""
    chunks = [rules[i : i + MAX_GROUP_RULES] for i in range(0, len(rules), MAX_GROUP_RULES)]
    return RuleFile(tuple(
        RuleGroup(name=name if i == 0 else f"{name}-{i + 1}", rules=tuple(part), interval=interval) for i, part in enumerate(chunks)
    ))


def signal_owners(system: System) -> dict[str, str]:
    """Which rule file records each signal: the first service that reads it, else 'checks'."""
    owners: dict[str, str] = {}
    for service in system.services:
        for signal in service.all_signals:
            owners.setdefault(signal.record, service.name)
    for signal in system.signals:
        owners.setdefault(signal.record, "checks")
    return owners


def alerts_file(service: Service) -> str:
    return f"{service.name}.alerts.yml"


def compile_rules(system: System) -> Iterator[tuple[str, RuleFile]]:
    """Rule files of a system, one at a time: (file name, rule file).

    Recording and alerting rules live in separate files (as in the mixins), so alert
    tests can feed a signal directly without its recording rule writing the same series.
    """
    owners = signal_owners(system)
    recording: dict[str, list[Signal]] = {}
    for signal in system.signals:
        recording.setdefault(owners[signal.record], []).append(signal)
    raw: dict[str, list[Rule]] = {s.name: [raw_recording_rule(r) for r in s.raw_recordings] for s in system.services}
    for stem in [s.name for s in system.services] + ["checks"]:
        rules: list[Rule] = [recording_rule(system, s) for s in recording.get(stem, ())]
        rules += raw.get(stem, [])
        if rules:
            yield f"{stem}.recording.yml", chunk(f"{stem}-recording", rules)
    for service in system.services:
        alerting: list[Rule] = [r for a in service.alerts for r in alert_rules(system, service, a)]
        alerting += [raw_alert_rule(system, service, r) for r in service.raw_alerts]
        if alerting:
            yield alerts_file(service), chunk(f"{service.name}-alerts", alerting)
