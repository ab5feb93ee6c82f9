"""The SLO rules evaluated in Python, once a minute, as Prometheus 2.42 evaluates them.

The generated SLO tests feed raw series to promtool and list the alerts expected at
chosen minutes; this model computes those lists. It follows the rules' arithmetic step
by step (range selectors include both ends, rate() over samples on the window's edges
does not extrapolate but still multiplies by 1/range, sum_over_time and avg_over_time sum with Kahan compensation), so
promtool and this model agree bit for bit, and a wrong rule disagrees with both the
model and the scenario it was meant to pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.slo import MINUTE, SLO, BurnRateTier, TimeSLI
from .slo_rules import BASE_WINDOW, RAW_UP_TO, counts_good, windows


@dataclass(frozen=True)
class EventSeries:
    """Cumulative counters sampled each minute from 0: what every total and part series holds."""

    total: tuple[tuple[float, ...], ...]  # the series the total selector matches
    part: tuple[tuple[float, ...], ...]  # the series the errors (or good, or le bucket) selector matches


@dataclass(frozen=True)
class SignalSamples:
    """A time-based SLI's recorded signal, one value a minute from 0 (None: no sample).

    Scenarios feed it every minute or never, so Prometheus's 5-minute lookback never
    carries a value past its minute.
    """

    values: tuple[float | None, ...]


def _kahan_inc(inc: float, total: float, c: float) -> tuple[float, float]:
    t = total + inc
    if abs(total) >= abs(inc):
        c += (total - t) + inc
    else:
        c += (inc - t) + total
    return t, c


def sum_over_time(values: list[float]) -> float:
    total = c = 0.0
    for v in values:
        total, c = _kahan_inc(v, total, c)
    return total + c


def avg_over_time(values: list[float]) -> float:
    mean = c = count = 0.0
    for v in values:
        count += 1
        mean, c = _kahan_inc(v / count - mean / count, mean, c)
    return mean + c


def over_windows(base: list[float | None], minutes: int, fn) -> list[float | None]:
    """fn (sum_over_time or avg_over_time) of base over [k - minutes, k], for every minute k.

    While a window still reaches back to minute 0 it only grows, so its (order-dependent)
    compensated sum is carried forward instead of recomputed: the same bits, in linear time.
    """
    out: list[float | None] = []
    total = c = count = 0.0
    for k in range(len(base)):
        if k - minutes <= 0:
            v = base[k]
            if v is not None:
                count += 1
                inc = v if fn is sum_over_time else v / count - total / count
                total, c = _kahan_inc(inc, total, c)
            out.append(total + c if count else None)
        else:
            samples = [v for v in base[k - minutes : k + 1] if v is not None]
            out.append(fn(samples) if samples else None)
    return out


def _rate(counter: tuple[float, ...], k: int, minutes: int) -> float | None:
    """rate(x[w]) at minute k for a counter that starts at 0 and never resets."""
    if k < 1:
        return None
    first = max(0, k - minutes)
    # Prometheus multiplies by (extrapolated / sampled interval) / range: here 1 / range.
    return (counter[k] - counter[first]) * (1.0 / (minutes * MINUTE))


def _summed(series: tuple[tuple[float, ...], ...], k: int, minutes: int) -> float | None:
    rates = [_rate(s, k, minutes) for s in series]
    if not rates or rates[0] is None:
        return None
    out = rates[0]
    for r in rates[1:]:
        out += r
    return out


def _event_ratios(slo: SLO, data: EventSeries, length: int) -> dict[int, list[float | None]]:
    good = counts_good(slo)
    base_events: list[float | None] = []
    base_bad: list[float | None] = []
    for k in range(length):
        events = _summed(data.total, k, BASE_WINDOW // MINUTE)
        part = _summed(data.part, k, BASE_WINDOW // MINUTE)
        base_events.append(events)
        if events is None:
            base_bad.append(None)
        else:
            base_bad.append(events - part if good else part)
    ratios: dict[int, list[float | None]] = {}
    for seconds in windows(slo) + (slo.period_seconds,):
        minutes = seconds // MINUTE
        if seconds > RAW_UP_TO:
            summed_events, summed_bad = over_windows(base_events, minutes, sum_over_time), over_windows(base_bad, minutes, sum_over_time)
        out: list[float | None] = []
        for k in range(length):
            if seconds == BASE_WINDOW:
                events, bad = base_events[k], base_bad[k]
                out.append(bad / events if events else None)
            elif seconds <= RAW_UP_TO:
                total, part = _summed(data.total, k, minutes), _summed(data.part, k, minutes)
                if not total:
                    out.append(None)
                else:
                    out.append(1 - part / total if good else part / total)
            else:
                events, bad = summed_events[k], summed_bad[k]
                out.append(bad / events if events else None)
        ratios[seconds] = out
    return ratios


def _time_ratios(slo: SLO, data: SignalSamples, length: int) -> dict[int, list[float | None]]:
    sli: TimeSLI = slo.sli
    base: list[float | None] = []
    for k in range(length):
        v = data.values[k] if k < len(data.values) else None
        if v is None:
            base.append(None)
        elif sli.is_condition:
            assert sli.bad_when is not None  # a condition has a direction
            beyond = sli.bad_when.breached(v, sli.threshold_quantity.base)
            base.append(1.0 if beyond else 0.0)
        else:
            base.append(1 - v)
    ratios: dict[int, list[float | None]] = {}
    for seconds in windows(slo) + (slo.period_seconds,):
        ratios[seconds] = over_windows(base, seconds // MINUTE, avg_over_time)
    return ratios


def error_ratios(slo: SLO, data: EventSeries | SignalSamples, length: int) -> dict[int, list[float | None]]:
    """The recorded error ratio per window (seconds) at each minute 0..length-1; None when absent."""
    if isinstance(data, SignalSamples):
        return _time_ratios(slo, data, length)
    return _event_ratios(slo, data, length)


def firing(slo: SLO, ratios: dict[int, list[float | None]], length: int) -> list[list[tuple[BurnRateTier, float]]]:
    """Per minute, the tiers firing and their alert's value (the long window's ratio)."""
    out: list[list[tuple[BurnRateTier, float]]] = [[] for _ in range(length)]
    for tier in slo.burn_tiers:
        threshold = slo.threshold(tier)
        long, short = ratios[tier.long_seconds], ratios[tier.short_seconds]
        active_since = None
        for k in range(length):
            holds = long[k] is not None and short[k] is not None and long[k] > threshold and short[k] > threshold
            if not holds:
                active_since = None
                continue
            if active_since is None:
                active_since = k
            if (k - active_since) * MINUTE >= tier.for_seconds:
                out[k].append((tier, long[k]))
    return out
