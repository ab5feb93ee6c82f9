"""Generated promtool tests for every SLO: one file per SLO, on its two rule files.

Scenarios feed raw counters, or the recorded signal of a time-based SLI, through the
recording rules and the alerts, as Prometheus runs them:
  - a total outage pages within the workbook's detection time (factor x budget x long
    window) and one evaluation, after just enough clean history that it pages when it
    would after a full one; recovery clears the page within its short window;
  - a burn at exactly the fastest page tier's factor pages when its long window is full;
  - a 10-minute scrape gap inside the outage does not end the page;
  - a steady 2x burn opens a ticket and never pages;
  - a steady 0.5x burn stays silent, and the objective and budget-left series read right;
  - zero traffic stays silent and records no ratio at all (no NaN);
  - a series of the SLI that goes missing (a latency bucket, a metric of its own) raises
    the missing-series alert, not a burn;
  - with no series at all, the no-data alert fires after its `for`.
In a test of its own (10 minutes, nothing else fed: cheap to run against each mutant),
each tier's own windows are fed directly (a probe, like rule_tests.py does for
thresholds): long just below the threshold (silent), at it with the short window just
below (silent), both at it (firing, exact labels and annotations), the short window gone
(still firing) and back, so a moved factor, a flipped comparison, another window, a label
or a dropped veto fails. The alerts listed at each checked minute come from
slo_simulation, a model of the rules.
"""

from __future__ import annotations

import math
from functools import cached_property
from dataclasses import dataclass, field
from fractions import Fraction

from ..artifacts import AlertingRule
from ..model import System
from ..model.durations import prom_duration
from ..promql.series import parse_selector
from ..model.slo import MINUTE, PAGE, SLO, BurnRateTier, LatencySLI, TierKind, TimeSLI, exact
from ..model.units import Quantity, ratio
from .memo import per_value
from .rule_tests import render_template
from .slo_inputs import BAD, GOOD, TOTAL, counters, notation, selected
from .slo_rules import (
    OBJECTIVE, SEVERITIES, absent_selector, alert_groups, alert_rules, alerts_file, budget_group, budget_remaining,
    error_ratio, recording_file, recording_group, threshold, tiers_of, windows,
)
from .slo_simulation import EventSeries, Evaluation, SignalSamples, evaluate, firing, holding, missing, no_traffic
from .thresholds import probe_step, probe_values

CLEAN, OUTAGE = 0.0, 1.0
ZERO_TRAFFIC_MINUTES = 30
GAP_MINUTES = 10
HISTORY_STEP = 10  # minutes: the clean history before an outage or an exact burn is searched in these steps
PHASE = 2  # minutes of each probe phase
PROBE = "probe"  # a test-only label: each tier is probed on its own pair of window series


def _example_group(slo: SLO) -> dict[str, str]:
    return {label: f"example-{label}" for label in slo.group_by}


def _labels_text(metric: str, labels: dict[str, str]) -> str:
    return metric + "{" + ", ".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


def _human(seconds: float) -> str:
    """231.84 -> '3m 51.84s', 2772 -> '46m 12s', 360 -> '6m'."""
    minutes, rest = divmod(seconds, MINUTE)
    parts = ([f"{int(minutes)}m"] if minutes else []) + ([f"{rest:.4g}s"] if rest or not minutes else [])
    return " ".join(parts)


def _pct(share: Fraction) -> str:
    return f"{float(share) * 100:g}%"


def detection_seconds(slo: SLO, tier: BurnRateTier) -> float:
    """The workbook's time to detect a total outage: factor x budget x long window."""
    return float(exact(tier.factor) * slo.budget * tier.long_seconds)


# --- tier probes: each tier's windows fed directly ---------------------------------------------

# (long, short) per phase: below / at / absent; the phase's alert: firing or not
PROBE_PHASES = (("below", "at", False), ("at", "below", False), ("at", "at", True), ("at", "absent", True), ("below", "absent", False))


