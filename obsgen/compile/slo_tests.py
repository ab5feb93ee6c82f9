"""Generated promtool tests for every SLO: one file per SLO, on its two rule files.

Scenarios feed raw counters, or the recorded signal of a time-based SLI, through the
recording rules and the alerts, as Prometheus runs them:
  - a total outage pages within the workbook's detection time (factor x budget x long
    window), plus the tier's `for` and one evaluation interval; recovery then clears the
    page within its short window (plus one interval);
  - a steady 2x burn opens a ticket and never pages;
  - a steady 0.5x burn stays silent, and the objective and budget-left series read right;
  - zero traffic stays silent and records no ratio at all (no NaN);
  - with no series at all, the no-data alert fires after its `for`.
Beside the silent 0.5x burn, each tier's own windows are fed directly (a probe, like
rule_tests.py does for thresholds): at the threshold (silent), just past it for one
minute less than `for` (pending), for `for` (firing with exact labels and annotations)
and back, so a moved factor, a flipped comparison, another `for` or label fails.
The alerts listed at each checked minute come from slo_simulation, a model of the rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..model import Direction, System
from ..promql.series import example_labels, parse_selector
from ..model.slo import MINUTE, PAGE, SLO, BurnRateTier, LatencySLI, TimeSLI, exact, window_name
from ..model.units import Quantity, ratio
from ..model.durations import prom_duration
from .rule_tests import LEAD_STEPS, render_template, series_notation
from .slo_rules import (
    OBJECTIVE, absent_selector, alert_groups, alert_rules, alerts_file, budget_remaining,
    error_ratio, le_matcher, recording_file, recording_group, windows,
)
from .slo_simulation import EventSeries, SignalSamples, error_ratios, firing
from .thresholds import beyond, probe_values, prom_number

CLEAN, OUTAGE = 0.0, 1.0
ZERO_TRAFFIC_MINUTES = 30


def _example_group(slo: SLO) -> dict[str, str]:
    return {label: f"example-{label}" for label in slo.group_by}


def _labels_text(metric: str, labels: dict[str, str]) -> str:
    return metric + "{" + ", ".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


# --- tier probes: each alert rule on windows fed directly ------------------------------------


PROBE = "probe"  # a test-only label: each tier is probed on its own pair of window series


@dataclass(frozen=True)
class TierProbe:
    """One tier's two windows fed directly: at the threshold, just past it for `for` + 2m, back.

    Checked one minute before `for` is reached (pending, silent), when it is (firing,
    exact labels and annotations) and after the breach: a moved factor, a flipped
    comparison, another `for` or label fails one of them.
    """

    tier: BurnRateTier
    threshold: float
    values: tuple[float, ...]
    labels: dict[str, str]

    @property
    def times(self) -> tuple[int, ...]:
        reached = LEAD_STEPS + self.tier.for_seconds // MINUTE
        return (LEAD_STEPS - 1, reached - 1, reached, reached + 2)

    def value(self, t: int) -> float:
        return self.values[t] if t < len(self.values) else self.threshold

    def fires(self, t: int) -> bool:
        held = 0
        while held <= t and self.value(t - held) > self.threshold:
            held += 1
        return bool(held) and (held - 1) * MINUTE >= self.tier.for_seconds


def tier_probes(system: System, slo: SLO) -> list[TierProbe]:
    probes = []
    for tier in slo.burn_tiers:
        threshold = slo.threshold(tier)
        past = beyond(Quantity(threshold, ratio), Direction.ABOVE)
        values = (threshold,) * LEAD_STEPS + (past,) * (tier.for_seconds // MINUTE + 2)
        labels = {"system": system.name, "slo": slo.name, **_example_group(slo), PROBE: f"{tier.kind.value}-{prom_duration(tier.long)}-{prom_duration(tier.short)}"}
        probes.append(TierProbe(tier, threshold, values, labels))
    return probes


def _probe_series(system: System, slo: SLO, probes: list[TierProbe], length: int) -> list[dict]:
    out = []
    for probe in probes:
        values = [probe.value(t) for t in range(length)]
        for seconds in (probe.tier.long_seconds, probe.tier.short_seconds):
            out.append({"series": _labels_text(error_ratio(seconds), probe.labels), "values": series_notation(values)})
    return out


def tier_rules(system: System, slo: SLO) -> dict[tuple[str, str], dict]:
    """Each tier's alert rule, by its (long, short) window labels."""
    return {(r.labels["long"], r.labels["short"]): r for r in alert_rules(system, slo) if "long" in r.labels}


