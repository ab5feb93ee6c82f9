"""Dashboards: the system's things-to-check overview and one per service.

Panels read the recorded signals, so a panel, its alert and its check show one series;
threshold steps come from the same Quantity the alert compares against.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from ..artifacts import AlertAnnotation, Dashboard, Panel, Row, ThresholdStep, Variable
from ..model import Direction, Service, Signal, System
from ..model.checks import ChecklistItem
from ..model.durations import human_duration, prom_duration
from ..model.units import Quantity
from ..promql import Call, Selector, parse, selectors, walk
from . import links
from .rules import grouping_labels, signal_owners
from .slo_dashboard import slo_dashboard
from .thresholds import panel_boundary


_COLOURS = {"critical": "red", "warning": "orange", None: "green"}
_RANK = {None: 0, "warning": 1, "critical": 2}
OVERVIEW_TITLE = "Things to check"  # the overview dashboard: "<system> / Things to check"
# Labels that say where a series comes from: a dashboard whose signals carry one gets a
# filter variable for it. Labels that split a measure (code, type, mountpoint) do not.
FILTER_LABELS = ("exchange", "instrument", "provider", "feed", "session", "channel", "app", "deployment", "pod", "instance")
# An overview with more groups than this opens with only its first group expanded.
OPEN_GROUPS = 3


def threshold_steps(lines: list[tuple[Direction, str, Quantity]]) -> tuple[ThresholdStep, ...]:
    """Grafana steps for (direction, severity, threshold) lines on one panel.

    Grafana colours a value by the highest step at or below it, so each region between
    thresholds takes the worst severity whose line it crosses. Step values are the
    thresholds themselves: the red line is the alert's number.
    """
    bounds = [(d, sev, panel_boundary(d, q)) for d, sev, q in lines]
    values = sorted({b for _, _, b in bounds})
    if not values:
        return (ThresholdStep("green", None),)

    def worst(v: float) -> str | None:
        hit = [sev for d, sev, b in bounds if (v >= b if d.upward else v < b)]
        return max(hit, key=_RANK.__getitem__, default=None)

    # Every line is a step, even one that keeps the colour (a second warning line): each
    # alert's number shows on the panel.
    steps = [ThresholdStep(_COLOURS[worst(values[0] - 1)], None)]
    steps += [ThresholdStep(_COLOURS[worst(v)], v) for v in values]
    return tuple(steps)


def _lines(direction: Direction | None, warning: Quantity | None, critical: Quantity | None) -> list[tuple[Direction, str, Quantity]]:
    if direction is None:
        return []
    return [(direction, sev, q) for sev, q in (("warning", warning), ("critical", critical)) if q is not None]


def _alert_lines(system: System) -> dict[str, list[tuple[Direction, str, Quantity]]]:
    lines: dict[str, list] = {}
    for alert in system.alerts:
        lines.setdefault(alert.signal.record, []).extend((alert.direction, sev, lvl.threshold) for sev, lvl in alert.levels)
    return lines


def _signal_lines(system: System) -> dict[str, list[tuple[Direction, str, Quantity]]]:
    """Per recorded signal: every alert threshold on it, else its checks' thresholds."""
    lines = _alert_lines(system)
    checked: dict[str, list] = {}
    for check in system.checklist:
        checked.setdefault(check.signal.record, []).extend(_lines(check.direction, check.warning, check.critical))
    return {record: lines.get(record) or checked.get(record, []) for record in {s.record for s in system.signals}}


def _legend(signal: Signal) -> str:
    labels = grouping_labels(signal)
    return " ".join(f"{{{{{label}}}}}" for label in labels) if labels else signal.description


def threshold_text(lines) -> str:
    """A panel description's threshold sentence (the mixin export spells the same one in jsonnet)."""
    if not lines:
        return ""
    return " Thresholds: " + ", ".join(f"{sev} {links.direction_words(d)} {q}" for d, sev, q in lines) + "."


def _filters(signal: Signal) -> tuple[str, ...]:
    return tuple(label for label in FILTER_LABELS if label in grouping_labels(signal))


def dashboard_filters(signals: list[Signal]) -> tuple[str, ...]:
    """The place labels a dashboard filters on: those its signals carry, in FILTER_LABELS order.

    instance only where every panel carries it (dashboard-linter's target-job-instance):
    elsewhere choosing an instance would blank the other panels.
    """
    carried = [set(_filters(s)) for s in signals]
    found = set().union(*carried) if carried else set()
    if "instance" in found and not all("instance" in c for c in carried):
        found.discard("instance")
    return tuple(label for label in FILTER_LABELS if label in found)


