"""SLO recording and alerting rules: the raw series aggregated once, every window built from that.

Per SLO, one group every minute records (later rules read earlier ones at the same
evaluation): the SLI's events and bad events over 5m and over 1h, straight from the raw
series; the error ratio over 5m and 1h from those; and every other alerting window as the
sum of the 5m rates over the window less 5m, which covers the window exactly (each minute
of the window counted, none outside it) from one sample a minute per group instead of
the raw series. A second group every 5m records the objective and the budget left over
the period, from the hourly rates picked once an hour (720 points for 30 days).

Alerting: one rule per severity. A tier holds while its long window is at or above
factor x budget, unless its short window is below it or counted no event at all: a short
window with no samples (a scrape gap) does not end a page; recovery does, and so does
traffic that stops (a stopped service burns no budget; no_traffic_for alerts on that).
The tiers of a severity are joined with `or`, so a page that moves from the 1h tier to the
6h one stays one alert. No `for`: the windows already say how long.

Ratios are recorded rounded to 12 decimals, as are the thresholds: a burn at exactly a tier's
factor reads exactly its threshold (the rates' float noise would leave it a hair below).
Every ratio drops out when there is no traffic (nothing alerts on, or shows, NaN). A
latency SLI counts only series that export the threshold's bucket; a missing bucket, or
a missing metric of a ratio SLI, is an alert of its own that names the series.
"""

from __future__ import annotations

import math

from ..artifacts import AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup
from ..model import System
from ..model.durations import prom_duration
from ..model.slo import PAGE, SLO, TICKET, BurnRateTier, LatencySLI, RatioSLI, TierKind, TimeSLI, exact, window_name
from ..promql import Matcher, Selector
from . import links, slo_links
from .memo import per_object
from .rules import chunk
from .thresholds import prom_number

EVENTS = "slo:sli_events:rate5m"
BAD_EVENTS = "slo:sli_bad_events:rate5m"
EVENTS_HOURLY = "slo:sli_events:rate1h"
BAD_EVENTS_HOURLY = "slo:sli_bad_events:rate1h"
BAD_TIME = "slo:sli_bad_time:ratio"
OBJECTIVE = "slo:objective:ratio"
BASE_WINDOW = 300
HOUR = 3600
MINUTE = 60
INTERVAL = "1m"
BUDGET_INTERVAL = "5m"  # the budget moves slowly; its 5m lookback still sees every sample
DEFAULT_WINDOWS = (300, 3600)  # shown on the dashboard when an SLO has no alerting tiers
SEVERITIES = (PAGE, TICKET)  # one burn alert each: critical, warning
RESOLUTION = 1e-12  # ratios and thresholds are compared on this grid
# SLO rule files are rules/slo-<name>.*.yml: their tests run hours of evaluations per tier,
# so they are tested per SLO (tests/slo-<name>.test.yml), not by rules.test.yml.
PREFIX = "slo-"


def on_grid(value: float) -> float:
    """What round(value, 1e-12) gives in Prometheus: floor(v x (1/r) + 0.5) / (1/r)."""
    inverse = 1.0 / RESOLUTION
    return math.floor(value * inverse + 0.5) / inverse


def rounded(expr: str) -> str:
    return f"round({expr}, {prom_number(RESOLUTION)})"


def threshold(slo: SLO, tier: BurnRateTier) -> float:
    """The tier's threshold as the rules compare it: factor x budget on the ratios' grid."""
    return on_grid(slo.threshold(tier))


def error_ratio(seconds: int) -> str:
    return f"slo:sli_error:ratio_rate{window_name(seconds)}"


def budget_remaining(slo: SLO) -> str:
    return f"slo:error_budget_remaining:ratio{window_name(slo.period_seconds)}"


def windows(slo: SLO) -> tuple[int, ...]:
    """The alerting windows, shortest first, and always 1h (the budget adds up hourly ratios)."""
    found = {s for t in slo.burn_tiers for s in (t.long_seconds, t.short_seconds)} or set(DEFAULT_WINDOWS)
    return tuple(sorted(found | {HOUR}))


def series(system: System, slo: SLO, record: str) -> str:
    """One SLO's recorded series (every SLO of every system shares the record names)."""
    return f'{record}{{system="{system.name}", slo="{slo.name}"}}'