def _probes_firing(rules: dict, probes: list[TierProbe], t: int) -> list[dict]:
    fired = []
    for probe in probes:
        if probe.fires(t):
            rule = rules[(window_name(probe.tier.long_seconds), window_name(probe.tier.short_seconds))]
            labels = {**probe.labels, **rule.labels}
            fired.append({"exp_labels": labels, "exp_annotations": {k: render_template(v, probe.value(t), labels) for k, v in rule.annotations.items()}})
    return fired


def _no_data_expected(system: System, slo: SLO) -> list[dict]:
    rule = next(r for r in alert_rules(system, slo) if r.alert == slo.no_data_alert_name)
    selector = absent_selector(system, slo)
    labels = {**parse_selector(selector).equalities, **rule.labels}
    annotations = {k: render_template(v, 1.0, labels) for k, v in rule.annotations.items()}
    return [{"exp_labels": labels, "exp_annotations": annotations}]


# --- scenario tests through the recording rules -------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    bad: tuple[float, ...]  # per minute k >= 1: the share of that minute's events (or time) that is bad
    checks: tuple[int, ...]  # minutes at which the firing alerts are listed
    traffic: bool = True  # False: counters flat (events) or no signal at all (time)
    probes: bool = False  # the tier probes run alongside (a silent scenario leaves their alerts alone)
    reads_budget: bool = False  # also check the objective and budget-left series at the end


def traffic_per_minute(slo: SLO) -> int:
    """Events a minute in the scenarios: whole events per second, 100 per budget share."""
    return 60 * max(1, round(100 / float(slo.budget)))


def _fastest(slo: SLO, kind: str) -> BurnRateTier | None:
    tiers = [t for t in slo.burn_tiers if t.kind == kind]
    return min(tiers, key=lambda t: detection_seconds(slo, t) + t.for_seconds) if tiers else None


def detection_seconds(slo: SLO, tier: BurnRateTier) -> float:
    """The workbook's time to detect a total outage: factor x budget x long window."""
    return float(exact(tier.factor) * slo.budget * tier.long_seconds)


def _every(slo: SLO, burn: Fraction) -> int:
    """A burn of a condition SLI as one bad minute in this many."""
    return max(1, round(1 / (burn * slo.budget)))


def _first_bad(slo: SLO, burn: Fraction) -> int:
    if isinstance(slo.sli, TimeSLI) and slo.sli.is_condition:
        return max(1, _every(slo, burn) - 1)
    return 1


def _burn_pattern(slo: SLO, burn: Fraction, length: int) -> tuple[tuple[float, ...], float]:
    """Per-minute bad shares for a steady burn, and the burn they really are.

    Events and ratio signals can be bad by any share each minute. A condition is bad or
    not each minute, so a burn is one bad minute every n: the first after n - 1 good ones.
    """
    share = burn * slo.budget
    if isinstance(slo.sli, TimeSLI) and slo.sli.is_condition:
        every = _every(slo, burn)
        bad = tuple(OUTAGE if k % every == every - 1 else CLEAN for k in range(1, length))
        return bad, 1 / (every * float(slo.budget))
    if isinstance(slo.sli, TimeSLI):
        return tuple(float(share) for _ in range(1, length)), float(burn)
    per_minute = traffic_per_minute(slo)
    bad_events = round(float(share) * per_minute / 60) * 60
    return tuple(bad_events / per_minute for _ in range(1, length)), bad_events / per_minute / float(slo.budget)


