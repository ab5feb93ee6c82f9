"""The handbook's SLO chapter: what each objective promises, how its alerts fire, who is told.

Each SLO's section is what its alerts' runbook_url points at. Factors, thresholds and
detection times come from the same numbers the rules compare against.
"""

from __future__ import annotations

from fractions import Fraction

from ..model import Priority, System
from ..model.slo import SLO, LatencySLI, RatioSLI, TimeSLI, exact
from ..model.durations import human_duration, prom_duration
from . import slo_links
from .provenance import mark
from .routing_cases import expected_receivers
from .slo_rules import SEVERITIES, absent_selector, bucket_selector, counted, missing_parts, slo_alert_label_sets, threshold, tiers_of


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows] + [""]


def seconds_words(seconds: float) -> str:
    """51.84 -> '51.8s', 2592 -> '43m 12s', 43200 -> '12h'."""
    if seconds < 60:
        return f"{seconds:.3g}s"
    whole = round(seconds)
    parts = [(whole // 86400, "d"), (whole % 86400 // 3600, "h"), (whole % 3600 // 60, "m"), (whole % 60, "s")]
    return " ".join(f"{n}{u}" for n, u in parts if n)


def _percent(share: Fraction | float) -> str:
    return f"{float(share) * 100:.4g}%"


def sli_words(slo: SLO) -> str:
    sli = slo.sli
    if isinstance(sli, RatioSLI):
        if sli.counts_good:
            return f"events counted by `{sli.good}` are good, the rest of `{sli.total}` are bad"
        return f"events counted by `{sli.errors}` are bad, out of all events counted by `{sli.total}`"
    if isinstance(sli, LatencySLI):
        bucket = bucket_selector(sli)
        return f"requests slower than {sli.threshold} are bad: `{sli.selector.name}_count` less the `{bucket}` bucket"
    signal = f"{sli.signal.description} (`{sli.signal.record}`)"
    if sli.is_condition:
        assert sli.bad_when is not None  # a condition has a direction
        return f"time is bad while {signal} is {sli.bad_when.words} {sli.threshold_quantity}, sampled once a minute"
    return f"the share of time lost is 1 - {signal}, sampled once a minute"


def _budget_words(slo: SLO) -> str:
    if isinstance(slo.sli, TimeSLI):
        return f"{_percent(slo.budget)} of the time, {seconds_words(float(slo.budget * slo.period_seconds))} in {prom_duration(slo.period)}"
    return f"{_percent(slo.budget)} of {counted(slo)} in {prom_duration(slo.period)}"


def _who(system: System, labels: dict[str, str]) -> str:
    return ", ".join(f"{system.receiver(n).target} (`{n}`)" for n in expected_receivers(system, labels))


def _respond(p: Priority) -> str:
    return p.response_note or f"within {human_duration(p.response_seconds)}"


def slo_section(system: System, slo: SLO) -> list[str]:
    per = f" One SLO per {', '.join(slo.group_by)}." if slo.group_by else ""
    lines = [f"### {slo_links.heading(slo)}", "", f"**{slo.title}: {slo.objective} over {prom_duration(slo.period)}.** {slo.description}{per}", ""]
    lines += [f"Service: {slo.service.title}, team `{slo.service.team}`.", ""]
    lines += [f"SLI: {sli_words(slo)}. Error budget: {_budget_words(slo)}.", ""]
    own = [(labels["alertname"], labels) for labels in slo_alert_label_sets(system, slo)]
    burn = {labels["severity"]: labels for name, labels in own if name == slo.alert_name}
    if slo.burn_tiers:
        rows = []
        for kind in SEVERITIES:
            for tier in tiers_of(slo, kind):
                spent = exact(tier.factor) * tier.long_seconds / slo.period_seconds
                outage = float(exact(tier.factor) * slo.budget * tier.long_seconds)
                rows.append([
                    kind.value, kind.severity, f"{prom_duration(tier.long)} and {prom_duration(tier.short)}", f"{tier.factor:g}x",
                    _percent(threshold(slo, tier)), _percent(spent), seconds_words(outage), slo.priority(tier).name,
                    _respond(slo.priority(tier)), _who(system, burn[kind.severity]),
                ])
        header = ["Tier", "Severity", "Windows (long, short)", "Burn rate", "Error ratio at or above", "Budget spent by then",
                  "Total outage fires it after", "Priority", "Respond", "Who is told"]
        lines += [f"Alert `{slo.alert_name}` is one page and one ticket: each fires while any of its tiers holds, a tier "
                  "holding while its long window's error ratio is at or above the threshold, unless its short window is below it "
                  "(a short window without data, as in a scrape gap, does not end it; recovery does, within the short window):", ""]
        lines += _table(header, rows)
        quiet = "" if slo.no_traffic_for else " No traffic, no burn: a stopped service spends no budget."
        lines += ["A page silences the ticket of the same SLO" + (f" and {', '.join(slo.group_by)}" if slo.group_by else "") + "." + quiet, ""]
    else:
        lines += ["This SLO has no burn-rate alerts: watch it on the dashboard.", ""]
    for name, labels in own:
        if name == slo.missing_alert_name:
            what = next(w for c, _, w in missing_parts(slo) if c == labels["missing"])
            lines += [f"Alert `{name}` ({labels['severity']}, {labels['priority']}, {_who(system, labels)}) fires when there is no "
                      f"{what}, while the rest of the SLI is there: the series is named as missing instead of read as a burn, "
                      "and the SLI leaves it out until it is back.", ""]
    if slo.no_traffic_for is not None:
        stopped = next(labels for name, labels in own if name == slo.no_traffic_alert_name)
        lines += [f"Alert `{slo.no_traffic_alert_name}` ({stopped['severity']}, {stopped['priority']}, {_who(system, stopped)}) fires when "
                  f"the SLI's counters are there but have counted no {counted(slo)} for {prom_duration(slo.no_traffic_for)}: a stopped service burns "
                  "no budget, so no burn-rate alert would say so.", ""]
    if slo.no_data_for is not None:
        absent = next(labels for name, labels in own if name == slo.no_data_alert_name)
        lines += [f"Alert `{slo.no_data_alert_name}` ({absent['severity']}, {absent['priority']}, {_who(system, absent)}) fires when "
                  f"`{absent_selector(system, slo)}` has been absent for {prom_duration(slo.no_data_for)}: the SLI cannot be computed.", ""]
    lines += ["First actions:", ""] + [f"{i}. {a}" for i, a in enumerate(slo.actions, 1)] + [""]
    panel = slo_links.panel_id(system, slo, "burn")
    lines += [f"Dashboard: [Service level objectives, panel {panel}]({slo_links.dashboard_url(system, slo)}).", ""]
    return lines


def slo_chapter(system: System) -> list[str]:
    if not system.slos:
        return []
    lines = ["## Service level objectives", ""]
    lines += [
        "Each objective has an error budget: the share of bad events (or time) it allows over its period. Its alerts fire on "
        "how fast the budget burns, over a long and a short window at once (the SRE workbook's multiwindow, multi-burn-rate "
        f"alerts). [SLO dashboard]({slo_links.dashboard_url(system)}).",
        "",
    ]
    rows = [[f"[{s.title}](#{slo_links.runbook_url(system, s).split('#', 1)[1]})", str(s.objective) + mark(system, s, "objective"),
             prom_duration(s.period), s.service.title, s.page_priority.name + mark(system, s, "page_priority"),
             s.ticket_priority.name + mark(system, s, "ticket_priority")] for s in system.slos]
    lines += _table(["SLO", "Objective", "Period", "Service", "Page priority", "Ticket priority"], rows)
    for slo in system.slos:
        lines += slo_section(system, slo)
    return lines
