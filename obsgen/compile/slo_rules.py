"""SLO recording and alerting rules: the SLI aggregated once, windows built from it.

Per SLO one group records, in order (later rules read earlier ones at the same
evaluation): the SLI's bad and total events over 5m (raw series aggregated once),
the error ratio over each alerting window and the period, the objective and the budget
left. Event windows up to an hour read the raw counters, as any alert does, so a page
is as fast as the workbook's formula says; longer windows (2h to 30d, the costly ones)
sum the 5-minute base. Time-based SLIs sample their signal once a minute.
Every ratio drops out when there is no traffic, so nothing alerts on, or shows, NaN.
"""

from __future__ import annotations

from ..artifacts import AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup
from ..model import System
from ..promql import Matcher
from ..model.slo import SLO, BurnRateTier, LatencySLI, RatioSLI, TimeSLI, exact, window_name
from ..model.durations import prom_duration
from . import links, slo_links
from .rules import chunk
from .thresholds import prom_number

EVENTS = "slo:sli_events:rate5m"
BAD_EVENTS = "slo:sli_bad_events:rate5m"
BAD_TIME = "slo:sli_bad_time:ratio"
OBJECTIVE = "slo:objective:ratio"
BASE_WINDOW = 300
RAW_UP_TO = 3600  # event windows up to this long read the raw counters
DEFAULT_WINDOWS = (300, 3600)  # shown on the dashboard when an SLO has no alerting tiers
# SLO rule files are rules/slo-<name>.*.yml: their tests run hours of evaluations per tier,
# so they are tested per SLO (tests/slo-<name>.test.yml), not by the services' tests.
PREFIX = "slo-"


def error_ratio(seconds: int) -> str:
    return f"slo:sli_error:ratio_rate{window_name(seconds)}"


def budget_remaining(slo: SLO) -> str:
    return f"slo:error_budget_remaining:ratio{window_name(slo.period_seconds)}"


def windows(slo: SLO) -> tuple[int, ...]:
    """The alerting windows, shortest first (the period is recorded on its own)."""
    found = {s for t in slo.burn_tiers for s in (t.long_seconds, t.short_seconds)}
    return tuple(sorted(found or DEFAULT_WINDOWS))


def series(system: System, slo: SLO, record: str) -> str:
    """One SLO's recorded series (every SLO of every system shares the record names)."""
    return f'{record}{{system="{system.name}", slo="{slo.name}"}}'


def _sum(slo: SLO) -> str:
    return f"sum by ({', '.join(slo.group_by)}) " if slo.group_by else "sum"


def _on(slo: SLO) -> str:
    return f"on ({', '.join(slo.group_by)})"


def le_matcher(sli: LatencySLI) -> Matcher:
    """The bucket of the threshold; Go clients write le="1", Python clients le="1.0"."""
    value = prom_number(sli.threshold.base)
    if "." in value or "e" in value:
        return Matcher("le", "=", value)
    return Matcher("le", "=~", f"{value}|{value}\\.0")