def scenarios(slo: SLO) -> list[Scenario]:
    out = []
    page = _fastest(slo, PAGE) or (slo.burn_tiers[0] if slo.burn_tiers else None)
    longest_for = max((t.for_seconds for t in slo.burn_tiers), default=0) // MINUTE
    if page is not None:
        history = page.long_seconds // MINUTE
        bound = detection_seconds(slo, page) + page.for_seconds + MINUTE
        caught = history + math.floor(bound / MINUTE)
        cleared = caught + page.short_seconds // MINUTE + 1
        out.append(Scenario(
            f"total outage pages within {_human(bound)} ({page.factor:g}x x {_pct(slo.budget)} x {prom_duration(page.long)} = "
            f"{_human(detection_seconds(slo, page))}, + for {prom_duration(page.for_)} + 1m evaluation); recovery clears it within "
            f"{_human(page.short_seconds + MINUTE)}",
            (CLEAN,) * history + (OUTAGE,) * (caught - history) + (CLEAN,) * (cleared - caught),
            (history, caught, cleared),
        ))
    for burn in (Fraction(2), Fraction(1, 2)):
        length = max(_first_bad(slo, burn) + longest_for + 2, LEAD_STEPS + longest_for + 3, 61)  # past every probe
        pattern, real = _burn_pattern(slo, burn, length)
        hourly = tuple(range(60, length - 1, 60)) + (length - 1,)
        if burn > 1:
            out.append(Scenario(f"a steady {real:.3g}x burn opens a ticket and never pages", pattern, hourly))
        else:
            name = f"a steady {real:.3g}x burn stays silent (beside it, each tier's windows probed at its threshold, label {PROBE})"
            out.append(Scenario(name, pattern, hourly, probes=bool(slo.burn_tiers), reads_budget=True))
    out.append(Scenario("zero traffic stays silent and records no ratio", (CLEAN,) * ZERO_TRAFFIC_MINUTES, (10, ZERO_TRAFFIC_MINUTES), traffic=False))
    return out


def _human(seconds: float) -> str:
    """231.84 -> '3m 51.84s', 2772 -> '46m 12s', 360 -> '6m'."""
    minutes, rest = divmod(seconds, MINUTE)
    parts = ([f"{int(minutes)}m"] if minutes else []) + ([f"{rest:.4g}s"] if rest or not minutes else [])
    return " ".join(parts)


def _pct(share: Fraction) -> str:
    return f"{float(share) * 100:g}%"


@dataclass(frozen=True)
class FedSeries:
    series: str
    values: tuple[float | None, ...]


def _cumulative(increments: list[float]) -> tuple[float, ...]:
    total, out = 0.0, [0.0]
    for inc in increments:
        total += inc
        out.append(total)
    return tuple(out)


def event_inputs(slo: SLO, scenario: Scenario) -> tuple[list[FedSeries], EventSeries, dict[str, str]]:
    """The raw counters a scenario feeds, what the model reads of them, and the group labels."""
    per_minute = traffic_per_minute(slo) if scenario.traffic else 0
    total_inc = [float(per_minute)] * len(scenario.bad)
    bad_inc = [round(b * per_minute / 60) * 60.0 for b in scenario.bad]
    good_inc = [t - b for t, b in zip(total_inc, bad_inc)]
    group = _example_group(slo)
    sli = slo.sli
    if isinstance(sli, LatencySLI):
        base = {**group, **example_labels(sli.selector)}
        count = FedSeries(_labels_text(f"{sli.selector.name}_count", base), _cumulative(total_inc))
        le = le_matcher(sli).value.split("|")[0]
        bucket = FedSeries(_labels_text(f"{sli.selector.name}_bucket", {**base, "le": le}), _cumulative(good_inc))
        return [count, bucket], EventSeries((count.values,), (bucket.values,)), _group_of(slo, base)
    total, part = sli.total_selector, sli.part_selector
    part_inc = good_inc if sli.counts_good else bad_inc
    other_inc = bad_inc if sli.counts_good else good_inc
    part_labels = {**group, **example_labels(part)}
    part_series = FedSeries(_labels_text(part.name, part_labels), _cumulative(part_inc))
    if part.name == total.name:
        other = FedSeries(_labels_text(total.name, {**group, **example_labels(total, avoid=part)}), _cumulative(other_inc))
        return [part_series, other], EventSeries((part_series.values, other.values), (part_series.values,)), _group_of(slo, part_labels)
    everything = FedSeries(_labels_text(total.name, {**group, **example_labels(total)}), _cumulative(total_inc))
    return [everything, part_series], EventSeries((everything.values,), (part_series.values,)), _group_of(slo, part_labels)


