"""Sloth-shaped rules for an obsgen SLO: what Sloth would generate for the same SLI.

Written from Sloth's documented rule shapes (sloth.dev, and its
internal/prometheus/recording_rules.go and alert_rules.go): one error-ratio rule per
alerting window straight from the raw counters, the period's ratio averaged from the 5m
one (Sloth's default "optimized" period rule), seven metadata rules, and one alerting rule
per severity that joins its quick and slow tiers with `or`, without `for`. The thresholds
are Sloth's own floats: the budget is (100 - objective) / 100 in float64, so 99.9% gives
`14.4 * 0.0009999999999999432`. A Sloth user writes the SLI queries; they are written here
as one would for obsgen's SLI (`sum by (app)` for a group_by, `le="0.1"` for a latency bucket).
"""

from __future__ import annotations

from fractions import Fraction

from ..model.slo import PAGE, SLO, TICKET, LatencySLI, RatioSLI, window_name
from ..promql import Matcher

WINDOW_LABEL = "sloth_window"


def go_float(value: float) -> str:
    """Go's %v of a float64 (the shortest spelling; Python's repr agrees for these)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def sloth_id(slo: SLO) -> str:
    return f"{slo.service.name}-{slo.name}"


def id_labels(slo: SLO) -> dict[str, str]:
    return {"sloth_id": sloth_id(slo), "sloth_service": slo.service.name, "sloth_slo": slo.name}


def _filter(slo: SLO) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in id_labels(slo).items()) + "}"


def _sum(slo: SLO) -> str:
    return f"sum by ({', '.join(slo.group_by)}) " if slo.group_by else "sum"


def queries(slo: SLO) -> tuple[str, str]:
    """Sloth's error_query and total_query for the SLI, with {{.window}} to fill."""
    sli = slo.sli
    w = "{{.window}}"
    if isinstance(sli, RatioSLI):
        total = f"{_sum(slo)}(rate({sli.total_selector}[{w}]))"
        part = f"{_sum(slo)}(rate({sli.part_selector}[{w}]))"
        return (f"({total} - {part})" if sli.counts_good else part), total
    if isinstance(sli, LatencySLI):
        value = go_float(sli.threshold.base)
        name = sli.selector.name or ""  # an SLI's histogram is named
        count = f"{_sum(slo)}(rate({sli.selector.renamed(name + '_count')}[{w}]))"
        bucket = f"{_sum(slo)}(rate({sli.selector.renamed(name + '_bucket', (Matcher('le', '=', value),))}[{w}]))"
        return f"({count} - {bucket})", count
    raise ValueError(f"{type(sli).__name__} has no Sloth equivalent (Sloth SLIs are events or raw ratios)")


def objective_percent(slo: SLO) -> float:
    return float(Fraction(str(slo.objective.value)) * slo.objective.unit.factor * 100)


def error_budget_ratio(slo: SLO) -> float:
    """Sloth's float: (100 - objective) / 100."""
    return (100 - objective_percent(slo)) / 100


def windows(slo: SLO) -> list[int]:
    return sorted({s for t in slo.burn_tiers for s in (t.long_seconds, t.short_seconds)})


def _metric(seconds: int) -> str:
    return f"slo:sli_error:ratio_rate{window_name(seconds)}"


def sli_rules(slo: SLO) -> list[dict]:
    error, total = queries(slo)
    rules = []
    for seconds in windows(slo):
        w = window_name(seconds)
        expr = f"({error.replace('{{.window}}', w)})\n/\n({total.replace('{{.window}}', w)})\n"
        rules.append({"record": _metric(seconds), "expr": expr, "labels": {**id_labels(slo), WINDOW_LABEL: w}})
    short = _metric(min(windows(slo)))
    period = window_name(slo.period_seconds)
    rules.append({
        "record": _metric(slo.period_seconds),
        "expr": f"sum_over_time({short}{_filter(slo)}[{period}])\n/ ignoring ({WINDOW_LABEL})\ncount_over_time({short}{_filter(slo)}[{period}])\n",
        "labels": {WINDOW_LABEL: period},
    })
    return rules


def meta_rules(slo: SLO) -> list[dict]:
    labels = id_labels(slo)
    f = _filter(slo)
    objective = objective_percent(slo) / 100
    on = "on(sloth_id, sloth_slo, sloth_service) group_left"
    short = _metric(min(windows(slo)))
    return [
        {"record": "slo:objective:ratio", "expr": f"vector({go_float(objective)})", "labels": labels},
        {"record": "slo:error_budget:ratio", "expr": f"vector(1-{go_float(objective)})", "labels": labels},
        {"record": "slo:time_period:days", "expr": f"vector({go_float(slo.period_seconds / 86400)})", "labels": labels},
        {"record": "slo:current_burn_rate:ratio", "expr": f"{short}{f}\n/ {on}\nslo:error_budget:ratio{f}\n", "labels": labels},
        {"record": "slo:period_burn_rate:ratio", "expr": f"{_metric(slo.period_seconds)}{f}\n/ {on}\nslo:error_budget:ratio{f}\n", "labels": labels},
        {"record": "slo:period_error_budget_remaining:ratio", "expr": f"1 - slo:period_burn_rate:ratio{f}", "labels": labels},
        {"record": "sloth_slo_info", "expr": "vector(1)",
         "labels": {**labels, "sloth_mode": "cli-gen-prom", "sloth_objective": go_float(objective_percent(slo)), "sloth_spec": "prometheus/v1"}},
    ]


def alert_rules(slo: SLO) -> list[dict]:
    """One alert per severity: its tiers (quick first) joined with `or`, as Sloth's mwmbAlertTpl."""
    f = _filter(slo)
    budget = go_float(error_budget_ratio(slo))
    out = []
    for kind in (PAGE, TICKET):
        tiers = sorted((t for t in slo.burn_tiers if t.kind is kind), key=lambda t: t.long_seconds)
        if not tiers:
            continue
        parts = []
        for tier in tiers:
            factor = go_float(tier.factor)
            parts.append(
                f"(\n    ({_metric(tier.short_seconds)}{f} > ({factor} * {budget}))\n    and ignoring ({WINDOW_LABEL})\n"
                f"    ({_metric(tier.long_seconds)}{f} > ({factor} * {budget}))\n)"
            )
        sloth_severity = "page" if kind == PAGE else "ticket"
        out.append({
            "alert": f"{slo.camel_name}HighErrorRate",
            "expr": f"\nor ignoring ({WINDOW_LABEL})\n".join(parts) + "\n",
            "labels": {"sloth_severity": sloth_severity, "severity": "critical" if kind == PAGE else "warning"},
            "annotations": {
                "title": f"({sloth_severity}) {{{{$labels.sloth_service}}}} {{{{$labels.sloth_slo}}}} SLO error budget burn rate is too fast.",
                "summary": "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.",
            },
        })
    return out


def sloth_groups(slo: SLO) -> list[dict]:
    """Sloth's three groups for one SLO, without an interval (the global one applies)."""
    groups = [
        {"name": f"sloth-slo-sli-recordings-{sloth_id(slo)}", "rules": sli_rules(slo)},
        {"name": f"sloth-slo-meta-recordings-{sloth_id(slo)}", "rules": meta_rules(slo)},
    ]
    alerts = alert_rules(slo)
    if alerts:
        groups.append({"name": f"sloth-slo-alerts-{sloth_id(slo)}", "rules": alerts})
    return groups