def _sum(slo: SLO) -> str:
    return f"sum by ({', '.join(slo.group_by)}) " if slo.group_by else "sum"


def _on(slo: SLO) -> str:
    return f"on ({', '.join(slo.group_by)})"


def le_matcher(sli: LatencySLI) -> Matcher:
    """The bucket of the threshold however a client spells it: le="0.1", "0.10", "1", "1.0"."""
    value = prom_number(sli.threshold.base)
    if "e" in value:
        return Matcher("le", "=", value)
    if "." in value:
        return Matcher("le", "=~", value.replace(".", "[.]") + "0*")
    return Matcher("le", "=~", f"{value}([.]0*)?")


def bucket_selector(sli: LatencySLI) -> str:
    return str(sli.selector.renamed(f"{sli.selector.name}_bucket", (le_matcher(sli),)))


def count_selector(sli: LatencySLI) -> str:
    return str(sli.selector.renamed(f"{sli.selector.name}_count"))


def counts_good(slo: SLO) -> bool:
    return isinstance(slo.sli, LatencySLI) or (isinstance(slo.sli, RatioSLI) and slo.sli.counts_good)


def part_is_own_metric(slo: SLO) -> bool:
    """A ratio SLI whose errors (or good) counter is a metric of its own, not the total's with a matcher more.

    The total's own label values (code="500") appear at their first event, so their absence is
    zero events; a metric of its own is exported from the start, so its absence is a fault.
    """
    sli = slo.sli
    return isinstance(sli, RatioSLI) and sli.part_selector.name != sli.total_selector.name


# --- events and bad events from the raw series ----------------------------------------------