def _group_of(slo: SLO, labels: dict[str, str]) -> dict[str, str]:
    return {label: labels[label] for label in slo.group_by}


def signal_inputs(system: System, slo: SLO, scenario: Scenario) -> tuple[list[FedSeries], SignalSamples, dict[str, str]]:
    sli: TimeSLI = slo.sli
    group = _example_group(slo)
    if not scenario.traffic:
        return [], SignalSamples(()), group
    if sli.is_condition:
        assert sli.bad_when is not None  # a condition has a direction
        good, bad = probe_values(sli.threshold_quantity, sli.bad_when)
        values = [good] + [bad if b >= OUTAGE else good for b in scenario.bad]
    else:
        values = [1.0] + [1 - b for b in scenario.bad]
    labels = {"system": system.name, **group}
    fed = FedSeries(_labels_text(sli.signal.record, labels), tuple(values))
    return [fed], SignalSamples(tuple(values)), group


def _notation(values: tuple[float | None, ...]) -> str:
    """promtool's expanding notation: whole-number runs with one step as 'a+bxn', equal runs as 'axn'."""
    parts, i = [], 0
    while i < len(values):
        j = i
        step = values[i + 1] - values[i] if i + 1 < len(values) else 0.0
        whole = all(float(v).is_integer() for v in values[i : i + 2])
        while j + 1 < len(values) and values[j + 1] - values[j] == step and (step == 0 or (whole and float(values[j + 1]).is_integer())):
            j += 1
        if j == i:
            parts.append(prom_number(values[i]))
        elif step == 0:
            parts.append(f"{prom_number(values[i])}x{j - i}")
        else:
            sign = "+" if step > 0 else "-"
            parts.append(f"{prom_number(values[i])}{sign}{prom_number(abs(step))}x{j - i}")
        i = j + 1
    return " ".join(parts)


def _expected(system: System, slo: SLO, rules: dict, fired, group: dict[str, str]) -> list[dict]:
    out = []
    for tier, value in fired:
        rule = rules[(window_name(tier.long_seconds), window_name(tier.short_seconds))]
        labels = {"system": system.name, "slo": slo.name, **group, **rule.labels}
        annotations = {k: render_template(v, value, labels) for k, v in rule.annotations.items()}
        out.append({"exp_labels": labels, "exp_annotations": annotations})
    return sorted(out, key=lambda a: (a["exp_labels"]["long"], a["exp_labels"]["short"]))


def _sample(record: str, labels: dict[str, str], value: float) -> dict:
    return {"labels": _labels_text(record, labels), "value": value}