def panel_expr(system: System, signal: Signal, filters: tuple[str, ...]) -> str:
    """The signal's recorded series, narrowed by the dashboard's filter variables it carries."""
    matchers = "".join(f', {label}=~"${label}"' for label in _filters(signal) if label in filters)
    return links.selector(system, signal.record)[:-1] + matchers + "}"


def filter_variables(system: System, signals: list[Signal]) -> tuple[Variable, ...]:
    """One filter per label of dashboard_filters, its values read from the first signal that carries it."""
    return tuple(
        Variable(label, f"label_values({links.selector(system, next(s for s in signals if label in _filters(s)).record)}, {label})")
        for label in dashboard_filters(signals)
    )


def alert_annotations(system: System, service: Service | None = None) -> tuple[AlertAnnotation, ...]:
    """Firing alerts of the system (or one service) on every time series, in their severity's colour."""
    where = f'system="{system.name}"' + (f', service="{service.name}"' if service else "")
    return tuple(
        AlertAnnotation(f"{severity.capitalize()} alerts", f'ALERTS{{{where}, alertstate="firing", severity="{severity}"}}', _COLOURS[severity])
        for severity in ("critical", "warning")
    )


def system_links(system: System) -> tuple[tuple[str, str], ...]:
    """Where every dashboard of the system leads besides its own: the system's Alertmanager."""
    return ((f"{system.title} Alertmanager", system.alertmanager_url),) if system.alertmanager_url else ()


