"""From a wanted signal value back to one raw value.

Two kinds of inverse:

- histograms in closed form: the bucket shares that make histogram_quantile(q, ...)
  return exactly v, with the tail kept as short as the quantile allows (so latency SLOs
  over the same buckets stay healthy);
- everything else numerically over the steady-state evaluator: a few secant steps
  (exact at once for the linear shapes: gauges, sums, 1 - a/b, time() - t, increase),
  then a bracket on a log grid and bisection (ratios of rates, quantiles, comparisons).
  A value no raw setting reaches returns None, never an approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

# Histogram buckets: 1-2-5 from 10 µs to 50,000 s, plus every `le` the rules name.
GRID_BOUNDS = tuple(m * 10.0**e for e in range(-5, 5) for m in (1, 2, 5))


@dataclass(frozen=True)
class Shares:
    """A distribution over bucket bounds: cumulative share at each bound, and its mean."""

    cumulative: tuple[float, ...]
    mean: float


def histogram_shares(bounds: tuple[float, ...], v: float, q: float) -> Shares | None:
    """Cumulative shares whose q-quantile (Prometheus' interpolation) is exactly v."""
    if not bounds or v <= 0 or v > bounds[-1] or not 0 < q < 1:
        return None
    i = next(k for k, b in enumerate(bounds) if v <= b)
    a = bounds[i - 1] if i > 0 else 0.0
    b = bounds[i]
    t = (v - a) / (b - a)
    if i == 0:
        if t < q:  # nothing can sit below the first bucket's lower bound of 0
            return None
        below, inside = 0.0, q / t
    elif t <= q and t < 1:
        inside = (1 - q) / (1 - t)
        below = 1 - inside
    else:
        below, inside = 0.0, q / t
    above = max(0.0, 1 - below - inside)
    cumulative = []
    for k in range(len(bounds)):
        if k < i - 1:
            cumulative.append(0.0)
        elif k == i - 1:
            cumulative.append(below)
        elif k == i:
            cumulative.append(below + inside)
        else:
            cumulative.append(1.0)
    mids = [(bounds[k - 1] + bounds[k]) / 2 if k > 0 else bounds[0] / 2 for k in range(len(bounds))]
    mean = below * (mids[i - 1] if i > 0 else 0.0) + inside * mids[i]
    mean += above * (mids[i + 1] if i + 1 < len(bounds) else 2 * bounds[-1])
    return Shares(tuple(cumulative), mean)


@dataclass(frozen=True)
class Domain:
    """Where a raw knob may go: [low, high], or only the listed values."""

    low: float
    high: float
    values: tuple[float, ...] = ()

    def clamp(self, x: float) -> float:
        return min(self.high, max(self.low, x))

    def grid(self) -> list[float]:
        if self.values:
            return list(self.values)
        points = {self.low, self.high} if math.isfinite(self.low) and math.isfinite(self.high) else set()
        for e in range(-9, 13):
            for m in (1.0, 3.0):
                for sign in (1.0, -1.0):
                    x = sign * m * 10.0**e
                    if self.low <= x <= self.high:
                        points.add(x)
        if self.low <= 0 <= self.high:
            points.add(0.0)
        return sorted(p for p in points if math.isfinite(p))


def tolerance(target: float) -> float:
    return max(1e-12, 1e-9 * abs(target))


def close(value: float | None, target: float) -> bool:
    return value is not None and math.isfinite(value) and abs(value - target) <= tolerance(target)


def invert(f: Callable[[float], float | None], x0: float, target: float, domain: Domain) -> float | None:
    """A knob value x in domain with f(x) == target (within 1e-9 relative), or None."""
    f0 = _safe(f, x0)
    if close(f0, target):
        return x0
    if domain.values:
        for x in domain.values:
            if close(_safe(f, x), target):
                return x
        return None
    found = _secant(f, x0, f0, target, domain)
    if found is not None:
        return found
    return _bracket(f, target, domain)


def _safe(f: Callable, x: float) -> float | None:
    try:
        y = f(x)
    except (ArithmeticError, ValueError):
        return None
    return y if y is not None and not math.isnan(y) else None


def _secant(f, x0: float, f0: float | None, target: float, domain: Domain) -> float | None:
    if f0 is None or not math.isfinite(f0):
        return None
    step = max(abs(x0) * 0.5, 1.0)
    x1 = domain.clamp(x0 + step)
    if x1 == x0:
        x1 = domain.clamp(x0 - step)
    f1 = _safe(f, x1)
    for _ in range(12):
        if f1 is None or not math.isfinite(f1) or f1 == f0:
            return None
        x2 = domain.clamp(x1 + (target - f1) * (x1 - x0) / (f1 - f0))
        f2 = _safe(f, x2)
        if close(f2, target):
            return x2
        if x2 == x1:
            return None
        x0, f0, x1, f1 = x1, f1, x2, f2
    return None


def _bracket(f, target: float, domain: Domain) -> float | None:
    sampled = [(x, _safe(f, x)) for x in domain.grid()]
    points = [(x, y) for x, y in sampled if y is not None and math.isfinite(y)]
    for x, y in points:
        if close(y, target):
            return x
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        if (ya - target) * (yb - target) < 0:
            found = _bisect(f, xa, ya, xb, target)
            if found is not None:
                return found
    return None


def _bisect(f, lo: float, f_lo: float, hi: float, target: float) -> float | None:
    below = f_lo < target
    for _ in range(200):
        if lo > 0 and hi / lo > 4:
            mid = math.sqrt(lo * hi)
        elif hi < 0 and lo / hi > 4:
            mid = -math.sqrt(lo * hi)
        else:
            mid = (lo + hi) / 2
        y = _safe(f, mid)
        if y is None:
            return None
        if close(y, target):
            return mid
        if (y < target) == below:
            lo = mid
        else:
            hi = mid
        if mid in (lo, hi) and lo == hi:
            break
    return None