def scenario_test(system: System, slo: SLO, scenario: Scenario) -> dict:
    if isinstance(slo.sli, TimeSLI):
        fed, data, group = signal_inputs(system, slo, scenario)
    else:
        fed, data, group = event_inputs(slo, scenario)
    probes = tier_probes(system, slo) if scenario.probes else []
    length = len(scenario.bad) + 1
    assert all(max(p.times) < length for p in probes), "a probe outlasts its scenario"
    ratios = error_ratios(slo, data, length)
    alerts = firing(slo, ratios, length)
    test: dict = {
        "name": f"{slo.name}: {scenario.name}",
        "interval": "1m",
        "input_series": [{"series": f.series, "values": _notation(f.values)} for f in fed] + _probe_series(system, slo, probes, length),
    }
    checks = sorted(set(scenario.checks) | {t for p in probes for t in p.times})
    rules = tier_rules(system, slo)
    if slo.burn_tiers:
        test["alert_rule_test"] = [
            {"eval_time": f"{k}m", "alertname": slo.alert_name,
             "exp_alerts": _expected(system, slo, rules, alerts[k], group) + _probes_firing(rules, probes, k)}
            for k in checks
        ]
    end = scenario.checks[-1]
    selector = f'{{system="{system.name}", slo="{slo.name}"}}'
    if not scenario.traffic:
        test["promql_expr_test"] = [{"expr": error_ratio(s) + selector, "eval_time": f"{end}m", "exp_samples": []} for s in windows(slo)[:2]]
        if slo.no_data_for is not None and not isinstance(slo.sli, TimeSLI):  # flat counters are data; an absent signal is not
            test.setdefault("alert_rule_test", []).append({"eval_time": f"{end}m", "alertname": slo.no_data_alert_name, "exp_alerts": []})
    if scenario.reads_budget:
        left = 1 - ratios[slo.period_seconds][end] / float(slo.budget)
        test["promql_expr_test"] = [
            {"expr": OBJECTIVE + selector, "eval_time": f"{end}m",
             "exp_samples": [_sample(OBJECTIVE, {"slo": slo.name, "system": system.name}, slo.objective_ratio)]},
            {"expr": budget_remaining(slo) + selector, "eval_time": f"{end}m",
             "exp_samples": [_sample(budget_remaining(slo), {"slo": slo.name, "system": system.name, **group}, left)]},
        ]
    return test


def no_data_scenario(system: System, slo: SLO) -> dict:
    wait = slo.no_data_seconds // MINUTE
    checks = ([{"eval_time": f"{wait - 1}m", "alertname": slo.no_data_alert_name, "exp_alerts": []}] if wait else [])
    checks.append({"eval_time": f"{wait}m", "alertname": slo.no_data_alert_name, "exp_alerts": _no_data_expected(system, slo)})
    if slo.burn_tiers:
        checks.append({"eval_time": f"{wait}m", "alertname": slo.alert_name, "exp_alerts": []})
    return {"name": f"{slo.name}: no SLI series at all raises {slo.no_data_alert_name} after {prom_duration(slo.no_data_for)}", "interval": "1m",
            "input_series": [], "alert_rule_test": checks}


def slo_test_file(slo: SLO) -> str:
    """Beside the other test files, so every runner of tests/*.test.yml runs it."""
    return f"slo-{slo.name}.test.yml"


def compile_slo_tests(system: System) -> dict[str, dict]:
    """One promtool test file per SLO: its alert unit tests and scenarios, on its two rule files only.

    promtool evaluates every loaded rule at every step; one file per SLO keeps the cost
    linear in the number of SLOs. The unit tests feed recorded windows directly: with no
    raw series fed, the recording rules write none of them.
    """
    files = {}
    for slo in system.slos:
        tests = [scenario_test(system, slo, s) for s in scenarios(slo)]
        if slo.no_data_for is not None:
            tests.append(no_data_scenario(system, slo))
        groups = (recording_group(system, slo),) + alert_groups(system, slo)
        rule_files = [f"../rules/{recording_file(slo)}"] + ([f"../rules/{alerts_file(slo)}"] if slo.alert_names else [])
        files[slo_test_file(slo)] = {
            "rule_files": rule_files,
            "evaluation_interval": "1m",
            "group_eval_order": [g.name for g in groups],
            "tests": tests,
        }
    return files
