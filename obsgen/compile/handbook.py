"""The operator handbook: what to check, what each alert means, who is told, what to do.

Numbers come from the same Quantities the rules compare against, so the handbook and
the alerts cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Alert, Priority, Receiver, Service, System, TimeInterval
from ..model.checks import ChecklistItem
from ..model.detection import alert_detection, short
from ..model.durations import duration_seconds, human_duration, prom_duration
from . import links
from .dashboards import check_panel_ids
from .provenance import alert_sources, assumptions, mark
from .routing_cases import expected_receivers
from .rules import alert_labels, alert_text, raw_alert_rule
from .slo_handbook import slo_chapter


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _threshold_words(direction, warning, critical) -> str:
    if direction is None:
        return "no threshold (watch the trend)"
    words = links.direction_words(direction)
    parts = [f"{name}: {words} {q}" for name, q in (("warning", warning), ("critical", critical)) if q is not None]
    return "; ".join(parts) or "no threshold (watch the trend)"


def _who(receivers: Iterable[Receiver]) -> str:
    return ", ".join(f"{r.target} (`{r.name}`)" for r in receivers)


def _names(objects: Iterable[Priority | TimeInterval]) -> str:
    return ", ".join(o.name for o in objects)


def _checklist(system: System) -> list[str]:
    lines = ["## Start-of-shift checklist", ""]
    if not system.checklist:
        return lines + ["This system defines no checks.", ""]
    lines += [f"Open the [things-to-check dashboard]({links.grafana_url(system, links.overview_uid(system))}) and work down the list.", ""]
    header = ["#", "Check", "Threshold", "How often", "Good looks like", "If not", "Dashboard"]
    overview = links.grafana_url(system, links.overview_uid(system))
    groups: dict[str | None, list[tuple[int, ChecklistItem, int]]] = {}
    for i, (check, panel) in enumerate(zip(system.checklist, check_panel_ids(system)), 1):
        groups.setdefault(check.group, []).append((i, check, panel))
    for group, checks in groups.items():
        if group is not None:
            lines += [f"### {group}", ""]
        lines += _table(header, [_check_row(i, check, f"{overview}?viewPanel={panel}") for i, check, panel in checks])
    return lines


def _check_row(i: int, check: ChecklistItem, panel_url: str) -> list[str]:
    when = f" ({check.when})" if check.when else ""
    alert = f" Alert: [{check.alert.name}](#{links.anchor(links.alert_heading(check.alert))})." if check.alert else ""
    return [
        str(i), check.title, _threshold_words(check.direction, check.warning, check.critical),
        f"every {human_duration(duration_seconds(check.frequency))}{when}", check.good, check.action + alert,
        f"[panel]({panel_url})",
    ]


def _alert_section(system: System, service: Service, alert: Alert) -> list[str]:
    lines = [f"#### {links.alert_heading(alert)}", "", f"**{alert_text(alert, alert.summary)}** {alert_text(alert, alert.meaning)}", ""]
    lines += [f"Signal: {alert.signal.description} (`{alert.signal.record}`){mark(system, alert.signal, 'expr')}.", ""]
    rows, detections = [], []
    for severity, level in alert.levels:
        priority = level.priority
        labels = {"alertname": alert.name, **alert_labels(system, service, alert, severity, level)}
        respond = priority.response_note or f"within {human_duration(priority.response_seconds)}"
        found = alert_detection(alert, priority, system.evaluation_seconds)
        detections.append(f"{severity}: {found.words} (respond {respond})")
        fires = f"{links.direction_words(alert.direction)} {level.threshold}{mark(system, alert, f'{severity}.threshold', severity, 'threshold', 'direction')}"
        rows.append([
            severity, fires, prom_duration(alert.for_) + mark(system, alert, "for_"),
            priority.name + mark(system, alert, f"{severity}.priority", "priority", severity), respond + mark(system, priority, "response_time"),
            f"up to {short(found.total)}", _who(system.receiver(n) for n in expected_receivers(system, labels)),
        ])
    lines += _table(["Severity", "Fires when", "For", "Priority", "Respond", "Notified within", "Who is told"], rows)
    lines += ["Notified within (signal window + for + evaluation + group wait, from the moment the condition starts): "
              + "; ".join(detections) + ".", ""]
    sources = alert_sources(system, alert)
    if sources:
        lines += ["From the runbook: " + "; ".join(sources) + ".", ""]
    if alert.keep_firing_for is not None:
        keep = human_duration(duration_seconds(alert.keep_firing_for))
        lines += [f"How it clears: it stays firing for {keep} after its condition clears{mark(system, alert, 'keep_firing_for')}, so a one-off "
                  f"event is not resolved before anyone acts. To clear it sooner, silence it in the Alertmanager once handled "
                  f"(`amtool silence add alertname={alert.name} system={system.name} --duration={prom_duration(alert.keep_firing_for)}`).", ""]
    if alert.active_during:
        lines += [f"Told only during {_names(alert.active_during)}{mark(system, alert, 'active_during')}; outside it the alert fires but notifies nobody.", ""]
    lines += ["First actions:", ""] + [f"{i}. {alert_text(alert, a)}" for i, a in enumerate(alert.actions, 1)] + [""]
    if alert.runbook_url is not None:
        lines += [f"Runbook: <{alert.runbook_url}>.", ""]
    if alert.resolution is not None:
        lines += [f"Expected resolution: within {human_duration(duration_seconds(alert.resolution))}.", ""]
    silenced = [
        i for i in system.inhibitions
        if (any(t is alert for t in i.targets) or (not i.targets and i.source is not alert))
        and not all(any(level.priority is p for p in i.spares) for _, level in alert.levels)
    ]
    if silenced:
        lines += ["Silenced while " + ", ".join(f"`{i.source.name}` fires ({i.reason}){mark(system, i, 'reason')}" for i in silenced) + ".", ""]
    panel = links.panel_ids(service)[alert.signal.record]
    lines += [f"Dashboard: [{service.title}, panel {panel}]({links.dashboard_url(system, service, panel)}).", ""]
    return lines


def _raw_alerts(system: System, service: Service) -> list[str]:
    """Alerts kept as written: what fires them is their expression, shown whole."""
    if not service.raw_alerts:
        return []
    lines = ["Kept as written (obsgen reads no threshold from these; no generated test probes them):", ""]
    rows = []
    for raw in service.raw_alerts:
        labels = {"alertname": raw.name, **raw_alert_rule(system, service, raw).labels}
        summary = raw.annotations.get("summary") or raw.annotations.get("message") or raw.annotations.get("description") or ""
        runbook = raw.annotations.get("runbook_url")
        name = f"[{raw.name}]({runbook})" if runbook and runbook.startswith(("http://", "https://")) else raw.name
        rows.append([name, raw.severity or "(none)", raw.priority.name, prom_duration(raw.for_) if raw.for_ is not None else "0s",
                     f"`` {' '.join(raw.expr.split())} ``", summary, raw.why, _who(system.receiver(n) for n in expected_receivers(system, labels))])
    return lines + _table(["Alert", "Severity", "Priority", "For", "Expression", "Summary", "Why kept as written", "Who is told"], rows)


def _alerts(system: System) -> list[str]:
    lines = ["## Alerts", ""]
    if not system.alerts and not system.raw_alerts:
        return lines + ["This system defines no threshold alerts.", ""]
    for service in system.services:
        if not service.alerts and not service.raw_alerts:
            continue
        lines += [f"### {service.title}", "", f"{service.description} Team: `{service.team}`.", ""]
        for alert in service.alerts:
            lines += _alert_section(system, service, alert)
        lines += _raw_alerts(system, service)
    return lines


def _routing(system: System) -> list[str]:
    lines = ["## Priorities and routing", ""]
    rows = []
    for p in system.priorities:
        respond = (p.response_note or f"within {human_duration(p.response_seconds)}") + mark(system, p, "response_time")
        muted = _names(p.mute_time_intervals) or "never"
        active = _names(p.active_time_intervals) or "always"
        reminder = f"every {human_duration(duration_seconds(p.repeat_interval))}{mark(system, p, 'repeat_interval')}"
        who = _who(p.receivers) + mark(system, p, "receivers") + "".join(mark(system, r, "channel", "service", "to") for r in p.receivers)
        rows.append([p.name, p.meaning, respond, who, reminder, muted, active])
    lines += _table(["Priority", "Meaning", "Respond", "Who is told", "Reminder", "Muted during", "Told during"], rows)
    if system.routes:
        lines += ["Team routes, checked before the priority routes:", ""]
        rows = [[r.team, _names(r.priorities) or "all", _who(r.receivers), "yes" if r.also_default else "no", _names(r.mute_time_intervals) or "never"] for r in system.routes]
        lines += _table(["Team", "Priorities", "Who is told", "Also the priority's receivers", "Muted during"], rows)
    if system.time_intervals:
        rows = [[t.name + mark(system, t, "start"), ", ".join(t.weekdays), f"{t.start}-{t.end}", t.location] for t in system.time_intervals]
        lines += ["Time intervals:", ""] + _table(["Interval", "Days", "Times", "Time zone"], rows)
    if system.inhibitions:
        rows = [[f"`{i.source.name}`", (", ".join(f"`{t.name}`" for t in i.targets) or "every other alert")
                 + (f", except {_names(i.spares)}" if i.spares else ""), i.reason + mark(system, i, "reason")] for i in system.inhibitions]
        lines += ["Inhibitions (a critical alert also silences its own warning):", ""] + _table(["While this fires", "These stay quiet", "Why"], rows)
    lines += [f"Anything no route matches goes to {_who([system.default_receiver])}.", ""]
    return lines


def _escalations(system: System) -> list[str]:
    if not system.escalations:
        return []
    lines = ["## Escalation matrix", ""]
    for esc in system.escalations:
        rows = [[str(i), who, "at once" if duration_seconds(after) == 0 else f"after {human_duration(duration_seconds(after))}"] for i, (who, after) in enumerate(esc.steps, 1)]
        lines += [f"### {esc.name}", ""] + _table(["Level", "Who", "When"], rows)
    return lines


def _assumptions(system: System) -> list[str]:
    """Every value the definitions chose where the runbook is silent, and where it applies."""
    found = assumptions(system)
    lines = ["## What these definitions assume", ""]
    source = f"the runbook ({system.runbook})" if system.runbook else "the runbook"
    lines += [f"Values {source} states cite its section where they appear. These it does not state: each is marked "
              "with its number wherever it appears.", ""]
    if not found:
        return lines + ["Nothing: every value is the runbook's.", ""]
    rows = [[f'<a id="{a.anchor}"></a>A{a.number}', a.reason, "; ".join(a.places)] for a in found]
    return lines + _table(["#", "Assumption", "Where"], rows)


def _links(system: System) -> list[str]:
    """What operators open besides the handbook: the Alertmanager and declared external links."""
    items = []
    if system.alertmanager_url:
        items.append(f"- [Alertmanager]({system.alertmanager_url}){mark(system, system, 'alertmanager_url')}: silences and active alerts.")
    items += [f"- [{e.title}]({e.url}){mark(system, e, 'url')}" for e in system.externals]
    return ["## Links", ""] + items + [""] if items else []


def _scenarios(system: System) -> list[str]:
    """What the operators expect in situations from their runbook: each one is tested."""
    if not system.scenarios:
        return []
    lines = ["## Scenarios", "", "Situations from the runbook and what happens in each; `obsgen test` proves every row.", ""]
    rows = []
    for s in system.scenarios:
        fires = ", ".join(f"[{f.alert.name}](#{links.anchor(links.alert_heading(f.alert))}) ({f.priority.name})" for f in s.fires) or "nothing"
        told = _who(s.reaches) if s.reaches else "nobody"
        by = f"within {human_duration(s.within_seconds)}" if s.within is not None else ""
        rows.append([s.situation, fires, told, "yes" if s.pages else "no", by])
    return lines + _table(["Situation", "Fires", "Who is told", "Pages", "Notified"], rows)


def compile_handbook(system: System, origin: str) -> str:
    lines = [
        f"# {system.title}: operator handbook",
        "",
        f"<!-- Generated by obsgen from {origin}. Do not edit: change the definitions and run `make generate`. -->",
        "",
        system.description,
        "",
    ]
    lines += _links(system) + _checklist(system) + _alerts(system) + slo_chapter(system) + _routing(system) + _escalations(system)
    lines += _scenarios(system) + _assumptions(system)
    return "\n".join(lines).rstrip() + "\n"