def baseline_series(system: System, signal: Signal, filters: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """The signal as it was a baseline ago (the same time last week), beside it on its panel."""
    if signal.baseline is None:
        return ()
    ago = human_duration(signal.baseline_seconds)
    return ((f"{panel_expr(system, signal, filters)} offset {prom_duration(signal.baseline)}", f"baseline: {ago} ago"),)


def panel_unit(signal: Signal) -> str:
    """Grafana's unit for the signal; a count in a unit of its own (gaps/hour) says so."""
    unit = signal.unit
    if unit.dimension.grafana_unit == "short" and unit.symbol:
        return f"suffix: {unit.symbol}"
    return unit.dimension.grafana_unit


def histograms(service: Service) -> list[Selector]:
    """The histograms (`<metric>_bucket` series) the service's quantile signals read, once each."""
    found: dict[str, Selector] = {}
    for signal in service.all_signals:
        for node, _ in walk(parse(signal.expr)):
            if isinstance(node, Call) and node.func == "histogram_quantile":
                for sel in selectors(node.args[1]):
                    if sel.name and sel.name.endswith("_bucket"):
                        bare = Selector(sel.name, sel.matchers)
                        found.setdefault(str(bare), bare)
    return list(found.values())


def _histogram_panel(bucket: Selector, panel_id: int, index: int) -> Panel:
    """The runbook's "latency histogram": how the observations spread over the buckets."""
    metric = (bucket.name or "").removesuffix("_bucket")
    return Panel(
        id=panel_id,
        kind="histogram",
        title=f"{metric} histogram",
        description=(
            f"The distribution of {metric}: observations per second in each bucket (le = the bucket's upper bound), "
            "averaged over the dashboard's time range. A shift to the right is the latency the quantile panels summarise."
        ),
        expr=f"sum by (le) (rate({bucket}[$__rate_interval]))",
        legend="{{le}}",
        unit="cps",
        steps=(ThresholdStep("green", None),),
        x=(index % 2) * 12,
        y=(index // 2) * 8,
        w=12,
        h=8,
    )


def service_dashboard(system: System, service: Service, signal_lines: dict[str, list]) -> Dashboard:
    ids = links.panel_ids(service)
    filters = dashboard_filters(list(service.all_signals))
    alerts_on: dict[str, list[str]] = {}
    for alert in service.alerts:
        alerts_on.setdefault(alert.signal.record, []).append(alert.name)
    panels = []
    for i, signal in enumerate(service.all_signals):
        lines = signal_lines[signal.record]
        alerts = alerts_on.get(signal.record, [])
        alerting = f" Alerts: {', '.join(alerts)}." if alerts else ""
        panels.append(
            Panel(
                id=ids[signal.record],
                kind="timeseries",
                title=signal.description,
                description=f"Recorded as {signal.record}.{threshold_text(lines)}{alerting}" + (
                    f" Baseline: the same signal {human_duration(signal.baseline_seconds)} ago." if signal.baseline is not None else ""),
                expr=panel_expr(system, signal, filters),
                legend=_legend(signal),
                unit=panel_unit(signal),
                steps=threshold_steps(lines),
                x=(i % 2) * 12,
                y=(i // 2) * 8,
                w=12,
                h=8,
                more=baseline_series(system, signal, filters),
            )
        )
    for bucket in histograms(service):
        panels.append(_histogram_panel(bucket, len(panels) + 1, len(panels)))
    return Dashboard(
        uid=links.service_uid(system, service),
        title=f"{system.title} / {service.title}",
        description=service.description,
        tags=("obsgen", system.name, service.team),
        panels=tuple(panels),
        links=((f"{system.title} overview", links.grafana_url(system, links.overview_uid(system))), *system_links(system)),
        variables=filter_variables(system, list(service.all_signals)),
        annotations=alert_annotations(system, service),
    )


def frequency_words(check: ChecklistItem) -> str:
    """How often the check is read, where it is read: 'every 5 minutes during trading hours'."""
    return f"every {human_duration(int(check.frequency.base))}" + (f" {check.when}" if check.when else "")


def _check_panel(system: System, check: ChecklistItem, panel_id: int, index: int, top: int, owners: dict[str, str],
                 alert_lines: dict[str, list], grouped: bool, filters: tuple[str, ...]) -> Panel:
    owner = next((s for s in system.services if s.name == owners.get(check.signal.record)), None)
    own = _lines(check.direction, check.warning, check.critical)
    # The check's own lines, and every alert's on the same signal: the panel is red in the
    # state that pages (0 WebSocket connections), not only past the check's number.
    lines = own + [line for line in alert_lines.get(check.signal.record, []) if line not in own]
    return Panel(
        id=panel_id,
        kind="stat",
        title=check.title if grouped else f"{check.title} ({frequency_words(check)})",
        description=(
            f"Check {frequency_words(check)}. Good: {check.good.rstrip('.')}. If not: {check.action.rstrip('.')}."
            f"{threshold_text(lines)}"
        ),
        expr=panel_expr(system, check.signal, filters),
        legend=_legend(check.signal),
        unit=panel_unit(check.signal),
        steps=threshold_steps(lines),
        x=(index % 3) * 8,
        y=top + (index // 3) * 5,
        w=8,
        h=5,
        link=links.dashboard_url(system, owner) if owner else None,
    )


def _overview_panels(system: System) -> tuple[Panel | Row, ...]:
    """Checks in the runbook's order; a row above each group when checks are grouped.

    A group's row says how often it is read. Past OPEN_GROUPS groups only the first opens
    expanded: the rest are collapsed rows an operator opens when their check is due (a
    link to one of their panels opens it too).
    """
    owners = signal_owners(system)
    alert_lines = _alert_lines(system)
    filters = dashboard_filters([c.signal for c in system.checklist])
    groups: dict[str | None, list[ChecklistItem]] = {}
    for check in system.checklist:
        groups.setdefault(check.group, []).append(check)
    collapse = len(groups) > OPEN_GROUPS
    out: list[Panel | Row] = []
    next_id = 1
    top = 0
    for number, (group, checks) in enumerate(groups.items()):
        row = None
        if group is not None:
            row = Row(id=next_id, title=f"{group} ({frequency_words(checks[0])})", y=top, collapsed=collapse and number > 0)
            next_id += 1
            top += 1
        panels = []
        for index, check in enumerate(checks):
            panels.append(_check_panel(system, check, next_id, index, top, owners, alert_lines, grouped=row is not None, filters=filters))
            next_id += 1
        if row is not None and row.collapsed:
            out.append(replace(row, panels=tuple(panels)))
            continue
        if row is not None:
            out.append(row)
        out += panels
        top += ((len(checks) + 2) // 3) * 5
    return tuple(out)


def overview_dashboard(system: System) -> Dashboard:
    return Dashboard(
        uid=links.overview_uid(system),
        title=f"{system.title} / {OVERVIEW_TITLE}",
        description=f"The start-of-shift checks for {system.title}, in the runbook's order.",
        tags=("obsgen", system.name, "overview"),
        panels=_overview_panels(system),
        links=(*((s.title, links.dashboard_url(system, s)) for s in system.services), *system_links(system)),
        variables=filter_variables(system, [c.signal for c in system.checklist]),
        annotations=alert_annotations(system),
    )


def compile_dashboards(system: System) -> Iterator[Dashboard]:
    """The overview, one dashboard per service and the SLO dashboard, one at a time."""
    signal_lines = _signal_lines(system)
    yield overview_dashboard(system)
    for service in system.services:
        yield service_dashboard(system, service, signal_lines)
    if system.slos:
        slos = slo_dashboard(system)
        yield replace(slos, links=slos.links + system_links(system), annotations=alert_annotations(system))


def check_panel_ids(system: System) -> list[int]:
    """The overview panel of each check, in check order (for the handbook's links)."""
    return [q.id for p in _overview_panels(system) for q in ((p,) if isinstance(p, Panel) else p.panels)]