def event_sli(slo: SLO) -> RatioSLI | LatencySLI:
    """The SLI of an SLO that counts events (a time SLI counts none)."""
    if isinstance(slo.sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: a time SLI counts no events")
    return slo.sli


def raw_total(slo: SLO, window: str) -> str:
    """All events over a window; for latency only the series that export the threshold's bucket."""
    sli = event_sli(slo)
    if isinstance(sli, LatencySLI):
        return f"{_sum(slo)}(rate({count_selector(sli)}[{window}]) and ignoring (le) {bucket_selector(sli)})"
    return f"{_sum(slo)}(rate({sli.total_selector}[{window}]))"


def raw_part(slo: SLO, window: str) -> str:
    """The bad events (errors form) or the good ones (good and latency forms)."""
    sli = event_sli(slo)
    selector = str(sli.part_selector) if isinstance(sli, RatioSLI) else bucket_selector(sli)
    return f"{_sum(slo)}(rate({selector}[{window}]))"


def _bad(system: System, slo: SLO, window: str, events_record: str) -> str:
    """Bad events over a window, given the events recorded for it just before."""
    events = series(system, slo, events_record)
    part = raw_part(slo, window)
    if not isinstance(slo.sli, LatencySLI) and not part_is_own_metric(slo):
        part = f"{part} or {_on(slo)} (0 * {events})"  # no series of the part: none of those events yet
    return f"{events} - {_on(slo)} ({part})" if counts_good(slo) else part


def _ratio(system: System, slo: SLO, bad: str, events: str) -> str:
    return rounded(f"{series(system, slo, bad)} / ({series(system, slo, events)} > 0)")


def _summed_ratio(system: System, slo: SLO, seconds: int) -> str:
    """The window from the 5m rates: the samples of the last (window - 5m) cover the window exactly."""
    span = window_name(seconds - BASE_WINDOW)
    return rounded(f"sum_over_time({series(system, slo, BAD_EVENTS)}[{span}]) / (sum_over_time({series(system, slo, EVENTS)}[{span}]) > 0)")


def _event_rules(system: System, slo: SLO) -> list[tuple[str, str]]:
    rules = [
        (EVENTS, raw_total(slo, "5m")),
        (BAD_EVENTS, _bad(system, slo, "5m", EVENTS)),
        (EVENTS_HOURLY, raw_total(slo, "1h")),
        (BAD_EVENTS_HOURLY, _bad(system, slo, "1h", EVENTS_HOURLY)),
    ]
    for seconds in windows(slo):
        if seconds == BASE_WINDOW:
            expr = _ratio(system, slo, BAD_EVENTS, EVENTS)
        elif seconds == HOUR:
            expr = _ratio(system, slo, BAD_EVENTS_HOURLY, EVENTS_HOURLY)
        else:
            expr = _summed_ratio(system, slo, seconds)
        rules.append((error_ratio(seconds), expr))
    return rules


def _time_rules(system: System, slo: SLO) -> list[tuple[str, str]]:
    """A time SLI is sampled once a minute: a window of n minutes averages its last n samples."""
    sli = slo.sli
    if not isinstance(sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: only a time SLI has time rules")
    signal = links.selector(system, sli.signal.record)
    avg = f"avg by ({', '.join(slo.group_by)}) " if slo.group_by else "avg"
    if sli.is_condition:
        assert sli.bad_when is not None  # a condition has a direction
        base = f"{avg}({signal} {sli.bad_when.operator} bool {prom_number(sli.threshold_quantity.base)})"
    else:
        base = f"1 - {avg}({signal})"
    bad = series(system, slo, BAD_TIME)
    return [(BAD_TIME, base)] + [(error_ratio(s), rounded(f"avg_over_time({bad}[{window_name(s - MINUTE)}])")) for s in windows(slo)]


def _period_ratio(system: System, slo: SLO) -> str:
    """The error ratio over the period from the hourly figures, one point an hour."""
    span = f"[{window_name(slo.period_seconds)}:1h]"
    if isinstance(slo.sli, TimeSLI):
        return f"avg_over_time({series(system, slo, error_ratio(HOUR))}{span})"
    bad, events = series(system, slo, BAD_EVENTS_HOURLY), series(system, slo, EVENTS_HOURLY)
    return f"sum_over_time({bad}{span}) / (sum_over_time({events}{span}) > 0)"


def _rules(system: System, slo: SLO, pairs: list[tuple[str, str]]) -> list[RecordingRule]:
    labels = {"system": system.name, "slo": slo.name}
    return [RecordingRule(record=record, expr=expr, labels=dict(labels)) for record, expr in pairs]


def recording_rules(system: System, slo: SLO) -> list[RecordingRule]:
    """The every-minute rules, in evaluation order."""
    return _rules(system, slo, _time_rules(system, slo) if isinstance(slo.sli, TimeSLI) else _event_rules(system, slo))


def budget_rules(system: System, slo: SLO) -> list[RecordingRule]:
    """The slow rules: the objective, and the share of the period's budget left."""
    return _rules(system, slo, [
        (OBJECTIVE, f"vector({prom_number(slo.objective_ratio)})"),
        (budget_remaining(slo), f"1 - ({_period_ratio(system, slo)}) / {prom_number(float(slo.budget))}"),
    ])


# --- alerts --------------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{value * 100:.4g}%"


def _where(slo: SLO) -> str:
    return "".join(f" for {label} {{{{ $labels.{label} }}}}" for label in slo.group_by)


def counted(slo: SLO) -> str:
    """What the SLI counts: events, requests or time."""
    if isinstance(slo.sli, TimeSLI):
        return "time"
    return "requests" if isinstance(slo.sli, LatencySLI) else "events"


def tiers_of(slo: SLO, kind: TierKind) -> list[BurnRateTier]:
    """A severity's tiers, fastest first (the order its alert tries them)."""
    return sorted((t for t in slo.burn_tiers if t.kind is kind), key=lambda t: (t.long_seconds, t.short_seconds))


def _labels(system: System, slo: SLO, kind: TierKind) -> dict[str, str]:
    """The labels every alert has, and slo: a page is critical at the page priority, the rest warnings at the ticket's."""
    priority = slo.page_priority if kind is PAGE else slo.ticket_priority
    return {"severity": kind.severity, "priority": priority.name, "system": system.name, "service": slo.service.name,
            "team": slo.service.team, "slo": slo.name}


def events_over(system: System, slo: SLO, seconds: int) -> str | None:
    """The events a window counted (0: no traffic; absent: no samples); None for a time SLI."""
    if isinstance(slo.sli, TimeSLI):
        return None
    if seconds == BASE_WINDOW:
        return series(system, slo, EVENTS)
    if seconds == HOUR:
        return series(system, slo, EVENTS_HOURLY)
    return f"sum_over_time({series(system, slo, EVENTS)}[{window_name(seconds - BASE_WINDOW)}])"


def tier_condition(system: System, slo: SLO, tier: BurnRateTier) -> str:
    limit = prom_number(threshold(slo, tier))
    long, short = series(system, slo, error_ratio(tier.long_seconds)), series(system, slo, error_ratio(tier.short_seconds))
    events = events_over(system, slo, tier.short_seconds)
    veto = f"{short} < {limit}" if events is None else f"({short} < {limit} or {events} == 0)"
    return f"({long} >= {limit} unless {veto})"


def burn_description(slo: SLO, kind: TierKind) -> str:
    what = "the time" if isinstance(slo.sli, TimeSLI) else counted(slo)
    tiers = tiers_of(slo, kind)
    parts = [f"{prom_duration(t.long)} at {t.factor:g}x ({_percent(threshold(slo, t))}, unless the last {prom_duration(t.short)} is below)" for t in tiers]
    spends = [f"{_percent(float(exact(t.factor) * t.long_seconds / slo.period_seconds))} of it in {prom_duration(t.long)}" for t in tiers]
    return (
        f"{slo.title}{_where(slo)}: {{{{ $value | humanizePercentage }}}} of {what} bad over the last "
        f"{' or '.join(parts)}. The error budget is {_percent(float(slo.budget))} of {what} over {prom_duration(slo.period)} "
        f"(objective {slo.objective}); at this rate {' or '.join(spends)}."
    )


def absent_selector(system: System, slo: SLO) -> str:
    """The series whose absence means the SLI cannot be computed."""
    sli = slo.sli
    if isinstance(sli, TimeSLI):
        return links.selector(system, sli.signal.record)
    if isinstance(sli, LatencySLI):
        return count_selector(sli)
    return str(sli.total_selector)


def _group(slo: SLO, selector: Selector) -> str:
    return f"group by ({', '.join(slo.group_by)}) ({selector})" if slo.group_by else f"group({selector})"


def missing_parts(slo: SLO) -> list[tuple[str, str, str]]:
    """(component, expression, what is missing) for each SLI series that can go missing while the rest stays.

    A latency SLI's threshold bucket (any series with a count but not that bucket); a ratio
    SLI's total and part when they are metrics of their own (per group).
    """
    sli = slo.sli
    if isinstance(sli, LatencySLI):
        by = f" by ({', '.join(slo.group_by)})" if slo.group_by else ""
        expr = f"count{by} ({count_selector(sli)} unless ignoring (le) {bucket_selector(sli)})"
        return [("bucket", expr, f"{bucket_selector(sli)}: the bucket of the {sli.threshold} threshold")]
    if not isinstance(sli, RatioSLI) or not part_is_own_metric(slo):
        return []
    part_name = "good" if sli.counts_good else "errors"
    total, part = sli.total_selector, sli.part_selector
    return [
        (part_name, f"{_group(slo, total)} unless {_on(slo)} {_group(slo, part)}", f"{part}: the {part_name} events"),
        ("total", f"{_group(slo, part)} unless {_on(slo)} {_group(slo, total)}", f"{total}: all events"),
    ]


def no_traffic_expr(system: System, slo: SLO) -> str:
    """No event in the window: every 5m count over it is 0 (the counters are there, so this is not absent())."""
    events = series(system, slo, EVENTS)
    span = slo.no_traffic_seconds - BASE_WINDOW
    return f"max_over_time({events}[{window_name(span)}]) == 0" if span else f"{events} == 0"


def _alert(name: str, expr: str, labels: dict[str, str], summary: str, description: str, urls: dict[str, str],
           for_: str | None = None) -> AlertingRule:
    return AlertingRule(alert=name, expr=expr, for_=for_, labels=labels,
                        annotations={"summary": summary, "description": description, **urls})


@per_object
def alert_rules(system: System, slo: SLO) -> list[AlertingRule]:
    """The page and the ticket (each its tiers joined), then the missing-series, no-traffic and no-data alerts.
    Memoised (an SLO's tests read them per scenario): callers must not change the list."""
    urls = {"runbook_url": slo_links.runbook_url(system, slo), "dashboard_url": slo_links.dashboard_url(system, slo)}
    rules = []
    for kind in SEVERITIES:
        tiers = tiers_of(slo, kind)
        if tiers:
            factors = " or ".join(f"{t.factor:g}x" for t in tiers)
            rules.append(_alert(
                slo.alert_name, " or ".join(tier_condition(system, slo, t) for t in tiers), _labels(system, slo, kind),
                f"{slo.title} is burning its error budget {factors} too fast.", burn_description(slo, kind), urls,
            ))
    for component, expr, what in missing_parts(slo):
        rules.append(_alert(
            slo.missing_alert_name, expr, {**_labels(system, slo, TICKET), "missing": component},
            f"{slo.title} cannot be computed: a series of its SLI is missing.",
            f"{slo.title}{_where(slo)}: no {what}, while the rest of the SLI is there "
            f"({{{{ $value }}}}). Its error budget and burn-rate alerts leave these series out: a renamed or "
            "dropped series, or a new client version. The series are listed by the alert's expression.",
            urls,
        ))
    if slo.no_traffic_for is not None:
        wait = prom_duration(slo.no_traffic_for)
        rules.append(_alert(
            slo.no_traffic_alert_name, no_traffic_expr(system, slo), _labels(system, slo, PAGE),
            f"{slo.title} has seen no {counted(slo)} for {wait}.",
            f"{slo.title}{_where(slo)}: its counters are there but have counted no {counted(slo)} for "
            f"{wait}. A service that stopped burns no error budget, so no burn-rate alert will say so: "
            "find out why nothing reaches it (load balancer, clients, the market's hours).",
            urls,
        ))
    if slo.no_data_for is not None:
        rules.append(_alert(
            slo.no_data_alert_name, f"absent({absent_selector(system, slo)}) == 1", _labels(system, slo, TICKET),
            f"{slo.title} has no SLI data.",
            f"No series of {absent_selector(system, slo)} for {prom_duration(slo.no_data_for)} (absent() is {{{{ $value }}}}): "
            f"the {slo.title} SLI, its error budget and its burn-rate alerts cannot be computed.",
            urls, for_=prom_duration(slo.no_data_for) if slo.no_data_seconds else None,
        ))
    return rules


def alert_words(slo: SLO, rule: AlertingRule) -> str:
    """What one of the SLO's alerts watches, for `obsgen list`: '1h/5m or 6h/30m burn rate', 'missing bucket'..."""
    if rule.alert == slo.alert_name:
        kind = PAGE if rule.labels["severity"] == PAGE.severity else TICKET
        return " or ".join(f"{window_name(t.long_seconds)}/{window_name(t.short_seconds)}" for t in tiers_of(slo, kind)) + " burn rate"
    if rule.alert == slo.missing_alert_name:
        return f"missing {rule.labels['missing']}"
    if rule.alert == slo.no_traffic_alert_name:
        return "no traffic"
    return "no SLI data"


def slo_alert_label_sets(system: System, slo: SLO) -> list[dict[str, str]]:
    """Labels of each alert of one SLO (alertname included), for routing cases and the handbook."""
    return [{"alertname": r.alert, **r.labels} for r in alert_rules(system, slo)]


def alert_label_sets(system: System) -> list[tuple[str, dict[str, str]]]:
    """(alert name, labels) of every SLO alert of a system."""
    return [(labels["alertname"], labels) for slo in system.slos for labels in slo_alert_label_sets(system, slo)]


def recording_group(system: System, slo: SLO) -> RuleGroup:
    return RuleGroup(name=f"slo-{slo.name}", interval=INTERVAL, rules=tuple(recording_rules(system, slo)))


def budget_group(system: System, slo: SLO) -> RuleGroup:
    return RuleGroup(name=f"slo-{slo.name}-budget", interval=BUDGET_INTERVAL, rules=tuple(budget_rules(system, slo)))


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
        files[recording_file(slo)] = RuleFile((recording_group(system, slo), budget_group(system, slo)))
        groups = alert_groups(system, slo)
        if groups:
            files[alerts_file(slo)] = RuleFile(groups)
    return files


def slo_rule_counts(system: System) -> dict[str, int]:
    """Rules per SLO (recording and alerting), for `make bench`: Sloth writes 17."""
    return {slo.name: len(recording_rules(system, slo)) + len(budget_rules(system, slo)) + len(alert_rules(system, slo)) for slo in system.slos}