def raw_total(slo: SLO, window: str) -> str:
    sli = slo.sli
    if isinstance(sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: a time SLI counts no events")
    selector = str(sli.total_selector) if isinstance(sli, RatioSLI) else str(sli.selector.renamed(f"{sli.selector.name}_count"))
    return f"{_sum(slo)}(rate({selector}[{window}]))"


def raw_part(slo: SLO, window: str) -> str:
    """The bad events (errors form) or the good ones (good and latency forms)."""
    sli = slo.sli
    if isinstance(sli, RatioSLI):
        selector = str(sli.part_selector)
    elif isinstance(sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: a time SLI counts no events")
    else:
        selector = str(sli.selector.renamed(f"{sli.selector.name}_bucket", (le_matcher(sli),)))
    return f"{_sum(slo)}(rate({selector}[{window}]))"


def counts_good(slo: SLO) -> bool:
    return isinstance(slo.sli, LatencySLI) or (isinstance(slo.sli, RatioSLI) and slo.sli.counts_good)


def _event_ratio(system: System, slo: SLO, seconds: int) -> str:
    """The error ratio over a window: raw counters up to 1h, the 5m base beyond."""
    events, bad = series(system, slo, EVENTS), series(system, slo, BAD_EVENTS)
    or_zero = f"or {_on(slo)} (0 * {events})"
    w = window_name(seconds)
    if seconds == BASE_WINDOW:
        return f"{bad} / ({events} > 0)"
    if seconds <= RAW_UP_TO:
        part = f"({raw_part(slo, w)} {or_zero}) / {_on(slo)} ({raw_total(slo, w)} > 0)"
        return f"1 - {part}" if counts_good(slo) else part
    return f"sum_over_time({bad}[{w}]) / (sum_over_time({events}[{w}]) > 0)"


def _event_rules(system: System, slo: SLO) -> list[tuple[str, str]]:
    events = series(system, slo, EVENTS)
    or_zero = f"or {_on(slo)} (0 * {events})"
    if counts_good(slo):
        base_bad = f"{events} - {_on(slo)} ({raw_part(slo, '5m')} {or_zero})"
    else:
        base_bad = f"{raw_part(slo, '5m')} {or_zero}"
    rules = [(EVENTS, raw_total(slo, "5m")), (BAD_EVENTS, base_bad)]
    return rules + [(error_ratio(seconds), _event_ratio(system, slo, seconds)) for seconds in windows(slo)]


def _time_ratio(system: System, slo: SLO, seconds: int) -> str:
    return f"avg_over_time({series(system, slo, BAD_TIME)}[{window_name(seconds)}])"


def _time_rules(system: System, slo: SLO) -> list[tuple[str, str]]:
    sli = slo.sli
    if not isinstance(sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: only a time SLI has time rules")
    signal = links.selector(system, sli.signal.record)
    avg = f"avg by ({', '.join(slo.group_by)}) " if slo.group_by else "avg"
    if sli.is_condition:
        assert sli.bad_when is not None  # a condition has a direction
        op = sli.bad_when.operator
        base = f"{avg}({signal} {op} bool {prom_number(sli.threshold_quantity.base)})"
    else:
        base = f"1 - {avg}({signal})"
    return [(BAD_TIME, base)] + [(error_ratio(seconds), _time_ratio(system, slo, seconds)) for seconds in windows(slo)]


def recording_rules(system: System, slo: SLO) -> list[RecordingRule]:
    """The SLO's recording rules, in evaluation order.

    The period's error ratio is not recorded on its own: the budget rule computes it, and
    the dashboard derives the SLI from the budget (one rule fewer than Sloth's 17).
    """
    timed = isinstance(slo.sli, TimeSLI)
    pairs = _time_rules(system, slo) if timed else _event_rules(system, slo)
    period_ratio = (_time_ratio if timed else _event_ratio)(system, slo, slo.period_seconds)
    pairs += [
        (OBJECTIVE, f"vector({prom_number(slo.objective_ratio)})"),
        (budget_remaining(slo), f"1 - ({period_ratio}) / {prom_number(float(slo.budget))}"),
    ]
    labels = {"system": system.name, "slo": slo.name}
    return [RecordingRule(record=record, expr=expr, labels=dict(labels)) for record, expr in pairs]


def _percent(value: float) -> str:
    return f"{value * 100:.4g}%"


def _where(slo: SLO) -> str:
    return "".join(f" for {label} {{{{ $labels.{label} }}}}" for label in slo.group_by)


def counted(slo: SLO) -> str:
    """What the SLI counts: events, requests or time."""
    if isinstance(slo.sli, TimeSLI):
        return "time"
    return "requests" if isinstance(slo.sli, LatencySLI) else "events"


def alert_labels(system: System, slo: SLO, tier: BurnRateTier | None) -> dict[str, str]:
    """Labels of one SLO alert: the ones every alert has, then slo and the tier's windows."""
    labels = {
        "severity": tier.severity if tier else "warning",
        "priority": (slo.priority(tier) if tier else slo.ticket_priority).name,
        "system": system.name,
        "service": slo.service.name,
        "team": slo.service.team,
        "slo": slo.name,
    }
    if tier is not None:
        labels.update(long=window_name(tier.long_seconds), short=window_name(tier.short_seconds))
    return labels


def burn_description(slo: SLO, tier: BurnRateTier) -> str:
    share = float(exact(tier.factor) * tier.long_seconds / slo.period_seconds)
    what = "the time" if isinstance(slo.sli, TimeSLI) else counted(slo)
    return (
        f"{slo.title}{_where(slo)}: {{{{ $value | humanizePercentage }}}} of {what} bad over the last {prom_duration(tier.long)}, "
        f"and over {_percent(slo.threshold(tier))} over the last {prom_duration(tier.short)} too: {tier.factor:g}x the error budget of "
        f"{_percent(float(slo.budget))} (objective {slo.objective}). At this rate {_percent(share)} of the {prom_duration(slo.period)} budget "
        f"goes in {prom_duration(tier.long)}."
    )


def absent_selector(system: System, slo: SLO) -> str:
    """The series whose absence means the SLI cannot be computed."""
    sli = slo.sli
    if isinstance(sli, TimeSLI):
        return links.selector(system, sli.signal.record)
    if isinstance(sli, LatencySLI):
        return str(sli.selector.renamed(f"{sli.selector.name}_count"))
    return str(sli.total_selector)


def alert_rules(system: System, slo: SLO) -> list[AlertingRule]:
    """One alert per burn-rate tier (same name, severity and window labels), then the no-data alert."""
    annotations = {"runbook_url": slo_links.runbook_url(system, slo), "dashboard_url": slo_links.dashboard_url(system, slo)}
    rules = []
    for tier in slo.burn_tiers:
        threshold = prom_number(slo.threshold(tier))
        long, short = series(system, slo, error_ratio(tier.long_seconds)), series(system, slo, error_ratio(tier.short_seconds))
        rules.append(AlertingRule(
            alert=slo.alert_name,
            expr=f"{long} > {threshold} and {short} > {threshold}",
            for_=prom_duration(tier.for_) if tier.for_seconds else None,
            labels=alert_labels(system, slo, tier),
            annotations={
                "summary": f"{slo.title} is burning its error budget {tier.factor:g}x too fast.",
                "description": burn_description(slo, tier),
                **annotations,
            },
        ))
    if slo.no_data_for is not None:
        rules.append(AlertingRule(
            alert=slo.no_data_alert_name,
            expr=f"absent({absent_selector(system, slo)}) == 1",
            for_=prom_duration(slo.no_data_for) if slo.no_data_seconds else None,
            labels=alert_labels(system, slo, None),
            annotations={
                "summary": f"{slo.title} has no SLI data.",
                "description": (
                    f"No series of {absent_selector(system, slo)} for {prom_duration(slo.no_data_for)} (absent() is {{{{ $value }}}}): "
                    f"the {slo.title} SLI, its error budget and its burn-rate alerts cannot be computed."
                ),
                **annotations,
            },
        ))
    return rules


def slo_alert_label_sets(system: System, slo: SLO) -> list[dict[str, str]]:
    """Labels of each alert of one SLO (alertname included), for routing cases and the handbook."""
    return [{"alertname": r.alert, **r.labels} for r in alert_rules(system, slo)]


def alert_label_sets(system: System) -> list[tuple[str, dict[str, str]]]:
    """(alert name, labels) of every SLO alert of a system."""
    return [(labels["alertname"], labels) for slo in system.slos for labels in slo_alert_label_sets(system, slo)]


def recording_group(system: System, slo: SLO) -> RuleGroup:
    return RuleGroup(name=f"slo-{slo.name}", interval="1m", rules=tuple(recording_rules(system, slo)))


def alert_groups(system: System, slo: SLO) -> tuple[RuleGroup, ...]:
    rules: list[Rule] = list(alert_rules(system, slo))
    return chunk(f"slo-{slo.name}-alerts", rules).groups


def recording_file(slo: SLO) -> str:
    return f"{PREFIX}{slo.name}.recording.yml"


def alerts_file(slo: SLO) -> str:
    return f"{PREFIX}{slo.name}.alerts.yml"


def compile_slo_rules(system: System) -> dict[str, RuleFile]:
    """Rule files under rules/, two per SLO (recording, alerting), so each SLO's tests load only its own."""
    files: dict[str, RuleFile] = {}
    for slo in system.slos:
        files[recording_file(slo)] = RuleFile((recording_group(system, slo),))
        groups = alert_groups(system, slo)
        if groups:
            files[alerts_file(slo)] = RuleFile(groups)
    return files


def slo_rule_counts(system: System) -> dict[str, int]:
    """Rules per SLO (recording and alerting), for `make bench`: Sloth writes 17."""
    return {slo.name: len(recording_rules(system, slo)) + len(alert_rules(system, slo)) for slo in system.slos}
