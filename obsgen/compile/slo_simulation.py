"""The SLO rules evaluated in Python, once a minute, as Prometheus 2.42 evaluates them.

The generated SLO tests feed raw series to promtool and list the alerts expected at
chosen minutes; this model computes those lists. It follows the rules' arithmetic step
by step (rate() extrapolates as Prometheus does, range selectors include both ends,
sum_over_time and avg_over_time sum with Kahan compensation, round() multiplies by the
inverse), so promtool and this model agree bit for bit, and a wrong rule disagrees with
both the model and the scenario it was meant to pass.

Raw series are sampled once a minute from minute 0; None is no sample, and a series that
stops is marked stale there (the tests write it so), so a series is present at a minute
exactly when it has a sample then. Recorded series that a rule stops writing go stale too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model.slo import MINUTE, SLO, BurnRateTier, LatencySLI, TierKind, TimeSLI
from .memo import by_key
from .slo_rules import BASE_WINDOW, HOUR, SEVERITIES, counts_good, on_grid, part_is_own_metric, threshold, tiers_of, windows

Samples = tuple[float | None, ...]
LOOKBACK = 5  # minutes: Prometheus's lookback for an instant selector


def model_shape(slo: SLO) -> tuple:
    """What the model reads of an SLO: the kind of its SLI (and a condition's threshold), its
    tiers, budget and period. Not its name, service or selectors: SLOs of one shape fed the
    same series evaluate alike, so their evaluations are shared."""
    sli = slo.sli
    condition = None
    if isinstance(sli, TimeSLI):
        condition = (sli.is_condition, sli.bad_when, sli.threshold_quantity.base if sli.is_condition else None)
    return (type(sli), counts_good(slo), part_is_own_metric(slo), condition, slo.burn_tiers, slo.budget, slo.period_seconds,
            slo.no_traffic_seconds)


@dataclass(frozen=True)
class EventSeries:
    """Cumulative counters sampled each minute (None: no sample).

    total: the series the total (latency: count) selector matches; part: the series the
    errors, good or bucket selector matches. For latency, total[i] and part[i] are one
    series' count and bucket (an all-None bucket: that series does not export it).
    """

    total: tuple[Samples, ...]
    part: tuple[Samples, ...]


@dataclass(frozen=True)
class SignalSamples:
    """A time-based SLI's recorded signal, one value a minute from 0 (None: no sample)."""

    values: Samples


def _kahan_inc(inc: float, total: float, c: float) -> tuple[float, float]:
    t = total + inc
    if abs(total) >= abs(inc):
        c += (total - t) + inc
    else:
        c += (inc - t) + total
    return t, c


def _kahan_fold(values, total: float = 0.0, c: float = 0.0) -> tuple[float, float]:
    """_kahan_inc over values in order (inlined: this loop is most of generate's time)."""
    for v in values:
        t = total + v
        if abs(total) >= abs(v):
            c += (total - t) + v
        else:
            c += (v - t) + total
        total = t
    return total, c


def sum_over_time(values: list[float]) -> float:
    total, c = _kahan_fold(values)
    return total + c


def avg_over_time(values: list[float]) -> float:
    mean = c = count = 0.0
    for v in values:
        count += 1
        mean, c = _kahan_inc(v / count - mean / count, mean, c)
    return mean + c


def over_windows(base: list[float | None], minutes: int, fn) -> list[float | None]:
    """fn (sum_over_time or avg_over_time) of base over [k - minutes, k], for every minute k.

    Compensated sums depend on the order of their terms, so a window's sum is not the
    previous one's minus what left it; but windows with the same samples have the same
    sum (steady traffic), and for sum_over_time a window's leading zeros change nothing
    (a fold from zero adding zero stays zero), so a window that only gained a sample at
    its end extends the previous fold. Same bits as summing each window afresh.
    """
    if fn is sum_over_time:
        return _sums_over_windows(base, minutes)
    out: list[float | None] = []
    seen: dict[tuple, float | None] = {}
    mean = c = count = 0.0
    for k in range(len(base)):
        if k - minutes <= 0:  # the window still reaches minute 0: it only grows, so the fold is carried on
            v = base[k]
            if v is not None:
                count += 1
                mean, c = _kahan_inc(v / count - mean / count, mean, c)
            out.append(mean + c if count else None)
            continue
        window = tuple(base[k - minutes : k + 1])
        if window not in seen:
            samples = [v for v in window if v is not None]
            seen[window] = fn(samples) if samples else None
        out.append(seen[window])
    return out


def _sums_over_windows(base: list[float | None], minutes: int) -> list[float | None]:
    out: list[float | None] = []
    seen: dict[tuple, tuple[float, float]] = {}
    total = c = 0.0
    start = 0  # the fold is over the samples of base[start..k]; every sample before start in the window is 0
    present = 0  # samples in the window
    for k, v in enumerate(base):
        low = k - minutes
        if low > 0 and base[low - 1] is not None:
            present -= 1
        if start < low:
            while start < low and not base[start]:  # a leading 0 (or no sample) leaves: the fold is unchanged
                start += 1
            if start < low:  # a sample that counted left: fold the window again
                window = tuple(base[low:k])
                if window not in seen:
                    seen[window] = _kahan_fold(x for x in window if x is not None)
                total, c = seen[window]
                start = low
        if v is not None:
            present += 1
            total, c = _kahan_inc(v, total, c)
        out.append(total + c if present else None)
    return out


def rounded(value: float | None) -> float | None:
    return None if value is None else on_grid(value)


def rate(counter: Samples, k: int, minutes: int) -> float | None:
    """rate(x[minutes]) at minute k: Prometheus 2.42's extrapolatedRate on the samples in [k - minutes, k]."""
    points = [(m, v) for m in range(max(0, k - minutes), min(k, len(counter) - 1) + 1) if (v := counter[m]) is not None]
    if len(points) < 2:
        return None
    result = points[-1][1] - points[0][1]
    previous = points[0][1]
    for _, value in points[1:]:
        if value < previous:
            result += previous  # a counter reset
        previous = value
    return _extrapolated(result, points[0], points[-1][0], len(points), k, minutes)


def rates(counter: Samples, minutes: int, length: int) -> list[float | None]:
    """rate(x[minutes]) at every minute 0..length-1, as rate() gives it, without rescanning each window.

    A window's increase is its last sample less its first unless a counter reset lies
    between them (Prometheus then adds each reset's value in order: rate() does that window).
    """
    points = [(m, v) for m, v in enumerate(counter) if v is not None]
    resets = [0]  # resets[p]: counter resets between points[0] and points[p]
    for (_, before), (_, after) in zip(points, points[1:]):
        resets.append(resets[-1] + (after < before))
    out: list[float | None] = []
    first = last = 0  # the window's samples are points[first:last]
    for k in range(length):
        while first < len(points) and points[first][0] < k - minutes:
            first += 1
        while last < len(points) and points[last][0] <= k:
            last += 1
        if last - first < 2:
            out.append(None)
        elif resets[last - 1] != resets[first]:
            out.append(rate(counter, k, minutes))
        else:
            end, final = points[last - 1]
            out.append(_extrapolated(final - points[first][1], points[first], end, last - first, k, minutes))
    return out


def _extrapolated(result: float, first: tuple[int, float], last: int, count: int, k: int, minutes: int) -> float:
    """extrapolatedRate's extrapolation of an increase to the window's edges, per second."""
    to_start = float((first[0] - (k - minutes)) * MINUTE)
    to_end = float((k - last) * MINUTE)
    sampled = float((last - first[0]) * MINUTE)
    average = sampled / (count - 1)
    if result > 0 and first[1] >= 0:
        to_zero = sampled * (first[1] / result)
        if to_zero < to_start:
            to_start = to_zero
    limit = average * 1.1
    interval = sampled
    interval += to_start if to_start < limit else average / 2
    interval += to_end if to_end < limit else average / 2
    factor = interval / sampled
    factor /= minutes * MINUTE
    return result * factor


def _present(series: Samples, k: int) -> bool:
    return k < len(series) and series[k] is not None


def _sum(values: list[float | None]) -> float | None:
    """sum by (...) of the series that have a value (none: no result)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    out = present[0]
    for v in present[1:]:
        out += v
    return out


def _events(slo: SLO, data: EventSeries, minutes: int, length: int) -> tuple[list[float | None], list[float | None]]:
    """(events, bad events) over a window at every minute, as the recording rules compute them."""
    latency = isinstance(slo.sli, LatencySLI)
    total_rates = [rates(s, minutes, length) for s in data.total]
    part_rates = [rates(s, minutes, length) for s in data.part]
    events: list[float | None] = []
    bad: list[float | None] = []
    for k in range(length):
        if latency:  # only the series that export the threshold's bucket
            total = _sum([total_rates[i][k] for i in range(len(data.total)) if i < len(data.part) and _present(data.part[i], k)])
        else:
            total = _sum([r[k] for r in total_rates])
        part = _sum([r[k] for r in part_rates])
        if part is None and total is not None and not latency and not part_is_own_metric(slo):
            part = 0 * total  # `or on (...) (0 * events)`: no such event yet
        events.append(total)
        if not counts_good(slo):
            bad.append(part)
        else:
            bad.append(total - part if total is not None and part is not None else None)
    return events, bad


def _ratio(bad: float | None, events: float | None) -> float | None:
    if bad is None or events is None or not events > 0:
        return None
    return rounded(bad / events)


def _event_ratios(slo: SLO, data: EventSeries, length: int, read: frozenset[int]) -> tuple[dict[int, list[float | None]], dict[str, list[float | None]]]:
    """The error ratio per window read, and the recorded events (5m, 1h) and bad events (1h) per minute."""
    base_events, base_bad = _events(slo, data, BASE_WINDOW // MINUTE, length)
    hourly_events, hourly_bad = _events(slo, data, HOUR // MINUTE, length)
    ratios: dict[int, list[float | None]] = {}
    for seconds in sorted(read):
        if seconds == BASE_WINDOW:
            ratios[seconds] = [_ratio(b, e) for b, e in zip(base_bad, base_events)]
        elif seconds == HOUR:
            ratios[seconds] = [_ratio(b, e) for b, e in zip(hourly_bad, hourly_events)]
        else:
            span = (seconds - BASE_WINDOW) // MINUTE
            summed_bad = over_windows(base_bad, span, sum_over_time)
            summed_events = over_windows(base_events, span, sum_over_time)
            ratios[seconds] = [_ratio(b, e) for b, e in zip(summed_bad, summed_events)]
    return ratios, {"events": hourly_events, "bad": hourly_bad, "events5m": base_events}


def _time_ratios(slo: SLO, data: SignalSamples, length: int, read: frozenset[int]) -> dict[int, list[float | None]]:
    sli = slo.sli
    if not isinstance(sli, TimeSLI):
        raise TypeError(f"SLO {slo.name}: only a time SLI is sampled from a signal")
    base: list[float | None] = []
    for k in range(length):
        v = data.values[k] if k < len(data.values) else None
        if v is None:
            base.append(None)
        elif sli.is_condition:
            assert sli.bad_when is not None  # a condition has a direction
            base.append(1.0 if sli.bad_when.breached(v, sli.threshold_quantity.base) else 0.0)
        else:
            base.append(1 - v)
    return {s: [rounded(v) for v in over_windows(base, s // MINUTE - 1, avg_over_time)] for s in sorted(read)}


@dataclass(frozen=True)
class Evaluation:
    """The recorded series at every minute: error ratios per window, and the hourly figures."""

    ratios: dict[int, list[float | None]]
    hourly: dict[str, list[float | None]]  # events and bad per hour, and events per 5m (event SLIs)

    summed: dict[int, list[float | None]] = field(default_factory=dict, compare=False, repr=False)  # memo of summed_events
    fired: dict[tuple, dict] = field(default_factory=dict, compare=False, repr=False)  # memo of firing()

    def summed_events(self, seconds: int) -> list[float | None]:
        """sum_over_time of the 5m events over (window - 5m), as a tier's veto reads it (once per window)."""
        if seconds not in self.summed:
            self.summed[seconds] = over_windows(self.hourly["events5m"], (seconds - BASE_WINDOW) // MINUTE, sum_over_time)
        return self.summed[seconds]

    def budget_left(self, slo: SLO, k: int) -> float | None:
        """The budget rule at minute k: the period's ratio from the hourly figures at whole hours."""
        hours = [h for h in range(0, k + 1, 60) if h >= k - slo.period_seconds // MINUTE]
        if isinstance(slo.sli, TimeSLI):
            picks = [v for h in hours if (v := self.ratios[HOUR][h]) is not None]
            ratio = avg_over_time(picks) if picks else None
        else:
            bad = [v for h in hours if (v := self.hourly["bad"][h]) is not None]
            events = [v for h in hours if (v := self.hourly["events"][h]) is not None]
            total = sum_over_time(events) if events else None
            ratio = sum_over_time(bad) / total if bad and total is not None and total > 0 else None
        return None if ratio is None else 1 - ratio / float(slo.budget)


def no_traffic(slo: SLO, evaluation: Evaluation, k: int) -> float | None:
    """The no-traffic alert's value at minute k: 0 when every 5m count over the window is 0."""
    events = evaluation.hourly["events5m"]
    span = (slo.no_traffic_seconds - BASE_WINDOW) // MINUTE
    window = [v for v in events[max(0, k - span) : k + 1] if v is not None]
    return 0.0 if window and max(window) == 0 else None


@by_key(lambda slo, data, length, kinds=None: (model_shape(slo), data, length, kinds))
def evaluate(slo: SLO, data: EventSeries | SignalSamples, length: int, kinds: tuple[TierKind, ...] | None = None) -> Evaluation:
    """The recording rules at every minute 0..length-1: every window, or only those the
    alerts of these kinds read (a search for the minute a page fires skips the ticket's days).
    Shared by SLOs of one shape (model_shape): callers must not change what it returns."""
    read = frozenset(windows(slo)) if kinds is None else frozenset(s for t in slo.burn_tiers if t.kind in kinds for s in (t.long_seconds, t.short_seconds))
    if isinstance(data, SignalSamples):
        return Evaluation(_time_ratios(slo, data, length, read), {})
    ratios, hourly = _event_ratios(slo, data, length, read)
    return Evaluation(ratios, hourly)


def short_events(evaluation: "Evaluation", seconds: int) -> list[float | None] | None:
    """The events the short window counted, per minute (None: a time SLI, which counts none)."""
    if not evaluation.hourly:
        return None
    if seconds == BASE_WINDOW:
        return evaluation.hourly["events5m"]
    if seconds == HOUR:
        return evaluation.hourly["events"]
    return evaluation.summed_events(seconds)


def holding(slo: SLO, tier: BurnRateTier, evaluation: "Evaluation", length: int) -> list[bool]:
    """Per minute: long >= threshold unless short < threshold or short counted no event (a short
    window with no samples at all, a scrape gap, does not veto)."""
    limit = threshold(slo, tier)
    long, short = evaluation.ratios[tier.long_seconds][:length], evaluation.ratios[tier.short_seconds]
    events = short_events(evaluation, tier.short_seconds) or [None] * length
    return [lv is not None and lv >= limit and not ((sv is not None and sv < limit) or (ev is not None and ev == 0))
            for lv, sv, ev in zip(long, short, events)]


def firing(slo: SLO, evaluation: "Evaluation", length: int, kinds: tuple[TierKind, ...] = SEVERITIES) -> dict[TierKind, list[float | None]]:
    """Per severity kind, per minute: the alert's value (the first holding tier's long ratio) or None."""
    key = (model_shape(slo), length, kinds)
    if key not in evaluation.fired:
        evaluation.fired[key] = _firing(slo, evaluation, length, kinds)
    return evaluation.fired[key]


def _firing(slo: SLO, evaluation: "Evaluation", length: int, kinds: tuple[TierKind, ...]) -> dict[TierKind, list[float | None]]:
    out: dict[TierKind, list[float | None]] = {}
    for kind in kinds:
        tiers = tiers_of(slo, kind)
        if not tiers:
            continue
        held = [(evaluation.ratios[t.long_seconds], holding(slo, t, evaluation, length)) for t in tiers]
        out[kind] = [next((long[k] for long, holds in held if holds[k]), None) for k in range(length)]
    return out


def missing(slo: SLO, data: EventSeries, k: int) -> dict[str, float]:
    """The missing-series alert's values at minute k, by component (bucket, errors, good, total)."""
    if isinstance(slo.sli, LatencySLI):
        lacking = sum(1 for i, count in enumerate(data.total) if _present(count, k) and not (i < len(data.part) and _present(data.part[i], k)))
        return {"bucket": float(lacking)} if lacking else {}
    if not part_is_own_metric(slo):
        return {}
    total = any(_present(s, k) for s in data.total)
    part = any(_present(s, k) for s in data.part)
    if total and not part:
        return {"good" if counts_good(slo) else "errors": 1.0}
    if part and not total:
        return {"total": 1.0}
    return {}


def is_finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