@dataclass(frozen=True)
class TierProbe:
    tier: BurnRateTier
    limit: float
    labels: dict[str, str]

    @cached_property
    def below(self) -> float:
        return self.limit - probe_step(Quantity(self.limit, ratio))

    def value(self, which: str, t: int) -> float | None:
        phase = PROBE_PHASES[min(t // PHASE, len(PROBE_PHASES) - 1)]
        state = phase[0] if which == "long" else phase[1]
        return {"below": self.below, "at": self.limit, "absent": None}[state]

    @property
    def times(self) -> tuple[int, ...]:
        return tuple((i + 1) * PHASE - 1 for i in range(len(PROBE_PHASES)))

    @property
    def length(self) -> int:
        return PHASE * len(PROBE_PHASES)

    def fires(self, t: int) -> bool:
        return t < self.length and PROBE_PHASES[t // PHASE][2]


def tier_probes(system: System, slo: SLO) -> list[TierProbe]:
    return [
        TierProbe(tier, threshold(slo, tier), {"system": system.name, "slo": slo.name, **_example_group(slo),
                                                PROBE: f"{tier.kind.value}-{prom_duration(tier.long)}-{prom_duration(tier.short)}"})
        for tier in slo.burn_tiers
    ]


def _probe_series(probes: list[TierProbe], length: int) -> list[dict]:
    out = []
    for probe in probes:
        for which, seconds in (("long", probe.tier.long_seconds), ("short", probe.tier.short_seconds)):
            values = tuple(probe.value(which, t) for t in range(length))
            out.append({"series": _labels_text(error_ratio(seconds), probe.labels), "values": notation(values)})
    return out


def burn_rules(system: System, slo: SLO) -> dict[TierKind, AlertingRule]:
    """The page and ticket rules, by tier kind."""
    by_severity = {r.labels["severity"]: r for r in alert_rules(system, slo) if r.alert == slo.alert_name}
    return {kind: by_severity[kind.severity] for kind in SEVERITIES if kind.severity in by_severity}


def _alert(rule: AlertingRule, labels: dict[str, str], value: float) -> dict:
    merged = {**labels, **rule.labels}
    return {"exp_labels": merged, "exp_annotations": {k: render_template(v, value, merged) for k, v in rule.annotations.items()}}


def _probes_firing(rules: dict[TierKind, AlertingRule], probes: list[TierProbe], t: int) -> list[dict]:
    return [_alert(rules[p.tier.kind], p.labels, p.limit) for p in probes if p.fires(t)]


# --- scenarios through the recording rules ------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    bad: tuple[float, ...]  # per minute k >= 1: the share of that minute's events (or time) that is bad
    checks: tuple[int, ...]  # minutes at which the firing alerts are listed
    traffic: bool = True  # False: counters flat (events) or no signal at all (time)
    gap: frozenset[int] = frozenset()  # minutes k >= 1 with no sample of any series (a scrape gap)
    probes: bool = False  # the tier probes are fed
    raw: bool = True  # False: no series of the SLI at all (the probes alone)
    reads_budget: bool = False  # also check the objective and budget-left series at the end
    reads_windows: int | None = None  # also check every window's error ratio at this minute (windows the data fills)
    without: str | None = None  # TOTAL, or the part's role: that series is not exported
    stops: int | None = None  # from this minute on the counters count nothing (traffic stopped)
    alerts: tuple[str, ...] = field(default=())  # alert names listed at each check (default: the burn alert)


def traffic_per_minute(slo: SLO) -> int:
    """Events a minute in the scenarios: 6,000 x factor bad events at any tier's threshold, whole."""
    return 60 * max(1, round(100 / float(slo.budget)))


def _fastest(slo: SLO, kind: TierKind) -> BurnRateTier | None:
    tiers = tiers_of(slo, kind)
    return min(tiers, key=lambda t: detection_seconds(slo, t)) if tiers else None


def _every(slo: SLO, burn: Fraction) -> int:
    """A burn of a condition SLI as one bad minute in this many."""
    return max(1, round(1 / (burn * slo.budget)))


def _condition(slo: SLO) -> bool:
    return isinstance(slo.sli, TimeSLI) and slo.sli.is_condition


def _burn_pattern(slo: SLO, burn: Fraction, length: int) -> tuple[tuple[float, ...], float]:
    """Per-minute bad shares for a steady burn, and the burn they really are.

    Events and ratio signals can be bad by any share each minute. A condition is bad or
    not each minute, so a burn is one bad minute every n: the first after n - 1 good ones.
    """
    share = burn * slo.budget
    if _condition(slo):
        every = _every(slo, burn)
        bad = tuple(OUTAGE if k % every == every - 1 else CLEAN for k in range(1, length))
        return bad, 1 / (every * float(slo.budget))
    if isinstance(slo.sli, TimeSLI):
        return tuple(float(share) for _ in range(1, length)), float(burn)
    per_minute = traffic_per_minute(slo)
    bad_events = round(float(share) * per_minute / 60) * 60
    return tuple(bad_events / per_minute for _ in range(1, length)), bad_events / per_minute / float(slo.budget)


def _probe_evaluation(slo: SLO, scenario_bad: tuple[float, ...], kind: TierKind) -> tuple[Evaluation, int]:
    """The model over a probe's minutes (bad shares), with only the windows the kind's tiers read."""
    length = len(scenario_bad) + 1
    return evaluate(slo, model_input(slo, Scenario("probe", scenario_bad, ())), length, (kind,)), length


def _first_firing(slo: SLO, scenario_bad: tuple[float, ...], start: int, kind: TierKind, limit: int) -> int | None:
    """The first minute from `start` at which the model fires the kind's alert."""
    evaluation, length = _probe_evaluation(slo, scenario_bad, kind)
    values = firing(slo, evaluation, length, (kind,)).get(kind, [])
    return next((k for k in range(start, min(limit, len(values))) if values[k] is not None), None)


def outage_scenarios(slo: SLO) -> list[Scenario]:
    page = _fastest(slo, PAGE) or (slo.burn_tiers[0] if slo.burn_tiers else None)
    if page is None:
        return []
    history, detect = _outage_history(slo, page)
    bound = detection_seconds(slo, page) + MINUTE
    caught = history + detect
    # recovery clears each tier within its short window (a slower tier may have fired too)
    short = caught + page.short_seconds // MINUTE + 1
    cleared = _cleared(slo, page, caught)
    # a time SLI reads its budget after the outage: the next whole hour well after it, the budget's
    # hourly point, holds it (an event SLI's budget is read after traffic that stops: 1 hour, not 7)
    timed = isinstance(slo.sli, TimeSLI)
    end = max(cleared, _next_hour(caught + 5)) if timed else cleared
    out = [Scenario(
        f"total outage pages within {_human(bound)} ({page.factor:g}x x {_pct(slo.budget)} x {prom_duration(page.long)} = "
        f"{_human(detection_seconds(slo, page))}, + 1m evaluation); recovery clears it within {_human((cleared - caught) * MINUTE)}",
        (CLEAN,) * history + (OUTAGE,) * (caught - history) + (CLEAN,) * (end - caught),
        tuple(sorted({history, caught - 1, caught, short, cleared, end})), reads_windows=cleared, reads_budget=timed,
    )]
    if not timed:
        out.append(_traffic_stops(slo, page))
    lead = page.long_seconds // MINUTE  # enough to page; what follows the page is the point here
    paged = caught - history + lead
    gap_start = paged + 1
    gap = frozenset(range(gap_start, gap_start + GAP_MINUTES))
    after = gap_start + GAP_MINUTES + 2
    out.append(Scenario(
        f"a {GAP_MINUTES}-minute scrape gap inside the outage does not end the page",
        (CLEAN,) * lead + (OUTAGE,) * (after - lead),
        (paged, gap_start + GAP_MINUTES // 2, gap_start + GAP_MINUTES - 1, after), gap=gap,
    ))
    if not isinstance(slo.sli, TimeSLI):
        limit = threshold(slo, page)
        per_minute = traffic_per_minute(slo)
        share = round(limit * per_minute) / per_minute
        if share == limit:  # whole events at exactly the threshold
            # enough clean history that no slower page tier fires first (the model finds how much)
            window, longest = page.long_seconds // MINUTE, max(t.long_seconds for t in tiers_of(slo, page.kind)) // MINUTE
            for clean in range(window, longest + HISTORY_STEP, HISTORY_STEP):
                exact_bad = (CLEAN,) * clean + (share,) * (window + 2)
                full = _first_firing(slo, exact_bad, clean, page.kind, len(exact_bad) + 1)
                if full == clean + window:
                    break
            assert full == clean + window, f"{slo.name}: a burn at exactly {page.factor:g}x pages {'never' if full is None else f'{full - clean} minutes in'}, not when the {prom_duration(page.long)} window is full"
            out.append(Scenario(
                f"a burn at exactly {page.factor:g}x pages when the {prom_duration(page.long)} window is full, not a minute before",
                exact_bad, (full - 1, full), reads_windows=full,
            ))
    return out


def _outage_history(slo: SLO, page: BurnRateTier) -> tuple[int, int]:
    """The clean minutes before a total outage, and the minutes it takes to page after them:
    enough history that it pages at the minute it would after every window of the page filled
    with clean traffic, as in production (the fastest tier's detection time), and no more:
    promtool evaluates every rule at every minute, and the 6 hours of a full history cost
    half of each SLO's tests.

    At least the fastest tier's long window, so its detection time is the workbook's; a
    slower tier's window only partly filled reads the outage larger, so it must not page first.
    """
    full = max(t.long_seconds for t in tiers_of(slo, page.kind)) // MINUTE
    fastest = page.long_seconds // MINUTE
    # the fastest tier on its own, its windows full of clean history: as after any longer one
    detect = _tier_holds_after(slo, page, fastest, fastest + 2)
    assert detect is not None, f"{slo.name}: a total outage never fires {page.kind}"
    history = next((h for h in range(fastest, full, HISTORY_STEP) if _paged_after(slo, page, h, detect) == detect), full)
    return history, detect


def _total_outage(history: int, within: int) -> tuple[float, ...]:
    """`history` clean minutes, then a total outage long enough to look `within` minutes into it."""
    return (CLEAN,) * history + (OUTAGE,) * (within + 1)


def _tier_holds_after(slo: SLO, tier: BurnRateTier, history: int, within: int) -> int | None:
    """Minutes from the start of a total outage after `history` clean ones until the tier holds, if within `within`."""
    evaluation, length = _probe_evaluation(slo, _total_outage(history, within), tier.kind)
    holds = holding(slo, tier, evaluation, length)
    return next((k - history for k in range(history, length) if holds[k]), None)


def _paged_after(slo: SLO, page: BurnRateTier, history: int, within: int) -> int | None:
    """Minutes from the start of a total outage after `history` clean ones to the page, if within `within`."""
    caught = _first_firing(slo, _total_outage(history, within), history, page.kind, history + within + 1)
    return None if caught is None else caught - history


def _cleared(slo: SLO, page: BurnRateTier, caught: int) -> int:
    """The minute by which every tier of the page's kind has been vetoed by its short window."""
    return caught + max(t.short_seconds for t in tiers_of(slo, page.kind)) // MINUTE + 1


def _next_hour(minute: int) -> int:
    return -(-minute // 60) * 60


def _traffic_stops(slo: SLO, page: BurnRateTier) -> Scenario:
    """An outage from the first minute pages at once (every window reads it); then traffic
    stops. Each page tier's long window still reads the outage, so only the veto on its short
    window's events ends the page: no clean history is needed to prove that, and none is fed
    (a 6-hour history cost 2/3 of this test's promtool time). At the next whole hour the
    budget's hourly point reads what the outage burned."""
    within = page.long_seconds // MINUTE + 2  # the outage has filled the fastest tier's windows by then
    caught = _first_firing(slo, (OUTAGE,) * within, 1, page.kind, within)
    assert caught is not None, f"{slo.name}: an outage from the first minute never fires {page.kind}"
    cleared = _cleared(slo, page, caught)
    end = _next_hour(cleared + 1)
    return Scenario(
        f"traffic that stops during an outage ends the page within {_human((cleared - caught) * MINUTE)}: a stopped service burns "
        "nothing more, and the budget keeps what it burned",
        (OUTAGE,) * end, (caught, caught + 2, cleared, end), stops=caught + 1, reads_windows=cleared, reads_budget=True,
    )


@per_value
def scenarios(slo: SLO) -> tuple[Scenario, ...]:
    out = outage_scenarios(slo)
    for burn in (Fraction(2), Fraction(1, 2)):
        length = max(_every(slo, burn) if _condition(slo) else 1, 61) + 1
        pattern, real = _burn_pattern(slo, burn, length)
        hourly = tuple(range(60, length - 1, 60)) + (length - 1,)
        if burn > 1:
            out.append(Scenario(f"a steady {real:.3g}x burn opens a ticket and never pages", pattern, hourly))
        else:
            out.append(Scenario(f"a steady {real:.3g}x burn stays silent", pattern, hourly, reads_budget=True))
    if slo.burn_tiers:
        probes_end = PHASE * len(PROBE_PHASES)
        out.append(Scenario(
            f"each tier's windows probed at its threshold (label {PROBE}): silent below it or vetoed, firing at it, kept without its short window",
            (CLEAN,) * probes_end, tuple(range(PHASE - 1, probes_end, PHASE)), probes=True, raw=False,
        ))
    quiet: tuple[str, ...] = (slo.alert_name,) if slo.burn_tiers else ()
    if slo.no_traffic_for is not None:
        wait = slo.no_traffic_seconds // MINUTE
        stop = 2 * wait
        out.append(Scenario(
            f"traffic that stops raises {slo.no_traffic_alert_name} after {prom_duration(slo.no_traffic_for)}, not a burn",
            (CLEAN,) * (stop + wait + 2), (stop, stop + wait - 1, stop + wait), stops=stop, alerts=quiet + (slo.no_traffic_alert_name,),
        ))
        quiet += (slo.no_traffic_alert_name,)
    out.append(Scenario("zero traffic stays silent and records no ratio", (CLEAN,) * ZERO_TRAFFIC_MINUTES, (10, ZERO_TRAFFIC_MINUTES),
                        traffic=False, alerts=quiet))
    if slo.can_miss_a_series:
        roles = ["part"] if isinstance(slo.sli, LatencySLI) else ["part", TOTAL]
        for without in roles:
            what = "its threshold bucket" if isinstance(slo.sli, LatencySLI) else ("its total" if without == TOTAL else "its part")
            out.append(Scenario(
                f"{what} missing while the rest is there: {slo.missing_alert_name}, not a burn", (OUTAGE,) * 20, (5, 20),
                without=without, alerts=(slo.alert_name, slo.missing_alert_name),
            ))
    return tuple(out)


# --- feeding the scenarios ---------------------------------------------------------------------


@dataclass(frozen=True)
class FedSeries:
    series: str
    values: tuple[float | None, ...]


def _cumulative(increments: list[float], gap: frozenset[int]) -> tuple[float | None, ...]:
    total = 0.0
    out: list[float | None] = [0.0]
    for k, inc in enumerate(increments, start=1):
        total += inc
        out.append(None if k in gap else total)
    return tuple(out)


def _group_of(slo: SLO) -> dict[str, str]:
    return _example_group(slo)


def event_inputs(slo: SLO, scenario: Scenario) -> tuple[list[FedSeries], EventSeries]:
    """The raw counters a scenario feeds, and what the model reads of them."""
    per_minute = traffic_per_minute(slo) if scenario.traffic else 0
    total_inc = [0.0 if scenario.stops is not None and k >= scenario.stops else float(per_minute) for k in range(1, len(scenario.bad) + 1)]
    bad_inc = [round(b * total / 60) * 60.0 for b, total in zip(scenario.bad, total_inc)]
    increments = {TOTAL: total_inc, BAD: bad_inc, GOOD: [t - b for t, b in zip(total_inc, bad_inc)]}
    group = _group_of(slo)
    fed: list[FedSeries] = []
    totals, parts = [], []
    latency = isinstance(slo.sli, LatencySLI)
    if latency and scenario.without == "part":
        # one series exports the threshold's bucket (and is healthy), two others another bucket
        healthy = {TOTAL: total_inc, GOOD: total_inc}
        fed = [FedSeries(c.text, _cumulative(healthy[c.role], scenario.gap)) for c in counters(slo, {**group, "instance": "whole"})]
        for name in ("lacking-1", "lacking-2"):
            fed += [FedSeries(c.text, _cumulative(increments[c.role], scenario.gap)) for c in counters(slo, {**group, "instance": name}, le="+Inf")]
        nothing = (None,) * len(fed[0].values)
        return fed, EventSeries((fed[0].values, fed[2].values, fed[4].values), (fed[1].values, nothing, nothing))
    for counter in counters(slo, group):
        is_total, is_part = selected(slo, counter)
        if scenario.without == TOTAL and counter.role == TOTAL or scenario.without == "part" and counter.role != TOTAL:
            continue
        values = _cumulative(increments[counter.role], scenario.gap)
        fed.append(FedSeries(counter.text, values))
        if is_total:
            totals.append(values)
        if is_part:
            parts.append(values)
    return fed, EventSeries(tuple(totals), tuple(parts))


def _signal_values(slo: SLO, scenario: Scenario) -> tuple[float | None, ...]:
    sli = slo.sli
    if not isinstance(sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: only a time SLI is fed as a signal")
    if not scenario.traffic:
        return ()
    if sli.is_condition:
        assert sli.bad_when is not None  # a condition has a direction
        good, bad = probe_values(sli.threshold_quantity, sli.bad_when)
        values = [good] + [bad if b >= OUTAGE else good for b in scenario.bad]
    else:
        values = [1.0] + [1 - b for b in scenario.bad]
    return tuple(None if k in scenario.gap else v for k, v in enumerate(values))


def signal_inputs(system: System, slo: SLO, scenario: Scenario) -> tuple[list[FedSeries], SignalSamples]:
    values = _signal_values(slo, scenario)
    if not values:
        return [], SignalSamples(())
    labels = {"system": system.name, **_group_of(slo)}
    assert isinstance(slo.sli, TimeSLI)  # _signal_values refuses the others
    return [FedSeries(_labels_text(slo.sli.signal.record, labels), values)], SignalSamples(values)


def model_input(slo: SLO, scenario: Scenario) -> EventSeries | SignalSamples:
    """What the model reads of a scenario: the counters or the signal it feeds."""
    if isinstance(slo.sli, TimeSLI):
        return SignalSamples(_signal_values(slo, scenario))
    return event_inputs(slo, scenario)[1]


# --- the expected alerts -------------------------------------------------------------------------


def _recorded_labels(system: System, slo: SLO) -> dict[str, str]:
    return {"system": system.name, "slo": slo.name, **_group_of(slo)}


def _sample(record: str, labels: dict[str, str], value: float) -> dict:
    return {"labels": _labels_text(record, labels), "value": value}


def _missing_expected(system: System, slo: SLO, values: dict[str, float]) -> list[dict]:
    rules = {r.labels["missing"]: r for r in alert_rules(system, slo) if r.alert == slo.missing_alert_name}
    return [_alert(rules[component], _group_of(slo), value) for component, value in sorted(values.items())]


def _modelled(slo: SLO, data: EventSeries | SignalSamples, length: int) -> tuple[Evaluation, dict[TierKind, list[float | None]]]:
    """The recorded series and the burn alerts' values at every minute of a scenario."""
    evaluation = evaluate(slo, data, length)
    return evaluation, firing(slo, evaluation, length)


def scenario_test(system: System, slo: SLO, scenario: Scenario) -> dict:
    fed: list[FedSeries]
    data: EventSeries | SignalSamples
    if not scenario.raw:
        fed, data = [], SignalSamples(()) if isinstance(slo.sli, TimeSLI) else EventSeries((), ())
    elif isinstance(slo.sli, TimeSLI):
        fed, data = signal_inputs(system, slo, scenario)
    else:
        fed, data = event_inputs(slo, scenario)
    probes = tier_probes(system, slo) if scenario.probes else []
    length = len(scenario.bad) + 1
    assert all(p.length <= length for p in probes), "a probe outlasts its scenario"
    evaluation, alerts = _modelled(slo, data, length)
    rules = burn_rules(system, slo)
    recorded = _recorded_labels(system, slo)
    test: dict = {
        "name": f"{slo.name}: {scenario.name}",
        "interval": "1m",
        "input_series": [{"series": f.series, "values": notation(f.values)} for f in fed] + _probe_series(probes, length),
    }
    checks = sorted(set(scenario.checks))
    names = scenario.alerts or ((slo.alert_name,) if slo.burn_tiers else ())
    cases = []
    for k in checks:
        for name in names:
            if name == slo.alert_name:
                expected = [_alert(rules[kind], recorded, value) for kind, values in alerts.items() if (value := values[k]) is not None]
                expected += _probes_firing(rules, probes, k)
            elif name == slo.no_traffic_alert_name:
                value = no_traffic(slo, evaluation, k) if isinstance(data, EventSeries) else None
                rule = next(r for r in alert_rules(system, slo) if r.alert == name)
                expected = [] if value is None else [_alert(rule, recorded, value)]
            else:
                expected = _missing_expected(system, slo, missing(slo, data, k) if isinstance(data, EventSeries) else {})
            cases.append({"eval_time": f"{k}m", "alertname": name, "exp_alerts": expected})
    if cases:
        test["alert_rule_test"] = cases
    end = scenario.checks[-1]
    selector = f'{{system="{system.name}", slo="{slo.name}"}}'
    test["promql_expr_test"] = []
    if not scenario.traffic:
        test["promql_expr_test"] = [{"expr": error_ratio(s) + selector, "eval_time": f"{end}m", "exp_samples": []} for s in windows(slo)[:2]]
        if slo.no_data_for is not None and not isinstance(slo.sli, TimeSLI):  # flat counters are data; an absent signal is not
            test.setdefault("alert_rule_test", []).append({"eval_time": f"{end}m", "alertname": slo.no_data_alert_name, "exp_alerts": []})
    at = scenario.reads_windows
    if at is not None:
        filled = [w for w in windows(slo) if w // MINUTE < at]  # a longer window reads the same as the data
        test["promql_expr_test"] += [
            {"expr": error_ratio(w) + selector, "eval_time": f"{at}m",
             "exp_samples": [] if (ratio := evaluation.ratios[w][at]) is None else [_sample(error_ratio(w), recorded, ratio)]}
            for w in filled
        ]
    if scenario.reads_budget:
        left = evaluation.budget_left(slo, end)
        assert left is not None and math.isfinite(left)
        test["promql_expr_test"] += [
            {"expr": OBJECTIVE + selector, "eval_time": f"{end}m",
             "exp_samples": [_sample(OBJECTIVE, {"slo": slo.name, "system": system.name}, slo.objective_ratio)]},
            # the probes' own 1h series (label probe) give budgets of their own: not this one
            {"expr": budget_remaining(slo) + selector[:-1] + f', {PROBE}=""}}', "eval_time": f"{end}m",
             "exp_samples": [_sample(budget_remaining(slo), recorded, left)]},
        ]
    if not test["promql_expr_test"]:
        del test["promql_expr_test"]
    return test


def _no_data_expected(system: System, slo: SLO) -> list[dict]:
    rule = next(r for r in alert_rules(system, slo) if r.alert == slo.no_data_alert_name)
    return [_alert(rule, parse_selector(absent_selector(system, slo)).equalities, 1.0)]


def no_data_scenario(system: System, slo: SLO) -> dict:
    no_data_for = slo.no_data_for
    assert no_data_for is not None, "only SLOs with no_data_for have this scenario"
    wait = slo.no_data_seconds // MINUTE
    checks: list[dict] = [{"eval_time": f"{wait - 1}m", "alertname": slo.no_data_alert_name, "exp_alerts": []}] if wait else []
    checks.append({"eval_time": f"{wait}m", "alertname": slo.no_data_alert_name, "exp_alerts": _no_data_expected(system, slo)})
    if slo.burn_tiers:
        checks.append({"eval_time": f"{wait}m", "alertname": slo.alert_name, "exp_alerts": []})
    return {"name": f"{slo.name}: no SLI series at all raises {slo.no_data_alert_name} after {prom_duration(no_data_for)}", "interval": "1m",
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
        groups = (recording_group(system, slo), budget_group(system, slo)) + alert_groups(system, slo)
        rule_files = [f"../rules/{recording_file(slo)}"] + ([f"../rules/{alerts_file(slo)}"] if slo.alert_names else [])
        files[slo_test_file(slo)] = {
            "rule_files": rule_files,
            "evaluation_interval": "1m",
            "group_eval_order": [g.name for g in groups],
            "tests": tests,
        }
    return files
